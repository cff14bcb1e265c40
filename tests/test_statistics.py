"""Aggregate figures across centers (ostoja.tenants.statistics): who sees which centers, what is counted in a
period, small-count suppression on crafted data in the demo centers' schemas, and one SQL statement per figure."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from ostoja.modules.cases.models import Case, CaseReason, Decision, FormOfHelp, HelpReason, Household, HouseholdMember
from ostoja.modules.cases.models import Person as PersonModel
from ostoja.modules.foster_care.models import FosterChild, FosterFamily, Placement
from ostoja.modules.projects.models import Achievement, Participant, Project, Target
from ostoja.platform.accounts import services as accounts
from ostoja.platform.errors import PermissionDenied, ValidationFailed
from ostoja.tenants import statistics
from ostoja.tenants.models import PlatformRole
from ostoja.tenants.suppression import PRIMARY, SECONDARY, recomputable

pytestmark = pytest.mark.django_db

FROM, TO = date(2026, 1, 1), date(2026, 6, 30)
TODAY = date(2026, 11, 23)  # every window of the tests has ended by then


def figures_of(actor, centers=None, *, window=None, today=TODAY):
    """The figures of the first half of 2026 (FROM … TO) unless another published window is given."""
    window = window or statistics.published_window("half", 2026, 1)
    return statistics.statistics(actor, window=window, centers=centers, today=today)


_serial = count(1)


# --- crafted data ------------------------------------------------------------------------------------------------


def person(**extra):
    n = next(_serial)
    return PersonModel.objects.create(
        first_name="Osoba", last_name=f"Testowa{n}", date_of_birth=date(1980, 1, 1), sex="F", **extra
    )


def families(slug, reason_code, n, *, members=1, opened_on=date(2026, 2, 1), closed_on=None, form=None):
    """``n`` cases (one family each, ``members`` persons in it) with an art. 7 reason; with ``form`` a grant."""
    with schema_context(slug):
        reason = HelpReason.objects.get(code=reason_code)
        for _ in range(n):
            head = person()
            household = None
            if members > 1:
                household = Household.objects.create(head=head)
                HouseholdMember.objects.create(household=household, person=head, relation="head")
                for _k in range(members - 1):
                    HouseholdMember.objects.create(household=household, person=person(), relation="child")
            case = Case.objects.create(
                person=head,
                household=household,
                opened_on=opened_on,
                closed_on=closed_on,
                status="closed" if closed_on else "active_help",
            )
            CaseReason.objects.create(case=case, reason=reason, noted_on=opened_on)
            if form:
                Decision.objects.create(
                    case=case,
                    kind="grant",
                    form=FormOfHelp.objects.get(code=form),
                    amount=Decimal("100.00"),
                    period_start=opened_on,
                    issued_on=opened_on,
                )


def children(slug, kind, n, *, start_on=date(2025, 5, 1), end_on=None):
    with schema_context(slug):
        family = FosterFamily.objects.create(name=f"Rodzina {next(_serial)}", kind=kind)
        for _ in range(n):
            child = FosterChild.objects.create(person=person())
            Placement.objects.create(
                child=child, family=family, start_on=start_on, end_on=end_on, court_order_reference="III Nsm 1/25"
            )


def partner(name, *slugs, username=None):
    partnership = accounts.create_partnership(None, name=name, centers=list(slugs))
    return accounts.create_platform_account(
        None,
        username=username or f"partner-{next(_serial)}",
        email="p@example.org",
        role=PlatformRole.PARTNER,
        partnership=partnership,
    )


@pytest.fixture
def pomorze(torun, slupsk, gdansk):
    """A partner of the Pomeranian partnership: Słupsk and Gdańsk (not Toruń)."""
    return partner("Partnerzy pomorscy", "slupsk", "gdansk", username="pomorze")


@pytest.fixture
def operator(db):
    return accounts.create_platform_account(None, username="operator", email="o@example.org", role="operator")


def column(published, key):
    return [c.key for c in published.columns].index(key)


def row(published, slug):
    return [c.schema_name for c in published.centers].index(slug)


def cell(published, slug, key):
    return published.table.cells[row(published, slug)][column(published, key)]


# --- who sees what -----------------------------------------------------------------------------------------------


def test_a_partner_sees_the_centers_of_the_partnership_only(pomorze):
    centers = statistics.statistics_centers(pomorze)
    assert [c.schema_name for c in centers] == ["gdansk", "slupsk"]
    assert [c.schema_name for c in statistics.statistics_centers(pomorze, ["slupsk"])] == ["slupsk"]


def test_a_partner_asking_for_a_center_outside_the_partnership_gets_nothing(pomorze):
    with pytest.raises(PermissionDenied) as exc:
        figures_of(pomorze, centers=["gdansk", "torun"])
    assert exc.value.code == "outside_partnership"
    # Not even whether the center exists.
    with pytest.raises(PermissionDenied) as exc:
        figures_of(pomorze, centers=["nowhere"])
    assert exc.value.code == "outside_partnership"


def test_a_partner_of_another_partnership_sees_none_of_its_centers(pomorze, torun):
    kujawy = partner("Partnerzy kujawscy", "torun")
    assert [c.schema_name for c in statistics.statistics_centers(kujawy)] == ["torun"]
    with pytest.raises(PermissionDenied):
        statistics.statistics_centers(kujawy, ["slupsk"])


def test_a_deactivated_center_drops_out_of_a_partners_figures(pomorze, gdansk):
    gdansk.is_active = False
    gdansk.save()
    assert [c.schema_name for c in statistics.statistics_centers(pomorze)] == ["slupsk"]


def test_an_operator_may_ask_for_any_centers(operator, torun, slupsk, gdansk):
    assert {c.schema_name for c in statistics.statistics_centers(operator)} >= {"torun", "slupsk", "gdansk"}
    assert [c.schema_name for c in statistics.statistics_centers(operator, ["torun", "gdansk"])] == [
        "gdansk",
        "torun",
    ]
    with pytest.raises(ValidationFailed) as exc:
        statistics.statistics_centers(operator, ["nowhere"])
    assert exc.value.code == "unknown_center"


def test_anonymous_and_accounts_without_a_platform_role_are_refused(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied) as exc:
        statistics.statistics_centers(AnonymousUser())
    assert exc.value.code == "not_authenticated"
    nobody = get_user_model().objects.create_user(username="nobody")
    with pytest.raises(PermissionDenied) as exc:
        statistics.statistics_centers(nobody)
    assert exc.value.code == "permission_denied"


def test_inactive_partner_is_refused(pomorze):
    pomorze.is_active = False
    pomorze.save()
    with pytest.raises(PermissionDenied):
        statistics.statistics_centers(pomorze)


def test_only_published_windows_that_have_ended(pomorze):
    """Day-level periods are refused whatever they are (two periods a day apart told what happened that day), and
    so is a window still running (asked for on two days it would tell the same)."""
    for days in ({"date_from": FROM, "date_to": TO}, {"date_from": date(2026, 1, 1), "date_to": date(2026, 3, 17)}):
        with pytest.raises(ValidationFailed) as exc:
            statistics.statistics(pomorze, window=statistics.published_window("half", 2026, 1), **days)
        assert exc.value.code == "day_period_refused" and exc.value.field == "period"
    with pytest.raises(ValidationFailed) as exc:
        statistics.statistics(pomorze, today=TODAY)
    assert exc.value.code == "period_required"
    with pytest.raises(ValidationFailed) as exc:
        figures_of(pomorze, window=statistics.published_window("month", 2026, 11))  # TODAY is in November
    assert exc.value.code == "period_not_ended"
    assert figures_of(pomorze, window=statistics.published_window("month", 2026, 10)).source == statistics.LIVE


@pytest.mark.parametrize(
    ("kind", "year", "number", "first", "last", "key"),
    [
        ("month", 2026, 2, date(2026, 2, 1), date(2026, 2, 28), "2026-02"),
        ("month", 2024, 12, date(2024, 12, 1), date(2024, 12, 31), "2024-12"),
        ("quarter", 2026, 3, date(2026, 7, 1), date(2026, 9, 30), "2026-Q3"),
        ("half", 2026, 2, date(2026, 7, 1), date(2026, 12, 31), "2026-H2"),
        ("year", 2025, None, date(2025, 1, 1), date(2025, 12, 31), "2025"),
    ],
)
def test_published_windows(kind, year, number, first, last, key):
    window = statistics.published_window(kind, year, number)
    assert (window.date_from, window.date_to, window.key) == (first, last, key)


@pytest.mark.parametrize(
    ("kind", "year", "number"), [("month", 2026, 13), ("quarter", 2026, 0), ("half", 2026, 3), ("week", 2026, 1)]
)
def test_invalid_windows_are_refused(kind, year, number):
    with pytest.raises(ValidationFailed) as exc:
        statistics.published_window(kind, year, number)
    assert exc.value.code == "invalid_period"


def test_last_completed_windows():
    keys = [w.key for w in statistics.last_completed_windows(date(2026, 1, 15))]
    assert keys == ["2025-12", "2025-Q4", "2025-H2", "2025"]
    keys = [w.key for w in statistics.last_completed_windows(date(2026, 8, 1))]
    assert keys == ["2026-07", "2026-Q2", "2026-H1", "2025"]


def test_figures_need_the_platform_not_a_center(pomorze, in_schema, torun):
    from ostoja.platform.errors import Conflict

    with in_schema("torun"), pytest.raises(Conflict):
        statistics.statistics_centers(pomorze)


def test_narrowing_shows_rows_of_the_whole_suppressed_table_and_never_new_totals(pomorze):
    """The review's attack: the partnership's table shows the poverty column total 23 with Słupsk's 3 hidden; asked
    for Gdańsk alone, a table suppressed anew showed Gdańsk's 20 — so Słupsk = 3. Now the narrowed answer is the
    same table's Gdańsk row (20 still hidden) and the same totals."""
    families("slupsk", "ubostwo", 3)
    families("slupsk", "bezrobocie", 12)
    families("gdansk", "ubostwo", 20)
    families("gdansk", "bezrobocie", 7)
    whole = figures_of(pomorze).by_reason["families"]
    narrowed = figures_of(pomorze, ["gdansk"]).by_reason["families"]
    assert [c.schema_name for c in narrowed.centers] == ["gdansk"]
    assert narrowed.table.cells == [whole.table.cells[row(whole, "gdansk")]]
    assert narrowed.table.row_totals == [whole.table.row_totals[row(whole, "gdansk")]]
    assert narrowed.table.column_totals == whole.table.column_totals
    assert narrowed.table.grand_total == whole.table.grand_total
    assert cell(whole, "slupsk", "ubostwo").reason == PRIMARY
    assert cell(narrowed, "gdansk", "ubostwo").suppressed  # 20 = 23 - 3 must not be shown
    assert cell(narrowed, "gdansk", "ubostwo").value is None


