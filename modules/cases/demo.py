"""Demo social-assistance data for a center: a few dozen fake persons (valid PESEL checksums) in households,
applications with reasons for help, community interviews (some overdue), decisions with payments, a late
decision with its notice of delay, a closed case, a social contract and case notes. In Gdańsk also the
nursing-benefit recipients and the seed-004 programme (200 zł a month, January–March 2014).

Called by ``ostoja demo`` inside the center's schema, before the other modules' seeders; everything goes
through the service layer as the system actor. Idempotent: a seeded center (its first demo person exists)
gets nothing new."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ostoja.modules.cases import services
from ostoja.modules.cases.models import Case, CaseStatus, Payment, Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.modules.cases.services import SYSTEM
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.models import District, DistrictStreet

PERSONS = 50
FIRST_SERIAL = 500  # the projects seeder uses 101–112, foster care 900 and up

FEMALE_NAMES = ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Elżbieta"]
MALE_NAMES = ["Jan", "Andrzej", "Piotr", "Krzysztof", "Stanisław", "Tomasz", "Paweł", "Józef", "Marcin", "Marek"]
CHILD_NAMES = {Sex.FEMALE: ["Zuzanna", "Julia", "Lena", "Maja", "Hanna"], Sex.MALE: ["Antoni", "Jakub", "Jan", "Filip"]}
SURNAMES = [  # (male, female)
    ("Nowak", "Nowak"),
    ("Wójcik", "Wójcik"),
    ("Kowalczyk", "Kowalczyk"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"),
    ("Kwiatkowski", "Kwiatkowska"),
    ("Krawczyk", "Krawczyk"),
    ("Grabowski", "Grabowska"),
    ("Pawłowski", "Pawłowska"),
]
CITY_STREETS = ["Długa", "Polna", "Leśna", "Słoneczna", "Szkolna", "Ogrodowa", "Lipowa", "Kwiatowa"]
POSTCODES = {"torun": "87-100", "slupsk": "76-200", "gdansk": "80-001"}
REASON_SETS = [
    ["ubostwo"],
    ["ubostwo", "bezrobocie"],
    ["niepelnosprawnosc"],
    ["choroba", "ubostwo"],
    ["bezradnosc", "macierzynstwo-wielodzietnosc"],
    ["bezdomnosc"],
    ["przemoc-domowa"],
    ["uzaleznienia", "bezrobocie"],
    ["opuszczajacy-placowki"],
    ["po-zakladzie-karnym"],
    ["zdarzenie-losowe"],
]
FINDINGS = [
    "Osoba samotna, utrzymuje się z dorywczych prac; mieszkanie komunalne, zaległości w opłatach.",
    "Rodzina wielodzietna, dochód z pracy jednego z rodziców niewystarczający na bieżące potrzeby.",
    "Osoba przewlekle chora, wymaga pomocy w zakupie leków i w codziennych czynnościach.",
    "Po utracie pracy; zarejestrowana w urzędzie pracy, bez prawa do zasiłku.",
]


class _Generator:
    def __init__(self, center, rng: random.Random):
        self.rng = rng
        self.serial = FIRST_SERIAL
        self.slug = center.schema_name
        self.city = getattr(center, "city", "") or "Toruń"
        # Streets of the center's districts (so the addresses get a district), or common street names.
        rows = list(DistrictStreet.objects.select_related("district").order_by("id"))
        self.addresses = [(row.street, self._number(row)) for row in rows] or [(s, None) for s in CITY_STREETS]

    def _number(self, row) -> int:
        if row.numbers == "range":
            return row.number_from
        if row.numbers == "even":
            return 2 * self.rng.randint(1, 40)
        return 2 * self.rng.randint(0, 40) + 1

    def address(self) -> dict:
        street, number = self.rng.choice(self.addresses)
        number = number or self.rng.randint(1, 80)
        return {
            "street": street,
            "building": str(number),
            "flat": str(self.rng.randint(1, 30)) if self.rng.random() < 0.6 else "",
            "postcode": POSTCODES.get(self.slug, ""),
            "city": self.city,
        }

    def person(self, *, born: date, sex: str, surname: tuple[str, str], first_name: str = "", address: dict):
        while True:
            number = make_pesel(born, self.serial, sex)
            self.serial += 1
            if not Person.objects.filter(pesel=number).exists():
                break
        names = MALE_NAMES if sex == Sex.MALE else FEMALE_NAMES
        phone = f"+4850{self.rng.randint(1000000, 9999999)}" if self.rng.random() < 0.5 else ""
        return services.create_person(
            SYSTEM,
            first_name=first_name or self.rng.choice(names),
            last_name=surname[0] if sex == Sex.MALE else surname[1],
            pesel=number,
            sex=sex,
            phone=phone,
            **address,
        ).person

    def born(self, today: date, min_age: int, max_age: int) -> date:
        return today - timedelta(days=self.rng.randint(min_age * 365 + 10, max_age * 365 + 300))


def _first_pesel() -> str:
    return make_pesel(date(1961, 3, 14), FIRST_SERIAL, Sex.FEMALE)


def seed(center) -> dict:
    """Seed the current schema (the center's). Returns counts; an already seeded center gets zeros."""
    if Person.objects.filter(pesel=_first_pesel()).exists():
        return {"persons": 0, "cases": 0, "decisions": 0}
    with transaction.atomic():
        return _seed(center)


def _workers() -> dict[int, StaffProfile]:
    """A social worker per district (the first one), for interviews and cases; none where there is none."""
    workers: dict[int | None, StaffProfile] = {}
    social_workers = StaffProfile.objects.filter(roles__contains=[Role.SOCIAL_WORKER]).order_by("id")
    if not District.objects.exists():
        # A center without districts: any of its social workers serves everybody (persons have no district).
        first = social_workers.first()
        return {None: first} if first else {}
    for profile in social_workers.prefetch_related("districts"):
        for district in profile.districts.all():
            workers.setdefault(district.pk, profile)
    return workers


def _seed(center) -> dict:
    rng = random.Random(f"cases-{center.schema_name}")  # noqa: S311 (demo data, not security)
    today = timezone.localdate()
    gen = _Generator(center, rng)
    workers = _workers()
    counts = {"persons": 0, "cases": 0, "decisions": 0, "payments": 0}

    # The first demo person has a fixed PESEL: its presence marks the center as seeded.
    heads = []
    first = services.create_person(
        SYSTEM,
        first_name="Krystyna",
        last_name="Demowska",
        pesel=_first_pesel(),
        **gen.address(),
    ).person
    heads.append((first, []))
    counts["persons"] += 1
    while counts["persons"] < PERSONS:
        surname = rng.choice(SURNAMES)
        address = gen.address()
        sex = rng.choice([Sex.FEMALE, Sex.MALE])
        head = gen.person(born=gen.born(today, 22, 78), sex=sex, surname=surname, address=address)
        members = []
        counts["persons"] += 1
        if rng.random() < 0.35:  # a family: a partner and children
            other = Sex.MALE if sex == Sex.FEMALE else Sex.FEMALE
            members.append(
                (gen.person(born=gen.born(today, 22, 60), sex=other, surname=surname, address=address), "spouse")
            )
            counts["persons"] += 1
            for _ in range(rng.randint(1, 3)):
                child_sex = rng.choice([Sex.FEMALE, Sex.MALE])
                child = gen.person(
                    born=gen.born(today, 1, 17),
                    sex=child_sex,
                    surname=surname,
                    first_name=rng.choice(CHILD_NAMES[child_sex]),
                    address=address,
                )
                members.append((child, "child"))
                counts["persons"] += 1
        heads.append((head, members))

    for index, (head, members) in enumerate(heads):
        adults = 1 + sum(1 for _, relation in members if relation == "spouse")
        size = 1 + len(members)
        # Most households within the income criterion; a few above it (refusals).
        per_person = rng.choice([0, 350, 480, 560, 640, 720, 1400]) if index % 7 else 1500
        head_income = per_person * size // adults
        services.create_household(
            SYSTEM,
            head.pk,
            head_income=head_income,
            head_income_sources=rng.choice(["wynagrodzenie", "renta", "emerytura", "praca dorywcza", ""]),
            members=[
                {"person_id": p.pk, "relation": relation, "monthly_income": head_income if relation == "spouse" else 0}
                for p, relation in members
            ],
        )
        _case(head, index, rng, today, workers, counts)

    if center.schema_name == "gdansk":
        _nursing_benefit_programme(gen, rng, today, counts)
    return counts


def _case(person, index: int, rng: random.Random, today: date, workers, counts) -> None:
    received = today - timedelta(days=rng.randint(3, 75))
    urgent = index % 9 == 4
    application = services.register_application(
        SYSTEM,
        person.pk,
        received_on=received,
        urgent=urgent,
        submitted_by="ex_officio" if index % 13 == 6 else "person",
        reasons=REASON_SETS[index % len(REASON_SETS)],
        description="Wniosek o pomoc finansową i pracę socjalną.",
    )
    counts["cases"] += 1
    case_id = application.case_id
    worker = workers.get(person.district_id)
    stage = index % 6  # 0: new, 1: interview assigned, 2+: interview done and a decision
    if worker is None or stage == 0:
        return
    interview = application.interview
    services.assign_interview(SYSTEM, interview.pk, worker.pk, assigned_on=received)
    if stage == 1:
        return
    conducted = min(today, received + timedelta(days=rng.randint(2, 12)))
    services.record_interview(
        SYSTEM,
        interview.pk,
        conducted_on=conducted,
        findings=rng.choice(FINDINGS),
        recommendations="Zasiłek okresowy, praca socjalna.",
        place="miejsce zamieszkania",
    )
    if stage == 2 and application.decision_due_on < today:
        return  # a decision past its due date: shows in the overdue list
    issued = min(today, conducted + timedelta(days=rng.randint(1, 10)))
    late = issued > application.decision_due_on
    household = services._case_household(Case.objects.get(pk=case_id))
    within = services.income_check(household, issued).met
    form = "zasilek-okresowy" if stage in (2, 3, 5) else "zasilek-celowy"
    kind = "grant" if within else "refuse"
    amount = rng.choice([200, 300, 420, 550]) if kind == "grant" else None
    decision = services.issue_decision(
        SYSTEM,
        case_id,
        kind=kind,
        form=form,
        amount=amount,
        period_start=issued,
        period_end=issued + timedelta(days=90) if form == "zasilek-okresowy" else None,
        issued_on=issued,
        justification="Decyzja wydana na podstawie wywiadu środowiskowego.",
        delay_reason="Oczekiwanie na zaświadczenie o dochodach." if late else "",
    )
    counts["decisions"] += 1
    for payment in Payment.objects.filter(decision=decision, due_on__lte=today):
        services.mark_payment_paid(SYSTEM, payment.pk, paid_on=payment.due_on)
    counts["payments"] += Payment.objects.filter(decision=decision).count()
    if kind == "grant":
        services.issue_decision(
            SYSTEM,
            case_id,
            kind="grant",
            form="praca-socjalna",
            period_start=issued,
            period_end=issued + timedelta(days=180),
            issued_on=issued,
            delay_reason="Oczekiwanie na zaświadczenie o dochodach." if late else "",
        )
        counts["decisions"] += 1
        services.add_case_note(
            SYSTEM, case_id, kind="visit", happened_on=conducted, text="Wizyta w miejscu zamieszkania; omówiono plan."
        )
        if stage == 5:
            services.conclude_social_contract(
                SYSTEM,
                case_id,
                concluded_on=issued,
                valid_until=issued + timedelta(days=180),
                goals="Podjęcie zatrudnienia i uregulowanie zaległości czynszowych.",
                client_obligations="Rejestracja w urzędzie pracy, udział w warsztatach aktywizacji.",
                center_obligations="Zasiłek okresowy, pokrycie kosztów kursu zawodowego.",
            )
    elif Case.objects.filter(pk=case_id, status=CaseStatus.DECISION).exists():
        services.close_case(SYSTEM, case_id, reason="refused", note="Dochód powyżej kryterium.", on=issued)


NURSING_START, NURSING_END = date(2013, 11, 1), date(2014, 12, 31)


def _nursing_benefit_programme(gen: _Generator, rng: random.Random, today: date, counts) -> None:
    """Seed 004: nursing-benefit recipients, then the programme granting 200 zł for January–March 2014."""
    for n in range(6):
        sex = rng.choice([Sex.FEMALE, Sex.MALE])
        person = gen.person(
            born=gen.born(date(2013, 10, 1), 35, 65), sex=sex, surname=rng.choice(SURNAMES), address=gen.address()
        )
        counts["persons"] += 1
        received = date(2013, 10, 7) + timedelta(days=n)
        application = services.register_application(
            SYSTEM,
            person.pk,
            received_on=received,
            reasons=["niepelnosprawnosc"],
            description="Wniosek o świadczenie pielęgnacyjne (opieka nad niepełnosprawnym członkiem rodziny).",
        )
        counts["cases"] += 1
        # A family benefit: no community interview is needed before the decision.
        services.issue_decision(
            SYSTEM,
            application.case_id,
            kind="grant",
            form="swiadczenie-pielegnacyjne",
            amount=620,
            period_start=NURSING_START,
            period_end=NURSING_END,
            issued_on=received + timedelta(days=20),
        )
        counts["decisions"] += 1
        for payment in Payment.objects.filter(decision__case_id=application.case_id, due_on__lte=today):
            services.mark_payment_paid(SYSTEM, payment.pk, paid_on=payment.due_on)
    result = services.grant_programme(
        SYSTEM,
        code="program-swiadczenie-pielegnacyjne-2014",
        name_pl="Rządowy program wspierania osób pobierających świadczenie pielęgnacyjne (styczeń–marzec 2014)",
        name_en="Government programme supporting nursing-benefit recipients (January–March 2014)",
        legal_basis="Rozporządzenie Rady Ministrów z dnia 24 grudnia 2013 r.",
        source_form="swiadczenie-pielegnacyjne",
        form="pomoc-programu-rzadowego",
        monthly_amount=200,
        first_month=date(2014, 1, 1),
        last_month=date(2014, 3, 1),
        issued_on=date(2014, 1, 10),
    )
    counts["decisions"] += result.granted
