"""``ostoja onboard <slug> --name … --city … --voivodeship …``: create a center (see tenants/onboarding.py).

The administrator's password never appears on the command line: it is read from stdin
(``--password-stdin``), typed twice at a prompt (a terminal without either flag), or replaced by a
one-time set-password link (``--set-password-link``).

With ``--async`` the onboarding is queued as a background job (a worker runs it; its progress is the platform
schema's ``job(id:)``); the administrator then gets a set-password link, in the job's result."""

from __future__ import annotations

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from ostoja.tenants.management.commands._console import EXIT_INVALID, console_for, progress_bar, service_errors


def read_yaml(path: str) -> dict:
    """The configuration file as a dict; CommandError (exit 2) when unreadable, malformed or not a mapping."""
    from ostoja.tenants.config_loader import read_config_file

    with service_errors():
        data = read_config_file(path)
    if not isinstance(data, dict):
        raise CommandError(
            f"Configuration file {path} must hold a mapping (center settings) at the top level.",
            returncode=EXIT_INVALID,
        )
    return data


class Command(BaseCommand):
    help = "Create a center by cloning the template schema: its domain, configuration and first administrator."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="schema and subdomain name, e.g. torun")
        parser.add_argument("--name", required=True, help="official name")
        parser.add_argument("--short-name", help="short name (default: '<kind> <city>')")
        parser.add_argument("--kind", default="MOPR", help="MOPR, MOPS, PCPR, GOPS or OTHER (default MOPR)")
        parser.add_argument("--city", required=True)
        parser.add_argument("--voivodeship", required=True, help="e.g. pomorskie, kujawsko-pomorskie")
        parser.add_argument("--domain", help="host name (default: <slug>.<BASE_DOMAIN>)")
        parser.add_argument("--config", help="YAML file with the center's configuration")
        parser.add_argument("--admin-username", default="admin", help="first administrator (default: admin)")
        parser.add_argument("--admin-email", default="")
        parser.add_argument("--admin-first-name", default="")
        parser.add_argument("--admin-last-name", default="")
        parser.add_argument("--no-admin", action="store_true", help="create no administrator account")
        parser.add_argument(
            "--async",
            dest="run_async",
            action="store_true",
            help="queue the onboarding for a worker and print the job (the administrator gets a set-password link)",
        )
        secret = parser.add_mutually_exclusive_group()
        secret.add_argument(
            "--password-stdin", action="store_true", help="read the administrator's password from stdin"
        )
        secret.add_argument(
            "--set-password-link", action="store_true", help="print a one-time link to set the password instead"
        )

    def handle(self, *args, **opts):
        from ostoja.tenants.onboarding import admin_exists, onboard_center, resolve_slug

        console = console_for(self)
        with service_errors():  # a bad slug is refused before anyone types a password
            opts["slug"] = resolve_slug(opts["slug"], opts["city"])
        config = read_yaml(opts["config"]) if opts["config"] else None
        if opts["run_async"]:
            return self._enqueue(console, opts, config)
        admin = None
        if not opts["no_admin"]:
            admin = {
                "username": opts["admin_username"],
                "email": opts["admin_email"],
                "first_name": opts["admin_first_name"],
                "last_name": opts["admin_last_name"],
            }
            if not admin_exists(opts["slug"], opts["admin_username"]):
                admin["password"] = self._password(opts)

        with service_errors(), progress_bar(console, f"Onboarding {opts['slug']}") as progress:
            result = onboard_center(
                slug=opts["slug"],
                name=opts["name"],
                short_name=opts["short_name"],
                kind=opts["kind"],
                city=opts["city"],
                voivodeship=opts["voivodeship"],
                domain=opts["domain"],
                config=config,
                admin=admin,
                progress=progress,
            )

        center = result.center
        if result.created:
            console.print(f"[green]Center {center.schema_name} created[/green]: {center.name}")
        elif result.changed:
            console.print(f"[yellow]Center {center.schema_name} existed; completed it[/yellow]: {center.name}")
        else:
            console.print(f"Center {center.schema_name} already exists with these parameters; nothing changed.")
        for step in result.steps:
            console.print(f"  • {step}")
        for domain in result.domains:
            console.print(f"  host: {domain}")
        if result.set_password_url:
            console.print(f"  set-password link for {result.admin_user.username}: {result.set_password_url}")

    def _enqueue(self, console, opts, config) -> None:
        from ostoja.platform.jobs.models import JobStatus
        from ostoja.tenants.tasks_onboarding import start_center_onboarding

        if opts["password_stdin"]:
            raise CommandError(
                "--async gives the administrator a set-password link; --password-stdin cannot be used with it.",
                returncode=EXIT_INVALID,
            )
        admin = None
        if not opts["no_admin"]:
            admin = {
                "username": opts["admin_username"],
                "email": opts["admin_email"],
                "first_name": opts["admin_first_name"],
                "last_name": opts["admin_last_name"],
            }
        with service_errors():
            job, started = start_center_onboarding(
                None,
                slug=opts["slug"],
                name=opts["name"],
                short_name=opts["short_name"],
                kind=opts["kind"],
                city=opts["city"],
                voivodeship=opts["voivodeship"],
                domain=opts["domain"],
                config=config,
                admin=admin,
            )
        if started:
            console.print(f"Onboarding of {opts['slug']} queued as job {job.pk}.")
        elif job.status == JobStatus.SUCCEEDED:
            console.print(f"Onboarding of {opts['slug']} already done (job {job.pk}).")
        else:
            console.print(f"Onboarding of {opts['slug']} is already {job.status} (job {job.pk}); nothing queued.")

    def _password(self, opts) -> str | None:
        if opts["set_password_link"]:
            return None
        if opts["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin: stdin held no password.", returncode=EXIT_INVALID)
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                "No terminal to ask for the administrator's password: use --password-stdin or --set-password-link.",
                returncode=EXIT_INVALID,
            )
        first = getpass.getpass(f"Password for {opts['admin_username']}: ")
        second = getpass.getpass("Repeat the password: ")
        if first != second:
            raise CommandError("The two passwords differ; nothing was created.", returncode=EXIT_INVALID)
        if not first:
            raise CommandError("An empty password; nothing was created.", returncode=EXIT_INVALID)
        return first
