"""Words that agree with a count, for every text a user reads: ``1 client`` / ``2 clients``
(:func:`plural`) and ``is`` / ``are``, ``it`` / ``they`` after it (:func:`agree`). A count
of one once read "1 KEY account bring", "1 rows" or "1 of them are" in a dozen places."""

from __future__ import annotations

__all__ = ["agree", "plural"]


def plural(n: int, word: str, words: str | None = None) -> str:
    """plural(1, 'client') -> '1 client'; plural(1250, 'client') -> '1,250 clients';
    ``words``: the plural when it is not ``word`` + s (``branches``)."""
    return f"{n:,} {agree(n, word, words or word + 's')}"


def agree(n: int, one: str, many: str) -> str:
    """``one`` for a count of one, else ``many``: agree(n, 'is', 'are'), agree(n, 'it', 'they')."""
    return one if n == 1 else many
