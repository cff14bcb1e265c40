"""``ostoja bench onboarding [--runs N]``: median time to create a center by cloning the template schema
and by running every migration, and their ratio. ``ostoja bench all`` runs it and then every other
``tests/benchmarks/bench_*.py`` script.

By default it works in a throwaway database (``test_bench_onboarding``), created and migrated with the test
runner's machinery and dropped at the end, so no database in use is touched. ``--in-place`` measures on
the configured database instead (the centers it creates are removed again)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from ostoja.tenants.management.commands._console import EXIT_INVALID, console_for

BENCH_PREFIX = "zbench"
BENCHMARK_DIR = Path(settings.BASE_DIR) / "tests" / "benchmarks"


def _create(schema_name: str) -> float:
    from ostoja.tenants.models import Center

    connection.set_schema_to_public()
    center = Center(
        schema_name=schema_name, name="Benchmark", short_name="Benchmark", city="Benchmark", voivodeship="pomorskie"
    )
    started = time.perf_counter()
    center.save(verbosity=0)
    elapsed = time.perf_counter() - started
    connection.set_schema_to_public()
    center.delete(force_drop=True)
    return elapsed


def measure_onboarding(runs: int) -> dict[str, list[float]]:
    """Seconds per creation, ``runs`` times each way: cloning the template, and migrating an empty schema."""
    from ostoja.tenants.onboarding import template_is_current

    if not template_is_current():
        raise CommandError(
            "The center template is missing or not migrated; run `ostoja migrate` first.", returncode=EXIT_INVALID
        )
    tag = f"{BENCH_PREFIX}{os.getpid()}"
    clone = [_create(f"{tag}c{i}") for i in range(runs)]
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
        migrate = [_create(f"{tag}m{i}") for i in range(runs)]
    return {"clone": clone, "migrate": migrate}


def report_lines(times: dict[str, list[float]]) -> list[str]:
    clone, migrate = statistics.median(times["clone"]), statistics.median(times["migrate"])
    runs = len(times["clone"])
    verdict = "under" if clone < 1 else "OVER"
    return [
        f"Onboarding benchmark, {runs} runs each (median):",
        f"  clone of the template schema : {clone * 1000:8.1f} ms  ({verdict} the 1 s target)",
        f"  running every migration      : {migrate * 1000:8.1f} ms",
        f"  ratio migrate / clone        : {migrate / clone:8.1f} ×",
    ]


class throwaway_database:
    """Create and migrate a test database for the benchmark, drop it afterwards."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = self.name
        self.old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        return self

    def __exit__(self, *exc):
        connection.set_schema_to_public()
        connection.creation.destroy_test_db(self.old_name, verbosity=0)


class Command(BaseCommand):
    help = "Benchmarks: `onboarding` (clone vs migrate), or `all` (onboarding and every tests/benchmarks script)."

    def add_arguments(self, parser):
        parser.add_argument("which", choices=["onboarding", "all"])
        parser.add_argument("--runs", type=int, default=5, help="creations per method (default 5)")
        parser.add_argument("--in-place", action="store_true", help="measure on the configured database")

    def handle(self, *args, **opts):
        console = console_for(self)
        if opts["runs"] < 1:
            raise CommandError("--runs must be at least 1.", returncode=EXIT_INVALID)
        with console.status(f"Creating {opts['runs']} centers by cloning and {opts['runs']} by migrating…"):
            if opts["in_place"]:
                times = measure_onboarding(opts["runs"])
            else:
                with throwaway_database(os.environ.get("OSTOJA_BENCH_DATABASE", "test_bench_onboarding")):
                    times = measure_onboarding(opts["runs"])
        for line in report_lines(times):
            console.print(line)
        if opts["which"] == "all":
            self.run_scripts(console)

    def run_scripts(self, console) -> None:
        failed = []
        for script in sorted(BENCHMARK_DIR.glob("bench_*.py")):
            if script.name == "bench_onboarding.py":
                continue  # just measured
            console.rule(script.name)
            self.stdout.flush()
            if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:  # noqa: S603
                failed.append(script.name)
        if failed:
            raise CommandError(f"Benchmarks failed: {', '.join(failed)}")
