"""``ostoja graphql_sdl`` rewrites graphql/staff/schema.graphql and graphql/platform/schema.graphql from the code;
``--check`` only compares and exits 1 when they differ (what the test suite checks too)."""

from django.core.management.base import BaseCommand, CommandError

from ostoja.graphql.core import sdl


class Command(BaseCommand):
    help = "Write (or --check) the committed GraphQL SDL of the staff and platform schemas."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; exit 1 when the SDL is out of date.")

    def handle(self, *args, check=False, **options):
        if check:
            stale = sdl.drifted()
            if stale:
                raise CommandError(
                    f"Out of date: {', '.join(str(sdl.sdl_path(n)) for n in stale)}. Run `ostoja graphql_sdl`.",
                    returncode=1,
                )
            self.stdout.write("GraphQL SDL is up to date.")
            return
        for path in sdl.write():
            self.stdout.write(f"Wrote {path}")
