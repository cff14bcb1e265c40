"""Benchmark: the regional partners' aggregate figures (``partnerStatistics``, every figure) over the 3 demo centers
and over 100 generated centers. Target: under 300 ms over 100 centers, one SQL statement per figure.

Run:  .venv/bin/python tests/benchmarks/bench_partners.py [--centers 100] [--runs 7] [--no-demo] [--copy-tables]

The period is the last completed year. Over the generated centers it measures the live figures, then computes the
window's snapshots (tenants/snapshots.py), prepares the suppressed tables as the nightly task does, and measures
the same requests read from them: the first request of a process and the following ones.

It works in a throwaway database (``TEST_DATABASE_NAME``, default ``test_bench_partners``) created with the test
runner's machinery and dropped at the end (with every schema in it), so the development database is never touched.
The demo centers are seeded with ``ostoja demo``'s own seeder; the generated centers are clones of the template
schema (tenants/onboarding.py) filled with a little data each by bulk_create. Each measurement is a full GraphQL
request on the platform host (session, permission check, figures, suppression, JSON) and, apart, the figures
alone; the report shows the median wall time and the SQL statements (``SET search_path`` counted apart).

Cloning slows down as schemas accumulate (django-tenants' clone_schema reads the whole catalog: about 0.6 s per
center for the first ten, over 20 s per center past 80 — 100 centers took 20 minutes on the 2-core dev machine).
``--copy-tables`` builds the generated centers in seconds instead: each gets a copy (``CREATE TABLE … (LIKE …
INCLUDING ALL)``, indexes included, no foreign keys) of only the tables the figures read, plus the reference data.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics as stats
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.platform.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "test_bench_partners")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402
from psycopg import sql  # noqa: E402

from ostoja.modules.cases.models import (  # noqa: E402
    Case,
    CaseReason,
    Decision,
    FormOfHelp,
    HelpReason,
    Household,
    HouseholdMember,
    Person,
)
from ostoja.modules.foster_care.models import FamilyKind, FosterChild, FosterFamily, Placement  # noqa: E402
from ostoja.modules.projects.models import Achievement, Participant, Project, Target  # noqa: E402
from ostoja.platform.accounts import services as accounts  # noqa: E402
from ostoja.tenants.models import Center, PlatformRole  # noqa: E402
from ostoja.tenants.snapshots import compute_snapshots, prepare_published_tables  # noqa: E402
from ostoja.tenants.statistics import Statistics, last_completed_windows, statistics_scope  # noqa: E402

SELECTIONS = {
    "byReason": "byReason { families { ...t } persons { ...t } }",
    "byFormOfHelp": "byFormOfHelp { families { ...t } persons { ...t } }",
    "decisionsByMonth": (
        "decisionsByMonth { decisions { ...t } amounts { columns { key } rows { cells { value suppressed } } } }"
    ),
    "childrenByFamilyKind": "childrenByFamilyKind { ...t }",
    "projectTargets": (
        "projectTargets { targets { grandTotal { value } } achieved { rows { cells { value suppressed } } } }"
    ),
}
FRAGMENT = """
fragment t on CountTable {
  columns { key label }
  rows { center { shortName } cells { value suppressed reason } total { value suppressed } }
  totals { value suppressed } grandTotal { value suppressed }
}
"""


def query(*selections: str) -> str:
    fragment = FRAGMENT if any("...t" in s for s in selections) else ""
    return (
        "query($period: PeriodInput, $centers: [String!]) {\n"
        "  partnerStatistics(period: $period, centers: $centers) {\n    source\n    "
        + "\n    ".join(selections)
        + "\n  }\n}\n"
        + fragment
    )


QUERY = query(*SELECTIONS.values())

TABLES = (
    Person,
    Household,
    HouseholdMember,
    HelpReason,
    FormOfHelp,
    Case,
    CaseReason,
    Decision,
    FosterFamily,
    FosterChild,
    Placement,
    Project,
    Target,
    Participant,
    Achievement,
)

FIGURES = ("by_reason", "by_form_of_help", "decisions_by_month", "children_by_family_kind", "project_targets")


def generate(rng: random.Random, today: date) -> None:
    """A small center: 60 cases (a third with households of 3), 30 grants, 8 children in care, one project."""
    reasons = list(HelpReason.objects.all())
    forms = list(FormOfHelp.objects.filter(schedule__in=["monthly", "once"]))
    people = Person.objects.bulk_create(
        Person(
            first_name="Osoba",
            last_name=f"Generowana{i}",
            date_of_birth=date(1950, 1, 1) + timedelta(days=i * 97),
            sex="F" if i % 2 else "M",
        )
        for i in range(120)
    )
    heads, others = people[:60], people[60:]
    households = Household.objects.bulk_create(Household(head=heads[i]) for i in range(0, 60, 3))
    HouseholdMember.objects.bulk_create(
        [HouseholdMember(household=h, person=h.head, relation="head") for h in households]
        + [
            HouseholdMember(household=h, person=others[2 * k + j], relation="child")
            for k, h in enumerate(households)
            for j in range(2)
        ]
    )
    by_head = {h.head_id: h for h in households}
    cases = Case.objects.bulk_create(
        Case(
            person=p,
            household=by_head.get(p.pk),
            opened_on=today - timedelta(days=rng.randint(10, 700)),
            status="active_help",
        )
        for p in heads
    )
    CaseReason.objects.bulk_create(
        CaseReason(case=c, reason=r, noted_on=c.opened_on) for c in cases for r in rng.sample(reasons, 2)
    )
    Decision.objects.bulk_create(
        Decision(
            case=c,
            kind="grant",
            form=rng.choice(forms),
            amount=Decimal(rng.randint(100, 900)),
            period_start=c.opened_on,
            period_end=c.opened_on + timedelta(days=180),
            issued_on=c.opened_on,
        )
        for c in cases[:30]
    )
    families = FosterFamily.objects.bulk_create(
        FosterFamily(name=f"Rodzina {k}", kind=kind) for k, kind in enumerate(list(FamilyKind.values)[:3])
    )
    kids = FosterChild.objects.bulk_create(FosterChild(person=p) for p in others[40:48])
    Placement.objects.bulk_create(
        Placement(
            child=kid,
            family=families[k % 3],
            start_on=today - timedelta(days=300),
            court_order_reference="III Nsm 1/25",
            reason="bench",
        )
        for k, kid in enumerate(kids)
    )
    project = Project.objects.create(
        code="bench", title_pl="Projekt", center_role="lead", status="running", start_date=today - timedelta(days=365)
    )
    Target.objects.create(
        project=project, code="osoby", name_pl="Osoby", unit="persons", target_value=30, measure="participants"
    )
    Participant.objects.bulk_create(
        Participant(
            project=project,
            person=p,
            enrolled_on=today - timedelta(days=100),
            sex=p.sex,
            age_at_enrolment=40,
            labour_market_status="employed",
        )
        for p in others[:15]
    )


def copy_tables(slug: str) -> None:
    """A schema with copies of the template's tables the figures read, and its reference data (see --copy-tables)."""
    template = settings.TENANT_BASE_SCHEMA
    with connection.cursor() as raw:

        class cursor:  # noqa: N801 (Django's debug cursor wants text, not psycopg's Composed)
            execute = staticmethod(lambda statement: raw.execute(statement.as_string(connection.connection)))

        cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(slug)))
        for model in TABLES:
            table = model._meta.db_table
            cursor.execute(
                sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL)").format(
                    sql.Identifier(slug, table), sql.Identifier(template, table)
                )
            )
        for model in (HelpReason, FormOfHelp):
            table = model._meta.db_table
            cursor.execute(
                sql.SQL("INSERT INTO {} SELECT * FROM {}").format(
                    sql.Identifier(slug, table), sql.Identifier(template, table)
                )
            )


