"""The modules that register reports (base._load_all imports them on first use), in the
order `kestrel report --list` and the Reports screen show them."""

MODULES: tuple[str, ...] = tuple(
    f"app.services.reports.{name}"
    for name in (
        "sales",
        "top_products",
        "top_customers",
        "margin",
        "tax_rates",
        "lead_time",
        "returns",
        "till",
        "stock_value",
        "stock_levels",
    )
)
