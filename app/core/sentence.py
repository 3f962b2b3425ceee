"""A sentence kept as its message and named fields, so each reader sees it in their own
language (issue 21: an order's timeline).

The writer says `said("Put on hold: {reason}", reason=reason)` (or `said_n(singular,
plural, count, ...)` for a count); the timeline keeps the English sentence in
`order_events.message` (audit, search, old readers) and the message with its fields in
the row's `data` JSON (`{"msg": ..., "args": {...}}`, with `"plural"` and `"n"` for a
count, `"terms"` naming the fields that are program words). A reader renders it through
a catalogue: the screen's (`_`), or a customer's (`i18n.translations(language)`).

A field that is a program's word (a status, an e-mail event) is given as `term(labels,
code)`: its N_()-marked label is kept and translated when shown; names, numbers, money
and carriers stay as they were written. A person's own words (a note) are `verbatim`:
shown as typed. A field may itself be a sentence, or a list of them (`joined`, by "; "
unless told).
`make i18n` extracts `said` and `said_n` (babel keywords); tests/test_timeline_sentences.py fails
on a timeline call that passes an f-string or an unmarked literal.
"""

from __future__ import annotations

import gettext
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core import i18n

log = logging.getLogger("kestrel.i18n")
JOIN = "; "
_KEYS = ("msg", "args", "terms", "plural", "n")


class Term(str):
    """A program's word, kept as its English label (a msgid) and translated when shown."""

    __slots__ = ()


def term(labels: Mapping[Any, str], value: str) -> Term:
    """The label of `value` (a status, an event) from its N_()-marked table, translated by
    whoever reads the sentence; the value itself where it has no label."""
    return Term(labels.get(value) or value)


@dataclass(frozen=True)
class Joined:
    """Sentences shown one after the other in a field ("a; b", "cash 5.00, card 3.00")."""

    parts: tuple[Sentence, ...]
    sep: str = JOIN


def joined(parts: Sequence[Sentence], sep: str = JOIN) -> Joined:
    return Joined(tuple(parts), sep)


@dataclass(frozen=True)
class Sentence:
    """A message (a msgid, with its plural and count where it has one) and its fields."""

    msgid: str
    args: Mapping[str, object] = field(default_factory=dict)
    plural: str = ""
    n: int = 0
    verbatim: bool = False

    def render(self, catalogue: gettext.NullTranslations | None = None) -> str:
        """The sentence in the catalogue's language (the screen's when None); a person's
        own words as they were typed."""
        return self.msgid if self.verbatim else _render(self.as_data(), catalogue)

    def english(self) -> str:
        """The sentence as the timeline's `message` keeps it; worked out once (a
        timeline entry asks for it for its row and again for its audit line)."""
        kept: str | None = self.__dict__.get("_english")
        if kept is None:
            kept = self.render(gettext.NullTranslations())
            object.__setattr__(self, "_english", kept)  # frozen: a cache, not a field
        return kept

    def as_data(self) -> dict[str, object]:
        """The JSON the timeline row keeps (nothing for a person's own words)."""
        if self.verbatim:
            return {}
        kept: dict[str, object] = {"msg": self.msgid, "args": {}}
        args: dict[str, object] = {}
        terms: list[str] = []
        for name, value in self.args.items():
            if isinstance(value, Sentence):
                args[name] = value.as_data() or value.msgid  # verbatim: as typed
            elif isinstance(value, list | tuple | Joined):
                given = value if isinstance(value, Joined) else joined(value)
                parts = [v.as_data() or v.msgid for v in given.parts]
                args[name] = {"parts": parts, "sep": given.sep}
            elif isinstance(value, int) and not isinstance(value, bool):
                args[name] = value
            else:
                args[name] = str(value)
                if isinstance(value, Term):
                    terms.append(name)
        kept["args"] = args
        if terms:
            kept["terms"] = terms
        if self.plural:
            kept["plural"], kept["n"] = self.plural, self.n
        return kept


def said(msgid: str, /, **args: object) -> Sentence:
    """A timeline sentence: `msgid` a literal message with `{name}` fields."""
    return Sentence(msgid, args)


def said_n(singular: str, plural: str, n: int, /, **args: object) -> Sentence:
    """A sentence about `n` things in the plural form of the reader's language; `{count}`
    is `n` unless given."""
    return Sentence(singular, {"count": n, **args}, plural, n)


def verbatim(text: str) -> Sentence:
    """A person's own words (a note, a reason already in the sentence's fields): as typed."""
    return Sentence(text, verbatim=True)


def _render(kept: Mapping[str, object], catalogue: gettext.NullTranslations | None) -> str:
    gettext_ = catalogue.gettext if catalogue is not None else i18n._
    ngettext_ = catalogue.ngettext if catalogue is not None else i18n.ngettext
    msgid = str(kept.get("msg", ""))
    raw = kept.get("args")
    args: dict[str, object] = dict(raw) if isinstance(raw, Mapping) else {}
    terms = kept.get("terms")
    for name, value in list(args.items()):
        if isinstance(value, Mapping) and isinstance(value.get("parts"), list):
            args[name] = str(value.get("sep", JOIN)).join(
                _render(v, catalogue) if isinstance(v, Mapping) else str(v) for v in value["parts"]
            )
        elif isinstance(value, Mapping):
            args[name] = _render(value, catalogue)
        elif isinstance(terms, list) and name in terms and isinstance(value, str):
            args[name] = gettext_(value)
    plural, n = kept.get("plural"), kept.get("n")
    if isinstance(plural, str) and plural and isinstance(n, int):
        text = ngettext_(msgid, plural, n)
    else:
        text = gettext_(msgid)
    try:
        return text.format(**args)
    except (KeyError, IndexError, ValueError):  # a damaged translation: the message's own
        log.warning("the translation of %r does not fit its fields", msgid)
        return msgid.format(**args)


def shown(message: str, data: str, catalogue: gettext.NullTranslations | None = None) -> str:
    """A timeline row's sentence in the catalogue's language (the screen's when None):
    from its `data` where the row keeps its message there, else `message` as stored (a
    row from before issue 21, a note)."""
    if not data or '"msg"' not in data:
        return message
    try:
        kept = json.loads(data)
    except ValueError:
        return message
    if not isinstance(kept, dict) or not isinstance(kept.get("msg"), str):
        return message
    try:
        return _render(kept, catalogue)
    except (KeyError, IndexError, ValueError):
        return message


def without_sentence(data: Mapping[str, object]) -> dict[str, object]:
    """A row's data without the sentence's keys (what the entry's own data was)."""
    return {key: value for key, value in data.items() if key not in _KEYS}
