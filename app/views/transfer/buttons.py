"""Import… and Export… buttons for a screen (products, stock levels, customers,
suppliers), greyed with the reason when the clerk lacks the permission the service checks.
Export asks for a file name and writes on a worker; Import opens the wizard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget
from shiboken6 import isValid

from app.core.auth import Actor, Permission
from app.core.i18n import _, ngettext
from app.db import ServiceSession as Session
from app.services.transfer.export import export
from app.views.context import AppContext
from app.views.ops import query_reporting
from app.views.tasks import Report
from app.views.transfer.import_dialog import ImportDialog, title_of

WRITES = {
    "products": Permission.CATALOGUE_EDIT,
    "customers": Permission.CUSTOMERS_EDIT,
    "suppliers": Permission.CUSTOMERS_EDIT,
    "stock": Permission.STOCK_ADJUST,
}


def import_refusal(actor: Actor, kind: str) -> str:
    """Why this clerk may not import `kind` ('' when they may): the permissions the
    import service checks."""
    for permission in (Permission.DATA_IMPORT, WRITES[kind]):
        if not actor.can(permission):
            return _("Importing {what} needs the {permission} permission.").format(
                what=title_of(kind), permission=permission.value
            )
    return ""


def export_refusal(actor: Actor) -> str:
    if actor.can(Permission.DATA_EXPORT):
        return ""
    return _("Exporting needs the {permission} permission.").format(
        permission=Permission.DATA_EXPORT.value
    )


class TransferButtons:
    """The buttons for the kinds a screen holds; the first kind's import is Ctrl+I, the
    second's Ctrl+Shift+I."""

    def __init__(
        self, screen: QWidget, ctx: AppContext, kinds: tuple[str, ...], say: Callable[[str], None]
    ) -> None:
        self.screen = screen
        self.ctx = ctx
        self.say = say
        self.dialog: ImportDialog | None = None
        self.buttons: dict[str, QPushButton] = {}
        for kind, key in zip(kinds, ("Ctrl+I", "Ctrl+Shift+I"), strict=False):
            what = title_of(kind)
            title = what[:1].upper() + what[1:]
            button = QPushButton(
                _("Import {what}…  ({key})").format(what=what, key=key), objectName=f"import_{kind}"
            )
            button.clicked.connect(lambda _c=False, k=kind: self.open_import(k))
            button.setToolTip(_("{title} from a CSV or XLSX file").format(title=title))
            refusal = import_refusal(ctx.actor, kind)
            if refusal:
                button.setEnabled(False)
                button.setToolTip(refusal)
            self.buttons[f"import_{kind}"] = button
            QShortcut(QKeySequence(key), screen, lambda k=kind: self.open_import(k))
            out = QPushButton(_("Export {what}…").format(what=what), objectName=f"export_{kind}")
            out.clicked.connect(lambda _c=False, k=kind: self.choose_export(k))
            refusal = export_refusal(ctx.actor)
            out.setEnabled(not refusal)
            out.setToolTip(refusal or _("{title} to a CSV or XLSX file").format(title=title))
            self.buttons[f"export_{kind}"] = out

    def row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for button in self.buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        return row

    def open_import(self, kind: str) -> ImportDialog | None:
        if import_refusal(self.ctx.actor, kind):
            return None
        if self.dialog is not None and isValid(self.dialog) and self.dialog.isVisible():
            return self.dialog
        dialog = self.dialog = ImportDialog(self.ctx, kind, self.screen)
        dialog.setModal(True)
        dialog.imported.connect(
            lambda r: self.say(
                _("Imported {added} new, {updated} updated.").format(
                    added=r.added, updated=r.updated
                )
            )
        )
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def choose_export(self, kind: str) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self.screen,
            _("Export {what}").format(what=title_of(kind)),
            f"{kind}.csv",
            _("CSV (*.csv);;Excel (*.xlsx)"),
        )
        if chosen:
            self.export_to(kind, chosen)

    def export_to(self, kind: str, path: str | Path) -> None:
        """Write every row of `kind` to `path` (.csv or .xlsx) on a worker."""
        actor, target = self.ctx.actor, Path(path)

        def work(session: Session, report: Report) -> int:
            return export(session, actor, kind, target, report)

        button = self.buttons[f"export_{kind}"]
        self.say(_("Exporting {what}…").format(what=title_of(kind)))
        query_reporting(self.screen, self.ctx, work, self._progress).on_success(
            lambda n: self.say(
                ngettext(
                    "{count} row exported to {file}.", "{count} rows exported to {file}.", n
                ).format(count=f"{n:,}", file=target.name)
            )
        ).message(self.say).busy(button).run()

    def _progress(self, _stage: str, done: int, total: int) -> None:
        if total:
            self.say(_("Exporting: {percent} %").format(percent=done * 100 // total))
