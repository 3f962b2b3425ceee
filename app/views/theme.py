"""Light and dark themes: Fusion everywhere, a full palette per theme (every colour group,
so disabled text stays readable), and the theme's style sheet (resources/themes/NAME.qss)
for the colours a palette has no role for: error and success text, printed paper.

Widgets that carry a style sheet of their own (headings, totals, lists with padding) keep
the palette they were polished with; setting the application's style sheet re-polishes
every widget, which is what makes a switch take at once, both ways, without a restart."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app import paths

THEMES = ("light", "dark")
Role = QPalette.ColorRole
Group = QPalette.ColorGroup

DARK = {
    Role.Window: "#202225",
    Role.WindowText: "#e8e8e8",
    Role.Base: "#17181a",
    Role.AlternateBase: "#24262a",
    Role.Text: "#e8e8e8",
    Role.Button: "#2b2d31",
    Role.ButtonText: "#e8e8e8",
    Role.BrightText: "#ff8a80",
    Role.Light: "#3a3d42",
    Role.Midlight: "#33363b",
    Role.Mid: "#2b2d31",
    Role.Dark: "#141517",
    Role.Shadow: "#000000",
    Role.Highlight: "#2f6fdb",  # white on it reaches 4.5:1 (Fusion's blue does not)
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#2b2d31",
    Role.ToolTipText: "#e8e8e8",
    Role.PlaceholderText: "#9aa0a8",
    Role.Link: "#8ab4ff",
    Role.LinkVisited: "#c58af9",
}
DARK_DISABLED = {
    Role.WindowText: "#8a8f98",
    Role.Text: "#8a8f98",
    Role.ButtonText: "#8a8f98",
    Role.Highlight: "#3a3d42",
    Role.HighlightedText: "#c8c8c8",
}


def light_palette(app: QApplication) -> QPalette:
    """Fusion's own light palette with a selection dark enough for white text at AA."""
    palette = app.style().standardPalette()
    for group in (Group.Active, Group.Inactive):
        palette.setColor(group, Role.Highlight, QColor("#1f6fb2"))
    return palette


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in DARK_DISABLED.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


@cache
def style_sheet(theme: str) -> str:
    """The theme's QSS from resources/themes, named so every theme's text differs (Qt
    skips the re-polish when the same sheet is set again)."""
    path = paths.resources_dir() / "themes" / f"{theme}.qss"
    return f"/* theme: {theme} */\n{path.read_text(encoding='utf-8')}"


def apply_theme(app: QApplication, theme: str) -> None:
    """Fusion with Kestrel's palette and style sheet, dark if asked, light otherwise."""
    theme = theme if theme in THEMES else "light"
    if app.property("kestrel_theme") is None:
        # Once: a new QStyle deletes the old one, and widgets still polished by it (a
        # wizard closed but not yet deleted) would crash the next re-polish.
        app.setStyle("Fusion")
    app.setPalette(dark_palette() if theme == "dark" else light_palette(app))
    app.setStyleSheet(style_sheet(theme))
    app.setProperty("kestrel_theme", theme)


def current_theme() -> str:
    app = QApplication.instance()
    theme = app.property("kestrel_theme") if app is not None else None
    return theme if isinstance(theme, str) else "light"


# A widget property: Tab there never ends a scan (views/scanner.py reads it). Here, not in
# scanner.py, so the sign-in window does not build Qt's key enums before it shows.
TAB_MOVES_ON = "kestrel_tab_moves_on"


def mark(widget: QWidget, kind: str) -> None:
    """Give a widget a themed kind ("error", "ok", "paper" or "" for plain): the theme's
    style sheet colours it, in whichever theme is on now or later."""
    if widget.property("kind") == kind:
        return
    widget.setProperty("kind", kind)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
