"""Invoice documents: the HTML shows every line, tier and balance; the PDF renders it, reproducibly."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader

from orchestration.exports.documents import render_html, render_pdf
from tests.exports.sample import ACME, GLOBEX


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_html_shows_header_lines_tiers_commits_and_total():
    html = render_html(ACME)
    for text in (
        "MB-2026-000001",
        "Acme Corporation",
        "Oct 01, 2026 - Oct 31, 2026",  # period, end exclusive Nov 01
        "Nov 01, 2026",  # issued
        "Dec 01, 2026",  # due, net 30
        "Net 30",
        "Tier 1: 1,000 \u00d7 0.01 = 10.00",
        "Tier 2: 500 \u00d7 0.008 = 4.00",
        "2 packages \u00d7 25.00 = 50.00",  # 7 connectors billed as 2 packs of 5
        "22.5806451613",  # the prorated seat price, exact
        "1,605.61",  # subtotal
        "-1,109.00",  # discount + commit
        "496.61",  # total due
        "acme-prepaid-2026",
        "29,000.00",  # remaining balance: 30,000.00 - 1,000.00
    ):
        assert text in html, text
    for line in ACME.lines:
        assert line.description in html


def test_a_single_part_equal_to_the_line_shows_no_breakdown():
    html = render_html(ACME)
    assert "436 \u00d7 2.50 =" not in html  # the line itself says 436 at 2.50
    assert "20 \u00d7 22.5806451613 =" not in html


def test_currency_without_minor_units_and_escaping():
    html = render_html(replace(GLOBEX, customer_name="Globex & <Sons>"))
    assert "53,702" in html and "53,702.00" not in html
    assert "Globex &amp; &lt;Sons&gt;" in html


def test_pdf_contains_every_line_and_is_byte_identical_on_rerun():
    html = render_html(ACME)
    first, second = render_pdf(html), render_pdf(html)
    assert first.startswith(b"%PDF")
    assert first == second
    text = pdf_text(first)
    for line in ACME.lines:
        assert line.description in text, line.description
    assert "496.61" in text and "MB-2026-000001" in text
