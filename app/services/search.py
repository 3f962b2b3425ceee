"""Word tokens for the search indexes (products, customers).

Tokens are lower-case, accent-free words; a search word matches every token it is a
prefix of, through a range scan on (token, id) that both SQLite and PostgreSQL index.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import InstrumentedAttribute

MAX_TOKEN = 64
MAX_TOKENS = 24
_SPLIT = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(*texts: str) -> set[str]:
    words: set[str] = set()
    for text in texts:
        folded = fold(text)
        words.update(w[:MAX_TOKEN] for w in _SPLIT.split(folded) if w)
        # keep compact codes (SKUs, e-mail, phone) whole as well as split
        compact = folded.replace(" ", "")
        if compact and len(compact) <= MAX_TOKEN and any(c in compact for c in "-_.@+"):
            words.add(compact)
    return set(sorted(words, key=len, reverse=True)[:MAX_TOKENS])


def query_words(text: str) -> list[str]:
    """Words of a search box, longest first (the most selective prefix leads)."""
    return sorted({w[:MAX_TOKEN] for w in _SPLIT.split(fold(text)) if w}, key=len, reverse=True)


def prefix_range(column: InstrumentedAttribute[str], word: str) -> ColumnElement[bool]:
    """`column` starts with `word`, written so a plain B-tree index serves it."""
    upper = word[:-1] + chr(ord(word[-1]) + 1)
    return and_(column >= word, column < upper)
