"""Demo projects from the seeds, loaded by ``ostoja demo`` inside each center's schema.

Toruń (seeds 000 and 003): "Rodzina w centrum", the caregivers' employment project, "Wspieramy mamy",
"Siła w rodzinie" and the social-service standards pilot with CISTOR. Słupsk (seed 002): the
streetworking project in which MOPR Słupsk is the partner responsible for "Działanie 3". Other
centers get nothing. What the seeds do not say is left empty (dates, programmes, amounts per
funding source), never invented; the participants are generated demo persons with fake names and
valid PESEL numbers. Idempotent: projects are keyed by their code, targets by (project, code),
partners by name, participants by (project, person), persons by PESEL.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ostoja.modules.cases.models import Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.modules.projects import services
from ostoja.modules.projects.models import (
    CenterRole,
    Characteristic,
    ExitReason,
    FundingKind,
    IndicatorType,
    LabourMarketStatus,
    Participant,
    PeriodPrecision,
    Project,
    ProjectStatus,
    TargetMeasure,
    TargetUnit,
)

D = datetime.date
L = LabourMarketStatus
C = Characteristic

CARERS_TARGET = {
    "code": "opiekunowie-dzieci-do-lat-3",
    "name_pl": "Osoby sprawujące opiekę nad dziećmi w wieku do lat 3 objęte wsparciem",
    "name_en": "People caring for children under 3 supported",
    "indicator_type": IndicatorType.OUTPUT,
    "unit": TargetUnit.PERSONS,
    "measure": TargetMeasure.PARTICIPANTS,
    "criterion_characteristic": C.CARES_FOR_CHILD_UNDER_3,
}

# (first name, last name, sex, date of birth, serial) – fake people; the PESEL is computed.
DEMO_PERSONS = [
    ("Anna", "Przykładowa", Sex.FEMALE, D(1988, 3, 14), 101),
    ("Katarzyna", "Testowa", Sex.FEMALE, D(1991, 7, 2), 102),
    ("Magdalena", "Demowska", Sex.FEMALE, D(1985, 11, 23), 103),
    ("Joanna", "Fikcyjna", Sex.FEMALE, D(1994, 1, 30), 104),
    ("Tomasz", "Przykładowy", Sex.MALE, D(1987, 5, 9), 105),
    ("Agnieszka", "Wzorcowa", Sex.FEMALE, D(1996, 9, 17), 106),
    ("Marta", "Umowna", Sex.FEMALE, D(1990, 12, 5), 107),
    ("Piotr", "Demowski", Sex.MALE, D(1979, 4, 21), 108),
    ("Ewa", "Zmyślona", Sex.FEMALE, D(1965, 8, 11), 109),
    ("Kacper", "Testowy", Sex.MALE, D(2002, 2, 26), 110),
    ("Natalia", "Próbna", Sex.FEMALE, D(2001, 6, 8), 111),
    ("Jan", "Wymyślony", Sex.MALE, D(1958, 10, 3), 112),
]


def demo_persons(city: str) -> list[Person]:
    persons = []
    for first, last, sex, birth, serial in DEMO_PERSONS:
        pesel = make_pesel(birth, serial, sex)
        person = Person.objects.filter(pesel=pesel).first()
        if person is None:
            person = Person.objects.create(
                first_name=first, last_name=last, sex=sex, pesel=pesel, date_of_birth=birth, city=city
            )
        persons.append(person)
    return persons


# Participants: (person index, enrolled, labour status, characteristics, exit (date, reason, status) or None)
TORUN_PROJECTS = [
    {
        "project": {
            "code": "rodzina-w-centrum",
            "title_pl": "Rodzina w centrum",
            "title_en": "Family in the center",
            "description_pl": (
                "Głównym celem projektu jest zwiększenie dostępu do specjalistycznych usług wsparcia rodziny "
                "i pieczy zastępczej, tworzących jednolity, zintegrowany system pomocy rodzinie "
                "w województwie kujawsko-pomorskim."
            ),
            "description_en": (
                "The main objective of the project is to expand access to specialized family support services "
                "and foster families to create a single integrated family assistance system in the "
                "Kuyavian-Pomorskie voivodship."
            ),
            # A voivodeship-wide project: the center takes part as a partner; the seed names no lead.
            "center_role": CenterRole.PARTNER,
            "start_date": D(2014, 1, 1),
            "end_date": D(2020, 12, 31),
            "period_precision": PeriodPrecision.YEAR,
            "status": ProjectStatus.FINISHED,
        },
        "participants": [
            (2, D(2016, 3, 1), L.EMPLOYED, [C.FOSTER_FAMILY], (D(2017, 2, 28), ExitReason.COMPLETED, L.EMPLOYED)),
            (
                7,
                D(2016, 9, 12),
                L.UNEMPLOYED_REGISTERED,
                [C.FOSTER_FAMILY],
                (D(2017, 6, 30), ExitReason.COMPLETED, L.EMPLOYED),
            ),
            (
                8,
                D(2018, 1, 15),
                L.INACTIVE,
                [C.SOCIAL_ASSISTANCE],
                (D(2018, 12, 31), ExitReason.EARLY_EXIT, L.INACTIVE),
            ),
        ],
    },
    {
        "project": {
            "code": "wsparcie-zatrudnienia-opiekunow",
            "title_pl": "Wsparcie zatrudnienia opiekunów na terenie Torunia",
            "title_en": "Support for the employment of caregivers in the territory of Torun",
            "description_pl": (
                "Celem projektu było zwiększenie aktywności zawodowej 80 osób sprawujących opiekę "
                "nad dziećmi w wieku do lat 3."
            ),
            "description_en": (
                "The aim of the project was to increase the professional activity of 80 people who performed "
                "the functions of caring for children under the age of 3 years."
            ),
            "center_role": CenterRole.LEAD,
            "start_date": D(2017, 1, 1),
            "end_date": D(2018, 6, 30),
            "period_precision": PeriodPrecision.DAY,
            "status": ProjectStatus.FINISHED,
        },
        "targets": [{**CARERS_TARGET, "target_value": Decimal(80)}],
        "participants": [
            (
                0,
                D(2017, 2, 1),
                L.INACTIVE,
                [C.CARES_FOR_CHILD_UNDER_3],
                (D(2018, 1, 31), ExitReason.COMPLETED, L.EMPLOYED),
            ),
            (
                1,
                D(2017, 3, 6),
                L.UNEMPLOYED_REGISTERED,
                [C.CARES_FOR_CHILD_UNDER_3],
                (D(2018, 3, 5), ExitReason.COMPLETED, L.EMPLOYED),
            ),
            (
                4,
                D(2017, 4, 3),
                L.LONG_TERM_UNEMPLOYED,
                [C.CARES_FOR_CHILD_UNDER_3],
                (D(2017, 10, 31), ExitReason.EARLY_EXIT, L.LONG_TERM_UNEMPLOYED),
            ),
            (
                6,
                D(2017, 9, 1),
                L.INACTIVE,
                [C.CARES_FOR_CHILD_UNDER_3],
                (D(2018, 6, 30), ExitReason.COMPLETED, L.EMPLOYED),
            ),
        ],
    },
    {
        "project": {
            "code": "wspieramy-mamy",
            "title_pl": "Wspieramy mamy",
            "title_en": "We support mothers",
            "description_pl": (
                "Celem projektu jest zwiększenie aktywności zawodowej 200 osób sprawujących opiekę nad dziećmi "
                "w wieku do lat 3 i wsparcie ich powrotu na rynek pracy przez sfinansowanie opieki nad "
                "dzieckiem do lat 3 przez 12 miesięcy."
            ),
            "description_en": (
                "The goal of the project is to increase the professional activity of 200 people caring for "
                "children under the age of 3 years and to support them in returning to the labor market by "
                "financing the care of children under the age of 3 years for 12 months."
            ),
            "center_role": CenterRole.LEAD,
            # The seed gives no dates: the period stays unknown.
            "status": ProjectStatus.RUNNING,
        },
        "targets": [{**CARERS_TARGET, "target_value": Decimal(200)}],
        "participants": [
            (3, D(2019, 9, 2), L.INACTIVE, [C.CARES_FOR_CHILD_UNDER_3], None),
            (5, D(2019, 9, 16), L.UNEMPLOYED_UNREGISTERED, [C.CARES_FOR_CHILD_UNDER_3], None),
            (10, D(2019, 10, 1), L.INACTIVE_IN_EDUCATION, [C.CARES_FOR_CHILD_UNDER_3], None),
            (0, D(2019, 10, 7), L.EMPLOYED, [C.CARES_FOR_CHILD_UNDER_3], None),
        ],
    },
    {
        "project": {
            "code": "sila-w-rodzinie",
            "title_pl": "Siła w rodzinie",
            "title_en": "Strength in the family",
            "description_pl": (
                "Celem projektu jest zwiększenie dostępu do wsparcia rodziny i pieczy zastępczej przez "
                "utworzenie dwóch placówek wsparcia dziennego dla dzieci w wieku 6–18 lat oraz toruńskiego "
                "klubu dla rodzin."
            ),
            "description_en": (
                "The goal of the project is to increase access to family support and foster families by "
                "creating two care centers for children aged 6 to 18 and a Torun club for families, "
                "providing support to families."
            ),
            "center_role": CenterRole.LEAD,
            "start_date": D(2014, 1, 1),
            "end_date": D(2020, 12, 31),
            "period_precision": PeriodPrecision.YEAR,
            "status": ProjectStatus.FINISHED,
        },
        "targets": [
            {
                "code": "placowki-wsparcia-dziennego",
                "name_pl": "Utworzone placówki wsparcia dziennego dla dzieci w wieku 6–18 lat",
                "name_en": "Care centers created for children aged 6 to 18",
                "unit": TargetUnit.FACILITIES,
                "target_value": Decimal(2),
                "measure": TargetMeasure.RECORDED,
            },
            {
                "code": "klub-dla-rodzin",
                "name_pl": "Utworzony toruński klub dla rodzin",
                "name_en": "Torun club for families created",
                "unit": TargetUnit.FACILITIES,
                "target_value": Decimal(1),
                "measure": TargetMeasure.RECORDED,
            },
        ],
        "participants": [
            (
                9,
                D(2016, 9, 1),
                L.INACTIVE_IN_EDUCATION,
                [C.SOCIAL_ASSISTANCE],
                (D(2018, 6, 29), ExitReason.COMPLETED, L.INACTIVE_IN_EDUCATION),
            ),
            (2, D(2017, 1, 9), L.EMPLOYED, [C.FOSTER_FAMILY], (D(2019, 12, 20), ExitReason.COMPLETED, L.EMPLOYED)),
            (7, D(2018, 5, 7), L.EMPLOYED, [], (D(2019, 5, 6), ExitReason.COMPLETED, L.EMPLOYED)),
        ],
    },
    {
        "project": {
            "code": "standardy-uslug-cistor",
            "title_pl": "Pilotaż standardów usług pomocy i integracji społecznej w Toruniu",
            "title_en": "Pilot of social assistance and integration service standards in Toruń",
            "description_pl": (
                "MOPR w Toruniu uczestniczy we wdrażaniu pilotażowego projektu mającego na celu przetestowanie "
                "opracowanych standardów usług pomocy i integracji społecznej, w partnerstwie ze "
                'Stowarzyszeniem Partnerstwo Społeczne "CISTOR". Pilotażem objęto w kraju 23 instytucje.'
            ),
            "description_en": (
                "MOPR Toruń takes part in a pilot testing the standards of social assistance and integration "
                'services, in partnership with the Social Partnership Association "CISTOR". 23 institutions '
                "in Poland took part in the pilot."
            ),
            "umbrella_project": (
                "Projekt systemowy „Tworzenie i rozwijanie standardów usług pomocy i integracji społecznej” "
                "(lider: Centrum Rozwoju Zasobów Ludzkich), Zadanie 2"
            ),
            "center_role": CenterRole.LEAD,
            "total_budget": Decimal("1600000.00"),
            "center_share": Decimal("1100000.00"),
            # The seed gives no dates: the period stays unknown.
            "status": ProjectStatus.RUNNING,
            # "financed entirely from the European Social Fund and national funds" – amounts not given.
            "funding_sources": [
                {"kind": FundingKind.EFS},
                {"kind": FundingKind.STATE_BUDGET, "description": "środki krajowe"},
            ],
            "partners": [{"name": 'Stowarzyszenie Partnerstwo Społeczne "CISTOR"', "role_description": "partner"}],
        },
        "participants": [
            (1, D(2012, 3, 1), L.UNEMPLOYED_REGISTERED, [C.SOCIAL_ASSISTANCE], None),
            (11, D(2012, 4, 2), L.LONG_TERM_UNEMPLOYED, [C.SOCIAL_ASSISTANCE, C.DISABILITY], None),
        ],
    },
]

SLUPSK_PROJECTS = [
    {
        "project": {
            "code": "streetworking-dzialanie-3",
            # The seed does not give the project's title: this one describes it.
            "title_pl": "Projekt partnerski: upowszechnianie metody streetworkingu (Działanie 3)",
            "title_en": "Partnership project: spreading the streetworking method (Action 3)",
            "center_role": CenterRole.PARTNER,
            "action": "Działanie 3",
            "center_tasks": (
                "Upowszechnianie metody streetworkingu na spotkaniach lokalnych i spotkaniach "
                "informacyjno-upowszechniających, upowszechnianie metody streetworkingu przez praktykę – praca "
                "streetworkera na terenie Słupska w ramach Działania 3, jej monitoring i superwizja."
            ),
            "status": ProjectStatus.RUNNING,
            "partners": [
                {"name": name}
                for name in (
                    "Towarzystwo Pomocy im. Św. Brata Alberta Koło Gdańskie",
                    "Regionalne Centrum Informacji i Wspomagania Organizacji Pozarządowych",
                    "Pomorskie Forum Na Rzecz Wychodzenia z Bezdomności",
                    "Pomorska Izba Rzemieślnicza",
                    "Uniwersytet Gdański",
                    "Miejski Ośrodek Pomocy Społecznej w Sopocie",
                    "Miejski Ośrodek Pomocy Społecznej w Gdańsku",
                    "Miejski Ośrodek Pomocy Społecznej w Gdyni",
                    "Samorząd Województwa Pomorskiego",
                )
            ],
        },
    },
]

DEMO_PROJECTS = {"torun": TORUN_PROJECTS, "slupsk": SLUPSK_PROJECTS}


def seed(center) -> dict:
    """Load the center's projects from the seeds (nothing for a center without any). Returns counts
    of what was created in this run."""
    specs = DEMO_PROJECTS.get(center.schema_name, [])
    created = {"projects": 0, "targets": 0, "partners": 0, "funding_sources": 0, "participants": 0}
    persons = demo_persons(center.city) if any(spec.get("participants") for spec in specs) else []
    for spec in specs:
        data = dict(spec["project"])
        funding = data.pop("funding_sources", [])
        partners = data.pop("partners", [])
        project = Project.objects.filter(code=data["code"]).first()
        if project is None:
            project = services._create_project(None, **data)
            created["projects"] += 1
        known_sources = {(s.kind, s.description) for s in project.funding_sources.all()}
        for source in funding:
            if (source["kind"], source.get("description", "")) not in known_sources:
                services._add_funding_source(None, project, **source)
                created["funding_sources"] += 1
        known_partners = set(project.partners.values_list("name", flat=True))
        for partner in partners:
            if partner["name"] not in known_partners:
                services._add_partner(None, project, **partner)
                created["partners"] += 1
        known_targets = set(project.targets.values_list("code", flat=True))
        for target in spec.get("targets", []):
            if target["code"] not in known_targets:
                services._add_target(None, project, **target)
                created["targets"] += 1
        enrolled = set(Participant.objects.filter(project=project).values_list("person_id", flat=True))
        for index, enrolled_on, status, characteristics, exit_ in spec.get("participants", []):
            person = persons[index]
            if person.pk in enrolled:
                continue
            participant = services._enrol(
                None,
                project,
                person,
                enrolled_on=enrolled_on,
                labour_market_status=status,
                characteristics=characteristics,
            )
            if exit_:
                exited_on, reason, exit_status = exit_
                services._end_participation(
                    None,
                    participant,
                    exited_on=exited_on,
                    exit_reason=reason,
                    labour_market_status_at_exit=exit_status,
                )
            created["participants"] += 1
    return created
