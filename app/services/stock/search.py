"""Word tokens for the search indexes (products, customers).

Tokens are lower-case, accent-free words; a search word matches every token it is a
prefix of, through a range scan on (token, id) that both SQLite and PostgreSQL index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    TextClause,
    and_,
    bindparam,
    exists,
    func,
    select,
    union,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

MAX_TOKEN = 64
MAX_TOKENS = 24
_SPLIT = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    if text.isascii():  # NFKD leaves ASCII as it is and it has no combining marks
        return text.casefold()
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


def _bounds(word: str) -> tuple[str, str]:
    return word, word[:-1] + chr(ord(word[-1]) + 1)


def _prefix(column: InstrumentedAttribute[str], name: str) -> ColumnElement[bool]:
    """prefix_range with bound parameters NAME_lo / NAME_hi: one statement for every word."""
    return and_(column >= bindparam(f"{name}_lo"), column < bindparam(f"{name}_hi"))


CANDIDATE_CAP = 2_000
MAX_LEAD_TOKENS = 32

Columns = tuple[InstrumentedAttribute[str], InstrumentedAttribute[int]]


@cache
def _count_statement(token_column: InstrumentedAttribute[str]) -> Select[int]:
    inner = select(token_column).where(_prefix(token_column, "w")).limit(CANDIDATE_CAP)
    return select(func.count()).select_from(inner.subquery())


@cache
def _token_walk_statement(
    token_column: InstrumentedAttribute[str], most: int = MAX_LEAD_TOKENS
) -> TextClause:
    """The distinct tokens from :start on, below :upper, at most `most`: one index seek
    each, all in one statement (a recursive CTE; SQLite and PostgreSQL)."""
    table, column = token_column.class_.__table__.name, token_column.key
    return sql_text(
        f"WITH RECURSIVE walk(tok, n) AS ("
        f" SELECT (SELECT min({column}) FROM {table} WHERE {column} >= :start), 1"
        f" UNION ALL SELECT (SELECT min({column}) FROM {table} WHERE {column} > walk.tok),"
        f" n + 1 FROM walk WHERE walk.tok < :upper AND n < {most})"
        f" SELECT tok FROM walk WHERE tok IS NOT NULL AND tok < :upper"
    )


def _others_match(columns: Columns, owner: Any, others: int) -> list[ColumnElement[bool]]:
    token_column, id_column = columns
    probe = aliased(token_column.class_)
    probe_token = getattr(probe, token_column.key)
    probe_id = getattr(probe, id_column.key)
    return [exists().where(probe_id == owner, _prefix(probe_token, f"o{n}")) for n in range(others)]


@cache
def _candidates_statement(columns: Columns, others: int) -> Select[int]:
    token_column, id_column = columns
    return (
        select(id_column)
        .where(_prefix(token_column, "w"), *_others_match(columns, id_column, others))
        .distinct()
        .order_by(id_column)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


@cache
def _token_pages_statement(columns: Columns, others: int, tokens: int) -> Select[int]:
    return _token_pages_with(columns, others, tokens, ())


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

    The statements are built once per shape and run on the session's connection (issue
    20: building and compiling them per search cost ten times the database's work).
    """
    words = query_words(text)
    if not words:
        return []
    connection = session.connection()
    columns = (token_column, id_column)
    counts = {word: _capped_count(connection, token_column, word) for word in words}
    lead = min(words, key=lambda w: (counts[w], -len(w)))
    if counts[lead] == 0:
        return []
    others = [w for w in words if w != lead]
    params: dict[str, object] = {}
    for n, word in enumerate(others):
        params[f"o{n}_lo"], params[f"o{n}_hi"] = _bounds(word)
    if counts[lead] < CANDIDATE_CAP:
        stmt = _candidates_statement(columns, len(others))
        if extra:
            stmt = stmt.where(*extra)
        params["w_lo"], params["w_hi"] = _bounds(lead)
        return list(connection.scalars(stmt, {**params, "offset": offset, "limit": limit}))
    low, high = _bounds(lead)
    walk = _token_walk_statement(token_column)
    lead_tokens = list(connection.scalars(walk, {"start": low, "upper": high}))
    if others and not extra and connection.dialect.name == "sqlite":
        known: list[tuple[str, list[str]]] = [(lead, lead_tokens)]
        known += [(word, []) for word in others]
        merged = _merged_page(connection, columns, known, offset, limit)
        if merged is not None:
            return merged
    if extra:  # a category: rare, so built here rather than kept
        page = _token_pages_with(columns, len(others), len(lead_tokens), extra)
    else:
        page = _token_pages_statement(columns, len(others), len(lead_tokens))
    params.update({f"t{n}": token for n, token in enumerate(lead_tokens)})
    ids = list(connection.scalars(page, {**params, "limit": offset + limit}))
    return ids[offset : offset + limit]