# --- suppression on crafted data -----------------------------------------------------------------------------------


def test_primary_and_secondary_suppression_of_families_by_reason(operator):
    families("torun", "ubostwo", 3)  # small: hidden (primary)
    families("torun", "bezrobocie", 12)
    families("slupsk", "ubostwo", 20)
    families("slupsk", "bezrobocie", 7)
    families("gdansk", "ubostwo", 9)
    families("gdansk", "bezrobocie", 15)
    figures = figures_of(operator, centers=["torun", "slupsk", "gdansk"])
    table = figures.by_reason["families"]
    poverty = cell(table, "torun", "ubostwo")
    assert poverty.suppressed and poverty.reason == PRIMARY and poverty.value is None
    # Toruń's row total (15) minus unemployment (12) would give the 3 back: another cell of the row is hidden.
    row_torun = table.table.cells[row(table, "torun")]
    assert [c.reason for c in row_torun].count(SECONDARY) >= 1
    # The poverty column total (32) minus Słupsk (20) and Gdańsk (9) as well: one of them is hidden too.
    col = column(table, "ubostwo")
    assert sum(r[col].reason == SECONDARY for r in table.table.cells) >= 1
    assert recomputable(table.table) == []
    # Zeros are shown; large counts and the totals are right.
    assert cell(table, "gdansk", "bezdomnosc").value == 0
    assert table.table.column_totals[col].value == 32
    assert table.table.grand_total.value == 66


