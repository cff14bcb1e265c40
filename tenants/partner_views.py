"""The regional partner dashboard (platform host, namespace "partners"): the aggregate figures of the
partnership's centers for a published period, as charts (server-rendered SVG) each with its data table, and the
same tables as CSV.

Every figure comes from ``tenants.statistics.statistics`` — the very call behind the GraphQL field
``partnerStatistics`` (graphql/platform/partners/queries.py): published windows only (an ended month, quarter,
half-year or year), small counts suppressed over the whole table (the partnership's centers; for an operator,
every active center), snapshots first and live figures otherwise. A hidden cell is shown as hidden — in the chart
a hatched placeholder that is not on the scale, in the table and the CSV a text marker — and its value never
reaches the page. Operators see every active center, or the rows of one partnership's centers (the totals are
then those of all centers, exactly as the API's ``centers`` argument gives them)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ostoja.platform.accounts.services import is_operator, list_partnerships
from ostoja.platform.errors import ValidationFailed
from ostoja.platform.exports.formats import text as csv_text
from ostoja.platform.web.access import platform_page
from ostoja.platform.web.forms import add_service_error
from ostoja.tenants import charts, statistics
from ostoja.tenants.models import WindowKind
from ostoja.tenants.suppression import PRIMARY

TREND_PERIODS = 6  # periods in the trend line: the chosen one and the five before it
MAX_CHART_SERIES = 10  # more centers than this: tables only (a chart of a hundred bars per category says nothing)
PER_YEAR = {WindowKind.MONTH: 12, WindowKind.QUARTER: 4, WindowKind.HALF: 2, WindowKind.YEAR: 1}


# --- access ------------------------------------------------------------------------------------------------------


# --- periods -----------------------------------------------------------------------------------------------------


def default_window(today=None) -> statistics.Window:
    """The last quarter that has ended."""
    today = today or timezone.localdate()
    return next(w for w in statistics.last_completed_windows(today) if w.kind == WindowKind.QUARTER)


def period_label(window: statistics.Window) -> str:
    params = {"number": window.number, "year": window.year}
    if window.kind == WindowKind.MONTH:
        return f"{MONTHS[window.number]} {window.year}"
    if window.kind == WindowKind.QUARTER:
        return _("Q%(number)s %(year)s") % params
    if window.kind == WindowKind.HALF:
        return _("H%(number)s %(year)s") % params
    return str(window.year)


def short_period_label(window: statistics.Window) -> str:
    """A label short enough for a chart's axis: ``Oct 2026`` for a month, as ``period_label`` otherwise."""
    if window.kind == WindowKind.MONTH:
        return f"{MONTHS_3[window.number]} {window.year}"
    return period_label(window)


def preceding_windows(window: statistics.Window, count: int = TREND_PERIODS) -> list[statistics.Window]:
    """``window`` and the ``count - 1`` windows of its kind before it, oldest first (none before FIRST_YEAR)."""
    per_year = PER_YEAR[WindowKind(window.kind)]
    index = window.year * per_year + window.number - 1
    windows = []
    for i in range(index - count + 1, index + 1):
        year, number = divmod(i, per_year)
        if year >= statistics.FIRST_YEAR:
            windows.append(statistics.Window(window.kind, year, number + 1))
    return windows


def month_label(key: str) -> str:
    """``2026-07`` as ``July 2026`` (in the user's language)."""
    year, _dash, month = key.partition("-")
    try:
        return f"{MONTHS[int(month)]} {year}"
    except (KeyError, ValueError):
        return key


# --- the form ----------------------------------------------------------------------------------------------------

TREND_FIGURES = {
    "children": gettext_lazy("Children in foster care"),
    "decisions": gettext_lazy("Decisions issued"),
}


