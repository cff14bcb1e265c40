"""Benchmark: staff-schema list requests end to end (HTTP request through the test client, session, GraphQL
validation and limits, services, JSON) — the case list with persons, reasons, district and worker, and foster
children with current placement (family) and next assessment. Target: at most 6 SQL statements per list request
whatever the page size. The partner aggregates have their own script, bench_partners.py.

Run:  .venv/bin/python tests/benchmarks/bench_graphql.py [--persons 10000] [--cases 5000] [--children 1000]

It works in a throwaway database (``TEST_DATABASE_NAME``, default ``test_bench_graphql``) created with the test
runner's machinery and dropped at the end; the data comes from the generators of bench_cases.py and
bench_foster_care.py (two generated centers).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.platform.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "test_bench_graphql")

import django  # noqa: E402

django.setup()

import bench_cases  # noqa: E402  (tests/benchmarks is on sys.path when this script runs)
import bench_foster_care  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

CASES = """query($first: Int!) { cases(first: $first) { totalCount edges { node {
  id status openedOn person { id firstName lastName pesel district { name } }
  reasons { code name } worker { fullName } } } } }"""
CHILDREN = """query($first: Int!) { fosterChildren(first: $first) { totalCount edges { node {
  id status person { firstName lastName dateOfBirth }
  currentPlacement { startOn family { name kind } } nextAssessment { dueOn } } } } }"""


SHOW_SQL = False


def measure(client: Client, label: str, query: str, first: int, runs: int = 7) -> None:
    body = json.dumps({"query": query, "variables": {"first": first}})
    times, rows = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.post("/graphql/", data=body, content_type="application/json")
            times.append(time.perf_counter() - started)
        payload = response.json()
        if payload.get("errors"):
            raise SystemExit(f"{label}: {payload['errors']}")
        (connection_data,) = payload["data"].values()
        rows = len(connection_data["edges"])
    statements = [q for q in ctx.captured_queries if not q["sql"].startswith("SET search_path")]
    print(
        f"{label:<52} first={first:<4} rows={rows:<4} {statistics.median(times) * 1000:8.1f} ms  "
        f"{len(statements):2d} SQL statements per request (+{len(ctx.captured_queries) - len(statements)} SET)"
    )
    if SHOW_SQL:
        for statement in statements:
            print(f"    {statement['sql'][:150]}")


def center_client(schema: str, username: str) -> Client:
    from ostoja.tenants.models import Center, Domain

    center = Center(schema_name=schema, name=f"Benchmark {schema}", short_name=schema, city="Gdańsk", kind="MOPR")
    center.save(verbosity=0)
    host = f"{schema}.{settings.BASE_DOMAIN}"
    Domain.objects.create(domain=host, tenant=center, is_primary=True)
    return Client(HTTP_HOST=host)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--children", type=int, default=1_000)
    parser.add_argument("--show-sql", action="store_true", help="print the statements of each request")
    args = parser.parse_args()
    global SHOW_SQL
    SHOW_SQL = args.show_sql

    old_name = connection.settings_dict["NAME"]
    print(f"Creating the throwaway database {os.environ['TEST_DATABASE_NAME']} …", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        connection.set_schema_to_public()
        cases_client = center_client(bench_cases.SCHEMA, "dyrektor")
        with schema_context(bench_cases.SCHEMA):
            bench_cases.generate(args.persons, args.cases, random.Random(2025))  # noqa: S311 (benchmark data)
            cases_client.force_login(get_user_model().objects.get(username="dyrektor"))
        connection.set_schema_to_public()
        children_client = center_client(bench_foster_care.SCHEMA, "koordynator0")
        with schema_context(bench_foster_care.SCHEMA):
            bench_foster_care.generate(args.children, random.Random(2025))  # noqa: S311
            children_client.force_login(get_user_model().objects.get(username="koordynator0"))
        print(f"Generated {args.persons} persons / {args.cases} cases and {args.children} foster children.\n")
        for first in (10, 100):
            measure(cases_client, "cases + person, district, reasons, worker", CASES, first)
        for first in (10, 100):
            measure(children_client, "foster children + placement, family, next assessment", CHILDREN, first)
    finally:
        connection.set_schema_to_public()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
