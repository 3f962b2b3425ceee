"""`kestrel outbox list|run|retry|cancel` and `kestrel smtp set|test`: the customer e-mails'
outbox for a server or a script (services/notify/ holds the rules).

`kestrel outbox list --json` prints a list of {"id", "state", "to", "subject", "attempts",
"last_error", "message_id"}, newest first. `run --once` sends what is due and exits (1 when
the server could not be used or a message failed); without it, it sends until Ctrl-C.
The SMTP password is asked (getpass) or taken from KESTREL_SMTP_PASSWORD, and kept in the
keyring, never in a file or the database.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sys
import threading
from typing import Any

from app.cli.common import acting_user, open_database, refusing

PASSWORD_ENV = "KESTREL_SMTP_PASSWORD"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    shared = argparse.ArgumentParser(add_help=False, parents=[common])
    shared.add_argument("--user", default="", help="act as this user (their role), not as admin")
    outbox = sub.add_parser("outbox", help="customer e-mails: list, run, retry, cancel")
    verbs = outbox.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)

    listing = verbs.add_parser("list", parents=[shared], help="the newest messages and state")
    listing.add_argument("--state", default="", help="queued, sending, sent, failed, cancelled")
    listing.add_argument("--limit", type=int, default=200, metavar="N")
    listing.add_argument("--json", action="store_true", help="stable JSON (see README)")
    listing.set_defaults(handler=refusing("outbox list", cmd_list))

    run = verbs.add_parser("run", parents=[common], help="send what is due")
    run.add_argument("--once", action="store_true", help="send what is due now, then exit")
    run.add_argument("--interval", type=float, default=15.0, metavar="SECONDS")
    run.set_defaults(handler=refusing("outbox run", cmd_run))

    retry = verbs.add_parser("retry", parents=[shared], help="due now, ignoring back-off")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=int, metavar="ID")
    which.add_argument("--all", action="store_true", help="every queued and failed message")
    retry.set_defaults(handler=refusing("outbox retry", cmd_retry))

    cancel = verbs.add_parser("cancel", parents=[shared], help="never send this message")
    cancel.add_argument("id", type=int, metavar="ID")
    cancel.set_defaults(handler=refusing("outbox cancel", cmd_cancel))

    smtp = sub.add_parser("smtp", help="the mail server: set, test")
    smtp_verbs = smtp.add_subparsers(dest="smtp_command", metavar="ACTION", required=True)
    setting = smtp_verbs.add_parser("set", parents=[common], help="store the mail server")
    setting.add_argument("--as", dest="user", default="", metavar="NAME", help="act as this user")
    setting.add_argument("--host", required=True)
    setting.add_argument("--port", type=int, required=True)
    security = setting.add_mutually_exclusive_group()
    for flag in ("starttls", "tls", "plain"):
        security.add_argument(
            f"--{flag}", dest="security", action="store_const", const=flag, default="starttls"
        )
    setting.add_argument("--user", dest="smtp_user", default="", metavar="U", help="SMTP login")
    setting.add_argument("--from", dest="from_address", default="", metavar="ADDRESS")
    setting.add_argument("--reply-to", default="", metavar="ADDRESS")
    setting.add_argument("--attachment-limit", type=int, default=5120, metavar="KB")
    setting.set_defaults(handler=refusing("smtp set", cmd_smtp_set))

    test = smtp_verbs.add_parser("test", parents=[shared], help="send a test e-mail now")
    test.add_argument("address")
    test.set_defaults(handler=refusing("smtp test", cmd_smtp_test))


def cmd_list(args: argparse.Namespace, url: str) -> int:
    from app.services.notify import mailbox

    with open_database(url, create=False).read() as session:
        rows = mailbox.list_messages(
            session, acting_user(session, args.user), args.state, args.limit
        )
    if args.json:
        print(json.dumps([row.as_json() for row in rows], indent=2))
        return 0
    if not rows:
        print("The outbox is empty.")
    for row in rows:
        why = f"  ({row.last_error})" if row.last_error else ""
        print(f"{row.id:>6}  {row.state:<9} {row.attempts:>2}x  {row.to}  {row.subject}{why}")
    return 0


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def cmd_run(args: argparse.Namespace, url: str) -> int:
    from app.services.notify import sender, worker

    database = open_database(url, create=False)
    if not args.once:
        stop = threading.Event()
        try:
            worker.run(database, _worker_name(), stop, args.interval, elected=False)
        except KeyboardInterrupt:
            stop.set()
        return 0
    result = sender.drain(database, _worker_name())
    print(f"Sent {result.sent}, to retry {result.retried}, failed {result.failed}.")
    if result.problem:
        print(f"kestrel outbox run: {result.problem}", file=sys.stderr)
    return 1 if result.problem or result.failed else 0


def cmd_retry(args: argparse.Namespace, url: str) -> int:
    from app.services.notify import mailbox

    with open_database(url, create=False).write() as session:
        actor = acting_user(session, args.user)
        if args.all:
            count = mailbox.retry_all(session, actor)
            print(f"{count} message(s) due now.")
            return 0
        mailbox.retry(session, actor, args.id)
    print(f"E-mail {args.id} is due now.")
    return 0


def cmd_cancel(args: argparse.Namespace, url: str) -> int:
    from app.services.notify import mailbox

    with open_database(url, create=False).write() as session:
        mailbox.cancel(session, acting_user(session, args.user), args.id)
    print(f"E-mail {args.id} cancelled.")
    return 0


def cmd_smtp_set(args: argparse.Namespace, url: str) -> int:
    from app.services.notify.smtp_settings import SmtpSettings, save_smtp_settings

    password = os.environ.get(PASSWORD_ENV, "")
    if args.smtp_user and not password and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.smtp_user} at {args.host}: ")
    with open_database(url, create=False).write() as session:
        stored = save_smtp_settings(
            session,
            acting_user(session, args.user),
            SmtpSettings(
                host=args.host,
                port=args.port,
                security=args.security,
                user=args.smtp_user,
                from_address=args.from_address,
                reply_to=args.reply_to,
                attachment_limit_kb=args.attachment_limit,
            ),
            password or None,
        )
    print(
        f"Mail goes out through {stored.host}:{stored.port} ({stored.security}) as "
        f"{stored.from_address}."
    )
    return 0


def cmd_smtp_test(args: argparse.Namespace, url: str) -> int:
    from app.services.notify import sender

    with open_database(url, create=False).read() as session:
        print(sender.send_test(session, acting_user(session, args.user), args.address))
    return 0
