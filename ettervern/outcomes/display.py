"""A participant's series of scores as cards: the chart, the change in words, and the table
that is the chart's text alternative."""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ettervern.outcomes.charts import Line, legend, line_chart
from ettervern.outcomes.selectors import Series


@dataclass
class Card:
    series: Series
    chart: SafeString
    subscale_chart: SafeString
    subscale_legend: list
    headers: list[str]
    rows: list[list]


def card_for(series: Series, prefix: str = "chart") -> Card:
    instrument = series.instrument
    low, high = instrument.total_range
    if instrument.kind == instrument.Kind.GOALS:
        low, high = 0, max([m.total for m in series.measurements] + [1])
    points = [(m.answered_on, m.total) for m in series.measurements]
    cutoff = instrument.cutoffs[0] if instrument.cutoffs else None
    chart_id = f"{prefix}-{instrument.code}"
    chart = line_chart(
        chart_id=chart_id,
        title=_("%(name)s over time") % {"name": instrument.name},
        description=series.summary,
        lines=[Line(_("Total"), points)],
        low=low,
        high=high,
        cutoff=cutoff["score"] if cutoff else None,
        cutoff_label=cutoff["label"] if cutoff else "",
    )
    sub_lines = [
        Line(name, [(m.answered_on, m.subscales[code]) for m in series.measurements])
        for code, name in series.subscale_names.items()
    ]
    subscale_chart = SafeString("")
    if sub_lines and series.measurements:
        # Subscales of equal length share one axis (the loader's files are written so).
        first_code = next(iter(series.subscale_names))
        count = sum(1 for i in instrument.definition["items"] if i.get("subscale") == first_code)
        subscale_chart = line_chart(
            chart_id=f"{chart_id}-sub",
            title=_("%(name)s: subscales over time") % {"name": instrument.name},
            description=" ".join(series.subscale_summaries),
            lines=sub_lines,
            low=instrument.scale_min * count,
            high=instrument.scale_max * count,
        )
    headers = [_("Date"), _("Total"), *series.subscale_names.values()]
    rows = [
        list(
            zip(
                headers,
                [
                    date_format(m.answered_on, "d.m.Y"),
                    m.total,
                    *(m.subscales.get(c, "–") for c in series.subscale_names),
                ],
                strict=True,
            )
        )
        for m in reversed(series.measurements)
    ]
    return Card(series, chart, subscale_chart, legend(sub_lines), headers, rows)


def cards_for(series_list: list[Series], prefix: str = "chart") -> list[Card]:
    return [card_for(s, prefix) for s in series_list]
