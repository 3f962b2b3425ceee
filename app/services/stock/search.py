"""Word tokens for the search indexes (products, customers).

Tokens are lower-case, accent-free words; a search word matches every token it is a
prefix of, through a range scan on (token, id) that both SQLite and PostgreSQL index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

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


CANDIDATE_CAP = 2_000
MAX_LEAD_TOKENS = 32


def matching_ids(
    session: Session,
    token_column: InstrumentedAttribute[str],
    id_column: InstrumentedAttribute[int],
    text: str,
    offset: int = 0,
    limit: int = 100,
    extra: Sequence[ColumnElement[bool]] = (),
) -> list[int]:
    """Ids whose tokens start with every word of `text`, ascending, one page; `extra`
    conditions on `id_column` narrow them further (a category).

    Never reads a whole index: the rarest word leads. If it matches fewer than
    CANDIDATE_CAP ids they are fetched and filtered by the other words. If every word is
    common, each distinct token of the leading word is walked in (token, id) index order
    and stops after a page of matches, so a common pair like "organic coffee" costs a few
    thousand index probes on a million rows, however the rows are clustered.
    """
    words = query_words(text)
    if not words:
        return []
    table = token_column.class_
    counts = {word: _capped_count(session, token_column, word) for word in words}
    lead = min(words, key=lambda w: (counts[w], -len(w)))
    if counts[lead] == 0:
        return []
    others = [w for w in words if w != lead]
    probe = aliased(table)
    probe_token = getattr(probe, token_column.key)
    probe_id = getattr(probe, id_column.key)

    def others_match(owner: Any) -> list[ColumnElement[bool]]:
        return [
            exists().where(probe_id == owner, prefix_range(probe_token, word)) for word in others
        ]

    if counts[lead] < CANDIDATE_CAP:
        stmt = (
            select(id_column)
            .where(prefix_range(token_column, lead), *others_match(id_column), *extra)
            .distinct()
            .order_by(id_column)
            .offset(offset)
            .limit(limit)
        )
        return list(session.scalars(stmt))
    found: set[int] = set()
    for token in _tokens_with_prefix(session, token_column, lead):
        stmt = (
            select(id_column)
            .where(token_column == token, *others_match(id_column), *extra)
            .order_by(id_column)
            .limit(offset + limit)
        )
        found.update(session.scalars(stmt))
    return sorted(found)[offset : offset + limit]


def _capped_count(session: Session, token_column: InstrumentedAttribute[str], word: str) -> int:
    inner = select(token_column).where(prefix_range(token_column, word)).limit(CANDIDATE_CAP)
    return int(session.scalar(select(func.count()).select_from(inner.subquery())) or 0)


def _tokens_with_prefix(
    session: Session, token_column: InstrumentedAttribute[str], word: str
) -> list[str]:
    """The distinct tokens a word is a prefix of, by index seeks (never a scan)."""
    upper = word[:-1] + chr(ord(word[-1]) + 1)
    tokens_found: list[str] = []
    current = session.scalar(select(func.min(token_column)).where(token_column >= word))
    while current is not None and current < upper and len(tokens_found) < MAX_LEAD_TOKENS:
        tokens_found.append(current)
        current = session.scalar(select(func.min(token_column)).where(token_column > current))
    return tokens_found
