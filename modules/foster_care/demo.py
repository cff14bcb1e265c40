"""Demo foster-care data for a center: families of every kind with members, children with placements,
assessments, meetings with parents, money, one young person leaving care, candidates in recruitment and one
irregularity report. Fake people with valid PESEL numbers. Called by ``ostoja demo`` inside the center's
schema after the cases seeder; running it again changes nothing."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ostoja.modules.cases.models import Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.modules.foster_care import services
from ostoja.modules.foster_care.models import (
    Assessment,
    Candidate,
    FamilyKind,
    FosterFamily,
    ReintegrationGoal,
    Relation,
)
from ostoja.modules.foster_care.services import SYSTEM
from ostoja.platform.staff.models import Role, StaffProfile

DEMO_MARKER = "[demo]"  # in every demo family's notes: its presence means the center is seeded

FEMALE_NAMES = ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Zofia", "Julia", "Maja", "Lena", "Hanna"]
MALE_NAMES = ["Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Jakub", "Antoni", "Szymon", "Filip"]
SURNAMES = [  # (male, female)
    ("Kowalski", "Kowalska"),
    ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"),
    ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"),
    ("Kwiatkowski", "Kwiatkowska"),
    ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"),
]
STREETS = ["Długa", "Polna", "Leśna", "Słoneczna", "Krótka", "Szkolna", "Ogrodowa", "Lipowa", "Kwiatowa", "Brzozowa"]

# kind: (number of families, children per family)
FAMILY_PLAN = {
    FamilyKind.RELATED: (2, [1, 2]),
    FamilyKind.NON_PROFESSIONAL: (2, [2, 1]),
    FamilyKind.PROFESSIONAL: (2, [3, 2]),
    FamilyKind.EMERGENCY: (2, [2, 1]),
    FamilyKind.SPECIALIST: (2, [1, 1]),
    FamilyKind.FAMILY_HOME: (2, [6, 4]),
}
KIND_NAME = {
    FamilyKind.RELATED: "Rodzina zastępcza spokrewniona",
    FamilyKind.NON_PROFESSIONAL: "Rodzina zastępcza niezawodowa",
    FamilyKind.PROFESSIONAL: "Rodzina zastępcza zawodowa",
    FamilyKind.EMERGENCY: "Pogotowie rodzinne",
    FamilyKind.SPECIALIST: "Rodzina zastępcza zawodowa specjalistyczna",
    FamilyKind.FAMILY_HOME: "Rodzinny dom dziecka",
}


class _People:
    def __init__(self, rng: random.Random, city: str):
        self.rng = rng
        self.city = city
        self.serial = 900

    def create(self, *, born: date, sex: str, surname: tuple[str, str] | None = None, first_name: str = "") -> Person:
        surname = surname or self.rng.choice(SURNAMES)
        first_name = first_name or self.rng.choice(MALE_NAMES if sex == Sex.MALE else FEMALE_NAMES)
        while True:
            number = make_pesel(born, self.serial, sex)
            self.serial += 1
            if not Person.objects.filter(pesel=number).exists():
                break
        return Person.objects.create(
            first_name=first_name,
            last_name=surname[0] if sex == Sex.MALE else surname[1],
            pesel=number,
            date_of_birth=born,
            sex=sex,
            city=self.city,
        )

    def born(self, today: date, min_age: int, max_age: int) -> date:
        return today - timedelta(days=self.rng.randint(min_age * 365 + 1, max_age * 365 + 300))


def seed(center) -> dict:
    """Seed the current schema (the center's). Returns counts; an already seeded center gets zeros."""
    if FosterFamily.objects.filter(notes__contains=DEMO_MARKER).exists():
        return {"families": 0, "children": 0}
    with transaction.atomic():
        return _seed(center)


def _seed(center) -> dict:
    rng = random.Random(f"foster-care-{center.schema_name}")  # noqa: S311 (demo data, not security)
    today = timezone.localdate()
    city = getattr(center, "city", "") or "Gdańsk"
    people = _People(rng, city)
    coordinators = list(StaffProfile.objects.filter(roles__contains=[Role.FOSTER_CARE_COORDINATOR]).order_by("pk")[:5])
    services.FosterCareSettings.load()

    families, children, placements = [], [], []
    for kind, (count, children_per_family) in FAMILY_PLAN.items():
        for index in range(count):
            surname = rng.choice(SURNAMES)
            relation = Relation.GRANDPARENT if kind == FamilyKind.RELATED else Relation.NOT_RELATED
            min_age = 55 if kind == FamilyKind.RELATED else 32
            adults = [people.create(born=people.born(today, min_age, min_age + 12), sex=Sex.FEMALE, surname=surname)]
            if index == 0 or kind == FamilyKind.FAMILY_HOME:
                adults.append(
                    people.create(born=people.born(today, min_age, min_age + 12), sex=Sex.MALE, surname=surname)
                )
            last_name = surname[1] if len(adults) == 1 else surname[0]
            family = services.create_family(
                SYSTEM,
                name=f"{KIND_NAME[kind]} – {' i '.join(p.first_name for p in adults)} {last_name}",
                kind=kind,
                members=[(person.pk, relation) for person in adults],
                qualified_on=today - timedelta(days=rng.randint(800, 2400)),
                street=rng.choice(STREETS),
                building=str(rng.randint(1, 80)),
                postcode="80-" + f"{rng.randint(100, 999)}",
                city=city,
            )
            FosterFamily.objects.filter(pk=family.pk).update(notes=f"{DEMO_MARKER} Dane demonstracyjne.")
            if coordinators:
                services.assign_coordinator(SYSTEM, family.pk, coordinators[len(families) % len(coordinators)].pk)
            families.append(family)

            # Children: in a group of two or more the first two are siblings placed together.
            sibling_surname = rng.choice(SURNAMES) if kind != FamilyKind.RELATED else surname
            start = today - timedelta(
                days=rng.randint(60, 900) if kind != FamilyKind.EMERGENCY else rng.randint(20, 110)
            )
            for number in range(children_per_family[index]):
                sex = rng.choice([Sex.FEMALE, Sex.MALE])
                child_surname = sibling_surname if number < 2 else rng.choice(SURNAMES)
                born = (
                    people.born(today, 0, 2)
                    if number == 0 and kind == FamilyKind.EMERGENCY
                    else people.born(today, 1, 16)
                )
                born = min(born, start - timedelta(days=30))
                person = people.create(born=born, sex=sex, surname=child_surname)
                goal = rng.choice(
                    [ReintegrationGoal.RETURN_HOME, ReintegrationGoal.LONG_TERM, ReintegrationGoal.UNDECIDED]
                )
                child = services.register_child(
                    SYSTEM,
                    person.pk,
                    reintegration_goal=goal,
                    reintegration_plan="Regularne kontakty z matką, terapia rodzinna." if goal == "return_home" else "",
                    sibling_of=children[-1].pk if number == 1 else None,
                )
                placement = services.place_child(
                    SYSTEM,
                    child.pk,
                    family.pk,
                    start_on=start,
                    court_order_reference=f"III Nsm {rng.randint(100, 999)}/{start.year % 100}",
                    court=f"Sąd Rejonowy w {city}",
                    reason=rng.choice(
                        [
                            "Bezradność rodziców w sprawach opiekuńczo-wychowawczych.",
                            "Uzależnienie rodziców od alkoholu.",
                            "Przemoc domowa.",
                            "Zaniedbanie potrzeb dziecka.",
                        ]
                    ),
                )
                children.append(child)
                placements.append(placement)

    _assessments(rng, today)
    _meetings(rng, today, children)
    _money(rng, today, children, placements)
    young_adult = _leaving_care(people, today, families)
    _candidates(people, today)
    _irregularity(today, placements)
    return {"families": len(families), "children": len(children) + (1 if young_adult else 0)}


def _assessments(rng: random.Random, today: date):
    # Record about half of the due assessments; the others stay planned (some overdue: a realistic backlog).
    for assessment in Assessment.objects.filter(status=Assessment.Status.PLANNED, due_on__lte=today).order_by("pk"):
        if rng.random() < 0.5:
            services.record_assessment(
                SYSTEM,
                assessment.pk,
                performed_on=max(assessment.counted_from, min(today, assessment.due_on - timedelta(days=3))),
                result=rng.choice([Assessment.Result.POSITIVE, Assessment.Result.SATISFACTORY]),
                conclusions="Dziecko dobrze funkcjonuje w rodzinie; potrzeby zaspokojone.",
            )


def _meetings(rng: random.Random, today: date, children):
    for child in children[::2]:
        held = timezone.make_aware(datetime.combine(today - timedelta(days=rng.randint(7, 40)), time(10, 0)))
        meeting = services.plan_meeting(SYSTEM, child.pk, planned_at=held, participants="matka", place="siedziba MOPR")
        services.record_meeting_held(SYSTEM, meeting.pk, notes="Spotkanie przebiegło spokojnie; dziecko chętnie.")
        planned = timezone.make_aware(datetime.combine(today + timedelta(days=rng.randint(5, 30)), time(15, 0)))
        services.plan_meeting(
            SYSTEM, child.pk, planned_at=planned, participants="matka i ojciec", place="siedziba MOPR"
        )
    cancelled = timezone.make_aware(datetime.combine(today - timedelta(days=3), time(12, 0)))
    meeting = services.plan_meeting(SYSTEM, children[1].pk, planned_at=cancelled, participants="ojciec")
    services.cancel_meeting(SYSTEM, meeting.pk, reason="Ojciec nie potwierdził przybycia.")


def _money(rng: random.Random, today: date, children, placements):
    for child, placement in zip(children, placements, strict=True):
        period_from = max(placement.start_on, today.replace(day=1) - timedelta(days=180))
        services.grant_allowance(
            SYSTEM,
            child.pk,
            monthly_amount=Decimal("1352.00"),
            period_from=period_from,
            period_to=period_from + timedelta(days=364),
            decision_reference=f"DPR.{rng.randint(1000, 9999)}.{period_from.year}",
        )
    services.add_expense(
        SYSTEM,
        children[0].pk,
        kind="admission",
        amount=Decimal("3000.00"),
        granted_on=placements[0].start_on,
        description="Jednorazowe świadczenie na pokrycie niezbędnych wydatków związanych z potrzebami dziecka.",
    )
    services.add_expense(SYSTEM, children[2].pk, kind="holiday", amount=Decimal("800.00"), granted_on=today)


def _leaving_care(people: _People, today: date, families):
    """A 19-year-old who stayed with a specialist family until 18 and now continues education."""
    family = next(f for f in families if f.kind == FamilyKind.SPECIALIST)
    born = today - timedelta(days=19 * 365 + 40)
    person = people.create(born=born, sex=Sex.FEMALE)
    child = services.register_child(SYSTEM, person.pk, reintegration_goal=ReintegrationGoal.INDEPENDENCE)
    start = services.birthday(born, 12)
    placement = services.place_child(
        SYSTEM,
        child.pk,
        family.pk,
        start_on=start,
        court_order_reference=f"III Nsm 77/{start.year % 100}",
        reason="Sieroctwo.",
    )
    left = services.birthday(born, 18)
    services.end_placement(SYSTEM, placement.pk, end_on=left, reason="independence")
    services.start_leaving_care(
        SYSTEM,
        child.pk,
        mentor_name="Ewa Nowak",
        mentor_contact="tel. 600 100 200",
        programme="Nauka w technikum, kurs prawa jazdy, poszukiwanie mieszkania chronionego.",
        programme_approved_on=left - timedelta(days=30),
        started_on=left,
    )
    services.grant_education_support(
        SYSTEM,
        child.pk,
        school="Technikum Gastronomiczne",
        monthly_amount=Decimal("597.00"),
        period_from=left,
        period_to=min(left + timedelta(days=700), services.birthday(born, 25) - timedelta(days=1)),
    )
    return child


def _candidates(people: _People, today: date):
    surname = ("Nowicki", "Nowicka")
    adults = [
        people.create(born=today - timedelta(days=38 * 365), sex=Sex.FEMALE, surname=surname),
        people.create(born=today - timedelta(days=40 * 365), sex=Sex.MALE, surname=surname),
    ]
    candidate = services.register_candidate(
        SYSTEM,
        name=f"{adults[0].first_name} i {adults[1].first_name} {surname[0]}",
        desired_kind=FamilyKind.NON_PROFESSIONAL,
        applied_on=today - timedelta(days=60),
        persons=[(p.pk, Relation.NOT_RELATED) for p in adults],
        recruitment_source="kampania „Podziel się domem! Zostań rodziną zastępczą.”",
    )
    services.refer_candidate_to_training(
        SYSTEM, candidate.pk, referred_on=today - timedelta(days=40), training_name="PRIDE – szkolenie kandydatów"
    )
    single = people.create(born=today - timedelta(days=45 * 365), sex=Sex.FEMALE)
    services.register_candidate(
        SYSTEM,
        name=f"{single.first_name} {single.last_name}",
        desired_kind=FamilyKind.PROFESSIONAL,
        applied_on=today - timedelta(days=10),
        persons=[(single.pk, Relation.NOT_RELATED)],
        recruitment_source="strona internetowa ośrodka",
    )
    return Candidate.objects.count()


def _irregularity(today: date, placements):
    placement = placements[3]
    report = services.report_irregularity(
        SYSTEM,
        placement.pk,
        reported_on=today - timedelta(days=12),
        source="sygnał ze szkoły",
        description="Szkoła zgłosiła niepokojące zachowanie dziecka i ślady zaniedbania.",
    )
    voivode = report.notifications.get(recipient="voivode")
    services.mark_notification_sent(SYSTEM, voivode.pk, sent_on=today - timedelta(days=11), reference="DPR.0123.1")
    return report
