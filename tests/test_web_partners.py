"""The regional partner dashboard on the platform host (/partner/): charts and tables of the partnership's centers
for a published period, exactly the figures of ``partnerStatistics`` (same service), suppressed cells marked in
the SVG, the table and the CSV and their values never sent; the period selector and its errors; the CSV;
who may open it (partners, operators — with a partnership selector —, never staff or anonymous users); and the
chart geometry of tenants/charts.py."""

import csv
import html as html_lib
import io
import re
from datetime import date
from html.parser import HTMLParser
from itertools import count

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from ostoja.modules.cases.models import Case, CaseReason, HelpReason, Person
from ostoja.platform.accounts import services as accounts
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants import charts, statistics
from ostoja.tenants.models import PlatformRole
from ostoja.tenants.partner_views import preceding_windows
from ostoja.tenants.snapshots import compute_snapshots

pytestmark = pytest.mark.django_db

_serial = count(1)
PERIOD = "kind=half&year=2024&number=1"  # long ended, whenever the tests run
H1_2024 = statistics.Window("half", 2024, 1)
MARK_PRIMARY = "hidden (< 5)"
MARK_SECONDARY = "hidden"


# --- data and accounts -------------------------------------------------------------------------------------------


def families(slug, reason_code, n, *, opened_on=date(2024, 2, 1)):
    with schema_context(slug):
        reason = HelpReason.objects.get(code=reason_code)
        for _ in range(n):
            person = Person.objects.create(
                first_name="Osoba", last_name=f"Webowa{next(_serial)}", date_of_birth=date(1980, 1, 1), sex="M"
            )
            case = Case.objects.create(person=person, opened_on=opened_on, status="active_help")
            CaseReason.objects.create(case=case, reason=reason, noted_on=opened_on)


def partner(name, *slugs):
    partnership = accounts.create_partnership(None, name=name, centers=list(slugs))
    return accounts.create_platform_account(
        None,
        username=f"partner{next(_serial)}",
        email="p@example.org",
        role=PlatformRole.PARTNER,
        partnership=partnership,
    )


@pytest.fixture
def pomorze(torun, slupsk, gdansk):
    return partner("Partnerzy pomorscy (web)", "slupsk", "gdansk")


@pytest.fixture
def operator(torun, slupsk, gdansk):
    return accounts.create_platform_account(None, username="operator-web", email="o@example.org", role="operator")


@pytest.fixture
def crafted(torun, slupsk, gdansk):
    families("slupsk", "ubostwo", 3)  # hidden (primary)
    families("slupsk", "bezrobocie", 12)
    families("gdansk", "ubostwo", 20)
    families("gdansk", "bezrobocie", 7)
    families("gdansk", "bezdomnosc", 9)  # hidden with the poverty column (secondary), as is Słupsk's 8
    families("slupsk", "bezdomnosc", 8)
    families("torun", "ubostwo", 50)  # not in the partnership


def client(client_for, user, language="en"):
    """A platform-host client logged in as ``user``, in English (Polish is the default: one test checks it)."""
    c = client_for()
    c.force_login(user)
    if language:
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return c


def page(client_for, user, query=PERIOD, status=200):
    response = client(client_for, user).get(f"/partner/?{query}")
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


