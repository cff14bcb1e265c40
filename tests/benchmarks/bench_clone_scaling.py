"""Benchmark: the time to clone the template schema into a new center as centers accumulate, on one connection.

Run:  .venv/bin/python tests/benchmarks/bench_clone_scaling.py [--at 1,10,25,50] [--probes 2] [--stock]

It works in a throwaway database (``TEST_DATABASE_NAME``, default ``test_clonebench``) created with the test runner's
machinery and dropped at the end, so the development database is never touched. On one database connection -- as
``ostoja demo``, the partners' benchmark or a batch onboarding script do -- it clones the template over and over with
the calls ``create_center_schema`` makes (``template_is_current``, the clone, ``align_constraint_names``) and prints
each clone's time. When the number of existing clones reaches a checkpoint of ``--at`` it measures ``--probes``
clones on that connection, then ``--probes`` clones on a new connection.

``--stock`` clones with django-tenants' ``CloneSchema.clone_schema`` (what onboarding did before), which drops and
re-creates the ``clone_schema()`` SQL function before every clone: on one connection each clone is then slower than
the previous one, and a new connection is fast again. The default is ``tenants.onboarding.clone_template``, which
installs the function once. The state of pg_class (dead rows, changes since the last analyze, last vacuum) is
printed with every clone: autovacuum's analyze, at most once a minute, changes the catalog queries' plans too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.platform.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "test_clonebench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django_tenants.clone import CloneSchema  # noqa: E402

from ostoja.tenants.onboarding import align_constraint_names, clone_template, template_is_current  # noqa: E402

STOCK = False


def clone(schema: str) -> dict[str, float]:
    """One clone, as create_center_schema does it; seconds per step."""
    template = settings.TENANT_BASE_SCHEMA
    times = {}
    started = time.perf_counter()
    assert template_is_current(template)
    times["current"] = time.perf_counter() - started
    started = time.perf_counter()
    if STOCK:
        CloneSchema().clone_schema(template, schema, "DATA")
    else:
        clone_template(template, schema, "DATA")
    times["clone"] = time.perf_counter() - started
    started = time.perf_counter()
    align_constraint_names(template, schema)
    times["align"] = time.perf_counter() - started
    connection.set_schema_to_public()
    times["total"] = sum(times.values())
    return times


def catalog_state() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_dead_tup, n_mod_since_analyze, coalesce(to_char(greatest(last_autovacuum, last_vacuum), "
            "'HH24:MI:SS'), '—') FROM pg_stat_sys_tables WHERE relname = 'pg_class'"
        )
        dead, modified, vacuumed = cursor.fetchone()
    return f"pg_class: {dead} dead rows, {modified} changes since analyze, last vacuum {vacuumed}"


def line(label: str, times: dict[str, float]) -> str:
    return (
        f"{label:>22}: {times['total']:6.2f} s  (template check {times['current'] * 1000:4.0f} ms, "
        f"clone_schema {times['clone']:6.2f} s, constraint names {times['align'] * 1000:4.0f} ms)  {catalog_state()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", default="1,10,25,50", help="numbers of existing clones to measure at")
    parser.add_argument("--probes", type=int, default=2, help="clones measured per checkpoint and state")
    parser.add_argument("--stock", action="store_true", help="clone with CloneSchema.clone_schema (before the fix)")
    args = parser.parse_args()
    global STOCK
    STOCK = args.stock
    checkpoints = sorted({int(n) for n in args.at.split(",")})

    old_name = connection.settings_dict["NAME"]
    print(f"Creating the throwaway database {os.environ['TEST_DATABASE_NAME']} …", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    started = time.perf_counter()
    results: dict[int, dict[str, list[float]]] = {}
    try:
        connection.set_schema_to_public()
        existing = 0
        for checkpoint in checkpoints:
            while existing < checkpoint:
                print(line(f"clone #{existing + 1}", clone(f"clonebench{existing:03d}")), flush=True)
                existing += 1
            result = results[checkpoint] = {"same connection": [], "new connection": []}
            for state in result:
                if state == "new connection":
                    connection.close()
                for _ in range(args.probes):
                    times = clone(f"clonebench{existing:03d}")
                    existing += 1
                    result[state].append(times["total"])
                    print(line(f"{state}, {checkpoint} existing", times), flush=True)
    finally:
        connection.set_schema_to_public()
        print("Dropping the throwaway database (and every schema in it) …", flush=True)
        connection.creation.destroy_test_db(old_name, verbosity=0)

    how = "CloneSchema.clone_schema (stock)" if STOCK else "onboarding.clone_template"
    print(f"\n{how}: per-clone time, median of {args.probes}; {time.perf_counter() - started:.0f} s in all")
    print(f"{'existing centers':>18} {'same connection':>16} {'new connection':>15}")
    for checkpoint, result in results.items():
        print(
            f"{checkpoint:>18} {statistics.median(result['same connection']):15.2f}s "
            f"{statistics.median(result['new connection']):14.2f}s"
        )


if __name__ == "__main__":
    sys.exit(main())
