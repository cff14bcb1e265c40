"""Benchmark: building exports for a generated center (bench_cases.py's generator: 10,000 persons by default) — the
half-year MRPiPS-03-like table (families and persons by reason and by form of help) and the case list as XLSX (as
the director: every case; as a social worker: their district). Each build is what the ``exports.build`` task does
(services.build): rows through the scoped selectors, the file written and stored (a temporary local folder here).

Run:  .venv/bin/python tests/benchmarks/bench_exports.py [--persons 10000] [--cases 10000] [--runs 3]

It works in a throwaway database (``TEST_DATABASE_NAME``, default ``test_bench_exports``) created with the test
runner's machinery and dropped at the end. Grants (a decision with a form of help) are added to every case in
active help, so the form-of-help section has numbers.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.platform.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "test_bench_exports")

import django  # noqa: E402

django.setup()

import bench_cases  # noqa: E402  (tests/benchmarks is on sys.path when this script runs)
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402


def add_grants(rng: random.Random) -> int:
    from ostoja.modules.cases.models import Case, CaseStatus, Decision, FormOfHelp

    forms = list(FormOfHelp.objects.all())
    decisions = [
        Decision(
            case=case,
            kind="grant",
            form=rng.choice(forms),
            amount=Decimal(rng.randint(100, 1500)),
            period_start=case.opened_on,
            issued_on=case.opened_on,
        )
        for case in Case.objects.filter(status=CaseStatus.ACTIVE_HELP).only("id", "opened_on")
    ]
    Decision.objects.bulk_create(decisions, batch_size=2000)
    return len(decisions)


def last_half_year(today: date) -> tuple[int, int]:
    return (today.year, 1) if today.month > 6 else (today.year - 1, 2)


def measure(label: str, user, kind: str, fmt: str, filters: dict, runs: int) -> None:
    from ostoja.platform.exports import services
    from ostoja.platform.exports.models import Export, ExportStatus

    times, statements = [], 0
    for _ in range(runs):
        export = Export.objects.create(kind=kind, format=fmt, filters=filters, requested_by=user, language="pl")
        export.key = f"centers/{connection.schema_name}/exports/{export.uuid.hex}.{fmt}"
        export.save(update_fields=["key"])
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            services.build(export.pk)
            times.append(time.perf_counter() - started)
        statements = len([q for q in ctx.captured_queries if not q["sql"].startswith("SET search_path")])
        export.refresh_from_db()
        if export.status != ExportStatus.READY:
            raise SystemExit(f"{label}: {export.status} {export.error}")
    print(
        f"{label:<46} {fmt:<4} rows={export.row_count:<6} {export.size / 1024:8.1f} KiB "
        f"{statistics.median(times) * 1000:9.1f} ms (median of {runs})  {statements} SQL statements"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from ostoja.tenants.models import Center

    old_name = connection.settings_dict["NAME"]
    print(f"Creating the throwaway database {os.environ['TEST_DATABASE_NAME']} …", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    media = tempfile.TemporaryDirectory(prefix="bench-exports-")
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    try:
        with override_settings(MEDIA_ROOT=media.name, STORAGES={**django.conf.settings.STORAGES, **storages}):
            connection.set_schema_to_public()
            schema = bench_cases.SCHEMA
            Center(schema_name=schema, name="Benchmark", short_name=schema, city="Gdańsk", kind="MOPR").save(
                verbosity=0
            )
            with schema_context(schema):
                rng = random.Random(2025)  # noqa: S311 (benchmark data)
                started = time.perf_counter()
                bench_cases.generate(args.persons, args.cases, rng)
                grants = add_grants(rng)
                print(
                    f"Generated {args.persons} persons, {args.cases} cases, {grants} grants "
                    f"in {time.perf_counter() - started:.1f} s.\n"
                )
                users = get_user_model().objects
                director, worker = users.get(username="dyrektor"), users.get(username="pracownik10")
                year, half = last_half_year(date.today())
                half_year = {"year": year, "half": half}
                measure(f"MRPiPS-03 {year}-H{half}", director, "mrpips", "xlsx", half_year, args.runs)
                measure(f"MRPiPS-03 {year}-H{half}", director, "mrpips", "pdf", half_year, args.runs)
                measure("case list (director: every district)", director, "cases", "xlsx", {}, args.runs)
                measure("case list (director: every district)", director, "cases", "csv", {}, args.runs)
                measure("case list (social worker: one district)", worker, "cases", "xlsx", {}, args.runs)
    finally:
        media.cleanup()
        connection.set_schema_to_public()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
