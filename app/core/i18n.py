"""Kestrel in the user's language: gettext catalogues (domain "kestrel") and the choice of
language.

The catalogues are `app/locale/<lang>/LC_MESSAGES/kestrel.po` in the repository; `make
i18n` compiles them to `.mo` beside them (and `make package` bundles the folder). Where no
`.mo` is there or it is older than its `.po` (a checkout, an editable install), the `.po`
is compiled in memory with Babel at first use, so a language never silently goes missing.

Two kinds of caller:
- the screens and the CLI speak the process's language: `_()`, `ngettext()` and
  `pgettext()` (one English word, two meanings: a msgctxt each), set once
  by `use_language(choose_language(user's choice))`;
- a printed document speaks the shop's (or the customer's) language whatever the screen
  says: `translations(language)` gives that catalogue's own `gettext`/`ngettext`.

Messages use `str.format` placeholders (`_("Served by {name}").format(name=...)`), never
f-strings (which cannot be looked up) nor `%`; tests/test_catalogues.py checks that every
translation keeps its message's placeholders.
"""

from __future__ import annotations

import gettext
import io
import logging
import os
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

DOMAIN = "kestrel"
SOURCE_LANGUAGE = "en"  # the msgids: English needs no catalogue
LANGUAGES = ("en", "de", "fr", "es")  # the catalogues kept complete (tests/test_catalogues)
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
ENVIRONMENT = ("KESTREL_LANG", "LC_ALL", "LC_MESSAGES", "LANG")  # in this order
PSEUDO_LANGUAGE = "qps"  # every marked text shows as ⟦text⟧: finds what is left unmarked
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"

log = logging.getLogger("kestrel.i18n")
_lock = threading.Lock()
_current: gettext.NullTranslations = gettext.NullTranslations()
_current_language = SOURCE_LANGUAGE
_said: set[str] = set()  # languages whose missing catalogue the log has been told of


def normalise(value: str) -> str:
    """'de_DE.UTF-8', 'de-DE', 'de_DE@euro' -> 'de_DE'; 'C', 'POSIX' and '' -> ''."""
    given = value.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if given.upper() in ("C", "POSIX"):
        return ""
    parts = given.split("_")
    if len(parts) >= 2 and parts[1]:
        return f"{parts[0].lower()}_{parts[1].upper()}"
    return given.lower()


def language_of(locale: str) -> str:
    """The language part of a locale: 'de_AT' -> 'de' (the catalogue documents print in)."""
    return normalise(locale).split("_", 1)[0] or SOURCE_LANGUAGE


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """KESTREL_LANG, else the first of LC_ALL, LC_MESSAGES, LANG that names a language
    (as gettext reads them); English when none does."""
    env = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = normalise(env.get(name, "").split(":", 1)[0])  # LANGUAGE-style lists
        if value:
            return value
    return SOURCE_LANGUAGE


def choose_language(user_choice: str = "", environ: Mapping[str, str] | None = None) -> str:
    """The user's own choice (Settings > Users, `kestrel user language`), else the
    workstation's (system_language)."""
    return normalise(user_choice) or system_language(environ)


def _catalogue_files(language: str) -> list[Path]:
    """The .po files to try, most specific first: fr_CA, then fr."""
    names = [language, language.split("_", 1)[0]] if "_" in language else [language]
    return [LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po" for name in dict.fromkeys(names)]


def _load(po: Path) -> gettext.GNUTranslations:
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalogue = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class PseudoTranslations(gettext.NullTranslations):
    """The pseudo-locale (KESTREL_LANG=qps): each translated message in ⟦brackets⟧, so a
    screen shows at a glance (and tests/views/test_screen_texts.py finds) any text that
    never went through the catalogue."""

    def gettext(self, message: str) -> str:
        return f"{PSEUDO_OPEN}{message}{PSEUDO_CLOSE}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:  # noqa: ARG002 (the pseudo-locale shows every context alike)
        return self.gettext(message)


@lru_cache(maxsize=32)
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of `language` ('de', 'de_AT', 'fr_FR.UTF-8'); English (the msgids)
    where there is none, said once in the log per language."""
    wanted = normalise(language) or SOURCE_LANGUAGE
    if language_of(wanted) == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    for po in _catalogue_files(wanted):
        if po.exists():
            try:
                return _load(po)
            except (OSError, ValueError) as exc:  # a damaged file is still English, said
                log.warning("the %s catalogue %s cannot be read (%s): English", wanted, po, exc)
                return gettext.NullTranslations()
    if language_of(wanted) not in _said:  # once per language, whatever its region
        _said.add(language_of(wanted))
        log.warning("no %s catalogue for language %r: texts are in English", DOMAIN, wanted)
    return gettext.NullTranslations()


def has_catalogue(language: str) -> bool:
    """Whether `language` is English or has a catalogue of its own (without logging)."""
    wanted = normalise(language)
    if language_of(wanted) == SOURCE_LANGUAGE:
        return True
    return any(po.exists() for po in _catalogue_files(wanted))


def use_language(language: str) -> str:
    """Make `language` the process's (screens, CLI); returns the catalogue's language,
    'en' when it fell back."""
    global _current, _current_language  # noqa: PLW0603 (the process's one language)
    wanted = normalise(language) or SOURCE_LANGUAGE
    pseudo = wanted == PSEUDO_LANGUAGE
    found = PseudoTranslations() if pseudo else translations(wanted)
    with _lock:
        _current = found
        _current_language = wanted if pseudo or has_catalogue(wanted) else SOURCE_LANGUAGE
    return _current_language


def current_language() -> str:
    return _current_language


def _(message: str) -> str:
    """`message` in the process's language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form of the process's language for `n` ('1 order', '2 orders')."""
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the process's language as meant in `context`, where one English word
    needs two translations: pgettext("purchase price", "Cost") is a supplier's price
    ("Einkaufspreis"), plain "Cost" a report's sum ("Kosten"). Babel extracts it by
    default (msgctxt)."""
    return _current.pgettext(context, message)


def customer_locale(customer_language: str, shop_locale: str) -> str:
    """The locale a customer's invoice and e-mails speak: their language where it is known
    (in the shop's own region when they share its language: de -> de_AT for an Austrian
    shop), else the shop's locale."""
    chosen = (customer_language or "").strip()
    if not chosen or language_of(chosen) == language_of(shop_locale):
        return shop_locale
    return chosen


def label(labels: Mapping[Any, str], value: str) -> str:  # keys: str or a StrEnum
    """A program's value (a status, a role, a channel) in the process's language, from its
    N_()-marked label; the value itself where it has none (a newer code, a typo in data)."""
    found = labels.get(value)
    return _(found) if found else value


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for it)
    """Marks a message for extraction where it is defined; translated where it is shown."""
    return message


def check_language(value: object, field: str = "language") -> str:
    """A language (and region) as Babel knows it, normalised ('de-at' -> 'de_AT'); ''
    stays '' (the workstation's, or the shop's for a customer). Refused in words."""
    from babel import Locale, UnknownLocaleError

    from app.core.errors import ValidationError

    if not isinstance(value, str) or len(value) > 16:
        raise ValidationError(_("A language is a code like de, fr or es."), field)
    given = normalise(value)
    if not given:
        return ""
    try:
        return str(Locale.parse(given))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValidationError(
            _("'{given}' is not a language Kestrel knows (en, de, fr, es, de_AT…).").format(
                given=value.strip()
            ),
            field,
        ) from None