def test_a_small_total_is_suppressed_too(operator):
    families("slupsk", "ubostwo", 2)
    families("gdansk", "ubostwo", 1)
    figures = figures_of(operator, centers=["slupsk", "gdansk"])
    table = figures.by_reason["families"].table
    assert table.grand_total.reason == PRIMARY
    assert all(t.reason == PRIMARY for t in table.row_totals)
    assert recomputable(table) == []


def test_persons_count_every_member_of_the_family(operator):
    families("gdansk", "ubostwo", 5, members=3)
    families("gdansk", "bezrobocie", 6)
    figures = figures_of(operator, centers=["gdansk"])
    assert cell(figures.by_reason["families"], "gdansk", "ubostwo").value == 5
    assert cell(figures.by_reason["persons"], "gdansk", "ubostwo").value == 15
    assert cell(figures.by_reason["persons"], "gdansk", "bezrobocie").value == 6


def test_period_filter_counts_cases_open_during_the_period(operator):
    families("slupsk", "ubostwo", 6, opened_on=date(2026, 3, 1))  # in
    families("slupsk", "ubostwo", 7, opened_on=date(2025, 3, 1))  # still open: in
    families("slupsk", "ubostwo", 8, opened_on=date(2025, 3, 1), closed_on=date(2025, 12, 31))  # closed before
    families("slupsk", "ubostwo", 9, opened_on=date(2026, 7, 1))  # opened after
    figures = figures_of(operator, centers=["slupsk"])
    assert cell(figures.by_reason["families"], "slupsk", "ubostwo").value == 13
    later = figures_of(operator, centers=["slupsk"], window=statistics.published_window("month", 2026, 7))
    assert cell(later.by_reason["families"], "slupsk", "ubostwo").value == 6 + 7 + 9


