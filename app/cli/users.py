"""`kestrel add-user`: the first administrator, or another user, without the GUI."""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any

from app.cli.common import open_database


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    user = sub.add_parser("add-user", parents=[common], help="add a user (password asked)")
    user.add_argument("username")
    user.add_argument("--role", default="clerk", help="admin, manager, clerk, cashier, picker")
    user.add_argument("--name", default="")
    user.set_defaults(handler=cmd_add_user)


def cmd_add_user(args: argparse.Namespace, url: str) -> int:
    from app.core import auth

    password = os.environ.get("KESTREL_PASSWORD") or getpass.getpass(
        f"Password for {args.username}: "
    )
    database = open_database(url, create=True)
    with database.write() as session:
        actor = None if auth.user_count(session) == 0 else auth.SYSTEM
        created = auth.create_user(session, actor, args.username, password, args.role, args.name)
    print(f"user {created.username} ({created.role.value}) added")
    return 0
