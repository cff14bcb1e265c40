"""The ``ostoja`` command: Django's management commands, with the settings preset (no manage.py,
see DESIGN.md §1). ``ostoja runserver``, ``ostoja onboard …``, ``ostoja demo``, ``ostoja up``."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.platform.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "ostoja"
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except Exception as exc:
        from ostoja.platform.embedded_db import EmbeddedDatabaseError

        if isinstance(exc, EmbeddedDatabaseError):
            sys.stderr.write(f"ostoja: {exc}\n")
            sys.exit(3)
        raise


if __name__ == "__main__":
    main()
