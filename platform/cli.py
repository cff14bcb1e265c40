"""The ``ostoja`` command: Django's management commands, with the settings preset (no manage.py,
see DESIGN.md §1). ``ostoja runserver``, ``ostoja onboard …``, ``ostoja demo``, ``ostoja up``.

Expected failures end with one line on stderr and a specific exit code instead of a traceback:
3 the database cannot be started or reached, 2/4/5/6 a service refused the input (see
tenants/management/commands/_console.py), 130 interrupted. CommandError keeps Django's own handling."""

import os
import sys

EXIT_DATABASE = 3
EXIT_INTERRUPTED = 130


def _expected_error(exc: BaseException) -> tuple[str, int] | None:
    """The one-line message and exit code for an error an operator can act on, else None."""
    from ostoja.platform.embedded_db import EmbeddedDatabaseError

    if isinstance(exc, EmbeddedDatabaseError):
        return str(exc), EXIT_DATABASE
    from django.db import OperationalError

    if isinstance(exc, OperationalError):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return f"cannot reach the database ({first}). Check DATABASE_URL or the embedded server.", EXIT_DATABASE
    from ostoja.platform.errors import ServiceError

    if isinstance(exc, ServiceError):
        from ostoja.tenants.management.commands._console import service_error

        error = service_error(exc)
        return str(error), error.returncode
    return None


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.platform.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "ostoja"
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except KeyboardInterrupt:
        sys.stderr.write("ostoja: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        expected = _expected_error(exc)
        if expected is None:
            raise
        message, code = expected
        sys.stderr.write(f"ostoja: {message}\n")
        sys.exit(code)


if __name__ == "__main__":
    main()
