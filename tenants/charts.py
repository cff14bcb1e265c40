"""Geometry of the server-rendered SVG charts of the partner dashboard: where bars, points, axis ticks and labels
go. Nothing is drawn here — the templates (tenants/templates/partners/) draw what these functions place — and no
figure is read here: the values are published cells of tenants/statistics.py, already suppressed.

A hidden (suppressed) value is never put on the scale: it gets a fixed-size hatched placeholder and a "hidden"
label, so neither its length nor its position tells anything about it, and the scale is computed from the shown
values only. Every series has a colour and, for line charts, a marker shape, and bars are labelled with their
series and value, so that no chart relies on colour alone."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

# Colours with at least 4.5:1 contrast on white (they also carry the value labels' meaning in the legend).
PALETTE = ("#1f4e8c", "#b35806", "#1b7837", "#762a83", "#8c510a", "#01665e", "#c51b7d", "#4d4d4d")
MARKERS = ("circle", "square", "diamond", "triangle")

WIDTH = 720

# Bar charts: horizontal bars in groups (one group per category, one bar per series), category label above
# each group, series label left of each bar, value label right of it.
BAR_LABEL_WIDTH = 150  # the series labels' column; the plot starts here
BAR_VALUE_WIDTH = 100  # room right of the plot for the value labels
BAR_GROUP_HEADER = 20
BAR_ROW = 18
BAR_HEIGHT = 13
BAR_GROUP_GAP = 8
BAR_TOP = 4
AXIS_HEIGHT = 26
PLACEHOLDER_WIDTH = 36  # a hidden value's hatched stub: fixed, whatever the value

# Line charts.
LINE_LEFT = 150
LINE_RIGHT = 40
LINE_TOP = 12
LINE_PLOT_HEIGHT = 200
LINE_PAD = 36  # between the y axis and the first point, and after the last
LANE_HEIGHT = 18  # one lane per series with hidden values, below the x axis
MARKER_SIZE = 4.5
SHORT_LABEL = 22  # characters of a series label drawn in a chart (the full label is in its <title>)


def _number(value) -> float:
    return float(value) if isinstance(value, Decimal) else float(value or 0)


def _r(value: float) -> float:
    """Coordinates rounded to a tenth of a pixel (smaller SVG, stable tests)."""
    return round(value, 1)


def shorten(text: str, limit: int = SHORT_LABEL) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def format_tick(value: float) -> str:
    """A tick label: an integer without decimals, otherwise up to two significant decimals."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def nice_ticks(maximum, count: int = 5, *, integer: bool = True) -> list[float]:
    """Axis ticks from 0 to a "nice" value at or above ``maximum`` in steps of 1, 2 or 5 × 10ⁿ, about ``count``
    steps. ``integer``: counts never get a fractional step. A maximum of zero (or nothing shown) gives [0, 1], so
    a scale always exists and a zero stays at the axis."""
    maximum = _number(maximum)
    if maximum <= 0 or not math.isfinite(maximum):
        return [0, 1]
    raw = maximum / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw - 1e-12)
    if integer:
        step = max(1, round(step))
    steps = math.ceil(maximum / step - 1e-9)
    ticks = [_r_tick(i * step) for i in range(steps + 1)]
    return ticks


def _r_tick(value: float) -> float:
    return int(value) if float(value).is_integer() else round(value, 10)


@dataclass(frozen=True)
class Datum:
    """One published value: ``value`` (None when hidden), ``text`` as the table shows it, ``note`` why hidden."""

    value: float | int | Decimal | None
    suppressed: bool = False
    text: str = ""
    note: str = ""


@dataclass(frozen=True)
class Series:
    label: str
    short: str
    color: str
    marker: str
    index: int


def series_list(labels: Sequence[str]) -> list[Series]:
    return [
        Series(str(label), shorten(label), PALETTE[i % len(PALETTE)], MARKERS[i % len(MARKERS)], i)
        for i, label in enumerate(labels)
    ]


@dataclass(frozen=True)
class Tick:
    value: float
    label: str
    position: float  # x of a vertical grid line (bar charts), y of a horizontal one (line charts)


@dataclass(frozen=True)
class Bar:
    series: Series
    x: float
    y: float
    width: float
    height: float
    suppressed: bool
    text: str  # the value label drawn right of the bar
    text_x: float
    text_y: float
    label_y: float  # baseline of the series label left of the bar
    title: str  # the bar's tooltip: series, category and value (or why hidden)


