"""The demo shop's made-up world: brands and items with sizes, tax and shelf prices, the
people and places of its customers, how its orders are spread over statuses, and its
carriers. Data only (and the two rules that turn it into prices and SKUs), so the builders
stay about building."""

from __future__ import annotations

import random

from app.core.auth import Role

DEMO_PASSWORD = "demo1234"

DEMO_USERS = (
    ("manager", "Maria Manager", Role.MANAGER),
    ("clerk", "Colm Clerk", Role.CLERK),
    ("cashier", "Cathy Cashier", Role.CASHIER),
    ("picker", "Pat Picker", Role.PICKER),
)

DEMO_ACTOR_NAME = "Demo store"  # who the demo's own history is credited to, not the admin

BRANDS = (
    "Kestrel",
    "Northwind",
    "Bluebell",
    "Harbour",
    "Oakridge",
    "Saltmarsh",
    "Fjord",
    "Lumen",
    "Corrib",
    "Alder",
    "Brightwater",
    "Heron",
    "Millstone",
    "Tidewell",
    "Wren",
    "Ashgrove",
)

ADJECTIVES = (
    "Organic",
    "Classic",
    "Premium",
    "Everyday",
    "Artisan",
    "Fresh",
    "Eco",
    "Deluxe",
    "Original",
    "Wild",
    "Smoked",
    "Roasted",
    "Natural",
    "Mini",
    "Family",
    "Gourmet",
)

ITEMS = (  # name, sizes (smallest first), tax rate (bp), shelf price of the smallest (cents)
    ("Coffee Beans", ("250 g", "500 g", "1 kg"), 2300, 649),
    ("Ground Coffee", ("250 g", "500 g"), 2300, 549),
    ("Green Tea", ("20 bags", "50 bags", "100 g"), 2300, 349),
    ("Olive Oil", ("500 ml", "750 ml", "1 l"), 1350, 749),
    ("Sea Salt", ("250 g", "1 kg"), 0, 229),
    ("Dark Chocolate", ("100 g", "200 g"), 2300, 249),
    ("Oat Biscuits", ("150 g", "300 g"), 1350, 199),
    ("Honey", ("340 g", "500 g"), 0, 599),
    ("Notebook", ("pocket", "A5", "A4"), 2300, 399),
    ("Ballpoint Pen", ("blue", "black", "3 pack"), 2300, 149),
    ("Cotton T-Shirt", ("S", "M", "L", "XL"), 2300, 1499),
    ("Wool Socks", ("S", "M", "L"), 2300, 899),
    ("Ceramic Mug", ("300 ml", "450 ml"), 2300, 899),
    ("Candle", ("small", "large"), 2300, 799),
    ("Dish Soap", ("500 ml", "1 l"), 2300, 249),
    ("Rice", ("1 kg", "5 kg"), 0, 229),
    ("Pasta", ("500 g", "1 kg"), 0, 149),
    ("Orange Juice", ("1 l", "6 x 1 l"), 1350, 279),
    ("Sparkling Water", ("500 ml", "1.5 l", "6 pack"), 1350, 99),
    ("Phone Charger", ("USB-C", "Lightning"), 2300, 1999),
    ("AA Batteries", ("4 pack", "12 pack"), 2300, 499),
    ("Hand Cream", ("50 ml", "100 ml"), 2300, 599),
    ("Shampoo", ("250 ml", "500 ml"), 2300, 449),
    ("Granola", ("400 g", "750 g"), 1350, 449),
)

PRICIER = {"Premium": 1.35, "Deluxe": 1.4, "Gourmet": 1.45, "Artisan": 1.3, "Organic": 1.2}

CHEAPER = {"Everyday": 0.8, "Mini": 0.75, "Family": 0.9}


def shelf_price(base: int, size_index: int, adjective: str, rng: random.Random) -> int:
    """A price that fits the product: its shelf price, more for a bigger size or a premium
    line, a little scatter, ending in 9 as shop prices do (e.g. 4.99)."""
    factor = PRICIER.get(adjective, CHEAPER.get(adjective, 1.0))
    raw = base * (1 + 0.7 * size_index) * factor * rng.uniform(0.9, 1.1)
    return max(49, int(raw / 10) * 10 + 9)


def sku_prefix(item: str) -> str:
    """'AA Batteries' -> 'AAB': letters and digits only, so a SKU has no stray space."""
    return "".join(ch for ch in item.upper() if ch.isalnum())[:3]


FIRST = (
    "Aoife",
    "Liam",
    "Sofia",
    "Noah",
    "Emma",
    "Jack",
    "Mia",
    "Lucas",
    "Chloe",
    "Oisin",
    "Hannah",
    "Finn",
    "Lena",
    "Mateo",
    "Zoe",
    "Ravi",
    "Ines",
    "Tomas",
    "Yuki",
    "Amara",
    "Jonas",
    "Clara",
    "Sean",
    "Elif",
    "Marta",
    "Hugo",
    "Niamh",
    "Leon",
    "Eva",
    "Ciaran",
)

LAST = (
    "Murphy",
    "Kelly",
    "Schmidt",
    "Dubois",
    "Rossi",
    "Garcia",
    "Byrne",
    "Novak",
    "Jansen",
    "Walsh",
    "O'Brien",
    "Nowak",
    "Muller",
    "Silva",
    "Larsen",
    "Costa",
    "Ryan",
    "Weber",
    "Moreau",
    "Fischer",
    "Quinn",
    "Lopez",
    "Doyle",
    "Bianchi",
    "Kowalski",
    "Brennan",
)

CITIES = (
    ("Dublin", "D02", "IE"),
    ("Cork", "T12", "IE"),
    ("Galway", "H91", "IE"),
    ("Berlin", "10115", "DE"),
    ("Munich", "80331", "DE"),
    ("Paris", "75001", "FR"),
    ("Lyon", "69001", "FR"),
    ("Amsterdam", "1011", "NL"),
    ("Madrid", "28001", "ES"),
    ("Milan", "20121", "IT"),
    ("Vienna", "1010", "AT"),
    ("Lisbon", "1100", "PT"),
)

STREETS = (
    "Main Street",
    "Harbour Road",
    "Church Lane",
    "Market Square",
    "Station Road",
    "Mill Street",
    "Park Avenue",
    "Bridge Street",
    "Quay Street",
    "High Street",
)

ACTIVE_STATUSES = (
    "new",
    "new",
    "accepted",
    "confirmed",
    "confirmed",
    "confirmed",  # some become a wave being picked (see _Builder.fulfilment)
    "confirmed",
    "shipped",
    "on_hold",
    "cancelled",
)

HISTORY_STATUSES = ("delivered",) * 9 + ("shipped", "cancelled")

SHIP_CHANNELS = ("phone", "email", "web", "web", "web", "marketplace")

ZONES, AISLES, BINS = "ABCD", 10, 12

DEMO_CARRIERS = (
    (
        "KPOST",
        "Kestrel Post",
        "Parcel",
        r"KP\d{9}IE",
        "KP{n:09d}IE",
        "https://track.example/{tracking}",
    ),
    (
        "DHL",
        "DHL",
        "Parcel Connect",
        r"JJD\d{18}",
        "JJD{n:018d}",
        "https://www.dhl.com/track?id={tracking}",
    ),
    ("COURIER", "Local courier", "Same day", "", "", ""),
)

DEMO_WAVE = 8  # confirmed orders put on a pick list, so every fulfilment queue has work

SENT = ("shipped", "delivered")  # statuses whose orders left by post, with a tracking number