class DashboardForm(forms.Form):
    """The period (as the API's PeriodInput: kind, year, number), the trend's figure and, for operators, whose
    centers to show. A GET form: the page and its CSV take the same parameters."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of period"), choices=WindowKind.choices)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=statistics.FIRST_YEAR, max_value=9999)
    number = forms.TypedChoiceField(
        label=gettext_lazy("Which one"),
        choices=[("", "—")] + [(str(n), str(n)) for n in range(1, 13)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("Month 1–12, quarter 1–4, half-year 1–2; none for a year."),
    )
    trend = forms.ChoiceField(
        label=gettext_lazy("Trend of"), choices=list(TREND_FIGURES.items()), required=False, initial="children"
    )

    def __init__(self, data, *, partnerships=None):
        super().__init__(data)
        self.partnerships = {p.pk: p for p in partnerships} if partnerships is not None else None
        if self.partnerships is not None:
            self.fields["partnership"] = forms.TypedChoiceField(
                label=gettext_lazy("Centers"),
                choices=[("", _("All active centers"))] + [(str(p.pk), p.name) for p in partnerships],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=gettext_lazy("A partnership's centers; totals and suppression stay those of all centers."),
            )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        kind = data.get("kind")
        number = None if kind == WindowKind.YEAR else data.get("number")
        try:
            data["window"] = statistics.published_window(kind, data.get("year"), number)
        except ValidationFailed as exc:
            add_service_error(self, exc, fields={"period": "number"})
        data["trend"] = data.get("trend") or "children"
        return data

    @property
    def partnership(self):
        if self.partnerships is None or not self.is_valid():
            return None
        return self.partnerships.get(self.cleaned_data.get("partnership"))


def _form(request) -> DashboardForm:
    partnerships = list(list_partnerships(request.user)) if is_operator(request.user) else None
    window = default_window()
    params = {"kind": window.kind, "year": window.year, "number": window.number, "trend": "children"}
    if any(key in request.GET for key in ("kind", "year", "number")):
        params = {key: request.GET.get(key, "") for key in ("kind", "year", "number")}
        params["trend"] = request.GET.get("trend", "")
    if partnerships is not None:
        params["partnership"] = request.GET.get("partnership", "")
    return DashboardForm(params, partnerships=partnerships)


# --- tables and charts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellView:
    """A published cell as the table and the CSV show it: ``value`` is None when hidden."""

    value: object
    suppressed: bool
    reason: str | None
    text: str  # in the table (localised number, or the hidden marker)
    csv: str  # in the CSV (plain number, or the same marker)
    note: str = ""


@dataclass(frozen=True)
class RowView:
    label: str
    cells: list[CellView]
    total: CellView
    short: str = ""  # a shorter label for a chart's axis


@dataclass
class TableView:
    key: str
    caption: str
    corner: str  # the header of the categories' column
    headers: list[str]  # the centers
    total_header: str
    rows: list[RowView]
    footer: RowView | None
    kind: str = "count"

    @property
    def hidden(self) -> int:
        cells = [c for row in self.rows for c in [*row.cells, row.total]]
        if self.footer is not None:
            cells += [*self.footer.cells, self.footer.total]
        return sum(c.suppressed for c in cells)


def _format(value, kind: str) -> tuple[str, str]:
    """(table text, CSV text) of a shown value: counts as integers, amounts with two decimals, other numbers
    (targets) without decimals when whole."""
    if kind == "amount":
        value = Decimal(value or 0)
        return number_format(value, 2), f"{value:.2f}"
    number = Decimal(value or 0)
    if number == number.to_integral_value():
        return number_format(int(number)), str(int(number))
    return number_format(number, 2), f"{number:.2f}"


def cell_view(cell, kind: str, threshold: int) -> CellView:
    if cell.suppressed:
        if kind == "amount":  # hidden with the count behind it: the amount itself need not be small
            marker = _("hidden")
            note = _("hidden because the number of decisions behind it is hidden")
        elif cell.reason == PRIMARY:
            marker = _("hidden (< %(threshold)s)") % {"threshold": threshold}
            note = _("a count from 1 to %(max)s") % {"max": threshold - 1}
        else:
            marker = _("hidden")
            note = _("hidden as well, so that no small count can be worked out from the totals")
        return CellView(None, True, cell.reason, marker, marker, note)
    shown, plain = _format(cell.value, kind)
    return CellView(cell.value, False, None, shown, plain)


TABLES = {
    # key: (caption, header of the categories' column, how to get it from a Statistics, kind of values)
    "reason.families": (
        gettext_lazy("Families with a case open in the period, by reason for help (art. 7)"),
        gettext_lazy("Reason for help"),
        lambda s: s.by_reason["families"],
        "count",
    ),
    "reason.persons": (
        gettext_lazy("Persons in those families, by reason for help"),
        gettext_lazy("Reason for help"),
        lambda s: s.by_reason["persons"],
        "count",
    ),
    "form.families": (
        gettext_lazy("Families granted a form of help for the period, by form of help"),
        gettext_lazy("Form of help"),
        lambda s: s.by_form_of_help["families"],
        "count",
    ),
    "form.persons": (
        gettext_lazy("Persons in those families, by form of help"),
        gettext_lazy("Form of help"),
        lambda s: s.by_form_of_help["persons"],
        "count",
    ),
    "children": (
        gettext_lazy("Children in foster care in the period, by kind of foster family"),
        gettext_lazy("Kind of foster family"),
        lambda s: s.children_by_family_kind,
        "count",
    ),
    "decisions": (
        gettext_lazy("Decisions issued, by month of issue"),
        gettext_lazy("Month"),
        lambda s: s.decisions_by_month["decisions"],
        "count",
    ),
    "amounts": (
        gettext_lazy("Amounts of the decisions issued (zł), by month of issue"),
        gettext_lazy("Month"),
        lambda s: s.decisions_by_month["amounts"],
        "amount",
    ),
    "targets.achieved": (
        gettext_lazy("Project targets achieved in the period, by unit"),
        gettext_lazy("Unit"),
        lambda s: s.project_targets["achieved"],
        "number",
    ),
    "targets.targets": (
        gettext_lazy("Targets of the projects running in the period (planned values), by unit"),
        gettext_lazy("Unit"),
        lambda s: s.project_targets["targets"],
        "number",
    ),
}

SECTIONS = [
    # key, heading, the table charted (bar chart), the tables shown
    ("reason", gettext_lazy("Reasons for help"), "reason.families", ["reason.families", "reason.persons"]),
    ("form", gettext_lazy("Forms of help"), "form.families", ["form.families", "form.persons"]),
    ("children", gettext_lazy("Foster care"), "children", ["children"]),
    ("trend", gettext_lazy("Trend"), None, []),
    ("decisions", gettext_lazy("Decisions"), None, ["decisions", "amounts"]),
    ("projects", gettext_lazy("Projects"), "targets.achieved", ["targets.achieved", "targets.targets"]),
]


def _total_header(stats) -> str:
    if len(stats.shown) < len(stats.centers):
        return _("Total (all %(count)s centers)") % {"count": len(stats.centers)}
    return _("Total")


def table_view(stats, key: str) -> TableView:
    """A published table turned round for reading: one row per category, one column per center, then the
    category's total; the last line holds each center's total and the grand total."""
    caption, corner, getter, kind = TABLES[key]
    published = getter(stats)
    threshold = stats.threshold

    def view(cell):
        return cell_view(cell, kind, threshold)

    label = month_label if key in ("decisions", "amounts") else str
    rows = [
        RowView(
            label(column.label),
            [view(published.table.cells[i][j]) for i in range(len(published.centers))],
            view(published.table.column_totals[j]),
        )
        for j, column in enumerate(published.columns)
    ]
    footer = RowView(
        _("Total"), [view(total) for total in published.table.row_totals], view(published.table.grand_total)
    )
    return TableView(
        key=key,
        caption=str(caption),
        corner=str(corner),
        headers=[c.short_name or c.name for c in published.centers],
        total_header=_total_header(stats),
        rows=rows,
        footer=footer,
        kind=kind,
    )


def _datum(cell: CellView) -> charts.Datum:
    return charts.Datum(cell.value, cell.suppressed, cell.text, cell.note)


def bar_chart_of(table: TableView) -> charts.BarChart:
    """The table's categories where some center has a non-zero or hidden value (a category that is zero
    everywhere is only in the table), one bar per center."""
    rows = [row for row in table.rows if any(c.suppressed or c.value for c in row.cells)]
    values = [[_datum(row.cells[i]) for row in rows] for i in range(len(table.headers))]
    return charts.bar_chart([row.label for row in rows], table.headers, values)


def trend_view(user, stats, figure: str, centers) -> tuple[TableView, list[statistics.Window]]:
    """Each shown center's total of ``figure`` over the chosen period and the ones before it, each period's table
    asked for with the same call as the chosen one's (so each is suppressed as the API publishes it)."""
    windows = preceding_windows(stats.window)
    rows = []
    for window in windows:
        period = stats if window == stats.window else statistics.statistics(user, window=window, centers=centers)
        published = period.children_by_family_kind if figure == "children" else period.decisions_by_month["decisions"]
        cells = [cell_view(cell, "count", period.threshold) for cell in published.table.row_totals]
        total = cell_view(published.table.grand_total, "count", period.threshold)
        rows.append(RowView(period_label(window), cells, total, short_period_label(window)))
    caption = (
        _("Children in foster care per period (placements by kind of family, summed)")
        if figure == "children"
        else _("Decisions issued per period")
    )
    table = TableView(
        key="trend",
        caption=caption,
        corner=_("Period"),
        headers=[c.short_name or c.name for c in stats.shown],
        total_header=_total_header(stats),
        rows=rows,
        footer=None,
    )
    return table, windows