def test_forms_of_help_and_decisions_by_month_with_amounts_hidden_with_their_counts(operator):
    families("torun", "ubostwo", 2, form="zasilek-celowy", opened_on=date(2026, 2, 10))
    families("torun", "ubostwo", 9, form="zasilek-celowy", opened_on=date(2026, 3, 10))
    families("gdansk", "ubostwo", 8, form="zasilek-celowy", opened_on=date(2026, 2, 10))
    families("gdansk", "ubostwo", 6, form="zasilek-okresowy", opened_on=date(2026, 3, 10))
    figures = figures_of(operator, centers=["torun", "gdansk"])
    forms = figures.by_form_of_help["families"]
    assert cell(forms, "torun", "zasilek-celowy").value == 11
    assert cell(forms, "gdansk", "zasilek-okresowy").value == 6

    decisions = figures.decisions_by_month["decisions"]
    amounts = figures.decisions_by_month["amounts"]
    assert [c.key for c in decisions.columns] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert cell(decisions, "torun", "2026-02").reason == PRIMARY
    assert cell(amounts, "torun", "2026-02").reason == PRIMARY and cell(amounts, "torun", "2026-02").value is None
    # Gdańsk's 8 in February would give Toruń's 2 back from the column total: hidden as well.
    assert cell(decisions, "gdansk", "2026-02").reason == SECONDARY
    assert decisions.table.grand_total.value == 25
    assert amounts.table.grand_total.value == Decimal("2500.00")
    assert recomputable(decisions.table) == []
    for count_row, amount_row in zip(decisions.table.cells, amounts.table.cells, strict=True):
        assert [c.suppressed for c in count_row] == [c.suppressed for c in amount_row]
    assert [c.suppressed for c in decisions.table.row_totals] == [c.suppressed for c in amounts.table.row_totals]


