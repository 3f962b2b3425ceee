"""The translations are complete (app/locale, app/core/i18n.py): every message the sources
mark (extracted here the way `make i18n` does, from babel.cfg) is in every catalogue,
translated in every plural form, none fuzzy, each keeping its message's placeholders, and
each catalogue's plural rule the one CLDR gives its language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from app.core import i18n

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE_LANGUAGE]
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "said": None,  # app/core/sentence.py: a timeline sentence and its plural
    "said_n": (1, 2),
}
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")


def _sources() -> set[str | tuple[str, ...]]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "app"), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


SOURCES = _sources()


def _catalogue(lang: str):
    path = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    assert path.exists(), f"no catalogue for {lang}: run `make i18n`"
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def placeholders(text: str) -> set[str]:
    """`{name}` fields and `%s`-style specifiers (a translator may reorder, never drop)."""
    fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return fields | set(_PERCENT.findall(text))


def test_the_sources_mark_messages():
    assert "Receipt" in SOURCES and ("{count} order", "{count} orders") in SOURCES


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_in_the_catalogue(lang):
    catalogue = _catalogue(lang)
    present = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalogue if m.id}
    missing = SOURCES - present
    assert not missing, f"{lang}: {len(missing)} message(s) not in the catalogue, run `make i18n`"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    catalogue = _catalogue(lang)
    assert not catalogue.fuzzy, f"{lang}: the catalogue's header is fuzzy"
    for message in catalogue:
        if not message.id:
            continue
        assert not message.fuzzy, f"{lang}: fuzzy: {message.id!r}"
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(forms), f"{lang}: untranslated: {message.id!r}"
        if not isinstance(message.id, str):
            assert len(forms) == catalogue.num_plurals, f"{lang}: plural forms of {message.id!r}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_match_between_message_and_translation(lang):
    for message in _catalogue(lang):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = set().union(*(placeholders(text) for text in ids))
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        for form in forms:
            assert placeholders(form) == wanted, f"{lang}: {message.id!r} -> {form!r}"
            form.format(**{name: 1 for name in wanted if not name.startswith("%")})


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_plural_rule_is_the_languages(lang):
    catalogue = _catalogue(lang)
    assert catalogue.num_plurals == get_plural(Locale.parse(lang)).num_plurals


def test_the_placeholder_check_itself_catches_a_dropped_field():
    assert placeholders("Served by {name}") == {"name"}
    assert placeholders("Bedient von") != placeholders("Served by {name}")
    assert placeholders("%(count)d orders, %s") == {"%(count)d", "%s"}
