"""`kestrel api-key create NAME --scopes orders:write,orders:read,stock:read`,
`kestrel api-key list [--json]`, `kestrel api-key revoke NAME`: keys for integrations.

`create` prints the key alone on its last line (it is shown this once: only its hash is
kept). `list --json` prints `[{"id", "name", "prefix", "scopes", "created_at",
"last_used_at", "revoked_at"}]`. Exit 1 for a refusal (a name taken, an unknown scope
or key), 2 when the database cannot be used.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.common import acting_user, open_database, refusing


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("api-key", parents=[common], help="API keys for integrations")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--user", default="", help="act as this user (their role), not as admin")
    create = actions.add_parser("create", parents=[common, shared], help="make a key")
    create.add_argument("name")
    create.add_argument(
        "--scopes", required=True, help="comma-separated: orders:write,orders:read,stock:read"
    )
    create.set_defaults(handler=refusing("api-key create", cmd_create))
    listing = actions.add_parser("list", parents=[common, shared], help="the keys")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=refusing("api-key list", cmd_list))
    revoke = actions.add_parser("revoke", parents=[common, shared], help="stop a key working")
    revoke.add_argument("name")
    revoke.set_defaults(handler=refusing("api-key revoke", cmd_revoke))


def cmd_create(args: argparse.Namespace, url: str) -> int:
    from app.services.channels import api_keys

    with open_database(url, create=False).write() as session:
        made = api_keys.create_key(session, acting_user(session, args.user), args.name, args.scopes)
    print(f"API key {made.row.name} made ({', '.join(made.row.scopes)}). It is shown once:")
    print(made.key)
    return 0


def cmd_list(args: argparse.Namespace, url: str) -> int:
    from dataclasses import asdict

    from app.services.channels import api_keys

    with open_database(url, create=False).read() as session:
        rows = api_keys.list_keys(session, acting_user(session, args.user))
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=2))
        return 0
    for r in rows:
        state = f"revoked {r.revoked_at[:16]}" if r.revoked_at else "active"
        used = f"last used {r.last_used_at[:16]}" if r.last_used_at else "never used"
        print(f"{r.name:<20} {r.prefix}…  {' '.join(r.scopes):<36} {state}, {used}")
    if not rows:
        print("No API keys yet: make one with `kestrel api-key create NAME --scopes ...`.")
    return 0


def cmd_revoke(args: argparse.Namespace, url: str) -> int:
    from app.services.channels import api_keys

    with open_database(url, create=False).write() as session:
        row = api_keys.revoke_key(session, acting_user(session, args.user), args.name)
    print(f"API key {row.name} revoked: it no longer works.")
    return 0