def test_children_in_foster_care_by_family_kind(operator):
    children("slupsk", "related", 6)
    children("slupsk", "professional", 2)
    children("slupsk", "emergency", 9, start_on=date(2024, 1, 1), end_on=date(2025, 6, 1))  # left before the period
    children("gdansk", "related", 5)
    figures = figures_of(operator, centers=["slupsk", "gdansk"])
    table = figures.children_by_family_kind
    assert cell(table, "slupsk", "professional").reason == PRIMARY
    assert cell(table, "slupsk", "emergency").value == 0  # the emergency family's children left before the period
    # Słupsk's row total 8 gives the 2 back unless the 6 is hidden too; the totals line (11, 2 of 13) likewise.
    assert cell(table, "slupsk", "related").reason == SECONDARY
    assert table.table.column_totals[column(table, "related")].reason == SECONDARY
    assert cell(table, "gdansk", "related").value == 5
    assert table.table.grand_total.value == 13
    assert recomputable(table.table) == []


def test_project_targets_against_achieved(operator):
    with schema_context("gdansk"):
        project = Project.objects.create(
            code="test-projekt", title_pl="Projekt", center_role="lead", status="running", start_date=FROM
        )
        persons_target = Target.objects.create(
            project=project, code="osoby", name_pl="Osoby", unit="persons", target_value=40, measure="participants"
        )
        hours = Target.objects.create(
            project=project, code="godziny", name_pl="Godziny", unit="hours", target_value=100, measure="recorded"
        )
        for _ in range(12):
            Participant.objects.create(
                project=project,
                person=person(),
                enrolled_on=date(2026, 2, 1),
                sex="F",
                age_at_enrolment=30,
                labour_market_status="employed",
            )
        Achievement.objects.create(target=hours, value=Decimal("30"), achieved_on=date(2026, 3, 1))
        Achievement.objects.create(target=hours, value=Decimal("50"), achieved_on=date(2025, 3, 1))  # before
        assert persons_target.pk
    figures = figures_of(operator, centers=["gdansk"])
    targets = figures.project_targets["targets"]
    achieved = figures.project_targets["achieved"]
    assert cell(targets, "gdansk", "persons").value == 40
    assert cell(achieved, "gdansk", "persons").value == 12
    assert cell(targets, "gdansk", "hours").value == 100
    assert cell(achieved, "gdansk", "hours").value == 30


# --- one statement per figure ---------------------------------------------------------------------------------------


FIGURES = ("by_reason", "by_form_of_help", "decisions_by_month", "children_by_family_kind", "project_targets")


@pytest.mark.parametrize("slugs", [["torun"], ["torun", "slupsk", "gdansk"]])
def test_each_figure_is_one_sql_statement_whatever_the_number_of_centers(operator, count_sql, slugs):
    families("torun", "ubostwo", 6, form="zasilek-celowy")
    children("gdansk", "related", 5)
    figures = figures_of(operator, centers=slugs)
    for name in FIGURES:
        with count_sql() as sql:
            getattr(figures, name)
        assert sql.n == 1, f"{name} must be one UNION ALL statement over {len(slugs)} centers, not one per center"
        # the statement covers the whole table (every active center for an operator), whichever rows are shown
        assert sql.queries[0].count("UNION ALL") == len(figures.centers) - 1
        with count_sql() as again:
            getattr(figures, name)
        assert again.n == 0, "a figure is computed once per request"


def test_schema_names_are_quoted_identifiers(operator, count_sql):
    figures = figures_of(operator, centers=["torun"])
    with count_sql() as sql:
        figures.by_reason  # noqa: B018
    assert '"torun"."cases_helpreason"' in sql.queries[0]
