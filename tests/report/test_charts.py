"""Charts: each returns a titled, labelled Figure; money is formatted; no pyplot state leaks."""

from __future__ import annotations

import base64
import re

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure

from alms_toolkit.money import format_money_short
from alms_toolkit.report.charts import figures as charts
from alms_toolkit.report.charts.style import (
    accent_color,
    grey_level,
    money_formatter,
    series_styles,
)

M = 1_000_000  # micros per unit


def texts(fig: Figure) -> list[str]:
    out = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return [t for t in out if t]


def all_text(fig: Figure) -> str:
    return "\n".join(texts(fig))


@pytest.fixture
def pareto() -> pd.DataFrame:
    billing = [400, 300, 100, 80, 50, 30, 20, 10]  # 8 clients, total 990
    cum, run = [], 0
    for b in billing:
        run += b
        cum.append(run / 990)
    return pd.DataFrame(
        {"rank": range(1, 9), "client_share": [i / 8 for i in range(1, 9)], "revenue_share": cum}
    )


def test_pareto_chart_marks_and_annotates_the_cutoff(pareto):
    fig = charts.pareto_chart(pareto, 0.25, 2, 700 / 990, currency="$", cutoff=300 * M)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Revenue concentration and the KEY cut-off"
    assert "spending clients" in ax.get_xlabel()
    assert "revenue" in ax.get_ylabel()
    body = all_text(fig)
    assert "Top 25% of clients = 71% of revenue" in body
    assert "KEY cut-off $300" in body and "KEY cut-off $300k" not in body
    assert "KEY clients (2)" in body
    # the curve starts at the origin even though the table does not
    curve = [line for line in ax.get_lines() if len(line.get_xdata()) == 9]
    assert curve and curve[0].get_xdata()[0] == 0 and curve[0].get_ydata()[0] == 0


def test_pareto_chart_without_spending_clients_says_so():
    empty = pd.DataFrame({"client_share": [], "revenue_share": []})
    fig = charts.pareto_chart(empty, 0.0, 0, 0.0)
    assert "No client spent money" in all_text(fig)


def test_pareto_chart_needs_its_columns():
    with pytest.raises(ValueError, match="client_share"):
        charts.pareto_chart(pd.DataFrame({"x": [1]}), 0.25, 1, 0.5)


def test_tier_revenue_chart_shows_counts_money_and_shares():
    accounts = pd.DataFrame(
        {
            "tier": ["KEY", "KEY", "SECONDARY", "SECONDARY", "SECONDARY", "SECONDARY", "NON-SPENDING"],
            "billing": [900_000 * M, 600_000 * M, 200_000 * M, 150_000 * M, 100_000 * M, 50_000 * M, 0],
        }
    )
    before = accounts.copy()
    fig = charts.tier_revenue_chart(accounts, currency="€")
    body = all_text(fig)
    assert "2 KEY\n33%" in body and "4 SECONDARY\n67%" in body
    assert "€1.50M\n75%" in body and "€500k\n25%" in body
    assert "; 1 client with no net billing not shown" in body
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Clients", "Revenue"]
    pd.testing.assert_frame_equal(accounts, before)  # input untouched


def test_seller_mix_chart_orders_by_billing_and_groups_the_tail():
    sellers = pd.DataFrame(
        {
            "seller": ["Small", "Big", "Mid", "Tiny", None],
            "n_key": [1, 5, 3, 0, 1],
            "n_secondary": [4, 5, 3, 2, 0],
            "billing_key": [10_000 * M, 500_000 * M, 90_000 * M, 0, 5_000 * M],
            "billing_secondary": [5_000 * M, 50_000 * M, 20_000 * M, 1_000 * M, 0],
        }
    )
    fig = charts.seller_mix_chart(sellers, currency="$", max_sellers=4)
    ax_n, ax_b = fig.axes[:2]
    labels = [t.get_text() for t in ax_n.get_yticklabels()]
    assert labels == ["Big", "Mid", "Small", "Other sellers (2)"]
    body = all_text(fig)
    assert "$550k" in body and "$110k" in body and "$15.0k" in body and "$6.00k" in body
    assert "10  \u00b7  50% secondary" in body
    assert ax_b.xaxis.get_major_formatter()(250_000, 0) == "$250k"
    assert fig._suptitle.get_text() == "Each seller's list: KEY and SECONDARY accounts"


def test_growth_risk_chart_sums_billing_by_reason():
    growth = pd.DataFrame({"billing": [5_000 * M, 7_000 * M, 30_000 * M], "reason": ["seasonal", "seasonal", "new"]})
    risk = pd.DataFrame({"billing": [200_000 * M], "reason": ["falling"]})
    fig = charts.growth_risk_chart(growth, risk, currency="$")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Growth: seasonal", "Growth: new", "At risk: falling",
    ]
    body = all_text(fig)
    assert "$12.0k  \u00b7  2 accounts" in body
    assert "$200k  \u00b7  1 account" in body
    assert ax.get_xlabel() == "12-month billing"
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == [12_000.0, 30_000.0, 200_000.0]


def test_growth_risk_chart_with_nothing_flagged():
    empty = pd.DataFrame({"billing": pd.Series([], dtype="int64"), "reason": pd.Series([], dtype=str)})
    fig = charts.growth_risk_chart(empty, empty)
    assert "No growth candidates" in all_text(fig)


def test_migration_chart_bars_match_counts():
    fig = charts.migration_chart({"KEY": 10, "SECONDARY": 30, "TARGET": 6}, {"KEY": 12, "SECONDARY": 28, "NEW": 4})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["KEY", "SECONDARY", "TARGET", "NEW"]
    heights = [p.get_height() for p in ax.patches]
    assert heights == [10, 30, 6, 0, 12, 28, 0, 4]
    assert ax.get_ylabel() == "Accounts"