@cache
def _intersect_statement(columns: Columns, words: int) -> TextClause:
    """The ids holding every one of `words` tokens (:t0, :t1 ...), ascending, one page.
    SQLite runs a compound SELECT with ORDER BY as a merge of its arms (MERGE INTERSECT),
    and each arm is a (token, id) index range already in id order, so it reads both
    lists side by side and stops at a page: no probe per candidate."""
    token_column, id_column = columns
    table, token, owner = token_column.class_.__table__.name, token_column.key, id_column.key
    arms = " INTERSECT ".join(
        f"SELECT {owner} FROM {table} WHERE {token} = :t{n}" for n in range(words)
    )
    return sql_text(f"{arms} ORDER BY 1 LIMIT :limit OFFSET :offset")


# A word's tokens beyond its words: the compact codes tokens() keeps whole ('lumen-mug-l')
_WORD_TOKEN = re.compile(r"[0-9a-z]+")
MAX_MERGE_TOKENS = 512  # a word's prefix walked this far for the merge, else not merged


def _merged_page(
    connection: Connection,
    columns: Columns,
    words: list[tuple[str, list[str]]],
    offset: int,
    limit: int,
) -> list[int] | None:
    """Every word common (none leads below CANDIDATE_CAP), like 'lumen mug': when each
    word's prefix is one word token, the page is the merge of their lists (issue 20:
    probing each of the lead's ids for the other words read tens of thousands of random
    index pages on a million products: 60 ms, ten times the figure at 10 k). A word may
    also be the prefix of compact codes (a brand heads hyphenated names: 'lumen' of
    'lumenartisancottont-shirtl', 96 such tokens at 1 M): their few products are checked
    apart for the other words and merged in. `words`: (word, its tokens when already
    walked, else []). None when a word is the prefix of several word tokens (or of too
    many codes): the caller walks them as before."""
    walk = _token_walk_statement(columns[0], MAX_MERGE_TOKENS)
    found: list[str] = []
    codes: list[list[str]] = []
    params: dict[str, object] = {"limit": limit, "offset": offset}
    for n, (word, known) in enumerate(words):
        low, high = params[f"lo{n}"], params[f"hi{n}"] = _bounds(word)
        walked = known
        if not known or len(known) >= MAX_LEAD_TOKENS:  # not walked, or that walk stopped
            walked = list(connection.scalars(walk, {"start": low, "upper": high}))
        plain = [t for t in walked if _WORD_TOKEN.fullmatch(t)]
        if len(plain) != 1 or len(walked) >= MAX_MERGE_TOKENS:
            return None
        found.append(plain[0])
        codes.append([t for t in walked if t != plain[0]])
        params[f"t{n}"], params[f"c{n}"] = plain[0], codes[-1]
    merge = _intersect_statement(columns, len(found))
    if not any(codes):
        return list(connection.scalars(merge, params))
    upto = offset + limit  # the merge's page first: no code's product above it can count
    merged = list(connection.scalars(merge, {**params, "limit": upto, "offset": 0}))
    params["last"] = merged[-1] if len(merged) == upto else 2**63 - 1
    apart = _codes_statement(columns, tuple(bool(c) for c in codes))
    return sorted({*merged, *connection.scalars(apart, params)})[offset:upto]


@cache
def _codes_statement(columns: Columns, has_codes: tuple[bool, ...]) -> TextClause:
    """The products of each word's code tokens (:cN, a list) that hold the other words'
    prefixes (:loN, :hiN), up to id :last (the merged page's last when it is full): a range
    of the (token, id) index per code, a probe by id for each other word."""
    token_column, id_column = columns
    table, token, owner = token_column.class_.__table__.name, token_column.key, id_column.key
    words = len(has_codes)
    arms = []
    for n in (n for n in range(words) if has_codes[n]):
        probes = " ".join(
            f"AND EXISTS (SELECT 1 FROM {table} AS p WHERE p.{owner} = a.{owner}"
            f" AND p.{token} >= :lo{other} AND p.{token} < :hi{other})"
            for other in range(words)
            if other != n
        )
        arms.append(
            f"SELECT a.{owner} FROM {table} AS a WHERE a.{token} IN :c{n}"
            f" AND a.{owner} <= :last {probes}"
        )
    statement = sql_text(" UNION ".join(arms))
    return statement.bindparams(
        *(bindparam(f"c{n}", expanding=True) for n in range(words) if has_codes[n])
    )


def _token_pages_with(
    columns: Columns, others: int, tokens: int, extra: Sequence[ColumnElement[bool]]
) -> Select[int]:
    """The first :limit ids of each of `tokens` tokens (:t0, :t1 ...) that match the other
    words, merged: each arm an index range on (token, id) that stops after a page."""
    token_column, id_column = columns
    arms = []
    for n in range(tokens):
        arm = (
            select(id_column.label("id"))
            .where(
                token_column == bindparam(f"t{n}"),
                *_others_match(columns, id_column, others),
                *extra,
            )
            .order_by(id_column)
            .limit(bindparam("limit"))
            .subquery()
        )
        arms.append(select(arm.c.id))
    merged = union(*arms).subquery()
    return select(merged.c.id).order_by(merged.c.id).limit(bindparam("limit"))


def _capped_count(
    connection: Connection, token_column: InstrumentedAttribute[str], word: str
) -> int:
    low, high = _bounds(word)
    return int(connection.scalar(_count_statement(token_column), {"w_lo": low, "w_hi": high}) or 0)