def line_chart_of(table: TableView) -> charts.LineChart:
    values = [[_datum(row.cells[i]) for row in table.rows] for i in range(len(table.headers))]
    return charts.line_chart([row.short or row.label for row in table.rows], table.headers, values)


def _describe(kind: str, table: TableView, chart, period: str) -> str:
    centers = ", ".join(table.headers)
    if kind == "line":
        text = _("Line chart of %(figure)s for %(centers)s, one point per period up to %(period)s.") % {
            "figure": table.caption.lower(),
            "centers": centers,
            "period": period,
        }
    else:
        text = _("Bar chart of %(figure)s for %(centers)s, %(period)s.") % {
            "figure": table.caption.lower(),
            "centers": centers,
            "period": period,
        }
    if chart.hidden:
        text += " " + ngettext(
            "%(count)s value is hidden and drawn as a hatched mark.",
            "%(count)s values are hidden and drawn as hatched marks.",
            chart.hidden,
        ) % {"count": chart.hidden}
    return text + " " + _("The table below gives every value.")


@dataclass
class SectionView:
    key: str
    heading: str
    tables: list[TableView]
    chart: object = None
    chart_kind: str = ""
    chart_title: str = ""
    chart_desc: str = ""
    chart_note: str = ""
    defines_pattern: bool = False
    notes: list[str] = field(default_factory=list)


