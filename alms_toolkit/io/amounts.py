"""Amount cells -> exact int64 micros, vectorised.

Accepts what billing exports write: ``1234.56``, ``$1,234.56``, ``(1,234.56)`` and
``1,234.56-`` (negative), ``-$5``, ``1.234,56`` (with ``decimal=","``), ``€ 1 234`` (spaces,
no-break spaces or apostrophes as thousands separators), ``1,234.56 CR`` (credit),
``1.5E3``, and numeric spreadsheet cells (a float cell is read through its shortest
``repr`` so ``0.1`` stays exactly ``0.1``). Blank cells and ``-`` are *missing*; anything
else that is not a number is *unparseable*. Thousands separators must sit between
groups of three digits, so ``1234,56`` in a ``decimal: "."`` file is unparseable rather
than silently read as 123456.

Each distinct value is parsed once (with pyarrow compute) and mapped back to the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..money import DECIMALS, SCALE, from_decimal
from .readers import end_to_end

__all__ = ["ParsedAmounts", "parse_amounts", "parse_amount"]

#: the largest whole-unit part that fits in int64 micros with room to sum
_MAX_INT_DIGITS = 12
_MISSING_TEXT = ("", "-", "–", "—")
_SPACES = " \u00a0\u202f\u2009'\u2019"
_SIGNS = "\\s\u00a0\u202f\u2009()+\\-−$€£¥₹"
#: before the number: signs, a currency code or symbol (R$, Rs, the rand's R: 'R 6 854.55')
_PREFIX = rf"(?:[{_SIGNS}]|[A-Z]{{3}}\b|Rs\.?|R\$|R)*"
#: after it: signs, a currency code, CR/DR, the Nordic 'kr'
_SUFFIX = rf"(?:[{_SIGNS}]|\b[A-Z]{{2,3}}|\bkr\.?)*"
_SPLIT = rf"^(?P<pre>{_PREFIX})(?P<num>.*?)(?P<suf>{_SUFFIX})$"
_SCIENTIFIC = r"^\d*\.?\d+[eE][+-]?\d+$"


@dataclass(frozen=True)
class ParsedAmounts:
    """Per row: ``micros`` (0 unless ``ok``), and which rows were ``missing`` (blank, ``-``),
    ``unparseable`` or ``rounded`` (more than 6 decimals, rounded half-even)."""

    micros: np.ndarray
    missing: np.ndarray
    unparseable: np.ndarray
    rounded: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        return ~(self.missing | self.unparseable)


def _number_pattern(decimal: str, thousands: str | None) -> str:
    seps = _SPACES + ("," if decimal == "." else ".")
    if thousands and thousands != decimal:
        seps += thousands
    sep_class = "[" + "".join("\\" + c if c in r"\]^-." else c for c in seps) + "]"
    dec = "\\" + decimal if decimal == "." else decimal
    # Indian grouping (lakh, crore): 12,34,567.89
    lakh = r"|\d{1,2}(?:,\d{2})+,\d{3}" if decimal == "." else ""
    return rf"^(?:\d{{1,3}}(?:{sep_class}\d{{3}})+{lakh}|\d+)(?:{dec}\d*)?$|^{dec}\d+$"


#: a plain amount with "." as its decimal mark: digits, at most 6 decimals, an optional "-"
_PLAIN = rf"^-?\d{{1,{_MAX_INT_DIGITS}}}(?:\.\d{{1,{DECIMALS}}})?$"
#: 10**DECIMALS as a decimal, to turn a parsed amount into micros
_SCALE_DECIMAL = pa.scalar(SCALE, pa.decimal128(DECIMALS + 1, 0))


def _parse_text(uniques: pa.Array, decimal: str, thousands: str | None) -> tuple[np.ndarray, ...]:
    """Vectorised parse of distinct strings -> (micros, missing, unparseable, rounded).

    Most exports write plain amounts ("12090.81", "-35.5"): with "." as the decimal mark,
    those are read by Arrow's exact decimal parser at once; the others (separators, signs
    and currency written around, the words for nothing, other decimal marks) by
    :func:`_parse_general`, which reads plain amounts the same way, only slower."""
    if decimal != "." or not len(uniques):
        return _parse_general(uniques, decimal, thousands)
    s = pc.utf8_trim_whitespace(uniques.cast(pa.string()))
    plain = pc.fill_null(pc.match_substring_regex(s, _PLAIN), False).to_numpy(zero_copy_only=False)
    if not plain.any():
        return _parse_general(uniques, decimal, thousands)
    n = len(uniques)
    micros = np.zeros(n, dtype=np.int64)
    missing, unparseable, rounded = (np.zeros(n, dtype=bool) for _ in range(3))
    exact = pc.cast(pc.filter(s, pa.array(plain)), pa.decimal128(_MAX_INT_DIGITS + DECIMALS, DECIMALS))
    micros[plain] = pc.cast(pc.multiply(exact, _SCALE_DECIMAL), pa.int64()).to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(~plain)
    if len(rest):
        parts = _parse_general(uniques.take(pa.array(rest)), decimal, thousands)
        for whole, part in zip((micros, missing, unparseable, rounded), parts, strict=True):
            whole[rest] = part
    return micros, missing, unparseable, rounded


def _parse_general(uniques: pa.Array, decimal: str, thousands: str | None) -> tuple[np.ndarray, ...]:
    """:func:`_parse_text` of any distinct strings."""
    n = len(uniques)
    micros = np.zeros(n, dtype=np.int64)
    rounded = np.zeros(n, dtype=bool)
    s = pc.utf8_trim_whitespace(uniques.cast(pa.string()))
    missing = pc.fill_null(pc.is_in(s, value_set=pa.array(_MISSING_TEXT)), True)
    missing = missing.to_numpy(zero_copy_only=False) | s.is_null().to_numpy(zero_copy_only=False)
    parts = pc.extract_regex(pc.fill_null(s, ""), _SPLIT)
    pre = parts.field("pre")
    num = parts.field("num")
    suf = parts.field("suf")
    neg = (
        pc.match_substring_regex(pre, r"[-−(]")
        .to_numpy(zero_copy_only=False)
        | pc.match_substring_regex(suf, r"[-−)]|CR|\bCr\b")
        .to_numpy(zero_copy_only=False)
    )
    valid = pc.match_substring_regex(num, _number_pattern(decimal, thousands)).to_numpy(zero_copy_only=False)
    valid &= ~missing
    unparseable = ~missing & ~valid

    idx = np.flatnonzero(valid)
    if len(idx):
        good = num.take(pa.array(idx))
        seps = _SPACES + ("," if decimal == "." else ".") + (thousands or "")
        good = pc.replace_substring_regex(good, "[" + "".join("\\" + c if c in r"\]^-." else c for c in seps if c != decimal) + "]", "")
        if decimal != ".":
            good = pc.replace_substring(good, decimal, ".")
        halves = pc.extract_regex(good, r"^(?P<i>\d*)(?:\.(?P<f>\d*))?$")
        int_part = halves.field("i")
        frac_part = pc.fill_null(halves.field("f"), "")
        int_len = pc.utf8_length(int_part).to_numpy(zero_copy_only=False)
        frac_len = pc.utf8_length(frac_part).to_numpy(zero_copy_only=False)
        fast = (int_len <= _MAX_INT_DIGITS) & (frac_len <= DECIMALS)
        fidx = np.flatnonzero(fast)
        if len(fidx):
            sel = pa.array(fidx)
            ip = pc.if_else(pc.equal(pc.utf8_length(int_part.take(sel)), 0), "0", int_part.take(sel))
            fp = pc.utf8_rpad(frac_part.take(sel), DECIMALS, "0")
            whole = ip.cast(pa.int64()).to_numpy(zero_copy_only=False)
            frac = fp.cast(pa.int64()).to_numpy(zero_copy_only=False)
            micros[idx[fidx]] = whole * SCALE + frac
        for j in np.flatnonzero(~fast):
            text = f"{int_part[j].as_py() or '0'}.{frac_part[j].as_py()}"
            if int_len[j] > _MAX_INT_DIGITS:
                unparseable[idx[j]] = True
                continue
            micros[idx[j]], rounded[idx[j]] = _decimal_to_micros(Decimal(text)) or (0, False)

    # scientific notation (1.5E3), rare: exact through Decimal
    bad_idx = np.flatnonzero(unparseable)
    if len(bad_idx):
        cand = num.take(pa.array(bad_idx))
        sci = pc.match_substring_regex(cand, _SCIENTIFIC).to_numpy(zero_copy_only=False)
        for j in np.flatnonzero(sci):
            value = _decimal_to_micros(Decimal(cand[j].as_py()))
            if value is not None:
                micros[bad_idx[j]], rounded[bad_idx[j]] = value
                unparseable[bad_idx[j]] = False

    micros = np.where(neg & ~unparseable & ~missing, -micros, micros)
    micros[unparseable | missing] = 0
    return micros, missing, unparseable, rounded


def _decimal_to_micros(d: Decimal) -> tuple[int, bool] | None:
    if not d.is_finite():
        return None
    if abs(d) >= Decimal(10) ** _MAX_INT_DIGITS:
        return None
    exp = d.as_tuple().exponent
    is_rounded = isinstance(exp, int) and exp < -DECIMALS and d != d.quantize(Decimal(1).scaleb(-DECIMALS))
    return from_decimal(d), bool(is_rounded)


def _parse_cell(value: object) -> tuple[int, bool, bool, bool] | None:
    """A non-string cell (spreadsheet number) -> (micros, missing, unparseable, rounded);
    None for strings (parsed by the text parser)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return 0, True, False, False
    if isinstance(value, (bool, np.bool_)):
        return 0, False, True, False
    if isinstance(value, (int, np.integer)):
        if abs(int(value)) >= 10**_MAX_INT_DIGITS:
            return 0, False, True, False
        return int(value) * SCALE, False, False, False
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return 0, True, False, False
        if math.isinf(value):
            return 0, False, True, False
        got = _decimal_to_micros(Decimal(repr(float(value))))
        if got is None:
            return 0, False, True, False
        return got[0], False, False, got[1]
    if isinstance(value, Decimal):
        try:
            got = _decimal_to_micros(value)
        except InvalidOperation:
            got = None
        if got is None:
            return 0, False, True, False
        return got[0], False, False, got[1]
    if isinstance(value, str):
        return None
    return 0, False, True, False  # dates, times, anything else in an amount cell


