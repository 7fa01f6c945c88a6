"""Write a sample client folder: client.yml, the billing export, the account list as the
sellers have it today, and the sellers' prospects.

:func:`generate_client` is the entry point (``alms sample``). The *messy* variant writes
what a real client sends (cp1252, US dates, ``$1,234.56`` and ``(1,234.56)``, blank
clients, ``n/a`` amounts, headers the loader recognises without a mapping); the *clean*
one a UTF-8 system export with ISO dates, plain numbers and a column mapping.
The same seed and settings always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..config import CONFIG_FILE
from ..errors import AlmsError, ConfigError, OutputExistsError
from ..scaffold import client_yml
from .ledger import SampleLedger, make_lines, month_starts, plan_clients
from .names import company_names, name_key

__all__ = [
    "generate_client",
    "SampleExistsError",
    "build_sample",
    "write_shipped_samples",
    "SHIPPED_SAMPLES",
    "DEFAULT_AS_OF",
    "MESSY_HEADERS",
    "CLEAN_HEADERS",
]

#: as_of of a sample when none is given (fixed, so a seed always gives the same files)
DEFAULT_AS_OF = dt.date(2025, 7, 1)

#: the samples committed under client_data/ (regenerate with :func:`write_shipped_samples`)
SHIPPED_SAMPLES: dict[str, dict] = {
    "sample-media": dict(seed=2025, clients=400, sellers=8, months=36, kind="media",
                         messy=True, as_of=DEFAULT_AS_OF),
    "sample-services": dict(seed=7, clients=120, sellers=6, months=24, kind="services",
                            messy=False, as_of=dt.date(2025, 4, 1)),
}

MESSY_HEADERS = ("Invoice #", "Invoice Date", "Customer", "Sales Rep", "Product", "Net Amount")
CLEAN_HEADERS = ("invoice_id", "invoice_date", "client_id", "client_name", "account_manager",
                 "service_line", "amount")
_CLEAN_COLUMNS = {"date": "invoice_date", "client": "client_name", "amount": "amount",
                  "seller": "account_manager", "client_id": "client_id"}

_COMPANY = {
    "media": ("Harborlight Media Group", "Tri-County Broadcasting", "Bluewater Radio & Digital"),
    "services": ("Keystone Business Services", "Meridian Facility Services", "Northbeam B2B Group"),
}
_PRODUCTS = {
    "media": ("Print", "Digital", "Radio", "TV", "Events", "Sponsorship"),
    "services": ("Consulting", "Support", "Licences", "Training", "Managed Services"),
}
_NOTES = (
    "Met the CMO at the spring trade show", "Budget review in Q3", "Referral from a KEY client",
    "Competitor contract ends this year", "Needs a proposal by next month", "Opened a second site",
    "New marketing director", "Asked for case studies", "Warm intro via board member", "",
    "Cold: no reply yet", "Spends heavily with a competitor", "Good fit for the new product line",
)


class SampleExistsError(OutputExistsError):
    """The output folder already holds a client folder (a client.yml)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        AlmsError.__init__(
            self,
            f"{self.path} already holds a client folder (client.yml). "
            "Use --force to write the sample over it, or choose another folder.",
        )


def _check(clients: int, sellers: int, months: int, lines: int | None, kind: str, fmt: str) -> None:
    problems = []
    if clients < 20:
        problems.append(f"--clients must be at least 20, not {clients}")
    if not 2 <= sellers <= 50:
        problems.append(f"--sellers must be between 2 and 50, not {sellers}")
    if not 1 <= months <= 120:
        problems.append(f"--months must be between 1 and 120, not {months}")
    if lines is not None and lines < clients:
        problems.append(f"--lines must be at least the number of clients ({clients}), not {lines}")
    if kind not in ("media", "services"):
        problems.append(f"--kind must be media or services, not {kind!r}")
    if fmt not in ("csv", "xlsx"):
        problems.append(f"the format must be csv or xlsx, not {fmt!r}")
    if problems:
        raise ConfigError(None, problems)


def build_sample(
    *,
    seed: int = 0,
    clients: int = 400,
    sellers: int = 8,
    months: int = 24,
    lines: int | None = None,
    as_of: dt.date | None = None,
    kind: str = "media",
    client_ids: bool = False,
) -> SampleLedger:
    """The generated client in memory (no files): its clients and invoice lines.
    ``lines`` defaults to about two lines per client per month."""
    _check(clients, sellers, months, lines, kind, "csv")
    as_of = as_of or DEFAULT_AS_OF
    rng = np.random.default_rng(seed)
    table, seller_names, activity = plan_clients(rng, clients, sellers, months, kind, client_ids=client_ids)
    n_lines = lines if lines is not None else clients * months * 2
    ledger = make_lines(rng, table, seller_names, activity, as_of, n_lines)
    return SampleLedger(table, ledger, seller_names, month_starts(as_of, months), as_of)


