"""The text that sends an estimate with a case: one source for the CLI (--case-text), the page and the tests.

Norway (N7): cases go by e-mail to the service team, so the text comes with a ``mailto:`` URL (RFC 6068)
to the address in the tariff file's ``[[market]]``. Sweden (S9): cases are registered on the provider's
website, so the text is for copying, with where to paste it. The ``mailto:`` URL is kept within
MAX_MAILTO_CHARS, the length mail programs and browsers reliably pass on (Internet Explorer's and
Outlook's 2 083-character URL limit is the lowest in use): a long estimate drops its lines from the
message first (the link carries them), then the link.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urlsplit

from .engine import Estimate
from .formatting import format_amount
from .report import tariff_label, total_labels
from .tariff import TariffBook
from .texts import case_text_word, status_text
from .timeinput import format_duration

if TYPE_CHECKING:  # the written shape (responses.py) is for readers and tests, not the browser's import
    from .responses import CaseTextData

__all__ = ["MAX_MAILTO_CHARS", "MAX_PAGE_URL_CHARS", "compose", "estimate_link", "mailto_url"]

MAX_MAILTO_CHARS = 2000
MAX_PAGE_URL_CHARS = 300
_SAFE_URL = re.compile(r"\Ahttps?://[\x21-\x7e]+\Z")


def estimate_link(page_url: str | None, estimate: Estimate) -> str | None:
    """The calculator's link for the estimate: ``page_url`` (the page, without query) with the lines as the
    page writes them (tariff, case, minutes, repeated). None when ``page_url`` is missing, not http(s),
    longer than MAX_PAGE_URL_CHARS, or holds anything but printable ASCII."""
    if not isinstance(page_url, str) or len(page_url) > MAX_PAGE_URL_CHARS or not _SAFE_URL.match(page_url):
        return None
    parts = urlsplit(page_url)
    query = urlencode(
        [
            pair
            for line in estimate.lines
            for pair in (
                ("tariff", line.tariff.id),
                ("case", line.case.id),
                ("minutes", "" if line.minutes is None else f"{line.minutes.normalize():f}"),
            )
        ]
    )
    return parts._replace(query=query, fragment="").geturl()


def _lines(estimate: Estimate, lang: str) -> list[str]:
    rows = []
    for line in estimate.lines:
        amount = line.amount_ex_vat
        shown = status_text(line.status, lang) if amount is None else format_amount(amount, line.tariff.currency, lang)
        where = f"{line.case.label[lang]}, {tariff_label(line.tariff, lang)}"
        time = "" if line.minutes is None else f", {format_duration(line.minutes, lang)}"
        rows.append(f"- {where}{time}: {shown}")
    return rows


def _totals(estimate: Estimate, lang: str) -> list[str]:
    if estimate.total_ex_vat is None:
        return []
    labels = total_labels(estimate, lang)
    return [
        f"{labels[key]}: {format_amount(getattr(estimate, key), estimate.currency, lang)}"
        for key in ("total_ex_vat", "vat", "total_inc_vat")
    ]


def _body(estimate: Estimate, lang: str, link: str | None, with_lines: bool) -> str:
    parts = [
        case_text_word("greeting", lang),
        "",
        case_text_word("describe", lang),
        "",
        case_text_word("estimate", lang),
    ]
    if with_lines:
        parts += _lines(estimate, lang)
    elif link:
        parts.append(case_text_word("lines-in-link", lang))
    parts += _totals(estimate, lang)
    parts.append(case_text_word("not-an-offer", lang))
    if link:
        parts.append(case_text_word("link", lang, url=link))
    parts += ["", case_text_word("closing", lang)]
    return "\n".join(parts)


def mailto_url(address: str, subject: str, body: str) -> str:
    """RFC 6068: every header value percent-encoded as UTF-8; line breaks in the body as CRLF (%0D%0A)."""
    encoded_body = quote(body.replace("\n", "\r\n"), safe="")
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={encoded_body}"


def _subject(estimate: Estimate, lang: str) -> str:
    names: list[str] = []
    for line in estimate.lines:
        name = line.case.label[lang]
        if name not in names:
            names.append(name)
    subject = case_text_word("subject", lang, cases=", ".join(names))
    return subject if len(subject) <= 120 else subject[:119] + "…"


def compose(book: TariffBook, estimate: Estimate, lang: str, page_url: str | None = None) -> CaseTextData:
    """The message for the estimate's market, in ``lang``.

    Returns responses.CaseTextData: {"channel": "email" | "website", "to": address or None, "subject",
    "body" (lines joined by "\\n"), "mailto": URL or None, "instructions" (what to do with it),
    "shortened": bool (the lines, or the link, were left out to keep the mailto: URL within MAX_MAILTO_CHARS)}.
    """
    market_id = estimate.lines[0].tariff.market
    market = book.markets.get(market_id)
    channel = market.channel if market else "website"
    link = estimate_link(page_url, estimate)
    subject = _subject(estimate, lang)
    body = _body(estimate, lang, link, with_lines=True)
    mailto, shortened = None, False
    if channel == "email":
        for with_lines, with_link in ((True, True), (False, True), (False, False)):
            body = _body(estimate, lang, link if with_link else None, with_lines)
            mailto = mailto_url(market.email, subject, body)
            if len(mailto) <= MAX_MAILTO_CHARS:
                break
        shortened = not (with_lines and with_link)
        instructions = case_text_word("instructions-email", lang, email=market.email)
    else:
        instructions = case_text_word("instructions-website", lang)
    return {
        "channel": channel,
        "to": market.email if channel == "email" else None,
        "subject": subject,
        "body": body,
        "mailto": mailto,
        "instructions": instructions,
        "shortened": shortened,
    }
