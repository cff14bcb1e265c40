"""``ostoja dbserver status|stop``: the embedded PostgreSQL under var/ (DESIGN.md §4).

Any ``ostoja`` command starts it when needed (and reuses a running one); ``stop`` shuts it down.
With DATABASE_URL set there is no embedded server to manage."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ostoja.tenants.management.commands._console import EXIT_INVALID


class Command(BaseCommand):
    help = "Show or stop the embedded PostgreSQL server (var/pgdata)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args, **opts):
        from ostoja.platform.embedded_db import server_status, stop_server

        if settings.DATABASE_URL:
            raise CommandError(
                "DATABASE_URL is set: this installation uses that server, not the embedded one.",
                returncode=EXIT_INVALID,
            )
        if opts["action"] == "stop":
            stopped = stop_server(settings.VAR_DIR)
            self.stdout.write("Embedded PostgreSQL stopped." if stopped else "Embedded PostgreSQL was not running.")
            return
        status = server_status(settings.VAR_DIR)
        if status is None:
            self.stdout.write(f"Embedded PostgreSQL is not running (data in {settings.VAR_DIR / 'pgdata'}).")
        else:
            self.stdout.write(f"Embedded PostgreSQL is running: pid {status.pid}, socket {status.host}:{status.port}.")