def test_migration_matrix_chart_writes_every_cell():
    m = pd.DataFrame([[5, 1], [2, 7]], index=["KEY", "SECONDARY"], columns=["KEY", "SECONDARY"])
    fig = charts.migration_matrix_chart(m)
    body = texts(fig)
    for v in ("5", "1", "2", "7"):
        assert v in body
    assert fig.axes[0].get_ylabel() == "Previous review"


def test_no_pyplot_figures_and_rcparams_restored(pareto):
    import matplotlib.pyplot as plt

    before = dict(matplotlib.rcParams)
    n_before = len(plt.get_fignums())
    fig = charts.pareto_chart(pareto, 0.25, 2, 0.7)
    charts.figure_to_png(fig)
    assert len(plt.get_fignums()) == n_before
    assert matplotlib.rcParams["font.size"] == before["font.size"]
    assert matplotlib.rcParams["axes.spines.top"] == before["axes.spines.top"]


def test_figure_exports_and_display(pareto):
    fig = charts.pareto_chart(pareto, 0.25, 2, 0.7)
    png = charts.figure_to_png(fig, dpi=50)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    uri = charts.figure_to_png_data_uri(fig, dpi=50)
    assert base64.b64decode(uri.split(",", 1)[1])[:4] == b"\x89PNG"
    assert charts.figure_to_svg(fig).lstrip().startswith("<?xml")
    assert charts.figure_to_svg_data_uri(fig).startswith("data:image/svg+xml;base64,")
    shown = charts.charts_for_display(fig, dpi=50)._repr_mimebundle_()
    assert shown["text/html"].startswith(
        '<div class="alms-output tex2jax_ignore mathjax_ignore"><figure class="alms-chart"><img src="data:image/png;base64,')
    assert 'alt="Revenue concentration and the KEY cut-off"' in shown["text/html"]
    assert "Figure size" not in shown["text/plain"]
    assert "Figure size" not in repr(charts.charts_for_display(fig, dpi=50))
    with pytest.raises(ValueError):
        charts.charts_for_display()
    with pytest.raises(ValueError):
        charts.charts_for_display(fig, fmt="gif")


def test_axis_ticks_follow_the_one_abbreviation_rule():
    """Money axes abbreviate as cards and labels do (money.format_money_short: three
    significant figures), from the tick's value in currency units."""
    tick = money_formatter()
    assert [tick(x, 0) for x in (0, 850, 28_590.29, 250_000, 1_000_000, 1_250_000, 2_000_000_000)] == [
        "$0", "$850", "$28.6k", "$250k", "$1.00M", "$1.25M", "$2.00B"]
    assert money_formatter("EUR")(1_200_000, 0) == "EUR 1.20M"
    assert money_formatter("£")(-1_500_000, 0) == "-£1.50M"
    assert tick(float("nan"), 0) == ""


_AMOUNT = re.compile(r"-?(?:[A-Z]{3} )?[$€£][\d.,]+[kMB]?")


def test_every_amount_a_chart_shows_is_in_the_one_rule():
    """Labels, subtitles and tick labels (after drawing): each amount is what
    money.format_money_short writes for some amount, so at most three significant figures
    with k/M/B, and never a bare "$1M" or "$1.2M" of another rule."""
    accounts = pd.DataFrame({"tier": ["KEY", "SECONDARY"], "billing": [7_130_000 * M, 1_203_456 * M]})
    sellers = pd.DataFrame({"seller": ["Ann", "Bob"], "n_key": [1, 1], "n_secondary": [1, 0],
                            "billing_key": [6_000_000 * M, 1_130_000 * M], "billing_secondary": [1_203_456 * M, 0]})
    flagged = pd.DataFrame({"billing": [28_590_290_000, 999_600 * M], "reason": ["falling", "falling"]})
    figures = [charts.tier_revenue_chart(accounts), charts.seller_mix_chart(sellers),
               charts.growth_risk_chart(flagged.assign(reason="new"), flagged)]
    seen = []
    for fig in figures:
        charts.figure_to_png(fig, dpi=30)  # draws the tick labels
        for amount in _AMOUNT.findall(all_text(fig)):
            seen.append(amount)
            digits = re.sub(r"\D", "", amount)
            if amount[-1] in "kMB":
                assert len(digits) == 3, amount
            else:
                assert int(digits) < 1000, amount
    for exact in (7_130_000 * M, 1_203_456 * M, 8_333_456 * M, 7_203_456 * M, 1_130_000 * M, 1_028_190_290_000):
        assert format_money_short(exact) in seen, format_money_short(exact)
    assert "$1.00M" in seen or "$2.00M" in seen  # a round tick keeps its zeros, as the rule says


def test_palette_reads_in_grey():
    styles = series_styles()
    key, sec = styles["KEY"], styles["SECONDARY"]
    assert grey_level(sec.color) - grey_level(key.color) > 0.35
    assert sec.hatch and not key.hatch
    assert accent_color("not a colour") == "#1f4e79"
    light = accent_color("#ffee88")  # a light accent is darkened so KEY stays dark
    assert grey_level(light) <= 0.38


def test_dollar_signs_in_names_are_text_not_math():
    sellers = pd.DataFrame({"seller": ["Cash $ Carry $ Co"], "n_key": [1], "n_secondary": [1],
                            "billing_key": [2_000 * M], "billing_secondary": [1_000 * M]})
    fig = charts.seller_mix_chart(sellers)
    charts.figure_to_png(fig, dpi=40)  # would raise on a mathtext parse error
    label = fig.axes[0].get_yticklabels()[0]
    assert label.get_text() == "Cash $ Carry $ Co"
    assert label.get_parse_math() is False