def parse_amounts(
    values: pd.Series | np.ndarray | list | pa.Array | pa.ChunkedArray,
    decimal: str = ".",
    thousands: str | None = None,
) -> ParsedAmounts:
    """Parse a column of amount cells (text or spreadsheet numbers) to exact micros.

    ``decimal`` is the decimal separator ('.' or ','); ``thousands`` an extra thousands
    separator to accept (',' / '.' opposite to ``decimal``, spaces and apostrophes always are).
    """
    if decimal not in (".", ","):
        raise ValueError(f"decimal must be '.' or ',', not {decimal!r}")
    codes, uniques = _factorize(values)
    n_u = len(uniques)
    micros = np.zeros(n_u, dtype=np.int64)
    missing = np.zeros(n_u, dtype=bool)
    bad = np.zeros(n_u, dtype=bool)
    rounded = np.zeros(n_u, dtype=bool)
    if isinstance(uniques, pa.Array):
        text_idx = np.arange(n_u)
        text = uniques
    else:
        text_pos: list[int] = []
        for i, v in enumerate(uniques):
            got = _parse_cell(v)
            if got is None:
                text_pos.append(i)
            else:
                micros[i], missing[i], bad[i], rounded[i] = got
        text_idx = np.asarray(text_pos, dtype=np.int64)
        text = pa.array([uniques[i] for i in text_pos], type=pa.string())
    if len(text_idx):
        m, mi, b, r = _parse_text(text, decimal, thousands)
        micros[text_idx], missing[text_idx], bad[text_idx], rounded[text_idx] = m, mi, b, r
    # code -1 (null / NaN) is missing: point it at an extra "missing" slot
    slot = np.where(codes < 0, n_u, codes)
    return ParsedAmounts(
        micros=np.append(micros, 0)[slot].astype(np.int64, copy=False),
        missing=np.append(missing, True)[slot],
        unparseable=np.append(bad, False)[slot],
        rounded=np.append(rounded, False)[slot],
    )