def measure(label: str, call, runs: int) -> float:
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
    statements = [q for q in ctx.captured_queries if not q["sql"].startswith("SET search_path")]
    median = stats.median(times) * 1000
    print(
        f"{label:<62} {median:8.1f} ms  {len(statements):3d} SQL statements "
        f"(+{len(ctx.captured_queries) - len(statements)} SET search_path)",
        flush=True,
    )
    return median


def bench(label: str, user, centers: list[str] | None, window, runs: int, *, source: str = "LIVE") -> float:
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    client.force_login(user)
    period = {"period": {"kind": window.kind.upper(), "year": window.year, "number": window.number}}

    def request(document=QUERY):
        body = json.dumps({"query": document, "variables": {**period, "centers": centers}})
        response = client.post("/graphql/", data=body, content_type="application/json")
        data = response.json()
        assert response.status_code == 200 and not data.get("errors"), data
        assert data["data"]["partnerStatistics"]["source"] == source, data["data"]["partnerStatistics"]["source"]
        return data

    if source == "SNAPSHOT":
        cache.clear()
        measure(f"{label}: first request of a process (tables from the shared cache)", request, 1)
    request()  # warm up
    scope = statistics_scope(user, centers).centers
    if source == "LIVE":
        measure(
            f"{label}: figures only ({len(scope)} centers)",
            lambda: [getattr(Statistics(scope, window.date_from, window.date_to), f) for f in FIGURES],
            runs,
        )
    for name, selection in SELECTIONS.items():
        measure(f"{label}: {name} alone", lambda selection=selection: request(query(selection)), runs)
    return measure(f"{label}: GraphQL request, every figure ({len(scope)} centers)", request, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--centers", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-demo", action="store_true", help="skip the demo centers (seeding takes a while)")
    parser.add_argument(
        "--copy-tables", action="store_true", help="copy the figures' tables instead of cloning whole schemas (fast)"
    )
    args = parser.parse_args()

    old_name = connection.settings_dict["NAME"]
    print(f"Creating the throwaway database {os.environ['TEST_DATABASE_NAME']} …", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    today = date.today()
    window = last_completed_windows(today)[3]  # the last completed year: twelve month columns
    results = {}
    try:
        connection.set_schema_to_public()
        operator = accounts.create_platform_account(
            None, username="bench-operator", email="o@example.org", role="operator"
        )
        if not args.no_demo:
            from ostoja.tenants.management.commands.demo import seed_demo

            started = time.perf_counter()
            seed_demo()
            connection.set_schema_to_public()
            print(f"Seeded the demo centers in {time.perf_counter() - started:.1f} s\n", flush=True)
            from django.contrib.auth import get_user_model

            demo_partner = get_user_model().objects.get(username="partner")
            bench("3 demo centers, operator", operator, ["torun", "slupsk", "gdansk"], window, args.runs)
            bench("demo partnership (2 centers), partner", demo_partner, None, window, args.runs)

        started = time.perf_counter()
        slugs = []
        rng = random.Random(2026)  # noqa: S311 (benchmark data)
        for n in range(args.centers):
            slug = f"bench{n:03d}"
            center = Center(schema_name=slug, name=f"Ośrodek {n}", short_name=f"Ośrodek {n:03d}", city="Gdańsk")
            if args.copy_tables:
                center.auto_create_schema = False
                copy_tables(slug)
            center.save(verbosity=0)
            with schema_context(slug):
                generate(rng, today)
            slugs.append(slug)
        connection.set_schema_to_public()
        how = "Copied tables for" if args.copy_tables else "Cloned"
        print(f"\n{how} and filled {len(slugs)} centers in {time.perf_counter() - started:.1f} s\n", flush=True)
        partnership = accounts.create_partnership(None, name="Benchmark", centers=slugs)
        partner = accounts.create_platform_account(
            None, username="bench-partner", email="p@example.org", role=PlatformRole.PARTNER, partnership=partnership
        )
        label = f"{len(slugs)} generated centers, partner"
        results["live"] = bench(f"{label}, live", partner, None, window, args.runs)
        started = time.perf_counter()
        stored = compute_snapshots(window)
        computed = time.perf_counter()
        prepared = prepare_published_tables(window)
        print(
            f"\nSnapshots of {window} for every active center: {stored} rows in "
            f"{(computed - started) * 1000:.0f} ms; {prepared} center sets' tables suppressed and stored in the "
            f"shared cache in {(time.perf_counter() - computed) * 1000:.0f} ms (the nightly task does both)\n",
            flush=True,
        )
        results["snapshot"] = bench(f"{label}, snapshot", partner, None, window, args.runs, source="SNAPSHOT")
        for source, median in results.items():
            print(
                f"\nTarget: under 300 ms over {len(slugs)} centers ({source}) — "
                f"{'met' if median < 300 else 'NOT met'} ({median:.0f} ms)"
            )
    finally:
        connection.set_schema_to_public()
        print("Dropping the throwaway database (and every schema in it) …", flush=True)
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
