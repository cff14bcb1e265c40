"""Reference data in every center's schema (and the template it is cloned from): the art. 7 reasons for
help, the forms of help (art. 36 and the benefits paid through the center) and the dated income criteria.
Rows are matched by code / date, so re-running adds only what is missing and never overwrites a center's edits."""

from decimal import Decimal

from django.db import migrations

# code, Polish, English, former Polish name, legal basis, special-category data
REASONS = [
    ("ubostwo", "ubóstwo", "poverty", "", "art. 7 pkt 1", False),
    ("sieroctwo", "sieroctwo", "orphanhood", "", "art. 7 pkt 2", False),
    ("bezdomnosc", "bezdomność", "homelessness", "", "art. 7 pkt 3", False),
    ("bezrobocie", "bezrobocie", "unemployment", "", "art. 7 pkt 4", False),
    ("niepelnosprawnosc", "niepełnosprawność", "disability", "", "art. 7 pkt 5", True),
    ("choroba", "długotrwała lub ciężka choroba", "long-term or serious illness", "", "art. 7 pkt 6", True),
    ("przemoc-domowa", "przemoc domowa", "domestic violence", "przemoc w rodzinie", "art. 7 pkt 7", True),
    (
        "handel-ludzmi",
        "potrzeba ochrony ofiar handlu ludźmi",
        "need to protect victims of human trafficking",
        "",
        "art. 7 pkt 7a",
        True,
    ),
    (
        "macierzynstwo-wielodzietnosc",
        "potrzeba ochrony macierzyństwa lub wielodzietności",
        "need to protect motherhood or large families",
        "",
        "art. 7 pkt 8",
        False,
    ),
    (
        "bezradnosc",
        "bezradność w sprawach opiekuńczo-wychowawczych i prowadzenia gospodarstwa domowego",
        "helplessness in child care and upbringing and in running a household",
        "",
        "art. 7 pkt 9",
        False,
    ),
    (
        "opuszczajacy-placowki",
        "brak umiejętności w przystosowaniu do życia młodzieży opuszczającej placówki opiekuńczo-wychowawcze",
        "young people leaving care institutions lacking the skills to adapt to life",
        "",
        "art. 7 pkt 10",
        False,
    ),
    (
        "integracja-cudzoziemcow",
        "trudności w integracji cudzoziemców",
        "difficulties in the integration of foreigners",
        "trudności w integracji osób, które otrzymały status uchodźcy",
        "art. 7 pkt 11",
        False,
    ),
    (
        "po-zakladzie-karnym",
        "trudności w przystosowaniu do życia po zwolnieniu z zakładu karnego",
        "difficulties in adapting to life after release from prison",
        "",
        "art. 7 pkt 12",
        True,
    ),
    ("uzaleznienia", "alkoholizm lub narkomania", "alcoholism or drug addiction", "", "art. 7 pkt 13", True),
    (
        "zdarzenie-losowe",
        "zdarzenie losowe i sytuacja kryzysowa",
        "random event and crisis situation",
        "",
        "art. 7 pkt 14",
        False,
    ),
    (
        "kleska",
        "klęska żywiołowa lub ekologiczna",
        "natural or ecological disaster",
        "",
        "art. 7 pkt 15",
        False,
    ),
]