@dataclass(frozen=True)
class BarGroup:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    label_x: float  # where the series labels end (text-anchor end)
    ticks: list[Tick]
    tick_label_y: float
    groups: list[BarGroup]
    series: list[Series]
    scale_max: float
    hidden: int  # how many values are hidden

    @property
    def empty(self) -> bool:
        return not self.groups


def _check_shape(values, series, categories):
    if len(values) != len(series) or any(len(row) != len(categories) for row in values):
        raise ValueError("values need one row per series and one value per category")


def _scale_max(values) -> tuple[list[float], float]:
    shown = [_number(d.value) for row in values for d in row if not d.suppressed and d.value is not None]
    if max(shown, default=0) <= 0:  # nothing above zero is shown: no scale to read, only the zero line
        return [0], 1.0
    integer = all(float(v).is_integer() for v in shown)
    ticks = nice_ticks(max(shown), integer=integer)
    return ticks, float(ticks[-1])


def bar_chart(
    categories: Sequence[str], series_labels: Sequence[str], values: Sequence[Sequence[Datum]], *, width=WIDTH
) -> BarChart:
    """Grouped horizontal bars: ``values[s][c]`` is series ``s`` (a center) in category ``c``. The scale starts
    at zero and ends at a nice tick at or above the largest shown value; a zero is a bar of no width with its
    "0" label; a hidden value is a fixed hatched placeholder labelled with its table text."""
    series = series_list(series_labels)
    _check_shape(values, series, categories)
    ticks_values, scale_max = _scale_max(values)
    plot_left, plot_right = BAR_LABEL_WIDTH, width - BAR_VALUE_WIDTH
    plot_width = plot_right - plot_left
    groups, cursor, hidden = [], BAR_TOP, 0
    for c, category in enumerate(categories):
        label_y = cursor + 14
        cursor += BAR_GROUP_HEADER
        bars = []
        for s in series:
            datum = values[s.index][c]
            y = cursor + (BAR_ROW - BAR_HEIGHT) / 2
            if datum.suppressed or datum.value is None:
                hidden += 1
                bar_width, suppressed = PLACEHOLDER_WIDTH, True
                title = f"{s.label}, {category}: {datum.text}" + (f" — {datum.note}" if datum.note else "")
            else:
                bar_width = max(0.0, _number(datum.value)) / scale_max * plot_width
                suppressed = False
                title = f"{s.label}, {category}: {datum.text}"
            bars.append(
                Bar(
                    series=s,
                    x=plot_left,
                    y=_r(y),
                    width=_r(bar_width),
                    height=BAR_HEIGHT,
                    suppressed=suppressed,
                    text=datum.text,
                    text_x=_r(plot_left + bar_width + 5),
                    text_y=_r(cursor + BAR_ROW / 2 + 4),
                    label_y=_r(cursor + BAR_ROW / 2 + 4),
                    title=title,
                )
            )
            cursor += BAR_ROW
        groups.append(BarGroup(str(category), _r(label_y), bars))
        cursor += BAR_GROUP_GAP
    plot_bottom = cursor - BAR_GROUP_GAP + 4 if groups else BAR_TOP + 4
    ticks = [Tick(t, format_tick(t), _r(plot_left + t / scale_max * plot_width)) for t in ticks_values]
    return BarChart(
        width=width,
        height=_r(plot_bottom + AXIS_HEIGHT),
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=BAR_TOP,
        plot_bottom=_r(plot_bottom),
        label_x=plot_left - 6,
        ticks=ticks,
        tick_label_y=_r(plot_bottom + 16),
        groups=groups,
        series=series,
        scale_max=scale_max,
        hidden=hidden,
    )


@dataclass(frozen=True)
class Point:
    series: Series
    x: float
    y: float
    marker: str
    points: str  # polygon points for diamond and triangle markers
    title: str

    @property
    def box_x(self) -> float:  # a square marker's corner
        return _r(self.x - MARKER_SIZE + 0.5)

    @property
    def box_y(self) -> float:
        return _r(self.y - MARKER_SIZE + 0.5)


@dataclass(frozen=True)
class HiddenMark:
    """A hidden value of a line chart: a hatched square in its series' lane below the x axis."""

    series: Series
    x: float
    y: float
    size: float
    title: str


@dataclass(frozen=True)
class Lane:
    series: Series
    y: float  # centre line of the lane
    label_y: float
    marks: list[HiddenMark]