# ------------------------------------------------------------------ vectorised text


def _s(values: np.ndarray) -> pa.Array:
    return pa.array(values).cast(pa.string())


def _join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)


def _plain_amounts(cents: np.ndarray) -> pa.Array:
    """-123456 -> '-1234.56'."""
    a = np.abs(cents)
    body = _join(_s(a // 100), pc.utf8_lpad(_s(a % 100), 2, "0"), sep=".")
    return pc.if_else(pa.array(cents < 0), _join("-", body), body)


def _us_amounts(cents: np.ndarray) -> pa.Array:
    """123456 -> '$1,234.56'; -123456 -> '(1,234.56)' (quoted when a comma is inside)."""
    a = np.abs(cents)
    dollars = a // 100
    mil, th, un = dollars // 1_000_000, (dollars // 1000) % 1000, dollars % 1000
    pad3 = lambda x: pc.utf8_lpad(_s(x), 3, "0")  # noqa: E731
    body = pc.if_else(
        pa.array(mil > 0),
        _join(_s(mil), pad3(th), pad3(un), sep=","),
        pc.if_else(pa.array(th > 0), _join(_s(th), pad3(un), sep=","), _s(un)),
    )
    body = _join(body, pc.utf8_lpad(_s(a % 100), 2, "0"), sep=".")
    text = pc.if_else(pa.array(cents < 0), _join("(", body, ")"), _join("$", body))
    return pc.if_else(pa.array(dollars >= 1000), _join('"', text, '"'), text)


def _csv_field(text: str) -> str:
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _categorical_text(cat: pd.Categorical | pd.Series, quote: bool = True) -> pa.Array:
    cat = pd.Categorical(cat)
    cats = [_csv_field(str(c)) if quote else str(c) for c in cat.categories]
    return pa.DictionaryArray.from_arrays(pa.array(cat.codes, pa.int32()), pa.array(cats, pa.string())).dictionary_decode()


def _write_csv(path: Path, header: tuple[str, ...], columns: list[pa.Array], newline: str,
               encoding: str = "utf-8", chunk: int = 1_000_000) -> None:
    """Write one CSV file from text columns already quoted where needed, a million lines
    at a time (memory stays flat for a 10M-line ledger)."""
    with open(path, "wb") as f:
        f.write((",".join(_csv_field(h) for h in header) + newline).encode(encoding))
        n = len(columns[0])
        for lo in range(0, n, chunk):
            part = [c.slice(lo, chunk) for c in columns]
            line = pc.binary_join_element_wise(_join(*part, sep=","), pa.scalar(""), newline)
            offsets = np.frombuffer(line.buffers()[1], dtype=np.int32)[line.offset : line.offset + len(line) + 1]
            body = memoryview(line.buffers()[2])[offsets[0] : offsets[-1]]
            f.write(body if encoding == "utf-8" else bytes(body).decode("utf-8").encode(encoding))


# ------------------------------------------------------------------ the billing file


def _invoice_numbers(lines: pd.DataFrame, first: int = 100001) -> np.ndarray:
    """One invoice per client and day: lines of the same client on the same day share it."""
    day = lines["day"].to_numpy().astype("datetime64[D]").astype(np.int64)
    cno = lines["client_no"].to_numpy()
    new = np.ones(len(lines), dtype=bool)
    new[1:] = (day[1:] != day[:-1]) | (cno[1:] != cno[:-1])
    return first - 1 + np.cumsum(new)


def _messy_edits(rng: np.random.Generator, lines: pd.DataFrame, as_of: dt.date) -> dict[str, np.ndarray]:
    """Rows of a messy export that are wrong the way real exports are wrong (inside the
    last 12 months, so the audit's reconciliation shows them)."""
    recent = np.flatnonzero((lines["day"] >= pd.Timestamp(as_of) - pd.DateOffset(months=12)).to_numpy())
    pool = recent if len(recent) >= 15 else np.arange(len(lines))
    rows = rng.choice(pool, size=min(len(pool), 15), replace=False)
    return {"blank": rows[:5], "n/a": rows[5:9], "space": rows[9:15]}


def _billing_columns(sample: SampleLedger, messy: bool, kind: str, rng: np.random.Generator):
    lines = sample.lines
    n = len(lines)
    inv = _invoice_numbers(lines)
    products = pd.Categorical.from_codes(
        rng.integers(len(_PRODUCTS[kind]), size=n), categories=list(_PRODUCTS[kind])
    )
    cents = lines["cents"].to_numpy()
    if messy:
        edits = _messy_edits(rng, lines, sample.as_of)
        days = pd.DatetimeIndex(lines["day"])
        date = _join(_s(days.month.to_numpy()), _s(days.day.to_numpy()), _s(days.year.to_numpy()), sep="/")
        client = _categorical_text(lines["client"])
        mask = np.zeros(n, dtype=bool)
        mask[edits["space"]] = True
        client = pc.if_else(pa.array(mask), _join(client, " "), client)
        mask[:] = False
        mask[edits["blank"]] = True
        blank = pa.array(np.where(np.arange(n) == edits["blank"][0], "  ", ""))
        client = pc.if_else(pa.array(mask), blank, client)
        amount = _us_amounts(cents)
        mask[:] = False
        mask[edits["n/a"]] = True
        amount = pc.if_else(pa.array(mask), pa.scalar("n/a"), amount)
        cols = [_join("INV-", _s(inv)), date, client, _categorical_text(lines["seller"]),
                _categorical_text(products), amount]
        return MESSY_HEADERS, cols, edits, products
    date = pa.array(lines["day"].to_numpy().astype("datetime64[D]")).cast(pa.string())
    cols = [_join("INV-", _s(inv)), date, _categorical_text(lines["client_id"]),
            _categorical_text(lines["client"]), _categorical_text(lines["seller"]),
            _categorical_text(products), _plain_amounts(cents)]
    return CLEAN_HEADERS, cols, {}, products


def _write_billing_csv(path: Path, header, cols, messy: bool) -> None:
    if messy:  # an export from a Windows accounting package
        _write_csv(path, header, cols, "\r\n", "cp1252")
    else:
        _write_csv(path, header, cols, "\n")


def _write_billing_xlsx(path: Path, sample: SampleLedger, messy: bool, edits, products) -> None:
    import xlsxwriter

    lines = sample.lines
    inv = _invoice_numbers(lines)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties({"created": dt.datetime(2025, 1, 1), "author": "ALMS sample generator"})
    ws = wb.add_worksheet("Billing Detail" if messy else "Invoices")
    date_fmt = wb.add_format({"num_format": "m/d/yyyy" if messy else "yyyy-mm-dd"})
    money_fmt = wb.add_format({"num_format": '"$"#,##0.00;("$"#,##0.00)' if messy else "0.00"})
    bold = wb.add_format({"bold": True})
    r = 0
    if messy:
        ws.write_string(0, 0, "Billing detail report", bold)
        ws.write_string(1, 0, f"Exported {sample.as_of.isoformat()}")
        r = 3
    header = MESSY_HEADERS if messy else CLEAN_HEADERS
    for c, h in enumerate(header):
        ws.write_string(r - 1 if messy else 0, c, h, bold)
    r = r if messy else 1
    blank = set(edits.get("blank", ()))
    na = set(edits.get("n/a", ()))
    space = set(edits.get("space", ()))
    days = pd.DatetimeIndex(lines["day"]).to_pydatetime()
    clients = lines["client"].astype(str).to_numpy()
    ids = lines["client_id"].astype(str).to_numpy()
    sellers = lines["seller"].astype(str).to_numpy()
    prods = np.asarray(products.astype(str))
    cents = lines["cents"].to_numpy()
    for i in range(len(lines)):
        row = r + i
        name = "" if i in blank else clients[i] + (" " if i in space else "")
        values = ([f"INV-{inv[i]}", days[i], name, sellers[i], prods[i]] if messy
                  else [f"INV-{inv[i]}", days[i], ids[i], name, sellers[i], prods[i]])
        for c, v in enumerate(values):
            if isinstance(v, dt.datetime):
                ws.write_datetime(row, c, v, date_fmt)
            elif v:
                ws.write_string(row, c, v)
        c = len(values)
        if i in na:
            ws.write_string(row, c, "n/a")
        else:
            ws.write_number(row, c, int(cents[i]) / 100, money_fmt)
    wb.close()


# ------------------------------------------------------------------ account list, prospects


def _list_date(as_of: dt.date) -> dt.date:
    """About four months before as_of: the 15th of the month four months earlier."""
    first = (pd.Timestamp(as_of) - pd.DateOffset(months=4)).to_period("M").to_timestamp()
    return (first + pd.Timedelta(days=14)).date()


def _account_list(rng: np.random.Generator, sample: SampleLedger, list_date: dt.date) -> pd.DataFrame:
    """The list as the sellers have it: who spent in the year before it was published (so
    clients lapsed since are still on it, and clients new since are missing), a few current
    spenders forgotten, a few long-gone clients never removed; alphabetical, no billing."""
    lines, clients = sample.lines, sample.clients
    start = pd.Timestamp(list_date) - pd.DateOffset(months=12)
    inside = lines[(lines["day"] >= start) & (lines["day"] < pd.Timestamp(list_date))]
    net = inside.groupby("client_no")["cents"].sum()
    on = net.index[net > 0].to_numpy()
    if len(on):
        forgotten = rng.choice(on, size=max(1, round(len(on) * 0.06)), replace=False)
        on = np.setdiff1d(on, forgotten)
    gone = clients.index[(clients["profile"] == "lapsed") & ~clients.index.isin(on)].to_numpy()
    if len(gone):
        on = np.union1d(on, rng.choice(gone, size=min(len(gone), max(1, len(gone) // 3)), replace=False))
    rows = clients.loc[on, ["seller", "name", "variants"]]
    account = [
        vs[0] if vs and rng.random() < 0.15 else name for name, vs in zip(rows["name"], rows["variants"], strict=True)
    ]
    out = pd.DataFrame({"Seller": rows["seller"].to_numpy(), "Account": account})
    out["_k"] = out["Account"].astype(str).str.casefold()
    return out.sort_values(["Seller", "_k"], kind="stable").drop(columns="_k").reset_index(drop=True)


def _prospects(rng: np.random.Generator, sample: SampleLedger, kind: str) -> pd.DataFrame:
    """Each seller's TARGET / EXTRA / LEAD prospects with the three filter scores, and the
    problems an audit should find: a TARGET that already spends, a prospect on two sellers'
    lists, a seller with too few targets.

    The ``converting`` clients are on their seller's TARGETs, spelled as the ledger spells
    them: a review a year before ``as_of`` sees valid non-spending TARGETs, a review at
    ``as_of`` sees TARGETs won (and flags them as already spending: the list is stale)."""
    sellers = list(sample.sellers)
    n_s = len(sellers)
    n_target = rng.integers(5, 11, size=n_s)
    n_extra = rng.integers(4, 11, size=n_s)
    n_lead = rng.integers(0, 7, size=n_s)
    short = int(rng.integers(n_s))
    n_target[short] = 2
    total = int(n_target.sum() + n_extra.sum() + n_lead.sum())
    avoid = {name_key(x) for x in sample.clients["name"]}
    for vs in sample.clients["variants"]:
        avoid.update(name_key(v) for v in vs)
    names = iter(company_names(rng, total, kind, avoid=avoid, traps=False))
    lo = {"TARGET": (3, 4, 3), "EXTRA": (2, 2, 2), "LEAD": (1, 1, 1)}
    rows = []
    for s, seller in enumerate(sellers):
        for cat, k in (("TARGET", n_target[s]), ("EXTRA", n_extra[s]), ("LEAD", n_lead[s])):
            for _ in range(int(k)):
                sp, dm, pf = (int(rng.integers(lo[cat][j], 6)) for j in range(3))
                rows.append([seller, next(names), cat, sp, dm if not (cat == "LEAD" and rng.random() < 0.4) else None,
                             pf, _NOTES[int(rng.integers(len(_NOTES)))]])
    df = pd.DataFrame(rows, columns=["Seller", "Prospect", "Category", "Spending potential",
                                     "Decision maker access", "Product fit", "Notes"])
    # a TARGET that is already a spending client of another seller
    window = sample.lines[sample.lines["day"] >= pd.Timestamp(sample.as_of) - pd.DateOffset(months=12)]
    net = window.groupby("client_no")["cents"].sum()
    regular = sample.clients.index[sample.clients["profile"] == "regular"]
    spenders = net[net.index.isin(regular) & (net > 0)].sort_values(ascending=False)
    client = sample.clients.loc[int(spenders.index[min(len(spenders) - 1, len(spenders) // 5)])]
    other = next(s for s in sellers if s != client["seller"])
    spending = pd.DataFrame([[other, client["name"], "TARGET", 5, 4, 5, "Big budget; said to be reviewing suppliers"]],
                            columns=df.columns)
    # a prospect on two sellers' lists
    first_target = df[(df["Category"] == "TARGET") & (df["Seller"] != sellers[short])].iloc[0]
    second = next(s for s in sellers if s != first_target["Seller"])
    twice = first_target.copy()
    twice["Seller"] = second
    twice["Notes"] = "Called them last week"
    won = sample.clients[sample.clients["profile"] == "converting"]
    converting = pd.DataFrame(
        [[c["seller"], c["name"], "TARGET", int(rng.integers(4, 6)), int(rng.integers(3, 6)), int(rng.integers(4, 6)),
          _NOTES[int(rng.integers(len(_NOTES)))]] for _, c in won.iterrows()],
        columns=df.columns,
    )
    df = pd.concat([df, *([converting] if len(converting) else []), spending, twice.to_frame().T],
                   ignore_index=True)
    order = {"TARGET": 0, "EXTRA": 1, "LEAD": 2}
    df["_s"] = df["Seller"].map({s: i for i, s in enumerate(sellers)})
    df["_c"] = df["Category"].map(order)
    df = df.sort_values(["_s", "_c"], kind="stable").drop(columns=["_s", "_c"]).reset_index(drop=True)
    for col in ("Spending potential", "Decision maker access", "Product fit"):
        df[col] = df[col].astype("Int64")
    return df


# ------------------------------------------------------------------ the folder


def generate_client(
    out_dir: Path | str,
    *,
    seed: int = 0,
    clients: int = 400,
    sellers: int = 8,
    months: int = 24,
    lines: int | None = None,
    as_of: dt.date | None = None,
    kind: str = "media",
    messy: bool = True,
    fmt: str = "csv",
    overwrite: bool = False,
) -> Path:
    """Write a realistic synthetic client folder and return it: ``client.yml``,
    ``billing.csv`` (or ``.xlsx``), ``account_list.csv``, ``prospects.csv``.
    Deterministic for a seed and settings. Refuses to write over an existing client.yml
    unless ``overwrite``."""
    _check(clients, sellers, months, lines, kind, fmt)
    out = Path(out_dir)
    if (out / CONFIG_FILE).exists() and not overwrite:
        raise SampleExistsError(out)
    as_of = as_of or DEFAULT_AS_OF
    sample = build_sample(seed=seed, clients=clients, sellers=sellers, months=months, lines=lines,
                          as_of=as_of, kind=kind, client_ids=not messy)
    rng = np.random.default_rng([seed, 1])
    out.mkdir(parents=True, exist_ok=True)
    header, cols, edits, products = _billing_columns(sample, messy, kind, rng)
    billing = f"billing.{fmt}"
    for old in ("billing.csv", "billing.xlsx"):
        if old != billing and (out / old).exists() and overwrite:
            (out / old).unlink()
    if fmt == "csv":
        _write_billing_csv(out / billing, header, cols, messy)
    else:
        _write_billing_xlsx(out / billing, sample, messy, edits, products)

    list_date = _list_date(as_of)
    _account_list(rng, sample, list_date).to_csv(out / "account_list.csv", index=False, lineterminator="\n")
    _prospects(rng, sample, kind).to_csv(out / "prospects.csv", index=False, lineterminator="\n")
    company = _COMPANY[kind][seed % len(_COMPANY[kind])]
    text = client_yml(
        company,
        as_of=as_of,
        billing_file=billing,
        columns=None if messy else _CLEAN_COLUMNS,
        account_list=("account_list.csv", list_date),
        prospects="prospects.csv",
        consultant="Jordan Avery",
        firm="Northstar Sales Consulting",
        page_size="Letter",
        currency="$",
    )
    header_note = (
        f"# Sample client made by `alms sample` (seed {seed}, {kind}, {'messy' if messy else 'clean'} export,\n"
        f"# {clients} clients, {sellers} sellers, {months} months of invoices to {as_of.isoformat()}).\n"
    )
    (out / CONFIG_FILE).write_text(header_note + text, encoding="utf-8")
    return out


def write_shipped_samples(client_data: Path | str) -> list[Path]:
    """(Re)write the committed sample clients under ``client_data``."""
    return [
        generate_client(Path(client_data) / name, overwrite=True, **settings)
        for name, settings in SHIPPED_SAMPLES.items()
    ]
