import datetime as dt

import pandas as pd
import pytest

from alms_toolkit.package_files import shipped_folder
from alms_toolkit.report.views import display


def _frame():
    return pd.DataFrame(
        {
            "client": ["<script>alert(1)</script>", "Bon app'", "=HYPERLINK(\"x\")"],
            "billing": pd.array([11_672_600_000, -2_000_000, 0], dtype="int64"),
            "share": [0.5, 0.25, 0.0],
            "rank": pd.array([1, 2, pd.NA], dtype="Int64"),
            "last": [dt.date(2024, 1, 31), pd.NaT, dt.date(2023, 5, 1)],
        }
    )


def test_table_escapes_client_text_and_formats_money_exactly():
    html = display.table(_frame(), {"client": "Client", "billing": "Billing"}, money=["billing"])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Bon app&#x27;" in html
    assert '<td class="num" data-sort="11672600000">$11,672.60</td>' in html
    assert '<td class="num" data-sort="-2000000">-$2.00</td>' in html
    assert '<th class="num">Billing</th>' in html and "<th>Client</th>" in html
    # shown wrapped: the components' scope, and no MathJax (two dollar amounts are not maths)
    assert html._repr_html_() == f'<div class="alms-output tex2jax_ignore mathjax_ignore">{html}</div>'


def test_table_percent_integer_dates_and_missing_values():
    html = display.table(
        _frame(), ["rank", "share", "last"], percent=["share"], integer=["rank"], dates=["last"]
    )
    assert '<td class="num" data-sort="0.5">50.0%</td>' in html
    assert '<td class="num" data-sort="1">1</td>' in html
    assert '<td class="num" data-sort=""></td>' in html  # NA rank: empty, still a number cell, sorted last
    assert "<td>31 January 2024</td>" in html and "NaT" not in html
    scores = display.table(pd.DataFrame({"fit": [4.0, 4.666, None]}), decimal=["fit"])
    assert '<td class="num" data-sort="4.0">4.0</td>' in scores and '<td class="num" data-sort="4.666">4.7</td>' in scores
    assert '<th class="num">fit</th>' in scores


def test_table_is_capped_with_a_note():
    df = pd.DataFrame({"client": [f"C{i}" for i in range(30)]})
    html = display.table(df, max_rows=25, more="see accounts.csv")
    assert html.count("<tr") == 26  # header + 25 rows
    assert '<p class="table-note">… and 5 more rows, see accounts.csv.</p>' in html
    assert "more rows" not in display.table(df.head(3), max_rows=25)


def test_table_empty_and_unknown_column():
    assert "Nothing to show." in display.table(pd.DataFrame({"a": []}))
    with pytest.raises(KeyError, match="nope"):
        display.table(_frame(), ["nope"])


def test_table_kept_together_on_paper():
    """A short table is never split across printed pages; a long one keeps its first and
    last rows with their neighbours (no page holding a few orphan rows); a tall short table
    (rows of long text) may split; a title is printed with its table."""
    frame = pd.DataFrame({"a": [1, 2]})
    assert display.table(frame).startswith('<table class="alms-table keep-together">')
    long = display.table(pd.DataFrame({"a": range(40)}), max_rows=None)
    assert long.startswith('<table class="alms-table">')
    assert long.count('<tr class="keep-next">') == display.KEEP_EDGE == long.count('<tr class="keep-previous">')
    tall = display.table(pd.DataFrame({"a": ["word " * 300] * 5}))
    assert tall.startswith('<table class="alms-table">')
    assert display.table(pd.DataFrame({"a": range(40)}), keep_together=True).startswith(
        '<table class="alms-table keep-together">')
    titled = display.table(frame, title="KEY accounts at risk", heading=True)
    assert titled.startswith("<h3>KEY accounts at risk</h3><table")
    assert display.table(frame.head(0), title="T", empty="None.").startswith('<p class="table-title"><strong>T')
    css = (shipped_folder("templates") / "alms_report" / "report.css").read_text(encoding="utf-8")
    assert "table.keep-together { break-inside: avoid; }" in css
    assert "tr.keep-next { break-after: avoid; }" in css and "tr.keep-previous { break-before: avoid; }" in css


def test_status_badges_and_kpi_cards_escape():
    assert 'class="badge status-fail">Fail<' in display.status_badge("fail")
    assert "status-pass" in display.status_badge("pass")
    assert "status-na" in display.status_badge("not assessed")
    html = display.table(pd.DataFrame({"s": ["pass", "fail"]}), status=["s"])
    assert "status-pass" in html and "status-fail" in html
    cards = display.kpi_cards([("KEY <b>", "$1", "note & more"), ("Cut-off", "22")])
    assert cards.count('class="kpi"') == 2
    assert "KEY &lt;b&gt;" in cards and "note &amp; more" in cards
    assert cards.startswith('<div class="kpi-row">')
    assert '<span class="value">$1</span><span class="label">KEY &lt;b&gt;</span>' in cards


def test_paragraph_callout_and_list_escape():
    assert display.paragraph("<img src=x>") == '<p class="narrative">&lt;img src=x&gt;</p>'
    assert display.paragraph("  ") == ""  # no text, no empty paragraph
    assert "<strong>Note</strong>" in display.callout("a < b", "Note")
    assert display.bullet_list(["a", "<b>"], ordered=True) == "<ol><li>a</li><li>&lt;b&gt;</li></ol>"
    assert display.bullet_list([]) == ""
    assert display.subheading("At <risk>") == "<h3>At &lt;risk&gt;</h3>"
    assert display.strong_line("Ann & Bob") == '<p class="table-title"><strong>Ann &amp; Bob</strong></p>'


def test_a_small_table_beside_its_chart():
    """display.beside: the chart (anything with HTML) and a small table in one two-column
    block, never split across pages; the chart's own output wrapper is not nested."""
    class Chart:
        def _repr_html_(self):
            return display.wrap_output('<figure class="alms-chart"><img src="data:image/png;base64,AA==" alt="c"></figure>')

    block = display.beside(Chart(), display.table(pd.DataFrame({"a": [1]})))
    assert block.startswith('<div class="beside"><div class="beside-main"><figure class="alms-chart">')
    assert '<div class="beside-side"><table class="alms-table keep-together">' in block
    assert block.count(display.OUTPUT_CLASS) == 0
    css = (shipped_folder("templates") / "alms_report" / "components.css").read_text(encoding="utf-8")
    assert ".alms-output .beside { display: flex;" in css and "break-inside: avoid" in css
