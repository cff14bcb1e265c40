"""``ostoja up [addrport]``: everything a fresh machine needs to show Ostoja — migrate (public schema, the
center template, every center), seed the demo centers, print the URLs and logins, and serve.

The web server runs in this process; background services (a Celery worker and the beat scheduler, see
platform/celery_app.py) are listed in ``BACKGROUND_SERVICES`` and run as child processes next to it, stopped when
the server stops."""

from __future__ import annotations

import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ostoja.tenants.management.commands._console import EXIT_INVALID, console_for

CELERY = ["-m", "celery", "-A", "ostoja.platform.celery_app"]
# (name, argv after the Python interpreter) of each process started next to the web server. Threads: tasks wait
# on the database and S3 more than on the CPU, and a thread pool does not fork a process per core.
BACKGROUND_SERVICES: list[tuple[str, list[str]]] = [
    ("the Celery worker", [*CELERY, "worker", "--pool=threads", "--concurrency=4", "--loglevel=INFO"]),
    ("the Celery beat scheduler", [*CELERY, "beat", "--loglevel=INFO"]),
]


def parse_addrport(addrport: str) -> tuple[str, int]:
    address, _, port = addrport.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"“{addrport}” is not an address and port such as 0.0.0.0:8000.", returncode=EXIT_INVALID)
    return address or "127.0.0.1", int(port)


class Command(BaseCommand):
    help = "Migrate, seed the demo centers, print the URLs and logins, and run the development server."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="0.0.0.0:8000", help="default 0.0.0.0:8000")
        parser.add_argument("--no-demo", action="store_true", help="do not seed the demo centers")
        parser.add_argument("--no-serve", action="store_true", help="stop after migrating and seeding")
        parser.add_argument(
            "--no-background", action="store_true", help="serve without the Celery worker and beat scheduler"
        )

    def handle(self, *args, **opts):
        console = console_for(self)
        _address, port = parse_addrport(opts["addrport"])

        with console.status("Migrating the database (public schema, center template, centers)…"):
            call_command("migrate", interactive=False, verbosity=0)
        console.print("[green]Database migrated[/green]: public schema, center template and every center.")

        if not opts["no_demo"]:
            call_command("demo", port=port, stdout=self.stdout._out, stderr=self.stderr._out)
        if opts["no_serve"]:
            return

        children = [] if opts["no_background"] else self.start_background(console)
        try:
            console.print(f"Serving on http://{opts['addrport']}/ — stop with Ctrl+C.")
            call_command("runserver", opts["addrport"], use_reloader=False)
        finally:
            self.stop_background(console, children)

    def start_background(self, console) -> list[tuple[str, subprocess.Popen]]:
        children = []
        for name, argv in BACKGROUND_SERVICES:
            console.print(f"Starting {name}: python {' '.join(argv)}")
            children.append((name, subprocess.Popen([sys.executable, *argv])))  # noqa: S603
        return children

    @staticmethod
    def stop_background(console, children) -> None:
        for name, process in children:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                console.print(f"Stopped {name}.")
