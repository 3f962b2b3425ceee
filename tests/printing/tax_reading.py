"""Reading printed tax back: amounts as a locale writes them, the table per rate under
its head (documents' tax_table), a labelled row's amount. Shared by the printing and the
services' document tests."""

from __future__ import annotations

import re

from babel.numbers import get_decimal_symbol, get_group_symbol

from app.core.money import parse_money


def spaced(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def amounts(text: str, locale: str) -> list[int]:
    """Every amount in `text` as `locale` writes it, in cents (money read back)."""
    group = " " if get_group_symbol(locale).isspace() else get_group_symbol(locale)
    number = rf"\d+(?:{re.escape(group)}\d{{3}})*{re.escape(get_decimal_symbol(locale))}\d{{2}}"
    return [parse_money(found, "EUR", locale) for found in re.findall(number, spaced(text))]


def tax_table(text: str, head: str, locale: str) -> list[tuple[str, int, int, int]]:
    """The printed table per rate: (rate, net, tax, gross) under its head. Where the
    amounts do not fit beside the rate (58 mm, five-figure sums) they print under it,
    still in their columns."""
    lines = spaced(text).splitlines()
    start = next(n for n, ln in enumerate(lines) if ln == head or ln.startswith(head + " "))
    rest = lines[start + 1 :]
    if rest and not re.search(r"\d", rest[0]):  # the column heads, under the table's
        rest = rest[1:]
    rows = []
    n = 0
    while n < len(rest) and (found := re.match(r"^(\d+(?:[.,]\d+)? %)(.*)$", rest[n])):
        found_amounts = amounts(found.group(2), locale)
        if not found_amounts:
            n += 1
            found_amounts = amounts(rest[n], locale)
        net, tax, gross = found_amounts
        rows.append((found.group(1), net, tax, gross))
        n += 1
    return rows


def row(text: str, label: str, locale: str) -> int:
    line = next(ln for ln in spaced(text).splitlines() if ln.startswith(label + " "))
    return amounts(line[len(label) :], locale)[-1]  # the row's amount, at its right