UPS = "ustawa o pomocy społecznej"
# code, Polish, English, legal basis, category, payment schedule, income-tested
FORMS = [
    ("zasilek-staly", "zasiłek stały", "permanent allowance", f"art. 37 {UPS}", "social_assistance", "monthly", True),
    ("zasilek-okresowy", "zasiłek okresowy", "periodic allowance", f"art. 38 {UPS}", "social_assistance", "monthly", True),
    ("zasilek-celowy", "zasiłek celowy", "special-purpose allowance", f"art. 39 {UPS}", "social_assistance", "once", True),
    (
        "specjalny-zasilek-celowy",
        "specjalny zasiłek celowy",
        "special special-purpose allowance",
        f"art. 41 {UPS}",
        "social_assistance",
        "once",
        False,
    ),
    ("posilek", "posiłek", "meals", f"art. 48b {UPS}", "social_assistance", "none", False),
    ("schronienie", "schronienie", "shelter", f"art. 48a {UPS}", "social_assistance", "none", False),
    ("ubranie", "niezbędne ubranie", "necessary clothing", f"art. 48 {UPS}", "social_assistance", "none", False),
    ("uslugi-opiekuncze", "usługi opiekuńcze", "care services", f"art. 50 {UPS}", "social_assistance", "none", False),
    (
        "specjalistyczne-uslugi-opiekuncze",
        "specjalistyczne usługi opiekuńcze",
        "specialist care services",
        f"art. 50 ust. 4 {UPS}",
        "social_assistance",
        "none",
        False,
    ),
    ("praca-socjalna", "praca socjalna", "social work", f"art. 45 {UPS}", "social_assistance", "none", False),
    ("kontrakt-socjalny", "kontrakt socjalny", "social contract", f"art. 108 {UPS}", "social_assistance", "none", False),
    (
        "poradnictwo-specjalistyczne",
        "poradnictwo specjalistyczne",
        "specialist counselling",
        f"art. 46 {UPS}",
        "social_assistance",
        "none",
        False,
    ),
    ("interwencja-kryzysowa", "interwencja kryzysowa", "crisis intervention", f"art. 47 {UPS}", "social_assistance", "none", False),
    ("sprawienie-pogrzebu", "sprawienie pogrzebu", "funeral", f"art. 44 {UPS}", "social_assistance", "none", False),
    (
        "usamodzielnienie",
        "pomoc na usamodzielnienie i kontynuowanie nauki",
        "help to become independent and to continue education",
        f"art. 36 pkt 1 lit. e {UPS}",
        "social_assistance",
        "once",
        False,
    ),
    (
        "swiadczenie-pielegnacyjne",
        "świadczenie pielęgnacyjne",
        "nursing benefit",
        "art. 17 ustawy o świadczeniach rodzinnych",
        "family_benefit",
        "monthly",
        False,
    ),
    (
        "pomoc-programu-rzadowego",
        "dodatkowa pomoc finansowa w ramach programu rządowego",
        "additional financial help under a government programme",
        "",
        "programme",
        "monthly",
        False,
    ),
]

# valid from, person alone, per person in a family, legal basis
_RATES_BASIS = "Rozporządzenie Rady Ministrów w sprawie zweryfikowanych kryteriów dochodowych oraz kwot świadczeń pieniężnych z pomocy społecznej"
RATES = [
    ("2012-10-01", "542.00", "456.00", f"{_RATES_BASIS} (2012)"),
    ("2015-10-01", "634.00", "514.00", f"{_RATES_BASIS} (2015)"),
    ("2018-10-01", "701.00", "528.00", f"{_RATES_BASIS} (2018)"),
    ("2021-10-01", "776.00", "600.00", f"{_RATES_BASIS} (2021)"),
    ("2025-01-01", "1010.00", "823.00", f"{_RATES_BASIS} (2024)"),
]


def load(apps, schema_editor):
    HelpReason = apps.get_model("cases", "HelpReason")
    FormOfHelp = apps.get_model("cases", "FormOfHelp")
    IncomeCriterionRate = apps.get_model("cases", "IncomeCriterionRate")
    for order, (code, pl, en, former, basis, special) in enumerate(REASONS, start=1):
        HelpReason.objects.get_or_create(
            code=code,
            defaults={
                "name_pl": pl,
                "name_en": en,
                "former_name_pl": former,
                "legal_basis": basis,
                "special_category": special,
                "order": order * 10,
            },
        )
    for order, (code, pl, en, basis, category, schedule, tested) in enumerate(FORMS, start=1):
        FormOfHelp.objects.get_or_create(
            code=code,
            defaults={
                "name_pl": pl,
                "name_en": en,
                "legal_basis": basis,
                "category": category,
                "schedule": schedule,
                "income_tested": tested,
                "order": order * 10,
            },
        )
    for valid_from, single, family, basis in RATES:
        IncomeCriterionRate.objects.get_or_create(
            valid_from=valid_from,
            defaults={"single_person": Decimal(single), "per_person_in_family": Decimal(family), "legal_basis": basis},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_social_assistance")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
