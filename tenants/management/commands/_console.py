"""Shared output of the operator commands: a rich console on the command's stdout, progress bars,
and service errors turned into CommandError with a specific message and exit code."""

from __future__ import annotations

import contextlib

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ostoja.platform.errors import ServiceError

# Exit codes of the operator commands (CommandError.returncode).
EXIT_INVALID = 2  # bad input: validation failed
EXIT_CONFLICT = 4  # valid input that clashes with the current state
EXIT_NOT_FOUND = 5
EXIT_DENIED = 6


def console_for(command) -> Console:
    """A rich console writing to the command's stdout (so ``call_command(..., stdout=buf)`` captures it)."""
    stream = getattr(command.stdout, "_out", command.stdout)
    console = Console(file=stream, highlight=False, soft_wrap=True)
    if not console.is_terminal:  # logs and captured output: do not cut URLs at 80 columns
        console = Console(file=stream, highlight=False, soft_wrap=True, width=160)
    return console


def service_error(exc: ServiceError) -> CommandError:
    from ostoja.platform.errors import Conflict, NotFound, PermissionDenied

    code = EXIT_INVALID
    if isinstance(exc, Conflict):
        code = EXIT_CONFLICT
    elif isinstance(exc, NotFound):
        code = EXIT_NOT_FOUND
    elif isinstance(exc, PermissionDenied):
        code = EXIT_DENIED
    details = getattr(exc, "errors", [exc])
    lines = [exc.message] + [f"  {e.field or '-'}: {e.message}" for e in details[1:]]
    where = f" (field {exc.field})" if exc.field else ""
    return CommandError(f"{lines[0]} [{exc.code}{where}]" + "".join("\n" + line for line in lines[1:]), returncode=code)


@contextlib.contextmanager
def service_errors():
    """Turn ServiceError raised inside the block into CommandError."""
    try:
        yield
    except ServiceError as exc:
        raise service_error(exc) from exc


@contextlib.contextmanager
def progress_bar(console: Console, title: str):
    """Yield a ``progress(step, done, total)`` callback that drives a rich progress bar."""
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=not console.is_terminal,
    )
    if not console.is_terminal:  # logs and captured output get the summary only, not a redrawn bar
        yield lambda step, done, total: None
        return
    task = bar.add_task(title, total=None)

    def callback(step: str, done: int, total: int) -> None:
        bar.update(task, description=f"{title}: {step}", completed=done, total=total)

    with bar:
        yield callback