@dataclass(frozen=True)
class Line:
    series: Series
    segments: list[str]  # polyline points of each run of consecutive shown values
    points: list[Point]


@dataclass(frozen=True)
class XLabel:
    label: str
    x: float


@dataclass(frozen=True)
class LineChart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    label_x: float
    ticks: list[Tick]
    x_labels: list[XLabel]
    x_label_y: float
    lines: list[Line]
    lanes: list[Lane]
    lanes_title_y: float
    series: list[Series]
    scale_max: float
    hidden: int

    @property
    def empty(self) -> bool:
        return not self.x_labels or not self.lines


def marker_points(marker: str, x: float, y: float, size: float = MARKER_SIZE) -> str:
    """Polygon points of a diamond or triangle marker centred on (x, y); empty for circles and squares."""
    if marker == "diamond":
        corners = [(x, y - size - 1), (x + size + 1, y), (x, y + size + 1), (x - size - 1, y)]
    elif marker == "triangle":
        corners = [(x, y - size - 1), (x + size + 1, y + size), (x - size - 1, y + size)]
    else:
        return ""
    return " ".join(f"{_r(a)},{_r(b)}" for a, b in corners)


def line_chart(
    x_labels: Sequence[str], series_labels: Sequence[str], values: Sequence[Sequence[Datum]], *, width=WIDTH
) -> LineChart:
    """One line per series over ``x_labels`` (periods): ``values[s][i]``. A line is broken where a value is
    hidden (no segment crosses a hidden value); each hidden value gets a hatched mark in its series' lane
    below the axis, at its x."""
    series = series_list(series_labels)
    _check_shape(values, series, x_labels)
    ticks_values, scale_max = _scale_max(values)
    plot_left, plot_right = LINE_LEFT, width - LINE_RIGHT
    plot_top, plot_bottom = LINE_TOP, LINE_TOP + LINE_PLOT_HEIGHT
    n = len(x_labels)

    def x_of(i):
        if n == 1:
            return _r((plot_left + plot_right) / 2)
        return _r(plot_left + LINE_PAD + i * (plot_right - plot_left - 2 * LINE_PAD) / (n - 1))

    def y_of(value):
        return _r(plot_bottom - max(0.0, _number(value)) / scale_max * (plot_bottom - plot_top))

    lines, hidden_by_series, hidden = [], [], 0
    for s in series:
        segments, run, points, marks = [], [], [], []
        for i, label in enumerate(x_labels):
            datum = values[s.index][i]
            x = x_of(i)
            if datum.suppressed or datum.value is None:
                hidden += 1
                title = f"{s.label}, {label}: {datum.text}" + (f" — {datum.note}" if datum.note else "")
                marks.append((x, title))
                if run:
                    segments.append(run)
                run = []
                continue
            y = y_of(datum.value)
            run.append((x, y))
            points.append(Point(s, x, y, s.marker, marker_points(s.marker, x, y), f"{s.label}, {label}: {datum.text}"))
        if run:
            segments.append(run)
        lines.append(Line(s, [" ".join(f"{x},{y}" for x, y in seg) for seg in segments if len(seg) > 1], points))
        hidden_by_series.append(marks)
    x_label_y = plot_bottom + 18
    lanes_title_y = plot_bottom + 40
    lanes, lane_y = [], plot_bottom + 54
    for s, marks in zip(series, hidden_by_series, strict=True):
        if not marks:
            continue
        size = 10
        lanes.append(
            Lane(
                s,
                _r(lane_y),
                _r(lane_y + 4),
                [HiddenMark(s, _r(x - size / 2), _r(lane_y - size / 2), size, title) for x, title in marks],
            )
        )
        lane_y += LANE_HEIGHT
    height = (lane_y - LANE_HEIGHT + 14) if lanes else plot_bottom + AXIS_HEIGHT
    ticks = [Tick(t, format_tick(t), y_of(t)) for t in ticks_values]
    return LineChart(
        width=width,
        height=_r(height),
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        label_x=plot_left - 6,
        ticks=ticks,
        x_labels=[XLabel(str(label), x_of(i)) for i, label in enumerate(x_labels)],
        x_label_y=x_label_y,
        lines=lines,
        lanes=lanes,
        lanes_title_y=lanes_title_y,
        series=series,
        scale_max=scale_max,
        hidden=hidden,
    )
