"""Aggregate figures across centers for regional partners and operators: never a person, only counts and sums,
per center and in total, for a period, with small counts suppressed (ostoja.tenants.suppression).

Who sees what: a regional partner sees the active centers of their partnership; an operator sees every active
center (and any inactive one they name). Whoever asks, small counts are suppressed over that WHOLE table — the
partner's partnership, the operator's centers — and asking for some ``centers`` only leaves out rows of the
already suppressed table: the totals stay those of the whole table. (Suppressing a narrowed table anew let a partner
difference two tables: a total of 23 with Słupsk hidden, and Gdańsk's 20 alone, gave Słupsk's 3.) A center outside
the partnership is refused, with no figures at all.

When: only published windows — a calendar month, quarter, half-year or year that has ended (``Window``). Day-level
periods are refused, as are windows still running: two periods one day apart (or one window asked for on two days)
would tell what happened on that day. Past windows are read from the snapshots of tenants/snapshots.py when they
exist (``source`` SNAPSHOT, with ``computed_at``), computed live otherwise (``source`` LIVE).

How: every figure is ONE SQL statement — a ``UNION ALL`` of one branch per center schema, each branch naming its
tables with ``psycopg.sql.Identifier`` (schema, table) — never a Python loop of ORM queries per center. The table
names come from the models (``Model._meta.db_table``). Reference data (reasons, forms of help) is read from each
schema in the same statement, so every category has a column even where nothing was counted.

Categories that overlap (a family with two art. 7 reasons, a child placed in two kinds of family during the period)
are counted in each of them; the totals are the sums of the published cells (family–reason pairs), which is also
what lets the suppression check that no hidden cell can be recomputed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from psycopg import sql

from ostoja.modules.cases.models import (
    Case,
    CaseReason,
    Decision,
    DecisionKind,
    FormOfHelp,
    HelpReason,
    HouseholdMember,
)
from ostoja.modules.foster_care.models import FamilyKind, FosterFamily, Placement
from ostoja.modules.projects.models import Achievement, Participant, Project, ProjectStatus, Target, TargetUnit
from ostoja.platform.accounts.services import is_operator, platform_role, require_public_schema
from ostoja.platform.errors import PermissionDenied, ValidationFailed
from ostoja.tenants.configuration.models import in_language
from ostoja.tenants.models import Center, PlatformRole, WindowKind
from ostoja.tenants.suppression import Table, mask_like, suppress

LIVE = "LIVE"
SNAPSHOT = "SNAPSHOT"

MAX_MONTHS = 60


# --- who may see which centers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """``centers``: the whole table suppression is computed over; ``shown``: the rows published (a subset)."""

    centers: list[Center]
    shown: list[Center]


def statistics_scope(actor, centers=None) -> Scope:
    """The table ``actor`` may see figures of (a partner: the active centers of the partnership; an operator: every
    active center and any other one named in ``centers``) and the rows ``centers`` (slugs) narrows it to.

    PermissionDenied for anyone who is not an operator or a partner, and for a partner asking for a center
    outside their partnership; ValidationFailed for a slug that names no center (operators only — a partner
    is not told whether a center outside the partnership exists)."""
    require_public_schema()
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Log in to a platform account first."), code="not_authenticated")
    wanted = None if centers is None else [str(slug).strip().lower() for slug in centers]
    order = ("short_name", "schema_name")
    if is_operator(actor):
        named = set(wanted or ())
        found = list(Center.objects.filter(is_active=True).order_by(*order))
        found_slugs = {c.schema_name for c in found}
        if named - found_slugs:
            inactive = list(Center.objects.filter(schema_name__in=named - found_slugs))
            found = sorted(found + inactive, key=lambda c: (c.short_name, c.schema_name))
        missing = sorted(named - {c.schema_name for c in found})
        if missing:
            raise ValidationFailed(
                _("There is no center “%(center)s”."),
                code="unknown_center",
                field="centers",
                params={"center": missing[0]},
            )
        return Scope(found, found if wanted is None else [c for c in found if c.schema_name in named])
    if platform_role(actor) != PlatformRole.PARTNER or actor.platform_account.partnership_id is None:
        raise PermissionDenied(
            _("Only regional partners and platform operators may see aggregate figures."), code="permission_denied"
        )
    allowed = list(
        Center.objects.filter(partnerships=actor.platform_account.partnership_id, is_active=True).order_by(*order)
    )
    if wanted is None:
        return Scope(allowed, allowed)
    outside = sorted(set(wanted) - {c.schema_name for c in allowed})
    if outside:
        raise PermissionDenied(
            _("These figures cover only the centers of your partnership."), code="outside_partnership", field="centers"
        )
    return Scope(allowed, [c for c in allowed if c.schema_name in wanted])


def statistics_centers(actor, centers=None) -> list[Center]:
    """The rows ``actor`` would see (``statistics_scope(...).shown``)."""
    return statistics_scope(actor, centers).shown


# --- published windows -----------------------------------------------------------------------------------------

_WINDOW_MONTHS = {WindowKind.MONTH: 1, WindowKind.QUARTER: 3, WindowKind.HALF: 6, WindowKind.YEAR: 12}
_WINDOW_COUNT = {WindowKind.MONTH: 12, WindowKind.QUARTER: 4, WindowKind.HALF: 2, WindowKind.YEAR: 1}
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Window:
    """A published window: ``kind`` (WindowKind), ``year`` and ``number`` (month 1–12, quarter 1–4, half 1–2, 1
    for a year)."""

    kind: str
    year: int
    number: int

    @property
    def date_from(self) -> datetime.date:
        return datetime.date(self.year, (self.number - 1) * _WINDOW_MONTHS[self.kind] + 1, 1)

    @property
    def date_to(self) -> datetime.date:
        last_month = self.number * _WINDOW_MONTHS[self.kind]
        if last_month == 12:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, last_month + 1, 1) - datetime.timedelta(days=1)

    @property
    def key(self) -> str:
        suffix = {WindowKind.MONTH: f"-{self.number:02d}", WindowKind.QUARTER: f"-Q{self.number}"}
        suffix[WindowKind.HALF] = f"-H{self.number}"
        return f"{self.year}{suffix.get(self.kind, '')}"

    def has_ended(self, today: datetime.date) -> bool:
        return self.date_to < today

    def __str__(self):
        return self.key


def published_window(kind, year, number=None) -> Window:
    """A validated window (ValidationFailed ``invalid_period`` otherwise); ``number`` may be left out for a year."""
    try:
        kind = WindowKind(kind)
    except ValueError:
        kind = None
    if kind == WindowKind.YEAR and number is None:
        number = 1
    if kind is None or year is None or number is None or not FIRST_YEAR <= int(year) <= 9999:
        raise ValidationFailed(
            _("Give a published period: a month, quarter, half-year or year, and its year."),
            code="invalid_period",
            field="period",
        )
    if not 1 <= int(number) <= _WINDOW_COUNT[kind]:
        raise ValidationFailed(
            _("A %(kind)s is numbered 1 to %(count)s."),
            code="invalid_period",
            field="period",
            params={"kind": kind.label, "count": _WINDOW_COUNT[kind]},
        )
    return Window(kind.value, int(year), int(number))


def last_completed_windows(today: datetime.date) -> list[Window]:
    """The last month, quarter, half-year and year that ended before ``today``."""
    windows = []
    for kind, months in _WINDOW_MONTHS.items():
        index = (today.year * 12 + today.month - 1) // months - 1  # the window before today's
        year, number = divmod(index, 12 // months)
        windows.append(Window(kind.value, year, number + 1))
    return windows


def check_period(date_from: datetime.date, date_to: datetime.date) -> None:
    """For ``Statistics`` built directly (benchmarks, operators' tools): a sane range of days."""
    if date_from is None or date_to is None:
        raise ValidationFailed(_("Give the first and the last day of the period."), code="period_required", field="to")
    if date_to < date_from:
        raise ValidationFailed(_("The period cannot end before it starts."), code="invalid_period", field="to")
    if len(months_between(date_from, date_to)) > MAX_MONTHS:
        raise ValidationFailed(
            _("The period can be at most %(months)s months long."),
            code="period_too_long",
            field="from",
            params={"months": MAX_MONTHS},
        )


def months_between(date_from: datetime.date, date_to: datetime.date) -> list[str]:
    """``YYYY-MM`` of every month the period touches."""
    months = []
    year, month = date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if len(months) > MAX_MONTHS + 1:
            break
    return months


# --- one statement per figure --------------------------------------------------------------------------------


def _table(schema: str, model) -> sql.Identifier:
    return sql.Identifier(schema, model._meta.db_table)


def _union(centers: list[Center], branch: Callable[[str], sql.Composable]) -> list[tuple]:
    """Run ``branch(schema)`` for every center as one ``UNION ALL`` statement; rows start with the schema name."""
    if not centers:
        return []
    parts = [
        sql.SQL("SELECT {center}::text AS center, b.* FROM ({branch}) AS b").format(
            center=sql.Literal(c.schema_name), branch=branch(c.schema_name)
        )
        for c in centers
    ]
    statement = sql.SQL("\nUNION ALL\n").join(parts)
    connection.ensure_connection()
    text = statement.as_string(connection.connection)
    with connection.cursor() as cursor:
        cursor.execute(text)
        return cursor.fetchall()


def _case_people(schema: str) -> sql.Composable:
    """A LATERAL list of the persons of case ``c``: its person and the members of its household."""
    return sql.SQL(
        "LEFT JOIN LATERAL (SELECT c.person_id UNION SELECT m.person_id FROM {member} m "
        "WHERE m.household_id = c.household_id) AS fp(person_id) ON true"
    ).format(member=_table(schema, HouseholdMember))


# A family is the case's household, or the case itself when it has none (households and cases never collide:
# households are counted negative).
_FAMILY = sql.SQL("count(DISTINCT CASE WHEN c.household_id IS NULL THEN c.id ELSE -c.household_id END)")


def _families_by_reason_sql(schema: str, date_from, date_to) -> sql.Composable:
    return sql.SQL(
        """SELECT hr.code, hr.name_pl, hr.name_en, hr."order", {family} AS families,
                  count(DISTINCT fp.person_id) AS persons
           FROM {reason} hr
           LEFT JOIN {case_reason} cr ON cr.reason_id = hr.id
           LEFT JOIN {case} c ON c.id = cr.case_id AND c.opened_on <= {to}
                AND (c.closed_on IS NULL OR c.closed_on >= {from})
           {people}
           GROUP BY hr.id"""
    ).format(
        family=_FAMILY,
        reason=_table(schema, HelpReason),
        case_reason=_table(schema, CaseReason),
        case=_table(schema, Case),
        people=_case_people(schema),
        to=sql.Literal(date_to),
        **{"from": sql.Literal(date_from)},
    )


def _families_by_form_sql(schema: str, date_from, date_to) -> sql.Composable:
    return sql.SQL(
        """SELECT f.code, f.name_pl, f.name_en, f."order", {family} AS families,
                  count(DISTINCT fp.person_id) AS persons
           FROM {form} f
           LEFT JOIN {decision} d ON d.form_id = f.id AND d.kind IN ({kinds})
                AND d.period_start <= {to} AND (d.period_end IS NULL OR d.period_end >= {from})
           LEFT JOIN {case} c ON c.id = d.case_id
           {people}
           GROUP BY f.id"""
    ).format(
        family=_FAMILY,
        form=_table(schema, FormOfHelp),
        decision=_table(schema, Decision),
        kinds=sql.SQL(", ").join([sql.Literal(DecisionKind.GRANT.value), sql.Literal(DecisionKind.CHANGE.value)]),
        case=_table(schema, Case),
        people=_case_people(schema),
        to=sql.Literal(date_to),
        **{"from": sql.Literal(date_from)},
    )


def _decisions_by_month_sql(schema: str, date_from, date_to) -> sql.Composable:
    return sql.SQL(
        """SELECT to_char(d.issued_on, 'YYYY-MM') AS month, count(*) AS decisions,
                  coalesce(sum(d.amount), 0) AS amount
           FROM {decision} d WHERE d.issued_on BETWEEN {from} AND {to}
           GROUP BY 1"""
    ).format(decision=_table(schema, Decision), to=sql.Literal(date_to), **{"from": sql.Literal(date_from)})


def _children_by_kind_sql(schema: str, date_from, date_to) -> sql.Composable:
    return sql.SQL(
        """SELECT f.kind, count(DISTINCT p.child_id) AS children
           FROM {placement} p JOIN {family} f ON f.id = p.family_id
           WHERE p.start_on <= {to} AND (p.end_on IS NULL OR p.end_on >= {from})
           GROUP BY f.kind"""
    ).format(
        placement=_table(schema, Placement),
        family=_table(schema, FosterFamily),
        to=sql.Literal(date_to),
        **{"from": sql.Literal(date_from)},
    )


def _targets_sql(schema: str, date_from, date_to) -> sql.Composable:
    """Targets of the projects running in the period, by unit, and what was achieved in the period: distinct
    matching persons enrolled in it (targets counted from participants, criteria as in the projects services),
    or the achievements recorded in it."""
    return sql.SQL(
        """SELECT t.unit, sum(t.target_value) AS target,
                  sum(CASE WHEN t.measure = 'participants' THEN (
                        SELECT count(DISTINCT pa.person_id) FROM {participant} pa
                        WHERE pa.project_id = t.project_id AND pa.enrolled_on BETWEEN {from} AND {to}
                          AND (t.criterion_sex = '' OR pa.sex = t.criterion_sex)
                          AND (t.criterion_min_age IS NULL OR pa.age_at_enrolment >= t.criterion_min_age)
                          AND (t.criterion_max_age IS NULL OR pa.age_at_enrolment <= t.criterion_max_age)
                          AND (cardinality(t.criterion_labour_statuses) = 0
                               OR pa.labour_market_status = ANY(t.criterion_labour_statuses))
                          AND (t.criterion_characteristic = '' OR t.criterion_characteristic = ANY(pa.characteristics))
                          AND (cardinality(t.criterion_exit_statuses) = 0
                               OR pa.labour_market_status_at_exit = ANY(t.criterion_exit_statuses)))
                      ELSE (SELECT coalesce(sum(a.value), 0) FROM {achievement} a
                            WHERE a.target_id = t.id AND a.achieved_on BETWEEN {from} AND {to})
                  END) AS achieved
           FROM {target} t JOIN {project} pr ON pr.id = t.project_id
           WHERE pr.status <> {cancelled}
             AND (pr.start_date IS NULL OR pr.start_date <= {to}) AND (pr.end_date IS NULL OR pr.end_date >= {from})
           GROUP BY t.unit"""
    ).format(
        participant=_table(schema, Participant),
        achievement=_table(schema, Achievement),
        target=_table(schema, Target),
        project=_table(schema, Project),
        cancelled=sql.Literal(ProjectStatus.CANCELLED.value),
        to=sql.Literal(date_to),
        **{"from": sql.Literal(date_from)},
    )


# --- published tables ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class PublishedTable:
    """A suppressed table: ``table.cells[i]`` belongs to ``centers[i]``, ``table.cells[i][j]`` to ``columns[j]``."""

    centers: list[Center]
    columns: list[Column]
    table: Table


def _matrix(centers, columns, values: dict, default=0) -> list[list]:
    return [[values.get((c.schema_name, col.key), default) for col in columns] for c in centers]


def _reference_columns(rows) -> list[Column]:
    """Columns of reference data read from the schemas: ``(center, code, name_pl, name_en, order, …)`` rows."""
    seen: dict[str, tuple] = {}
    for row in rows:
        seen.setdefault(row[1], (row[4], row[1], in_language(row[2], row[3])))
    return [Column(code, label) for _order, code, label in sorted(seen.values())]


FIGURES_SQL = {
    "reason": _families_by_reason_sql,
    "form": _families_by_form_sql,
    "decisions": _decisions_by_month_sql,
    "children": _children_by_kind_sql,
    "targets": _targets_sql,
}
"""The raw rows of each figure, one statement each: ``(center, …)`` as the builders select them. tenants/snapshots.py
stores these rows and gives them back in the same shape."""


def raw_rows(centers: list[Center], figure: str, date_from, date_to) -> list[tuple]:
    """The unsuppressed rows of one figure for ``centers`` (never published as they are)."""
    return _union(centers, lambda schema: FIGURES_SQL[figure](schema, date_from, date_to))


class Statistics:
    """The figures of a table of centers (``centers``: suppression is computed over all of them) for a period, of
    which the rows of ``shown`` are published (default: all). Each figure is read when first asked for: live (one
    statement per figure) or, given ``rows`` (a snapshot's, see tenants/snapshots.py), from those."""

    def __init__(
        self,
        centers: list[Center],
        date_from: datetime.date,
        date_to: datetime.date,
        threshold=None,
        *,
        shown: list[Center] | None = None,
        window: Window | None = None,
        rows: dict[str, list[tuple]] | None = None,
        computed_at: datetime.datetime | None = None,
        cache_key: str | None = None,
    ):
        self.centers = centers
        self.shown = centers if shown is None else shown
        self.date_from = date_from
        self.date_to = date_to
        self.window = window
        self.threshold = settings.OSTOJA_SUPPRESSION_THRESHOLD if threshold is None else threshold
        self._stored = rows
        self.source = LIVE if rows is None else SNAPSHOT
        self.computed_at = computed_at
        self._cache_key = cache_key

    def _run(self, figure: str) -> list[tuple]:
        if self._stored is not None:
            return self._stored.get(figure, [])
        return raw_rows(self.centers, figure, self.date_from, self.date_to)

    def _suppressed(self, name: str, compute: Callable[[], Table]) -> Table:
        """``compute()``, or the same table from the cache when the raw numbers are a snapshot's (they do not change
        until the snapshot is computed again, which changes ``cache_key``)."""
        if self._cache_key is None:
            return compute()
        key = f"{self._cache_key}:{self.threshold}:{name}"
        table = cache.get(key)  # this process's (or Redis) cache first, then the shared database cache
        if table is None:
            table = caches["figures"].get(key)
            if table is None:
                table = compute()
                caches["figures"].set(key, table, timeout=SUPPRESSED_CACHE_SECONDS)
            cache.set(key, table, timeout=SUPPRESSED_CACHE_SECONDS)
        return table

    def prepare(self) -> None:
        """Compute (or fetch) every figure's table now: the snapshot task calls this so that requests find them."""
        for name in FIGURE_PROPERTIES:
            getattr(self, name)

    def _publish(self, columns: list[Column], table: Table) -> PublishedTable:
        """The rows of ``shown`` only; the column totals and the grand total stay the whole table's."""
        if len(self.shown) == len(self.centers):
            return PublishedTable(self.centers, columns, table)
        index = {c.schema_name: i for i, c in enumerate(self.centers)}
        keep = [index[c.schema_name] for c in self.shown]
        sliced = Table(
            cells=[table.cells[i] for i in keep],
            row_totals=[table.row_totals[i] for i in keep],
            column_totals=table.column_totals,
            grand_total=table.grand_total,
        )
        return PublishedTable(self.shown, columns, sliced)

    def _count_table(self, name, columns, values) -> Table:
        matrix = _matrix(self.centers, columns, values)
        return self._suppressed(name, lambda: suppress(matrix, self.threshold))

    def _families_and_persons(self, figure, rows) -> dict[str, PublishedTable]:
        columns = _reference_columns(rows)
        families = self._count_table(f"{figure}.families", columns, {(r[0], r[1]): r[5] for r in rows})
        persons = self._count_table(f"{figure}.persons", columns, {(r[0], r[1]): r[6] for r in rows})
        return {"families": self._publish(columns, families), "persons": self._publish(columns, persons)}

    @cached_property
    def by_reason(self) -> dict[str, PublishedTable]:
        """Families and persons with a case open in the period, by art. 7 reason."""
        return self._families_and_persons("reason", self._run("reason"))

    @cached_property
    def by_form_of_help(self) -> dict[str, PublishedTable]:
        """Families and persons granted a form of help for (part of) the period, by form."""
        return self._families_and_persons("form", self._run("form"))

    @cached_property
    def decisions_by_month(self) -> dict[str, PublishedTable]:
        """Decisions issued in the period and their amounts, by month of issue; amounts hidden with their counts."""
        rows = self._run("decisions")
        columns = [Column(m, m) for m in months_between(self.date_from, self.date_to)]
        counts = self._count_table("decisions", columns, {(r[0], r[1]): r[2] for r in rows})
        amounts = _matrix(self.centers, columns, {(r[0], r[1]): r[3] for r in rows}, default=Decimal(0))
        return {
            "decisions": self._publish(columns, counts),
            "amounts": self._publish(columns, mask_like(amounts, counts)),
        }

    @cached_property
    def children_by_family_kind(self) -> PublishedTable:
        """Children placed in foster care at any time in the period, by the kind of their foster family."""
        rows = self._run("children")
        columns = [Column(value, str(label)) for value, label in FamilyKind.choices]
        return self._publish(columns, self._count_table("children", columns, {(r[0], r[1]): r[2] for r in rows}))

    @cached_property
    def project_targets(self) -> dict[str, PublishedTable]:
        """Target values of the projects running in the period and what was achieved in it, by unit. What was
        achieved is suppressed like a count (persons, families…); targets are plans and are shown."""
        rows = self._run("targets")
        columns = [Column(value, str(label)) for value, label in TargetUnit.choices]
        achieved = self._count_table("targets.achieved", columns, {(r[0], r[1]): r[3] for r in rows})
        targets = _matrix(self.centers, columns, {(r[0], r[1]): r[2] for r in rows}, default=Decimal(0))
        return {
            "targets": self._publish(columns, self._suppressed("targets.targets", lambda: suppress(targets, 0))),
            "achieved": self._publish(columns, achieved),
        }


SUPPRESSED_CACHE_SECONDS = 7 * 24 * 3600
FIGURE_PROPERTIES = ("by_reason", "by_form_of_help", "decisions_by_month", "children_by_family_kind", "project_targets")


def statistics(
    actor,
    *,
    window: Window | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    centers=None,
    today: datetime.date | None = None,
) -> Statistics:
    """The aggregate figures ``actor`` may see (see ``statistics_scope``) for a published ``window`` that has
    ended. Day-level periods (``date_from``/``date_to``) are refused: ValidationFailed ``day_period_refused``."""
    scope = statistics_scope(actor, centers)
    if date_from is not None or date_to is not None:
        raise ValidationFailed(
            _("Figures are published for whole months, quarters, half-years and years only, not for chosen days."),
            code="day_period_refused",
            field="period",
        )
    if window is None:
        raise ValidationFailed(
            _("Give a published period: a month, quarter, half-year or year, and its year."),
            code="period_required",
            field="period",
        )
    if not window.has_ended(today or timezone.localdate()):
        raise ValidationFailed(
            _("Figures of a period are published once the period has ended."),
            code="period_not_ended",
            field="period",
        )
    from ostoja.tenants.snapshots import read_snapshots

    stored = read_snapshots(scope.centers, window)
    if stored is None:
        return Statistics(scope.centers, window.date_from, window.date_to, shown=scope.shown, window=window)
    return Statistics(
        scope.centers,
        window.date_from,
        window.date_to,
        shown=scope.shown,
        window=window,
        rows=stored.rows,
        computed_at=stored.computed_at,
        cache_key=stored.cache_key,
    )