def build_sections(user, stats, figure: str, centers) -> list[SectionView]:
    period = period_label(stats.window)
    too_many = len(stats.shown) > MAX_CHART_SERIES
    sections = []
    for key, heading, charted, table_keys in SECTIONS:
        if key == "trend":
            table, _windows = trend_view(user, stats, figure, centers)
            section = SectionView(key, str(heading), [table])
            section.chart_title = table.caption
            if not too_many:
                section.chart, section.chart_kind = line_chart_of(table), "line"
            section.notes.append(
                _("Each period's figures are published and suppressed on their own, as for the chosen period.")
            )
            if figure == "children":
                section.notes.append(_("A child placed in two kinds of foster family in a period is counted in each."))
        else:
            tables = [table_view(stats, k) for k in table_keys]
            section = SectionView(key, str(heading), tables)
            if charted:
                table = next(t for t in tables if t.key == charted)
                section.chart_title = table.caption
                if not too_many:
                    chart = bar_chart_of(table)
                    if chart.empty:
                        section.chart_note = _("Nothing to chart: every value of this figure is zero in this period.")
                    else:
                        section.chart, section.chart_kind = chart, "bar"
                        if len(chart.groups) < len(table.rows):
                            section.chart_note = _(
                                "Categories that are zero in every center are left out of the chart; "
                                "the table lists them all."
                            )
        if section.chart is not None:
            section.chart_desc = _describe(section.chart_kind, section.tables[0], section.chart, period)
        elif too_many and (charted or key == "trend"):
            section.chart_note = _(
                "%(count)s centers are too many for a readable chart: the table gives every value. "
                "Choose a partnership to see its centers charted."
            ) % {"count": len(stats.shown)}
        sections.append(section)
    first = next((s for s in sections if s.chart is not None), None)
    if first is not None:
        first.defines_pattern = True
    return sections


# --- the pages ---------------------------------------------------------------------------------------------------


def _figures(request, form):
    """The Statistics of the form's period for the caller (None with the service's errors on the form)."""
    partnership = form.partnership
    centers = None
    if partnership is not None:
        centers = [c.schema_name for c in partnership.centers.all() if c.is_active]
    try:
        stats = statistics.statistics(request.user, window=form.cleaned_data["window"], centers=centers)
    except ValidationFailed as exc:
        add_service_error(form, exc, fields={"period": None, "centers": "partnership"})
        return None, centers
    return stats, centers


