"""The report's charts. Each function takes the audit's tables (money as int64 micros) and
returns a new :class:`matplotlib.figure.Figure` sized for the text width of an A4 page.
Every abbreviated amount - value labels, subtitles and money axes - follows the one rule of
cards and charts, :func:`alms_toolkit.money.format_money_short` (three significant figures:
$850, $28.6k, $286k, $7.13M, $1.20B), computed from the exact micros.

Figures are made with :class:`~matplotlib.figure.Figure`, never through ``pyplot``, so no
global figure state builds up in a long notebook or a batch run. Show one in a notebook
with :func:`charts_for_display` (an inline image, without the ``<Figure size ...>`` text),
or embed it anywhere with :func:`figure_to_png_data_uri` / :func:`figure_to_svg_data_uri`.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ... import money
from ...count_words import agree, plural
from .style import (
    FIG_WIDTH,
    GRID,
    INK,
    MUTED,
    accent_color,
    chart_style,
    grey_level,
    money_formatter,
    percent_formatter,
    series_styles,
)

__all__ = [
    "pareto_chart",
    "tier_revenue_chart",
    "seller_mix_chart",
    "growth_risk_chart",
    "migration_chart",
    "migration_matrix_chart",
    "figure_to_png",
    "figure_to_svg",
    "figure_to_png_data_uri",
    "figure_to_svg_data_uri",
    "charts_for_display",
    "ChartDisplay",
    "CATEGORY_ORDER",
]

#: order of categories in every chart that shows several
CATEGORY_ORDER = ("KEY", "SECONDARY", "TARGET", "EXTRA", "LEAD", "LAPSED", "DORMANT", "NEW",
                  "DROPPED", "NON-SPENDING")
_GROWTH_ORDER = ("seasonal", "new", "rising")
_RISK_ORDER = ("falling", "no recent billing")


# ------------------------------------------------------------------------------ helpers


def _figure(height: float, title: str) -> Figure:
    fig = Figure(figsize=(FIG_WIDTH, height), layout="constrained")
    fig.set_label(title)
    return fig


def _title(ax: Any, title: str, subtitle: str | None = None) -> None:
    if subtitle:
        ax.set_title(title, loc="left", pad=24)
        ax.text(
            0, 1.035, subtitle, transform=ax.transAxes, ha="left", va="bottom",
            fontsize=8, color=MUTED,
        )
    else:
        ax.set_title(title, loc="left")


def _empty(fig: Figure, title: str, message: str) -> Figure:
    ax = fig.add_subplot()
    _title(ax, title)
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=9, color=MUTED,
            transform=ax.transAxes)
    return fig


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _need(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} needs the columns {', '.join(missing)}")


def _micros_sum(values: pd.Series) -> int:
    return money.total(values.astype("int64")) if len(values) else 0


def _clip(text: str, width: int = 26) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


# ------------------------------------------------------------------------------ charts


def pareto_chart(
    pareto: pd.DataFrame,
    cutoff_share: float,
    n_key: int,
    key_revenue_share: float,
    *,
    currency: str = "$",
    cutoff: int | None = None,
    accent: str | None = None,
) -> Figure:
    """Pareto curve of spending clients with the KEY cut-off marked and annotated
    ("Top 25% of clients = 76% of revenue").

    ``pareto``: ``client_share`` and ``revenue_share`` (cumulative, 0..1, clients ranked by
    billing); ``cutoff_share``: share of clients that are KEY; ``cutoff``: the cut-off
    billing in micros (shown in the subtitle when given).
    """
    title = "Revenue concentration and the KEY cut-off"
    with chart_style():
        fig = _figure(3.5, title)
        _need(pareto, ["client_share", "revenue_share"], "pareto_chart")
        if pareto.empty or n_key <= 0:
            return _empty(fig, title, "No client spent money in the 12-month window.")
        color = accent_color(accent)
        x = pareto["client_share"].to_numpy(dtype=float)
        y = pareto["revenue_share"].to_numpy(dtype=float)
        if x[0] > 0 or y[0] > 0:
            x, y = np.concatenate([[0.0], x]), np.concatenate([[0.0], y])
        ax = fig.add_subplot()
        subtitle = "Spending clients ranked by 12-month billing, largest first"
        if cutoff is not None:
            subtitle += f"; KEY cut-off {money.format_money_short(cutoff, currency)}"
        _title(ax, title, subtitle)
        ax.grid(axis="y")
        ax.plot([0, 1], [0, 1], color="#a6a6a6", linestyle=(0, (2, 2)), linewidth=0.9,
                label="If every client spent the same")
        key = x <= cutoff_share + 1e-12
        ax.fill_between(x[key], y[key], color=color, alpha=0.16, linewidth=0,
                        label=f"KEY clients ({n_key:,})")
        ax.plot(x, y, color=color, linewidth=2.0, label="Cumulative share of revenue")
        ax.plot([cutoff_share, cutoff_share], [0, key_revenue_share], color=INK,
                linestyle=(0, (4, 2)), linewidth=0.9)
        ax.plot([0, cutoff_share], [key_revenue_share, key_revenue_share], color=INK,
                linestyle=(0, (4, 2)), linewidth=0.9)
        ax.plot([cutoff_share], [key_revenue_share], marker="o", markersize=6,
                markerfacecolor="white", markeredgecolor=INK, markeredgewidth=1.4,
                linestyle="none")
        text = f"Top {_pct(cutoff_share)} of clients = {_pct(key_revenue_share)} of revenue"
        tx = min(cutoff_share + 0.12, 0.62)
        ty = max(min(key_revenue_share - 0.22, 0.8), 0.12)
        ax.annotate(
            text, xy=(cutoff_share, key_revenue_share), xytext=(tx, ty),
            fontsize=9.5, fontweight="bold", color=INK, ha="left", va="center",
            bbox={"boxstyle": "round,pad=0.35", "facecolor": "white", "edgecolor": "#8c8c8c",
                  "linewidth": 0.6},
            arrowprops={"arrowstyle": "-|>", "color": INK, "linewidth": 0.9,
                        "shrinkA": 2, "shrinkB": 5},
        )
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.xaxis.set_major_formatter(percent_formatter())
        ax.yaxis.set_major_formatter(percent_formatter())
        ax.set_xlabel("Share of spending clients (ranked by billing)")
        ax.set_ylabel("Cumulative share of revenue")
        ax.legend(loc="lower right")
        return fig


def tier_revenue_chart(
    accounts: pd.DataFrame, *, currency: str = "$", accent: str | None = None
) -> Figure:
    """KEY and SECONDARY side by side as shares of clients and shares of revenue.

    ``accounts``: one row per client with ``tier`` and ``billing`` (micros).
    NON-SPENDING clients are counted in the subtitle, not drawn.
    """
    title = "KEY and SECONDARY: share of clients and share of revenue"
    with chart_style():
        fig = _figure(2.5, title)
        _need(accounts, ["tier", "billing"], "tier_revenue_chart")
        styles = series_styles(accent)
        tiers = ("KEY", "SECONDARY")
        counts = {t: int((accounts["tier"] == t).sum()) for t in tiers}
        revenue = {t: _micros_sum(accounts.loc[accounts["tier"] == t, "billing"]) for t in tiers}
        n_spending = sum(counts.values())
        total_rev = sum(revenue.values())
        if n_spending == 0 or total_rev <= 0:
            return _empty(fig, title, "No client spent money in the 12-month window.")
        n_non = int((~accounts["tier"].isin(tiers)).sum())
        subtitle = (f"{n_spending:,} spending {agree(n_spending, 'client', 'clients')}, "
                    f"{money.format_money_short(total_rev, currency)} in 12 months")
        if n_non:
            subtitle += f"; {plural(n_non, 'client')} with no net billing not shown"
        ax = fig.add_subplot()
        _title(ax, title, subtitle)
        rows = [
            ("Clients", {t: counts[t] / n_spending for t in tiers},
             {t: f"{counts[t]:,} {t}" for t in tiers}),
            ("Revenue", {t: money.ratio(revenue[t], total_rev) for t in tiers},
             {t: money.format_money_short(revenue[t], currency) for t in tiers}),
        ]
        for i, (_label, shares, texts) in enumerate(rows):
            left = 0.0
            for t in tiers:
                s = styles[t]
                ax.barh(i, shares[t], left=left, height=0.62, **s.bar_kwargs())
                if shares[t] >= 0.14:
                    label = f"{texts[t]}\n{_pct(shares[t])}"
                elif shares[t] >= 0.04:
                    label = _pct(shares[t])
                else:
                    label = ""
                if label:
                    ax.text(left + shares[t] / 2, i, label, ha="center", va="center",
                            fontsize=8.5, color=s.text, fontweight="bold",
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": s.color,
                                  "edgecolor": "none"} if s.hatch else None)
                left += shares[t]
        ax.set_yticks([0, 1], [r[0] for r in rows], fontsize=9, fontweight="bold")
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(percent_formatter())
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        handles = [Patch(**{k: v for k, v in styles[t].bar_kwargs().items()}) for t in tiers]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
        return fig


def seller_mix_chart(
    sellers: pd.DataFrame,
    *,
    currency: str = "$",
    accent: str | None = None,
    max_sellers: int = 15,
) -> Figure:
    """Each seller's KEY/SECONDARY mix: account counts (left) and 12-month billing (right),
    sellers ordered by billing. Past ``max_sellers`` the smallest are summed in one bar.

    ``sellers``: ``seller``, ``n_key``, ``n_secondary``, ``billing_key``,
    ``billing_secondary`` (micros).
    """
    title = "Each seller's list: KEY and SECONDARY accounts"
    cols = ["seller", "n_key", "n_secondary", "billing_key", "billing_secondary"]
    with chart_style():
        _need(sellers, cols, "seller_mix_chart")
        df = sellers[cols].copy()
        df["seller"] = df["seller"].fillna("(no seller)").astype(str)
        for c in cols[1:]:
            df[c] = df[c].astype("int64")
        df = df[(df["n_key"] + df["n_secondary"]) > 0]
        if df.empty:
            return _empty(_figure(2.0, title), title, "No seller has spending accounts.")
        df["total"] = [int(a) + int(b) for a, b in zip(df["billing_key"], df["billing_secondary"], strict=False)]
        df = df.sort_values(["total", "seller"], ascending=[False, True], kind="stable")
        max_sellers = max(int(max_sellers), 2)
        if len(df) > max_sellers:
            head, rest = df.iloc[: max_sellers - 1], df.iloc[max_sellers - 1 :]
            other: dict[str, str | int] = {"seller": f"Other sellers ({len(rest)})"}
            for c in cols[1:] + ["total"]:
                other[c] = money.total(rest[c]) if c.startswith(("billing", "total")) else int(rest[c].sum())
            df = pd.concat([head, pd.DataFrame([other])], ignore_index=True)
        n = len(df)
        fig = _figure(max(2.4, 1.15 + 0.3 * n), title)
        fig.suptitle(title, x=0.01, ha="left", fontsize=10.5, fontweight="bold")
        ax_n, ax_b = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1, 1.25]})
        styles = series_styles(accent)
        key, sec = styles["KEY"], styles["SECONDARY"]
        y = np.arange(n)
        nk, ns = df["n_key"].to_numpy(), df["n_secondary"].to_numpy()
        totals = [int(v) for v in df["total"]]  # micros: the labels' exact amounts
        bk = np.array([money.to_float(v) for v in df["billing_key"]])
        bs = np.array([money.to_float(v) for v in df["billing_secondary"]])
        h = 0.66
        ax_n.barh(y, nk, height=h, **key.bar_kwargs())
        ax_n.barh(y, ns, left=nk, height=h, **sec.bar_kwargs())
        ax_b.barh(y, bk, height=h, **key.bar_kwargs())
        ax_b.barh(y, bs, left=bk, height=h, **sec.bar_kwargs())
        n_max = float((nk + ns).max())
        b_max = float((bk + bs).max()) or 1.0
        for i in range(n):
            total_n = int(nk[i] + ns[i])
            sec_share = ns[i] / total_n if total_n else 0.0
            ax_n.text(total_n + n_max * 0.02, i, f"{total_n:,}  \u00b7  {_pct(sec_share)} secondary",
                      va="center", ha="left", fontsize=7.5, color=INK)
            ax_b.text(bk[i] + bs[i] + b_max * 0.02, i, money.format_money_short(totals[i], currency),
                      va="center", ha="left", fontsize=7.5, color=INK)
        ax_n.set_xlim(0, n_max * 1.75)
        ax_b.set_xlim(0, b_max * 1.22)
        ax_n.set_yticks(y, [_clip(s) for s in df["seller"]])
        ax_n.invert_yaxis()
        ax_n.set_title("Accounts", loc="left", fontsize=9, fontweight="normal")
        ax_b.set_title("12-month billing", loc="left", fontsize=9, fontweight="normal")
        ax_b.xaxis.set_major_formatter(money_formatter(currency))
        ax_b.xaxis.get_major_locator().set_params(nbins=4)
        ax_n.xaxis.get_major_locator().set_params(nbins=4, integer=True)
        for ax in (ax_n, ax_b):
            ax.grid(axis="x")
            ax.tick_params(axis="y", length=0)
        ax_b.tick_params(axis="y", labelleft=False)
        fig.legend(handles=[Patch(**key.bar_kwargs()), Patch(**sec.bar_kwargs())],
                   loc="outside lower center", ncol=2)
        return fig


def growth_risk_chart(
    growth: pd.DataFrame,
    at_risk: pd.DataFrame,
    *,
    currency: str = "$",
    accent: str | None = None,
) -> Figure:
    """12-month billing of the flagged accounts by reason: SECONDARY accounts with growth
    potential and KEY accounts at risk. ``growth``/``at_risk``: ``billing`` (micros), ``reason``."""
    title = "Growth opportunities and KEY accounts at risk"
    with chart_style():
        _need(growth, ["billing", "reason"], "growth_risk_chart (growth)")
        _need(at_risk, ["billing", "reason"], "growth_risk_chart (at_risk)")
        styles = series_styles(accent)
        rows: list[tuple[str, int, int, str]] = []
        for frame, order, prefix, kind in (
            (growth, _GROWTH_ORDER, "Growth", "SECONDARY"),
            (at_risk, _RISK_ORDER, "At risk", "KEY"),
        ):
            reasons = [r for r in order if (frame["reason"] == r).any()]
            reasons += sorted(set(frame["reason"].dropna().astype(str)) - set(order))
            for r in reasons:
                part = frame.loc[frame["reason"] == r, "billing"]
                rows.append((f"{prefix}: {r}", _micros_sum(part), len(part), kind))
        if not rows:
            return _empty(_figure(1.6, title), title,
                          "No growth candidates and no KEY accounts at risk were found.")
        fig = _figure(max(2.2, 1.3 + 0.34 * len(rows)), title)
        ax = fig.add_subplot()
        _title(ax, title, "Total 12-month billing of the accounts flagged, by reason")
        y = np.arange(len(rows))
        values = np.array([money.to_float(r[1]) for r in rows])
        vmax = float(np.abs(values).max()) or 1.0
        for i, (_label, _b, count, kind) in enumerate(rows):
            ax.barh(i, values[i], height=0.62, **styles[kind].bar_kwargs())
            word = agree(count, "account", "accounts")
            ax.text(max(values[i], 0) + vmax * 0.015, i,
                    f"{money.format_money_short(rows[i][1], currency)}  \u00b7  {count:,} {word}",
                    va="center", ha="left", fontsize=8, color=INK)
        ax.set_yticks(y, [r[0] for r in rows])
        ax.invert_yaxis()
        ax.set_xlim(0, vmax * 1.4)
        ax.xaxis.set_major_formatter(money_formatter(currency))
        locator = ax.xaxis.get_major_locator()
        if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
            locator.set_params(nbins=5)
        ax.set_xlabel("12-month billing")
        ax.grid(axis="x")
        ax.tick_params(axis="y", length=0)
        kinds = list(dict.fromkeys(r[3] for r in rows))
        names = {"SECONDARY": "Growth potential (SECONDARY accounts)", "KEY": "KEY accounts at risk"}
        handles = [Patch(**{**styles[k].bar_kwargs(), "label": names[k]}) for k in kinds]
        fig.legend(handles=handles, loc="outside lower center", ncol=len(handles))
        return fig


def migration_chart(
    then: Mapping[str, int],
    now: Mapping[str, int],
    *,
    then_label: str = "Previous review",
    now_label: str = "This review",
    accent: str | None = None,
) -> Figure:
    """Accounts per category at the previous review and now (KEY, SECONDARY, TARGET, ...)."""
    title = "Accounts by category: previous review and now"
    with chart_style():
        cats = [c for c in CATEGORY_ORDER if c in then or c in now]
        cats += sorted((set(then) | set(now)) - set(CATEGORY_ORDER))
        if not cats:
            return _empty(_figure(1.6, title), title, "No accounts to compare.")
        styles = series_styles(accent)
        fig = _figure(3.0, title)
        ax = fig.add_subplot()
        _title(ax, title)
        x = np.arange(len(cats))
        w = 0.38
        a = [int(then.get(c, 0)) for c in cats]
        b = [int(now.get(c, 0)) for c in cats]
        ax.bar(x - w / 2, a, width=w, **{**styles["THEN"].bar_kwargs(), "label": then_label})
        ax.bar(x + w / 2, b, width=w, **{**styles["NOW"].bar_kwargs(), "label": now_label})
        top = max(a + b + [1])
        for xi, va_, vb in zip(x, a, b, strict=False):
            ax.text(xi - w / 2, va_ + top * 0.015, f"{va_:,}", ha="center", va="bottom", fontsize=7.5)
            ax.text(xi + w / 2, vb + top * 0.015, f"{vb:,}", ha="center", va="bottom",
                    fontsize=7.5, fontweight="bold")
        ax.set_xticks(x, cats)
        ax.set_ylim(0, top * 1.15)
        ax.set_ylabel("Accounts")
        locator = ax.yaxis.get_major_locator()
        if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
            locator.set_params(integer=True)
        ax.grid(axis="y")
        ax.legend(loc="upper right")
        return fig


def migration_matrix_chart(matrix: pd.DataFrame, *, accent: str | None = None,
                           then_label: str = "Previous review",
                           now_label: str = "This review") -> Figure:
    """Where each account moved: rows = category at the previous review, columns = now,
    cells = number of accounts (shaded, with the number written in every cell)."""
    title = "Where each account moved since the previous review"
    with chart_style():
        if matrix.empty:
            return _empty(_figure(1.6, title), title, "No accounts to compare.")
        values = matrix.fillna(0).to_numpy(dtype=float)
        rows, cols = [str(r) for r in matrix.index], [str(c) for c in matrix.columns]
        fig = _figure(max(2.4, 1.3 + 0.36 * len(rows)), title)
        ax = fig.add_subplot()
        ax.set_title(title, loc="left", pad=8)
        color = accent_color(accent)
        cmap = LinearSegmentedColormap.from_list("alms", ["#ffffff", color])
        vmax = float(values.max()) or 1.0
        ax.imshow(values, cmap=cmap, vmin=0, vmax=vmax, aspect="auto")
        for i in range(len(rows)):
            for j in range(len(cols)):
                v = values[i, j]
                shade = cmap(v / vmax)
                ink = "white" if grey_level(shade) < 0.5 else INK
                ax.text(j, i, f"{int(v):,}" if v else "\u2013", ha="center", va="center",
                        fontsize=8.5, color=ink, fontweight="bold" if rows[i] == cols[j] else None)
        ax.set_xticks(np.arange(len(cols)), cols)
        ax.set_yticks(np.arange(len(rows)), rows)
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
        ax.set_xlabel(now_label, labelpad=6, fontweight="bold")
        ax.set_ylabel(then_label, fontweight="bold")
        ax.set_xticks(np.arange(len(cols) + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
        ax.grid(which="minor", color=GRID, linewidth=1.0)
        ax.tick_params(which="both", length=0)
        for s in ax.spines.values():
            s.set_visible(False)
        return fig


# ------------------------------------------------------------------------------ output


def figure_to_png(fig: Figure, *, dpi: int = 200) -> bytes:
    """The figure as PNG bytes (200 dpi: sharp on paper at A4 text width)."""
    buf = io.BytesIO()
    with chart_style():
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def figure_to_svg(fig: Figure) -> str:
    """The figure as SVG text (text drawn as paths: no font needed to view it)."""
    buf = io.StringIO()
    with chart_style():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def figure_to_png_data_uri(fig: Figure, *, dpi: int = 200) -> str:
    """``data:image/png;base64,...`` for an ``<img src>`` in a self-contained page."""
    return "data:image/png;base64," + base64.b64encode(figure_to_png(fig, dpi=dpi)).decode("ascii")


def figure_to_svg_data_uri(fig: Figure) -> str:
    """``data:image/svg+xml;base64,...`` for an ``<img src>`` in a self-contained page."""
    svg = figure_to_svg(fig).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


class ChartDisplay:
    """Notebook display of one or more charts as inline images: an HTML ``<figure>`` per
    chart (class ``alms-chart``, alt text = the chart's title), and the titles as plain text.
    No ``<Figure size ...>`` text is ever produced."""

    def __init__(self, figures: Sequence[Figure], fmt: str = "png", dpi: int = 200) -> None:
        if fmt not in ("png", "svg"):
            raise ValueError(f"fmt must be 'png' or 'svg', not {fmt!r}")
        self._items: list[tuple[str, str]] = []
        for fig in figures:
            uri = figure_to_png_data_uri(fig, dpi=dpi) if fmt == "png" else figure_to_svg_data_uri(fig)
            self._items.append((str(fig.get_label() or "Chart"), uri))

    def _repr_html_(self) -> str:
        from ..views.display import wrap_output

        return wrap_output("\n".join(
            f'<figure class="alms-chart"><img src="{uri}" alt="{html.escape(title)}"></figure>'
            for title, uri in self._items
        ))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {
            "text/html": self._repr_html_(),
            "text/plain": "\n".join(f"[chart] {t}" for t, _ in self._items),
        }

    def __repr__(self) -> str:
        return "\n".join(f"[chart] {t}" for t, _ in self._items)


def charts_for_display(*figures: Figure, fmt: str = "png", dpi: int = 200) -> ChartDisplay:
    """Wrap figures for display as the last expression of a notebook cell (or ``display()``)."""
    if not figures:
        raise ValueError("charts_for_display needs at least one figure")
    return ChartDisplay(figures, fmt=fmt, dpi=dpi)
