"""The e-mail as it goes on the wire, built with the standard library's email package in
its compat32 API: a header is kept as the string given and folded once, when the message
is written. The newer API (EmailMessage with policy.SMTP) parses every header into an
object on every assignment, its Content-Type parameters included, and again to write it:
that was two thirds of the sender's CPU per message (bench/outbox.py, "Customer e-mails").

What the newer API did for us is done here: display names outside ASCII are RFC 2047
encoded (the address itself never is), other headers are encoded by email.header when
they need it, and a body goes 7bit/8bit unless a line is longer than SMTP allows, then
quoted-printable.
"""

from __future__ import annotations

from email import charset as email_charset
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import compat32
from email.utils import formataddr, getaddresses

WIRE = compat32.clone(linesep="\r\n")  # CRLF line ends, as SMTP wants
MAX_LINE = 998  # octets per line, RFC 5322 2.1.1
ADDRESS_HEADERS = frozenset({"from", "to", "cc", "reply-to", "sender"})

_PLAIN = email_charset.Charset("utf-8")
_PLAIN.body_encoding = None  # type: ignore[assignment]  # None: 7bit or 8bit, as the words are
_QUOTED = email_charset.Charset("utf-8")
_QUOTED.body_encoding = email_charset.QP


def text_part(words: str, subtype: str) -> Message:
    """A text/plain or text/html part in UTF-8."""
    part = MIMENonMultipart("text", subtype, policy=WIRE)
    too_long = len(words) > MAX_LINE // 4 and any(
        len(line.encode()) > MAX_LINE for line in words.splitlines()
    )
    part.set_payload(words, _QUOTED if too_long else _PLAIN)
    return part


def image_part(picture: bytes, subtype: str, content_id: str) -> Message:
    """An inline image the HTML shows as cid:`content_id`."""
    part = MIMEImage(picture, _subtype=subtype, policy=WIRE)
    part["Content-ID"] = f"<{content_id}>"
    part["Content-Disposition"] = "inline"
    return part


def pdf_part(data: bytes, filename: str) -> Message:
    """A PDF attachment (a file name outside ASCII is RFC 2231 encoded)."""
    part = MIMEApplication(data, "pdf", policy=WIRE)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def address_list(value: str) -> str:
    """An address header's value with every display name outside ASCII encoded."""
    if value.isascii():
        return value
    return ", ".join(formataddr(pair, charset="utf-8") for pair in getaddresses([value]))


def message(
    headers: list[tuple[str, str]],
    words: str,
    html: str = "",
    related: list[Message] | None = None,
    attached: list[Message] | None = None,
) -> Message:
    """text (and html, with the parts it shows) as alternatives, then the attachments,
    under `headers` in their order."""
    body = text_part(words, "plain")
    if html:
        shown = text_part(html, "html")
        if related:
            shown = _multipart("related", [shown, *related])
        body = _multipart("alternative", [body, shown])
    if attached:
        body = _multipart("mixed", [body, *attached])
    for name, value in headers:
        body[name] = address_list(value) if name.lower() in ADDRESS_HEADERS else value
    return body


def _multipart(subtype: str, parts: list[Message]) -> Message:
    whole = MIMEMultipart(subtype, policy=WIRE)
    for part in parts:
        del part["MIME-Version"]  # once, on the message itself
        whole.attach(part)
    return whole
