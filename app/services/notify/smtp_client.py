"""Talking to the SMTP server with the standard library, and saying what its answers mean.

Every failure becomes a Verdict: retry later (4xx, a connection that failed or broke, a
server that is not SMTP, a refused login: the message is fine, the road is not) or failed
for good (5xx, with the server's own words). A send is accepted only when sendmail()
returned with no refused recipient.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import Message

from app.services.notify.smtp_settings import SmtpSettings


@dataclass(frozen=True)
class Verdict:
    retry: bool  # try again after a back-off; False: failed for good
    words: str  # in a clerk's words, with the server's where it gave some
    road_closed: bool = False  # the server itself is unusable now: stop this run


def _said(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}".strip()


class SmtpClient:
    """One connection, opened on first use and again after it broke."""

    def __init__(self, settings: SmtpSettings, password: str) -> None:
        self.settings = settings
        self._password = password
        self._smtp: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context() if s.security != "plain" else None
        smtp: smtplib.SMTP
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.security == "starttls":
                smtp.starttls(context=context)
            if s.user:
                smtp.login(s.user, self._password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: Message, sender: str, recipients: list[str]) -> dict[str, str]:
        """Send one message; returns the refused recipients with the server's words
        (empty: every recipient was accepted). Raises what smtplib raises."""
        if self._smtp is None:
            self._smtp = self._open()
        try:  # (smtplib's errors are OSErrors: the narrow ones first)
            data = message.as_bytes()  # in its own policy: CRLF, headers folded once
            refused = self._smtp.sendmail(sender, recipients, data)
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421:  # the server closes the connection after a 421
                self.close()
            else:
                self._reset()
            raise
        except smtplib.SMTPRecipientsRefused:
            self._reset()
            raise
        except OSError:  # a broken connection, SMTPServerDisconnected included
            self.close()
            raise
        return {address: _said(code, text) for address, (code, text) in refused.items()}

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def verdict(self, exc: Exception) -> Verdict:
        """What a failure means for the message, in words."""
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            answers = {a: _said(c, t) for a, (c, t) in exc.recipients.items()}
            final = all(text.startswith("5") for text in answers.values())
            said = "; ".join(f"{a}: {t}" for a, t in answers.items())
            return Verdict(not final, f"The server refused the recipient ({said}).")
        if isinstance(exc, smtplib.SMTPResponseException):
            return self._answer_verdict(exc)
        return self._road_verdict(exc)

    def _answer_verdict(self, exc: smtplib.SMTPResponseException) -> Verdict:
        said = _said(exc.smtp_code, exc.smtp_error)
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return Verdict(
                True,
                f"The mail server at {self.where} refused the user name or password "
                f"({said}). Check them with `kestrel smtp set`.",
                road_closed=True,
            )
        if exc.smtp_code < 0 or isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPHeloError):
            if exc.smtp_code < 0:
                return Verdict(True, _not_smtp(self.where, exc.smtp_error), road_closed=True)
            return Verdict(True, f"The mail server at {self.where} refused us ({said}).", True)
        if 400 <= exc.smtp_code < 500:
            return Verdict(True, f"The server asked to try later ({said}).")
        return Verdict(False, f"The server refused the message ({said}).")

    def _road_verdict(self, exc: Exception) -> Verdict:
        """The connection, not the message: always a retry, and this run stops."""
        where = self.where
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            words = f"The mail server at {where} closed the connection."
        elif isinstance(exc, smtplib.SMTPNotSupportedError):
            words = f"The mail server at {where} does not offer what we need: {exc}."
        elif isinstance(exc, smtplib.SMTPException):
            words = f"The mail server at {where} answered oddly: {exc}."
        elif isinstance(exc, ssl.SSLError):
            words = f"No secure connection to {where}: {exc.reason or exc}."
        elif isinstance(exc, socket.timeout | TimeoutError):
            words = f"The mail server at {where} did not answer in time."
        elif isinstance(exc, OSError):
            words = f"Cannot reach the mail server at {where}: {exc.strerror or exc}."
        else:
            raise exc
        return Verdict(True, words, road_closed=True)


def _not_smtp(where: str, said: bytes | str) -> str:
    words = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    shown = " ".join(words.split())[:80]
    return f"The server at {where} does not speak SMTP (it said '{shown}'). Check the port."