def parse_amount(value: object, decimal: str = ".", thousands: str | None = None) -> Decimal | None:
    """One cell -> exact Decimal (None when missing); ValueError when unparseable."""
    got = parse_amounts([value], decimal, thousands)
    if got.missing[0]:
        return None
    if got.unparseable[0]:
        raise ValueError(f"not an amount: {value!r}")
    return Decimal(int(got.micros[0])) / SCALE


def merge_dictionaries(arr: pa.ChunkedArray) -> pa.DictionaryArray:
    """A dictionary-encoded column in blocks, each with its own dictionary (which may repeat
    a text of another block, or of its own) -> one array whose dictionary holds each text
    once, in order of first appearance block by block (what ``unify_dictionaries`` gives)."""
    whole = end_to_end(arr)
    encoded = pc.dictionary_encode(whole.dictionary)
    merged = pc.take(encoded.indices, whole.indices).cast(arr.type.index_type)
    return pa.DictionaryArray.from_arrays(merged, encoded.dictionary)


def _dictionary_codes(arr: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """A dictionary-encoded column (as pyarrow's CSV reader gives) -> (codes, dictionary)."""
    if isinstance(arr, pa.ChunkedArray):
        if arr.num_chunks == 0:
            return np.zeros(0, dtype=np.int64), pa.array([], pa.string())
        arr = merge_dictionaries(arr)
    dictionary, indices = arr.dictionary, arr.indices
    codes = pc.fill_null(indices, -1).to_numpy().astype(np.int64) if indices.null_count else (
        indices.to_numpy().astype(np.int64)
    )
    return codes, dictionary


def _factorize(values: object) -> tuple[np.ndarray, pa.Array | np.ndarray]:
    """Rows -> (codes, distinct values); codes -1 for null. Arrow text stays arrow."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        arr = values
        if pa.types.is_dictionary(arr.type) and pa.types.is_string(arr.type.value_type):
            return _dictionary_codes(arr)
        if pa.types.is_dictionary(arr.type):
            arr = arr.cast(arr.type.value_type)
        if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            return _factorize(arr.to_pandas())
        enc = pc.dictionary_encode(arr)
        if isinstance(enc, pa.ChunkedArray):
            enc = enc.combine_chunks() if enc.num_chunks != 1 else enc.chunk(0)
            if isinstance(enc, pa.ChunkedArray):
                enc = enc.unify_dictionaries().combine_chunks()
        codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        return codes, enc.dictionary
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object), dtype=object)
    if isinstance(series.dtype, pd.ArrowDtype) or str(series.dtype).startswith("string"):
        return _factorize(pa.array(series.astype(object).where(series.notna(), None), type=pa.string()))
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)
