"""``ostoja offboard <slug>``: suspend a center (its hosts answer 503), ``--reactivate`` to undo,
``--delete --yes`` to drop a suspended center's schema, domains and row for good."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ostoja.tenants.management.commands._console import EXIT_INVALID, console_for, service_errors


class Command(BaseCommand):
    help = "Deactivate a center (reversible with --reactivate); --delete --yes drops a deactivated center."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--reactivate", action="store_true", help="undo a deactivation")
        action.add_argument("--delete", action="store_true", help="drop the schema of a deactivated center")
        parser.add_argument("--yes", action="store_true", help="confirm --delete")

    def handle(self, *args, **opts):
        from ostoja.tenants.onboarding import deactivate_center, delete_center, reactivate_center

        console = console_for(self)
        slug = opts["slug"]
        if opts["yes"] and not opts["delete"]:
            raise CommandError("--yes only confirms --delete.", returncode=EXIT_INVALID)
        with service_errors():
            if opts["delete"]:
                if not opts["yes"]:
                    raise CommandError(
                        f"--delete drops every record of {slug} for good; add --yes to confirm.",
                        returncode=EXIT_INVALID,
                    )
                delete_center(None, slug, confirm=True)
                console.print(f"[red]Center {slug} deleted[/red]: its schema, domains and registry row are gone.")
            elif opts["reactivate"]:
                if reactivate_center(None, slug):
                    console.print(f"[green]Center {slug} reactivated[/green]: its hosts serve it again.")
                else:
                    console.print(f"Center {slug} is already active; nothing changed.")
            elif deactivate_center(None, slug):
                console.print(
                    f"[yellow]Center {slug} deactivated[/yellow]: its hosts answer 503 “service suspended”. "
                    f"Undo with `ostoja offboard {slug} --reactivate`; drop it with `--delete --yes`."
                )
            else:
                console.print(f"Center {slug} is already deactivated; nothing changed.")
