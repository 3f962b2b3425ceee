"""`kestrel serve [--host 127.0.0.1] [--port 8765]`: the push API, the webhook receivers
and the customers' tracking page on uvicorn, over the workstations' database.

The OpenAPI document is at /openapi.json. Set the shop setting public_url to the address
customers reach this server at: tracking links are built from it. Exit 2 when the
database cannot be used or the port is taken.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from app.cli.common import open_database
from app.core.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    serve = sub.add_parser("serve", parents=[common], help="run the HTTP API and tracking page")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--rate", type=float, default=300.0, help="calls a second per API key (default 300)"
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="server processes (default 1; one per core to use them all)",
    )
    serve.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace, url: str) -> int:
    import uvicorn

    from app.api import server
    from app.api.server import create_app
    from app.core.errors import KestrelError

    database = open_database(url, create=False)
    workers = max(1, args.workers)
    print(
        f"Kestrel API on http://{args.host}:{args.port} ({database.description}, "
        f"{workers} process{'es' if workers > 1 else ''}); Ctrl+C stops."
    )
    try:
        if workers == 1:
            app = create_app(database, rate=args.rate, burst=max(1, int(args.rate * 2)))
            uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
        else:  # each process its own app from the environment (uvicorn starts them)
            database.dispose()
            os.environ.update(server.environment(url, args.rate / workers))
            uvicorn.run(
                "app.api.server:from_environment",
                factory=True,
                workers=workers,
                host=args.host,
                port=args.port,
                log_level="warning",
            )
    except OSError as exc:
        raise KestrelError(
            _("Cannot listen on {host}:{port}: {strerror}.").format(
                host=args.host, port=args.port, strerror=exc.strerror
            )
        ) from exc
    finally:
        database.dispose()
    return 0