# --- reading the page --------------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Tables by id: rows of (text, classes) for every th/td."""

    def __init__(self):
        super().__init__()
        self.tables, self._table, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = self.tables.setdefault(attrs["id"].removeprefix("table-"), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = ["", attrs.get("class") or ""]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append((self._cell[0].strip(), self._cell[1]))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None


def tables(html) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return {key: [[text for text, _cls in row] for row in rows] for key, rows in parser.tables.items()}


def cell(table, row_label, column_label):
    header = table[0]
    row = next(r for r in table[1:] if r[0] == row_label)
    return row[header.index(column_label)]


def section(html, key):
    return html.split(f'id="section-{key}"')[1].split("</section>")[0]


def read_csv(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read it as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def csv_table(rows, caption) -> list[list[str]]:
    start = next(i for i, r in enumerate(rows) if r and r[0] == caption) + 1
    end = next(i for i in range(start, len(rows)) if not rows[i])
    return rows[start:end]


# --- the page ----------------------------------------------------------------------------------------------------


def test_the_dashboard_charts_every_center_of_the_partnership_and_no_other(client_for, pomorze, crafted):
    html = page(client_for, pomorze)
    assert html.count("<h1") == 1
    assert "Partnerzy pomorscy (web)" in html and "Toruń" not in html
    reason = section(html, "reason")
    chart = reason.split("<svg")[1].split("</svg>")[0]
    assert 'role="img"' in "<svg" + chart and "<title" in chart and "<desc" in chart
    for center in ("MOPR Gdańsk", "MOPR Słupsk"):
        assert f"{center}, unemployment:" in chart  # one bar per center and category
    assert "MOPR Gdańsk, unemployment: 7" in chart  # the bar's label and its value
    assert 'class="legend"' in reason
    # The data table: same figures as the API (the service), one column per center.
    figures = statistics.statistics(pomorze, window=H1_2024)
    table = tables(html)["reason.families"]
    assert table[0][1:] == ["MOPR Gdańsk", "MOPR Słupsk", "Total"]
    expected = figures.by_reason["families"].table
    assert cell(table, "Total", "Total") == str(expected.grand_total.value) == "59"
    assert cell(table, "unemployment", "MOPR Gdańsk") == "7"
    assert '<th scope="col"' in reason and '<th scope="row"' in reason and "<caption>" in reason
    # Every chart of the page: a bar per partnership center, never another.
    for key in ("reason", "form", "children", "projects"):
        block = section(html, key)
        assert "MOPR Toruń" not in block


def test_a_suppressed_cell_is_marked_in_chart_table_and_csv_and_its_value_never_sent(client_for, pomorze, crafted):
    c = client(client_for, pomorze)
    html = c.get(f"/partner/?{PERIOD}").content.decode()
    figures = statistics.statistics(pomorze, window=H1_2024).by_reason["families"]
    hidden = [
        (figures.centers[i].short_name, figures.columns[j].key)
        for i, row in enumerate(figures.table.cells)
        for j, cell_ in enumerate(row)
        if cell_.suppressed
    ]
    assert ("MOPR Słupsk", "ubostwo") in hidden and len(hidden) >= 2
    # The SVG: the hatched pattern once per page, the placeholder bar of a fixed size with its label.
    assert html.count('id="suppressed-pattern"') == 1 and "<pattern" in html
    chart = section(html, "reason").split("</svg>")[0]
    bar = re.search(r'<g class="bar is-suppressed"><title>MOPR Słupsk, poverty: ([^<]*)</title>(.*?)</g>', chart)
    assert bar is not None
    assert html_lib.unescape(bar.group(1)).startswith(MARK_PRIMARY)
    assert f'class="suppressed" x="{charts.BAR_LABEL_WIDTH}"' in bar.group(2)
    assert f'width="{charts.PLACEHOLDER_WIDTH}"' in bar.group(2)
    assert "MOPR Słupsk, poverty: 3" not in html
    # The table: the marker, with the note explaining it.
    table = tables(html)["reason.families"]
    assert cell(table, "poverty", "MOPR Słupsk") == MARK_PRIMARY
    assert 'class="num suppressed" data-suppressed="primary"' in html
    assert "from 1 to 4" in html and "threshold 5" in html  # the note: why and the threshold
    # Every hidden cell of the table is a marker (never the number), in the HTML and in the CSV.
    raw = {("MOPR Słupsk", "ubostwo"): 3, ("MOPR Słupsk", "bezrobocie"): 12}
    raw.update({("MOPR Gdańsk", "ubostwo"): 20, ("MOPR Gdańsk", "bezrobocie"): 7})
    raw.update({("MOPR Gdańsk", "bezdomnosc"): 9, ("MOPR Słupsk", "bezdomnosc"): 8})
    with translation.override("en"):
        labels = {c.key: c.label for c in statistics.statistics(pomorze, window=H1_2024).by_reason["families"].columns}
    rows = read_csv(c.get(f"/partner/figures.csv?{PERIOD}"))
    in_csv = csv_table(rows, "Families with a case open in the period, by reason for help (art. 7)")
    for center, key in hidden:
        assert cell(table, labels[key], center) in (MARK_PRIMARY, MARK_SECONDARY)
        assert cell(in_csv, labels[key], center) in (MARK_PRIMARY, MARK_SECONDARY)
        value = raw.get((center, key))
        if value is not None:
            assert f"{center}, {labels[key]}: {value}" not in html


def test_the_default_period_is_the_last_ended_quarter_in_polish(client_for, pomorze, crafted):
    html = client(client_for, pomorze, language=None).get("/partner/").content.decode()
    window = next(w for w in statistics.last_completed_windows(timezone.localdate()) if w.kind == "quarter")
    assert '<html lang="pl">' in html and "ubóstwo" in html  # Polish unless switched
    assert '<option value="quarter" selected>' in html
    assert f'value="{window.year}"' in html and f'<option value="{window.number}" selected>' in html
    assert window.date_from.strftime("%Y-%m-%d") in html or str(window.year) in html
    assert 'data-source="live"' in html


def test_the_period_selector_changes_the_window(client_for, pomorze, crafted):
    q1 = page(client_for, pomorze, "kind=quarter&year=2024&number=1")
    assert "Q1 2024" in q1 and "1 January 2024" in q1 and "31 March 2024" in q1
    assert cell(tables(q1)["reason.families"], "Total", "Total") == "59"
    before = page(client_for, pomorze, "kind=quarter&year=2023&number=4")  # the cases were opened in 2024
    assert "Q4 2023" in before
    assert cell(tables(before)["reason.families"], "Total", "Total") == "0"
    assert "Nothing to chart" in section(before, "reason") and "<svg" not in section(before, "reason")
    year = page(client_for, pomorze, "kind=year&year=2024&number=")
    assert "1 January 2024" in year and "31 December 2024" in year


@pytest.mark.parametrize(
    "query",
    [
        "kind=quarter&year=2024&number=5",  # no fifth quarter
        "kind=half&year=2024&number=",  # which half?
        "kind=week&year=2024&number=1",  # not a published kind
        "kind=quarter&year=abc&number=1",
        "kind=quarter&year=1999&number=1",
    ],
)
def test_an_invalid_period_shows_an_error_and_no_figures(client_for, pomorze, crafted, query):
    html = page(client_for, pomorze, query, status=400)
    assert 'class="errorlist' in html
    assert "<svg" not in html.split('id="main"')[1] and "table-reason" not in html


def test_a_period_not_ended_yet_is_refused_with_a_clear_error(client_for, pomorze, crafted):
    today = timezone.localdate()
    html = page(client_for, pomorze, f"kind=year&year={today.year}", status=400)
    assert 'role="alert"' in html and "published once the period has ended" in html
    assert "table-reason" not in html
    response = client(client_for, pomorze).get(f"/partner/figures.csv?kind=year&year={today.year}")
    assert response.status_code == 400 and "text/csv" not in response["Content-Type"]


def test_the_trend_shows_the_chosen_period_and_the_ones_before(client_for, pomorze, crafted):
    html = page(client_for, pomorze, PERIOD + "&trend=decisions")
    trend = tables(html)["trend"]
    assert [row[0] for row in trend[1:]] == ["H2 2021", "H1 2022", "H2 2022", "H1 2023", "H2 2023", "H1 2024"]
    assert "<polyline" in section(html, "trend") or "<circle" in section(html, "trend")
    assert [w.key for w in preceding_windows(statistics.Window("month", 2000, 2))] == ["2000-01", "2000-02"]


def test_the_csv_is_the_tables_shown(client_for, pomorze, crafted):
    c = client(client_for, pomorze)
    html = c.get(f"/partner/?{PERIOD}").content.decode()
    response = c.get(f"/partner/figures.csv?{PERIOD}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="ostoja-figures-2024-H1.csv"'
    rows = read_csv(response)
    shown = tables(html)
    captions = re.findall(r"<caption>([^<]*) — H1 2024</caption>", html)
    assert len(captions) == len(shown) >= 9
    for key, caption in zip(shown, captions, strict=True):
        assert csv_table(rows, caption.replace("&#x27;", "'")) == shown[key], key
    assert any(r[:2] == ["Period", "H1 2024"] for r in rows)
    # One table only.
    one = read_csv(c.get(f"/partner/figures.csv?{PERIOD}&table=children"))
    assert sum(1 for r in one if r and r[0] == "Kind of foster family") == 1
    assert not any(r and r[0] == "Reason for help" for r in one)


# --- who may open it ---------------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client_for, pomorze):
    for url in ("/partner/", f"/partner/figures.csv?{PERIOD}"):
        response = client_for().get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_center_staff_cannot_open_it(client_for, pomorze, crafted):
    with schema_context("torun"):
        user = get_user_model().objects.create_user(username="dyrektor-web", first_name="D", last_name="W")
        StaffProfile.objects.create(user=user, roles=[Role.DIRECTOR])
        c = client_for("torun")
        c.force_login(user)
    assert c.get("/partner/").status_code == 404
    assert c.get(f"/partner/figures.csv?{PERIOD}").status_code == 404


def test_a_platform_user_without_a_role_is_refused(client_for, pomorze):
    nobody = get_user_model().objects.create_user(username="nobody-web")
    response = client(client_for, nobody).get("/partner/")
    assert response.status_code == 403 and "MOPR" not in response.content.decode()


def test_a_partner_never_sees_another_partnership(client_for, pomorze, crafted):
    kujawy = partner("Partnerzy kujawscy (web)", "torun")
    other = pomorze.platform_account.partnership_id
    for query in (PERIOD, f"{PERIOD}&partnership={other}"):  # the operators' selector means nothing to a partner
        html = page(client_for, kujawy, query)
        table = tables(html)["reason.families"]
        assert table[0][1:] == ["MOPR Toruń", "Total"]
        assert cell(table, "poverty", "MOPR Toruń") == "50"
        assert "Słupsk" not in html and "Gdańsk" not in html
    rows = read_csv(client(client_for, kujawy).get(f"/partner/figures.csv?{PERIOD}&partnership={other}"))
    assert "Słupsk" not in str(rows) and "Gdańsk" not in str(rows)


def test_an_operator_sees_every_center_or_one_partnerships_rows(client_for, operator, pomorze, crafted):
    html = page(client_for, operator)
    assert tables(html)["reason.families"][0][1:] == ["MOPR Gdańsk", "MOPR Słupsk", "MOPR Toruń", "Total"]
    assert 'name="partnership"' in html and "Partnerzy pomorscy (web)" in html
    pk = pomorze.platform_account.partnership_id
    narrowed = page(client_for, operator, f"{PERIOD}&partnership={pk}")
    table = tables(narrowed)["reason.families"]
    assert table[0][1:] == ["MOPR Gdańsk", "MOPR Słupsk", "Total (all 3 centers)"]
    api = statistics.statistics(operator, window=H1_2024, centers=["slupsk", "gdansk"]).by_reason["families"]
    assert cell(table, "Total", "Total (all 3 centers)") == str(api.table.grand_total.value) == "109"
    assert "MOPR Toruń, " not in section(narrowed, "reason")  # no bar of Toruń: only the partnership's rows


def test_snapshots_are_the_source_when_they_exist(client_for, pomorze, crafted):
    assert 'data-source="live"' in page(client_for, pomorze)
    compute_snapshots(H1_2024)
    html = page(client_for, pomorze)
    assert 'data-source="snapshot"' in html
    assert cell(tables(html)["reason.families"], "Total", "Total") == "59"


# --- chart geometry ----------------------------------------------------------------------------------------------


def shown(value):
    return charts.Datum(value, False, str(value))


HIDDEN = charts.Datum(None, True, "hidden", "a count from 1 to 4")


@pytest.mark.parametrize(
    ("maximum", "integer", "ticks"),
    [
        (0, True, [0, 1]),
        (3, True, [0, 1, 2, 3]),
        (7, True, [0, 2, 4, 6, 8]),
        (10, True, [0, 2, 4, 6, 8, 10]),
        (100, True, [0, 20, 40, 60, 80, 100]),
        (101, True, [0, 50, 100, 150]),
        (1234.5, False, [0, 500, 1000, 1500]),
        (0.3, False, [0, 0.1, 0.2, 0.3]),
    ],
)
def test_nice_ticks(maximum, integer, ticks):
    assert charts.nice_ticks(maximum, integer=integer) == ticks


def test_bars_are_scaled_to_the_largest_shown_value_and_hidden_ones_are_placeholders():
    chart = charts.bar_chart(["a", "b"], ["Gdańsk", "Słupsk"], [[shown(10), shown(5)], [shown(0), HIDDEN]])
    plot = chart.plot_right - chart.plot_left
    assert chart.scale_max == 10 and [t.label for t in chart.ticks] == ["0", "2", "4", "6", "8", "10"]
    assert chart.ticks[0].position == chart.plot_left and chart.ticks[-1].position == chart.plot_right
    (a_gdansk, a_slupsk), (b_gdansk, b_slupsk) = (g.bars for g in chart.groups)
    assert a_gdansk.width == plot and a_slupsk.width == 0 and a_slupsk.text == "0"
    assert b_gdansk.width == plot / 2
    assert b_slupsk.suppressed and b_slupsk.width == charts.PLACEHOLDER_WIDTH and b_slupsk.text == "hidden"
    assert "a count from 1 to 4" in b_slupsk.title and chart.hidden == 1
    assert a_gdansk.series.color != a_slupsk.series.color
    # Rows do not overlap and the chart is tall enough for all of them.
    ys = [bar.y for group in chart.groups for bar in group.bars]
    assert all(later - earlier >= charts.BAR_HEIGHT for earlier, later in zip(ys, ys[1:], strict=False))
    assert chart.height > max(ys) + charts.BAR_HEIGHT


def test_a_hidden_value_does_not_move_the_scale():
    small = charts.bar_chart(["a"], ["x", "y"], [[shown(4)], [HIDDEN]])
    assert small.scale_max == 4  # whatever the hidden value is


def test_all_zero_or_all_hidden_charts_have_only_the_zero_line():
    zero = charts.bar_chart(["a"], ["x"], [[shown(0)]])
    assert [t.value for t in zero.ticks] == [0] and zero.groups[0].bars[0].width == 0
    hidden = charts.bar_chart(["a", "b"], ["x", "y"], [[HIDDEN, HIDDEN], [HIDDEN, HIDDEN]])
    assert [t.value for t in hidden.ticks] == [0] and hidden.hidden == 4
    assert all(bar.suppressed and bar.width == charts.PLACEHOLDER_WIDTH for g in hidden.groups for bar in g.bars)
    assert charts.bar_chart([], ["x"], [[]]).empty
    with pytest.raises(ValueError):
        charts.bar_chart(["a"], ["x", "y"], [[shown(1)]])


def test_line_charts_break_at_hidden_values_and_mark_them_below_the_axis():
    chart = charts.line_chart(
        ["Q1", "Q2", "Q3", "Q4"], ["Gdańsk", "Słupsk"], [[shown(0), shown(8), HIDDEN, shown(4)], [shown(2)] * 4]
    )
    gdansk, slupsk = chart.lines
    assert len(gdansk.segments) == 1 and gdansk.segments[0].count(",") == 2  # Q1–Q2 only; Q4 alone
    assert [p.y for p in gdansk.points] == [chart.plot_bottom, chart.plot_top, chart.plot_bottom - 100]
    assert len(slupsk.segments) == 1 and len(slupsk.points) == 4
    assert gdansk.points[0].marker != slupsk.points[0].marker  # not colour alone
    (lane,) = chart.lanes
    assert lane.series.label == "Gdańsk" and len(lane.marks) == 1 and lane.y > chart.x_label_y
    assert lane.marks[0].x + lane.marks[0].size / 2 == chart.x_labels[2].x
    assert chart.hidden == 1 and chart.height > lane.y
    xs = [label.x for label in chart.x_labels]
    assert xs == sorted(xs) and chart.plot_left < xs[0] and xs[-1] < chart.plot_right
    one = charts.line_chart(["Q1"], ["x"], [[shown(3)]])
    assert one.x_labels[0].x == (one.plot_left + one.plot_right) / 2
