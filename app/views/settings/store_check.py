"""Settings -> Database -> "Check the database": `kestrel check` from the GUI. On a store
of millions of rows the check takes seconds to minutes, so it runs on a worker (views/ops.py
query_reporting) with a progress bar, and the screen stays usable meanwhile."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.core.auth import Permission
from app.core.i18n import _, ngettext
from app.db import ServiceSession as Session
from app.services.stock import integrity
from app.services.stock.integrity import Problem
from app.views.context import AppContext
from app.views.ops import query_reporting
from app.views.tasks import Report

SHOWN = 10  # problems listed on the page; `kestrel check` prints them all


class StoreCheck(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.button = QPushButton(_("Check the database"), objectName="db_check")
        self.button.clicked.connect(self.run)
        if not ctx.actor.can(Permission.AUDIT_VIEW):
            self.button.setEnabled(False)
            self.button.setToolTip(
                _("Checking the database needs the {permission} permission.").format(
                    permission=Permission.AUDIT_VIEW.value
                )
            )
        self.progress = QProgressBar(objectName="db_check_progress")
        self.progress.setVisible(False)
        self.outcome = QLabel(objectName="db_check_result", wordWrap=True)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.outcome)

    def run(self) -> None:
        actor = self.ctx.actor

        def work(session: Session, report: Report) -> list[Problem]:
            return integrity.check_store(session, actor, report)

        self.progress.setRange(0, integrity.STAGES)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.outcome.setText(_("Checking stock, orders and the audit log…"))
        query_reporting(self, self.ctx, work, self._progressed).on_success(self._checked).message(
            self.outcome.setText
        ).finally_(lambda: self.progress.setVisible(False)).busy(self.button).run()

    def _progressed(self, _stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _checked(self, problems: list[Problem]) -> None:
        if not problems:
            self.outcome.setText(
                _("No problems: stock levels match the ledger; order totals match lines.")
            )
            return
        said = ngettext("{count} problem found:", "{count} problems found:", len(problems))
        listed = [f"[{p.kind}] {p.message}" for p in problems[:SHOWN]]
        if len(problems) > SHOWN:
            listed.append(
                _("… and {count} more (`kestrel check` lists them all).").format(
                    count=len(problems) - SHOWN
                )
            )
        self.outcome.setText("\n".join([said.format(count=len(problems)), *listed]))
