"""The headers German, French and Spanish shops' spreadsheets and shop systems write, per
field (headers.py matches them as it matches the English ones: case, spaces and
punctuation aside). A German export's "Artikelnummer; Bezeichnung; Preis; MwSt." imports
with no mapping at all, as an English "SKU, Name, Price, VAT" does. Besides these, every
field's label in each of Kestrel's catalogues is recognised, so what a German Kestrel
exports a French one reads back."""

from __future__ import annotations

_SKU = (
    *("artikelnummer", "art.-nr.", "artikel-nr.", "artnr", "artikelnr"),
    *("référence", "réf", "référence article", "code article", "ref"),
    *("referencia", "código", "código de artículo", "cód. artículo"),
)
_NAME_PRODUCT = (
    *("bezeichnung", "artikelbezeichnung", "artikelname", "produktname"),
    *("désignation", "nom", "nom du produit", "libellé", "produit"),
    *("nombre", "nombre del producto", "artículo", "producto"),
)
_NAME_PARTY = (
    *("name", "firma", "kunde", "kundenname", "lieferant", "firmenname"),
    *("nom", "société", "raison sociale", "client", "fournisseur"),
    *("nombre", "empresa", "cliente", "razón social", "proveedor"),
)
_PARTY = {
    "email": ("e-mail-adresse", "courriel", "adresse e-mail", "correo", "correo electrónico"),
    "name": _NAME_PARTY,
    "phone": (
        *("telefon", "telefonnummer", "tel.", "handy", "mobil", "mobilnummer"),
        *("téléphone", "tél", "portable"),
        *("teléfono", "móvil", "teléfono móvil"),
    ),
    "street": (
        *("straße", "strasse", "straße und hausnummer", "adresse", "anschrift"),
        *("rue", "adresse 1", "adresse postale"),
        *("dirección", "calle", "domicilio", "dirección 1"),
    ),
    "street2": ("adresszusatz", "straße 2", "complément d'adresse", "dirección 2"),
    "city": ("ort", "stadt", "wohnort", "ville", "commune", "ciudad", "localidad", "población"),
    "postcode": ("plz", "postleitzahl", "code postal", "cp", "código postal"),
    "region": ("bundesland", "région", "département", "provincia", "región", "comunidad"),
    "country": ("land", "länderkennzeichen", "pays", "país"),
}
_SKU_ONLY = {"sku": _SKU}
_WAREHOUSE = ("lager", "lagerort", "entrepôt", "dépôt", "almacén")
_SUPPLIER = ("lieferant", "lieferantennummer", "fournisseur", "proveedor")

WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "products": {
        "sku": _SKU,
        "name": _NAME_PRODUCT,
        "description": ("beschreibung", "langtext", "description longue", "descripción"),
        "price": (
            *("preis", "vk", "vk-preis", "verkaufspreis", "vk brutto", "bruttopreis"),
            *("prix", "prix de vente", "prix ttc", "prix unitaire"),
            *("precio", "pvp", "precio de venta", "precio unitario"),
        ),
        "cost": (
            *("ek", "ek-preis", "einkaufspreis", "ek netto"),
            *("prix d'achat", "coût", "prix de revient"),
            *("coste", "costo", "precio de compra"),
        ),
        "tax": (
            *("mwst", "mwst.", "mwst. %", "mwst %", "mehrwertsteuer", "steuersatz", "ust", "ust %"),
            *("tva", "taux de tva", "tva %"),
            *("iva", "iva %", "tipo de iva"),
        ),
        "tax_class": ("steuerklasse", "steuerart", "classe de tva", "tipo impositivo"),
        "barcode": ("strichcode", "ean-code", "code-barres", "code barre", "código de barras"),
        "category": (
            *("kategorie", "warengruppe", "produktgruppe"),
            *("catégorie", "famille", "rayon"),
            *("categoría", "familia"),
        ),
        "weight_g": ("gewicht", "gewicht (g)", "poids", "poids (g)", "peso", "peso (g)"),
        "weight_kg": ("gewicht (kg)", "gewicht kg", "poids (kg)", "peso (kg)"),
    },
    "customers": _PARTY,
    "suppliers": {
        **_PARTY,
        "code": (
            "kürzel",
            "lieferantennummer",
            "lieferanten-nr.",
            "code fournisseur",
            "código de proveedor",
        ),
    },
    "stock": {
        **_SKU_ONLY,
        "quantity": (
            *("menge", "bestand", "anzahl", "lagerbestand", "stück"),
            *("quantité", "qté", "stock"),
            *("cantidad", "existencias", "unidades"),
        ),
        "warehouse": _WAREHOUSE,
        "bin": ("lagerplatz", "fach", "regalplatz", "emplacement", "ubicación", "hueco"),
    },
    "reorder-rules": {
        **_SKU_ONLY,
        "warehouse": _WAREHOUSE,
        "min": ("mindestbestand", "meldebestand", "stock minimum", "seuil", "stock mínimo"),
        "max": ("höchstbestand", "maximalbestand", "stock maximum", "stock máximo"),
        "multiple": ("bestellmenge", "losgröße", "multiple", "múltiplo"),
        "supplier": _SUPPLIER,
    },
}