def _query(form) -> str:
    data = form.cleaned_data
    params = {"kind": data["kind"], "year": data["year"], "trend": data["trend"]}
    if data["kind"] != WindowKind.YEAR:
        params["number"] = data["number"]
    if form.partnership is not None:
        params["partnership"] = form.partnership.pk
    return urlencode(params)


def _source(stats) -> str:
    if stats.source == statistics.SNAPSHOT and stats.computed_at is not None:
        when = date_format(timezone.localtime(stats.computed_at), "DATETIME_FORMAT")
        return _("snapshot computed on %(when)s") % {"when": when}
    return _("computed live now (no snapshot of this period yet)")


def _scope_label(request, form, stats) -> str:
    if is_operator(request.user):
        if form.partnership is not None:
            return _("Centers of the partnership “%(name)s”") % {"name": form.partnership.name}
        return _("All active centers")
    partnership = request.user.platform_account.partnership
    return _("Partnership “%(name)s”") % {"name": partnership.name}


@platform_page("partner", "operator")  # the service decides what each sees: the partnership, or every center
def dashboard(request):
    form = _form(request)
    context = {
        "form": form,
        "threshold": settings.OSTOJA_SUPPRESSION_THRESHOLD,
        "is_operator": is_operator(request.user),
    }
    stats = None
    if form.is_valid():
        stats, centers = _figures(request, form)
    if stats is None:
        return render(request, "partners/dashboard.html", context, status=400 if form.is_bound and form.errors else 200)
    sections = build_sections(request.user, stats, form.cleaned_data["trend"], centers) if stats.shown else []
    query = _query(form)
    context.update(
        stats=stats,
        sections=sections,
        period=period_label(stats.window),
        scope=_scope_label(request, form, stats),
        source=_source(stats),
        threshold=stats.threshold,
        query=query,
        csv_url=f"{reverse('partners:dashboard_csv')}?{query}",
        hidden=sum(t.hidden for s in sections for t in s.tables),
        partial_table=len(stats.shown) < len(stats.centers),
    )
    return render(request, "partners/dashboard.html", context)


def csv_rows(request, form, stats, sections, only: str | None = None) -> list[list[str]]:
    """The CSV: what the page shows — the period and source first, then each table as on the page (a title
    line, the header, the rows, the totals, an empty line); a hidden cell is its marker, never a number."""
    rows = [
        [_("Ostoja: aggregate figures of centers")],
        [_("Centers"), _scope_label(request, form, stats)],
        [_("Period"), period_label(stats.window), stats.window.date_from.isoformat(), stats.window.date_to.isoformat()],
        [_("Source"), _source(stats)],
        [
            _("Suppression"),
            _("Counts from 1 to %(max)s are hidden, and further cells so that none can be worked out.")
            % {"max": stats.threshold - 1},
        ],
        [],
    ]
    for section in sections:
        for table in section.tables:
            if only and table.key != only:
                continue
            rows.append([table.caption])
            rows.append([table.corner, *table.headers, table.total_header])
            for row in table.rows + ([table.footer] if table.footer else []):
                rows.append([row.label, *(c.csv for c in row.cells), row.total.csv])
            rows.append([])
    return rows


@platform_page("partner", "operator")
def dashboard_csv(request):
    form = _form(request)
    stats = None
    if form.is_valid():
        stats, centers = _figures(request, form)
    if stats is None:
        context = {
            "form": form,
            "threshold": settings.OSTOJA_SUPPRESSION_THRESHOLD,
            "is_operator": is_operator(request.user),
        }
        return render(request, "partners/dashboard.html", context, status=400)
    only = request.GET.get("table") or None
    if only is not None and only not in TABLES and only != "trend":
        only = None
    sections = build_sections(request.user, stats, form.cleaned_data["trend"], centers) if stats.shown else []
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in csv_rows(request, form, stats, sections, only):
        writer.writerow([csv_text(value) for value in row])
    suffix = f"-{form.partnership.pk}" if form.partnership is not None else ""
    name = f"ostoja-figures-{stats.window.key}{suffix}{'-' + only if only else ''}.csv"
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
