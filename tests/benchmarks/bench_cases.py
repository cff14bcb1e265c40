"""Benchmark: the main social-assistance lists for a realistic center (10,000 persons, 5,000 cases) — cases of a
district with persons and reasons, a social worker's cases, overdue interviews and decisions, and the overdue
summary per worker and per district.

Run:  .venv/bin/python tests/benchmarks/bench_cases.py [--persons 10000] [--cases 5000]

It works in a throwaway database (``TEST_DATABASE_NAME``, default ``test_bench_cases``) created with the test
runner's machinery and dropped at the end, so the development database is never touched. The data is generated
with bulk_create; the report shows, per list and size, the wall time and the number of SQL statements
(django-tenants' ``SET search_path`` lines counted apart), which must not grow with the number of rows.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.platform.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "test_bench_cases")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from ostoja.modules.cases import services  # noqa: E402
from ostoja.modules.cases.demo import FEMALE_NAMES, MALE_NAMES, SURNAMES  # noqa: E402
from ostoja.modules.cases.models import (  # noqa: E402
    Application,
    Case,
    CaseReason,
    CaseStatus,
    HelpReason,
    Interview,
    Person,
    Sex,
)
from ostoja.modules.cases.pesel import make_pesel  # noqa: E402
from ostoja.platform.staff.models import Role, StaffProfile  # noqa: E402
from ostoja.tenants.configuration.models import District  # noqa: E402

SCHEMA = "benchcases"
DISTRICTS = 5


def generate(persons: int, cases: int, rng: random.Random) -> None:
    today = date.today()
    User = get_user_model()
    districts = District.objects.bulk_create(
        District(code=f"rejon-{n}", name=f"Rejon {n}", order=n) for n in range(1, DISTRICTS + 1)
    )
    workers = []
    for index, district in enumerate(districts, start=1):
        for k in range(2):
            user = User.objects.create_user(
                username=f"pracownik{index}{k}", first_name="Pracownik", last_name=f"{index}{k}"
            )
            profile = StaffProfile.objects.create(user=user, roles=[Role.SOCIAL_WORKER])
            profile.districts.set([district])
            workers.append(profile)
    StaffProfile.objects.create(user=User.objects.create_user(username="dyrektor"), roles=[Role.DIRECTOR])

    people = []
    for i in range(persons):
        sex = Sex.FEMALE if i % 2 else Sex.MALE
        born = date(1940, 1, 1) + timedelta(days=i % 25000)
        surname = rng.choice(SURNAMES)
        people.append(
            Person(
                first_name=rng.choice(MALE_NAMES if sex == Sex.MALE else FEMALE_NAMES),
                last_name=surname[0] if sex == Sex.MALE else surname[1],
                pesel=make_pesel(born, i // 25000, sex),
                date_of_birth=born,
                sex=sex,
                street="Benchmarkowa",
                building=str(i % 200 + 1),
                city="Gdańsk",
                district=districts[i % DISTRICTS],
                district_status="assigned",
            )
        )
    people = Person.objects.bulk_create(people, batch_size=2000)

    statuses = [CaseStatus.OPEN, CaseStatus.INTERVIEW, CaseStatus.DECISION, CaseStatus.ACTIVE_HELP, CaseStatus.CLOSED]
    case_rows = []
    for i in range(cases):
        index = (i * 2 + i % 2) % len(people)
        person = people[index]
        status = statuses[i % len(statuses)]
        opened = today - timedelta(days=rng.randint(1, 400))
        # Two workers per district (people[index] is in district index % DISTRICTS); every 7th case unassigned.
        worker = workers[2 * (index % DISTRICTS) + i % 2] if i % 7 else None
        case_rows.append(
            Case(
                person=person,
                status=status,
                worker=worker,
                opened_on=opened,
                closed_on=opened + timedelta(days=30) if status == CaseStatus.CLOSED else None,
                closure_reason="goal_achieved" if status == CaseStatus.CLOSED else "",
            )
        )
    case_rows = Case.objects.bulk_create(case_rows, batch_size=2000)

    reasons = list(HelpReason.objects.all())
    CaseReason.objects.bulk_create(
        (
            CaseReason(case=case, reason=reason, noted_on=case.opened_on)
            for case in case_rows
            for reason in rng.sample(reasons, rng.randint(1, 3))
        ),
        batch_size=5000,
    )
    applications = Application.objects.bulk_create(
        (
            Application(
                case=case,
                received_on=case.opened_on,
                urgent=index % 10 == 0,
                decision_due_on=services.add_months(case.opened_on, 1),
                decided_on=None
                if case.status in (CaseStatus.OPEN, CaseStatus.INTERVIEW, CaseStatus.DECISION)
                else case.opened_on + timedelta(days=20),
            )
            for index, case in enumerate(case_rows)
        ),
        batch_size=2000,
    )
    Interview.objects.bulk_create(
        (
            Interview(
                case_id=application.case_id,
                application=application,
                urgent=application.urgent,
                due_on=application.received_on + timedelta(days=20),
                status=Interview.Status.PLANNED
                if case.status in (CaseStatus.OPEN, CaseStatus.INTERVIEW)
                else Interview.Status.CONDUCTED,
                assigned_to=case.worker,
            )
            for application, case in zip(applications, case_rows, strict=True)
        ),
        batch_size=2000,
    )


def measure(label: str, call, runs: int = 5) -> None:
    times = []
    result = None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - started)
    statements = [q for q in ctx.captured_queries if not q["sql"].startswith("SET search_path")]
    rows = (
        len(result)
        if isinstance(result, list)
        else f"{len(result.by_district)} districts/{len(result.by_worker)} workers"
    )
    print(
        f"{label:<58} {statistics.median(times) * 1000:8.1f} ms  {len(statements):3d} SQL statements "
        f"(+{len(ctx.captured_queries) - len(statements)} SET search_path)  rows={rows}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=5_000)
    args = parser.parse_args()

    from ostoja.tenants.models import Center

    old_name = connection.settings_dict["NAME"]
    print(f"Creating the throwaway database {os.environ['TEST_DATABASE_NAME']} …", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        connection.set_schema_to_public()
        Center(schema_name=SCHEMA, name="Benchmark", short_name="Bench", city="Gdańsk", kind="MOPR").save(verbosity=0)
        with schema_context(SCHEMA):
            started = time.perf_counter()
            generate(args.persons, args.cases, random.Random(2025))  # noqa: S311 (benchmark data)
            print(
                f"Generated {Person.objects.count()} persons, {Case.objects.count()} cases, "
                f"{CaseReason.objects.count()} case reasons, {Interview.objects.count()} interviews "
                f"in {time.perf_counter() - started:.1f} s\n"
            )
            director = get_user_model().objects.get(username="dyrektor")
            worker = get_user_model().objects.get(username="pracownik10")
            district = District.objects.get(code="rejon-1")
            for user in (director, worker):  # warm the staff-profile caches
                services.list_cases(user, limit=1)
            for size in (10, 100, 500):
                measure(
                    f"cases of a district + person + reasons, {size} rows",
                    lambda size=size: services.list_cases(director, district_id=district.pk, limit=size),
                )
            for size in (10, 500):
                measure(
                    f"a social worker's districts' cases, {size} rows",
                    lambda size=size: services.list_cases(worker, limit=size),
                )
            measure("overdue interviews (director, all districts)", lambda: services.overdue_interviews(director))
            measure("overdue interviews (social worker)", lambda: services.overdue_interviews(worker))
            measure("overdue decisions (director)", lambda: services.overdue_decisions(director))
            measure("overdue per district and per worker", lambda: services.overdue_summary(director))
    finally:
        connection.set_schema_to_public()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
