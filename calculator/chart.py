"""A small chart of price against time for the options of a comparison, as inline SVG text (issue 17).

The steps come from the rules themselves (started blocks; one ticket, then the quote; the hourly line),
drawn from the tariff file's figures; the reader's time is marked with each option's price there. The
SVG is text built here with every text escaped, no script, no style attribute (the CSP forbids inline
styles; presentation attributes are not styles), and ``role="img"`` named by its own <title> and <desc>;
``text`` says the same in words for the page beside it.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from html import escape
from typing import Any

from .engine import LineRequest, price_line
from .formatting import format_price
from .money import exact
from .report import tariff_label
from .rules import RULES, Rule
from .tariff import Case, Comparison, TariffBook
from .texts import compare_text
from .timeinput import format_duration

__all__ = ["MAX_CHART_MINUTES", "price_chart"]

# The drawing in viewBox units: 360 wide, about a phone's width, so its text (font-size 10 and 11) is
# shown near that size on a 360 px phone, and a wider screen caps it in CSS.
WIDTH, HEIGHT = 360, 244
LEFT, RIGHT, TOP, BOTTOM = 66, 22, 14, 72
# Ticks fall on whole hours; a chart covers at least three hours and at most this many minutes.
MIN_CHART_MINUTES = 180
MAX_CHART_MINUTES = 24 * 60
# Colour and dash both tell the series apart (colour is never the only cue: WCAG 1.4.1).
SERIES = (("#1a5fb4", ""), ("#b54708", "6 4"), ("#2e7d32", "2 3"))


def _coordinate(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1')):f}"


def _nice_step(top: Decimal) -> Decimal:
    """A step of 1, 2 or 5 × 10^n that divides the price axis into at most five parts."""
    raw = top / 5
    magnitude = Decimal(1).scaleb(raw.adjusted())
    for factor in (1, 2, 5, 10):
        if magnitude * factor >= raw:
            return magnitude * factor
    return magnitude * 10  # pragma: no cover


def _rule(case: Case) -> Rule:
    rule = RULES[case.rule]
    if rule.corners is None or rule.chart_words is None:
        raise ValueError(f"case '{case.id}' is not priced by time")
    return rule


@exact
def price_chart(
    book: TariffBook, comparison: Comparison, lang: str, minutes: Decimal | None = None, id_prefix: str = "chart"
) -> dict[str, Any]:
    """{"svg": inline SVG text, "text": the same in words}: price (excl. VAT) against time for every option
    of ``comparison``, with ``minutes`` (the reader's time) marked when given. ``id_prefix`` keeps the
    SVG's ids unique on a page."""
    options = [(book.tariffs[t], book.cases[c]) for t, c in comparison.options]
    currency = options[0][0].currency
    wanted = Decimal(MIN_CHART_MINUTES) if minutes is None else max(Decimal(MIN_CHART_MINUTES), minutes * 3 / 2)
    end = int(min((wanted / 60).to_integral_value(ROUND_CEILING) * 60, Decimal(MAX_CHART_MINUTES)))
    if minutes is not None and minutes > end:
        end = int((minutes / 60).to_integral_value(ROUND_CEILING) * 60)
    series = [_rule(case).corners(case, tariff, end) for tariff, case in options]
    top_price = max(price for points in series for price in (p for _, p in points))
    step = _nice_step(top_price)
    y_top = (top_price / step).to_integral_value(ROUND_CEILING) * step
    plot_w, plot_h = Decimal(WIDTH - LEFT - RIGHT), Decimal(HEIGHT - TOP - BOTTOM)

    def x(minute: Decimal) -> str:
        return _coordinate(LEFT + plot_w * minute / end)

    def y(price: Decimal) -> str:
        return _coordinate(TOP + plot_h - plot_h * price / y_top)

    labels = [tariff_label(tariff, lang) for tariff, _ in options]
    title = compare_text("chart-title", lang)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tc-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' aria-labelledby="{escape(id_prefix)}-title {escape(id_prefix)}-desc" data-end-minutes="{end}"'
        f' font-family="sans-serif" font-size="11">',
        f'<title id="{escape(id_prefix)}-title">{escape(title)}</title>',
    ]
    words = [_rule(case).chart_words(case, tariff, lang) for tariff, case in options]
    sentences = [
        compare_text("chart-series", lang, agreement=label, rule=rule)
        for label, rule in zip(labels, words, strict=True)
    ]
    if minutes is not None:
        at = [price_line(book, LineRequest(t.id, c.id, minutes)).amount_ex_vat for t, c in options]
        prices = ", ".join(
            compare_text("chart-at", lang, agreement=label, price=format_price(price, currency, lang))
            for label, price in zip(labels, at, strict=True)
        )
        sentences.append(compare_text("chart-mark", lang, time=format_duration(minutes, lang), prices=prices))
    text = " ".join(sentences)
    parts.append(f'<desc id="{escape(id_prefix)}-desc">{escape(text)}</desc>')
    # Axes, price grid and labels.
    grid = []
    level = Decimal(0)
    while level <= y_top:
        grid.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(level)}" y2="{y(level)}" stroke="#8a8a8a"'
            f' stroke-width="{"1" if level == 0 else "0.4"}"/>'
            f'<text x="{LEFT - 4}" y="{y(level)}" dy="4" text-anchor="end" font-size="10" fill="currentColor">'
            f"{escape(format_price(level, currency, lang))}</text>"
        )
        level += step
    hours = end // 60
    hour_step = 60 * next((n for n in (1, 2, 4, 6, 12, 24, 48, 120, 240) if hours / n <= 6), -(-hours // 6))
    for minute in range(0, end + 1, hour_step):
        grid.append(
            f'<text x="{x(Decimal(minute))}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" fill="currentColor">'
            f"{minute // 60}</text>"
        )
    # The time axis counts hours, named once at its end (no unit abbreviation under every tick).
    grid.append(
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - BOTTOM + 26}" text-anchor="end" font-size="10" fill="currentColor">'
        f"{escape(compare_text('chart-axis-hours', lang))}</text>"
    )
    parts.append('<g aria-hidden="true">' + "".join(grid) + "</g>")
    # The series: one path each, colour and dash.
    for index, points in enumerate(series):
        colour, dash = SERIES[index % len(SERIES)]
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(m)} {y(p)}" for i, (m, p) in enumerate(points))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashes}'
            f' data-series="{escape(options[index][0].id)}/{escape(options[index][1].id)}"/>'
        )
    # The reader's time: a vertical line and each option's price there.
    if minutes is not None:
        mark = [f'<g data-mark-minutes="{minutes:f}" aria-hidden="true">']
        mark.append(
            f'<line x1="{x(minutes)}" x2="{x(minutes)}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="currentColor"'
            f' stroke-width="1" stroke-dasharray="3 3"/>'
        )
        for index, price in enumerate(at):
            colour, _ = SERIES[index % len(SERIES)]
            mark.append(f'<circle cx="{x(minutes)}" cy="{y(price)}" r="3.5" fill="{colour}"/>')
        anchor = "end" if minutes > Decimal(end) * 2 / 3 else "start"
        shift = "-4" if anchor == "end" else "4"
        mark.append(
            f'<text x="{x(minutes)}" y="{TOP + 8}" dx="{shift}" text-anchor="{anchor}" fill="currentColor">'
            f"{escape(format_duration(minutes, lang))}</text></g>"
        )
        parts.append("".join(mark))
    # The legend under the axis: a line sample in the series' colour and dash, and the agreement's name.
    legend = ['<g aria-hidden="true" font-size="10">']
    for index, label in enumerate(labels):
        colour, dash = SERIES[index % len(SERIES)]
        row = HEIGHT - BOTTOM + 44 + 14 * index
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        legend.append(
            f'<line x1="8" x2="{LEFT - 18}" y1="{row - 4}" y2="{row - 4}" stroke="{colour}"'
            f' stroke-width="2"{dashes}/><text x="{LEFT - 12}" y="{row}" fill="currentColor">{escape(label)}</text>'
        )
    legend.append("</g>")
    parts.append("".join(legend))
    parts.append("</svg>")
    return {"svg": "".join(parts), "text": text}
