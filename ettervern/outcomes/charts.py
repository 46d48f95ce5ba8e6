"""Line charts of scores over time as server-rendered SVG (no JavaScript; the same markup can go
into a PDF). Sized by a viewBox, so they scale to the width of a phone; the page puts a table
or a sentence next to each chart as its text alternative."""

import datetime as dt
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 340, 190
LEFT, RIGHT, TOP, BOTTOM = 34, 12, 12, 28
# Distinguishable for common colour blindness (Okabe–Ito), each with its own marker.
COLOURS = ["#0b5cad", "#d55e00", "#009e73", "#cc79a7", "#e69f00"]
MARKERS = ["circle", "square", "diamond", "triangle", "circle"]


@dataclass(frozen=True)
class Line:
    label: str
    points: list[tuple[dt.date, int]]


def _x(day: dt.date, first: dt.date, last: dt.date) -> float:
    span = (last - first).days
    inner = WIDTH - LEFT - RIGHT
    if span <= 0:
        return LEFT + inner / 2
    return LEFT + inner * (day - first).days / span


def _y(value: float, low: int, high: int) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return TOP + inner * (1 - (value - low) / (high - low))


def _n(value: float) -> str:
    return f"{value:.1f}"


def _marker(kind: str, x: float, y: float, colour: str, title: str) -> str:
    tip = format_html("<title>{}</title>", title)
    if kind == "square":
        return format_html(
            '<rect x="{}" y="{}" width="8" height="8" fill="{}">{}</rect>',
            _n(x - 4),
            _n(y - 4),
            colour,
            tip,
        )
    if kind == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return format_html('<polygon points="{}" fill="{}">{}</polygon>', points, colour, tip)
    if kind == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return format_html('<polygon points="{}" fill="{}">{}</polygon>', points, colour, tip)
    return format_html(
        '<circle cx="{}" cy="{}" r="4" fill="{}">{}</circle>', _n(x), _n(y), colour, tip
    )


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    lines: list[Line],
    low: int,
    high: int,
    cutoff: int | None = None,
    cutoff_label: str = "",
) -> SafeString:
    """An SVG line chart of ``lines`` on a fixed scale ``low``..``high``, with an optional
    dashed cut-off line. ``title`` and ``description`` name it for screen readers."""
    days = sorted({day for line in lines for day, _v in line.points})
    if not days or high <= low:
        return mark_safe("")
    first, last = days[0], days[-1]
    parts = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
            'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">'
            '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
            chart_id,
            title,
            chart_id,
            description,
        )
    ]
    # Grid lines at the bottom, the middle and the top of the scale.
    for value in (low, (low + high) / 2, high):
        y = _y(value, low, high)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d4da" />'
                '<text x="{}" y="{}" text-anchor="end" fill="#333">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                _n(y),
                _n(y),
                LEFT - 4,
                _n(y + 4),
                f"{value:g}",
            )
        )
    if cutoff is not None and low <= cutoff <= high:
        y = _y(cutoff, low, high)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#6b2c91" '
                'stroke-dasharray="5 4" stroke-width="1.5"><title>{}</title></line>',
                LEFT,
                WIDTH - RIGHT,
                _n(y),
                _n(y),
                cutoff_label,
            )
        )
    # Dates under the first and the last measurement (the table lists them all).
    labels = [(first, "middle")] if first == last else [(first, "start"), (last, "end")]
    for day, anchor in labels:
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" fill="#333">{}</text>',
                _n(_x(day, first, last)),
                HEIGHT - 8,
                anchor,
                day.strftime("%d.%m.%y"),
            )
        )
    for n, line in enumerate(lines):
        colour, marker = COLOURS[n % len(COLOURS)], MARKERS[n % len(MARKERS)]
        coords = [(_x(d, first, last), _y(v, low, high)) for d, v in sorted(line.points)]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" />',
                    path,
                    colour,
                )
            )
        for (x, y), (day, value) in zip(coords, sorted(line.points), strict=True):
            parts.append(
                _marker(marker, x, y, colour, f"{line.label} {day.strftime('%d.%m.%Y')}: {value}")
            )
    parts.append(mark_safe("</svg>"))
    chart = SafeString()
    for part in parts:
        chart += part  # each part is safe (format_html), so the sum is
    return chart


def legend(lines: list[Line]) -> list[tuple[str, str, str]]:
    """(label, colour, marker) of each line, for the legend under the chart."""
    return [
        (line.label, COLOURS[n % len(COLOURS)], MARKERS[n % len(MARKERS)])
        for n, line in enumerate(lines)
    ]
