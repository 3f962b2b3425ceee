"""The modules that register reports (base._load_all imports them on first use)."""

MODULES: tuple[str, ...] = ()
