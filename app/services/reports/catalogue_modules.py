"""The modules that register reports (base._load_all imports them on first use), in the
order `kestrel report --list` and the Reports screen show them."""

MODULES: tuple[str, ...] = ("app.services.reports.sales",)
