"""Benchmark: "children with current placement and next assessment" (paginated) and "overdue assessments" for a
center with 1,000 children in foster care (Gdańsk has 929, seed 004).

Run:  .venv/bin/python tests/benchmarks/bench_foster_care.py [--children 1000] [--per-page 50]

It works in a throwaway database (``TEST_DATABASE_NAME``, default ``test_bench_foster_care``) created with
the test runner's machinery and dropped at the end, so the development database is never touched. The data is
generated with bulk_create; the report shows, per page, the wall time and the number of SQL statements
(django-tenants' ``SET search_path`` lines counted apart), which must not grow with the page or its size.
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
os.environ.setdefault("TEST_DATABASE_NAME", "test_bench_foster_care")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from ostoja.modules.cases.models import Person, Sex  # noqa: E402
from ostoja.modules.cases.pesel import make_pesel  # noqa: E402
from ostoja.modules.foster_care import services  # noqa: E402
from ostoja.modules.foster_care.demo import FEMALE_NAMES, MALE_NAMES, SURNAMES  # noqa: E402
from ostoja.modules.foster_care.models import (  # noqa: E402
    Assessment,
    FamilyKind,
    FamilyMember,
    FosterCareSettings,
    FosterChild,
    FosterFamily,
    Placement,
    Relation,
)
from ostoja.platform.staff.models import Role, StaffProfile  # noqa: E402

SCHEMA = "benchfc"


def generate(children: int, rng: random.Random) -> None:
    today = date.today()
    settings_row = FosterCareSettings.load()
    kinds = [FamilyKind.PROFESSIONAL, FamilyKind.NON_PROFESSIONAL, FamilyKind.RELATED, FamilyKind.FAMILY_HOME]
    coordinators = []
    for index in range(children // 40 + 1):
        user = get_user_model().objects.create_user(username=f"koordynator{index}")
        coordinators.append(StaffProfile.objects.create(user=user, roles=[Role.FOSTER_CARE_COORDINATOR]))

    serial = iter(range(10**6))

    def new_person(born: date, sex: str) -> Person:
        surname = rng.choice(SURNAMES)
        return Person(
            first_name=rng.choice(MALE_NAMES if sex == Sex.MALE else FEMALE_NAMES),
            last_name=surname[0] if sex == Sex.MALE else surname[1],
            pesel=make_pesel(born, next(serial), sex),
            date_of_birth=born,
            sex=sex,
            city="Gdańsk",
        )

    # Families: 2.5 children per family on average; no coordinator over 15 families.
    family_count = max(1, children * 2 // 5)
    families = FosterFamily.objects.bulk_create(
        FosterFamily(
            name=f"Rodzina {index}",
            kind=kinds[index % len(kinds)],
            coordinator=coordinators[index % len(coordinators)],
            city="Gdańsk",
            first_placement_on=today - timedelta(days=rng.randint(200, 2000)),
        )
        for index in range(family_count)
    )
    adults = Person.objects.bulk_create(
        new_person(today - timedelta(days=rng.randint(30 * 365, 60 * 365)), Sex.FEMALE) for _ in families
    )
    FamilyMember.objects.bulk_create(
        FamilyMember(
            family=family,
            person=adult,
            relation=Relation.GRANDPARENT if family.kind == FamilyKind.RELATED else Relation.NOT_RELATED,
        )
        for family, adult in zip(families, adults, strict=True)
    )
    kids = Person.objects.bulk_create(
        new_person(today - timedelta(days=rng.randint(100, 17 * 365)), rng.choice([Sex.FEMALE, Sex.MALE]))
        for _ in range(children)
    )
    foster_children = FosterChild.objects.bulk_create(FosterChild(person=person) for person in kids)

    placements, assessments = [], []
    for index, (child, person) in enumerate(zip(foster_children, kids, strict=True)):
        family = families[index % family_count]
        start = max(person.date_of_birth, today - timedelta(days=rng.randint(30, 1500)))
        if index % 3 == 0:  # an earlier, ended placement in another family
            earlier = start - timedelta(days=200)
            if earlier > person.date_of_birth:
                placements.append(
                    Placement(
                        child=child,
                        family=families[(index + 1) % family_count],
                        start_on=earlier,
                        end_on=start,
                        end_reason=Placement.EndReason.OTHER_FAMILY,
                        court_order_reference=f"III Nsm {index}/A",
                        reason="Przeniesienie.",
                    )
                )
        placements.append(
            Placement(
                child=child,
                family=family,
                start_on=start,
                court_order_reference=f"III Nsm {index}/B",
                reason="Bezradność opiekuńczo-wychowawcza.",
            )
        )
        # Assessments done on time, except for about one child in ten whose last one is now overdue.
        counted_from, done, behind = start, 0, rng.random() < 0.1
        while True:
            due = services.child_assessment_due(settings_row, person.date_of_birth, counted_from)
            if due >= today or (behind and done):
                break
            done += 1
            assessments.append(
                Assessment(
                    subject="child",
                    child=child,
                    sequence=done,
                    counted_from=counted_from,
                    due_on=due,
                    status="done",
                    performed_on=due,
                    result="positive",
                )
            )
            counted_from = due
        assessments.append(
            Assessment(
                subject="child",
                child=child,
                sequence=done + 1,
                counted_from=counted_from,
                due_on=services.child_assessment_due(settings_row, person.date_of_birth, counted_from),
            )
        )
    for family in families:
        assessments.append(
            Assessment(
                subject="family",
                family=family,
                counted_from=family.first_placement_on,
                due_on=services.family_assessment_due(settings_row, 1, family.first_placement_on),
            )
        )
    Placement.objects.bulk_create(placements, batch_size=1000)
    Assessment.objects.bulk_create(assessments, batch_size=1000)


def measure(label: str, call, repeat: int = 5) -> None:
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - started)
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("SET search_path")]
    print(
        f"{label:<52} {statistics.median(times) * 1000:8.1f} ms  {len(statements):3d} SQL statements "
        f"(+{len(ctx.captured_queries) - len(statements)} SET search_path)  rows={len(result.items)} of {result.total}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--per-page", type=int, default=50)
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
            generate(args.children, random.Random(929))  # noqa: S311 (benchmark data)
            print(
                f"Generated {FosterChild.objects.count()} children, {FosterFamily.objects.count()} families, "
                f"{Placement.objects.count()} placements, {Assessment.objects.count()} assessments "
                f"in {time.perf_counter() - started:.1f} s\n"
            )
            user = get_user_model().objects.get(username="koordynator0")
            services.list_children(user, per_page=1)  # warm the staff-profile cache of this user
            total_pages = services.list_children(user, per_page=args.per_page).pages
            for page in sorted({1, total_pages // 2, total_pages}):
                measure(
                    f"children + current placement + next assessment, p.{page}",
                    lambda page=page: services.list_children(user, page=page, per_page=args.per_page),
                )
            measure(
                "children …, one page of 200",
                lambda: services.list_children(user, page=1, per_page=200),
            )
            for page in (1, 3):
                measure(
                    f"overdue assessments, p.{page}",
                    lambda page=page: services.list_overdue_assessments(user, page=page, per_page=args.per_page),
                )
    finally:
        connection.set_schema_to_public()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
