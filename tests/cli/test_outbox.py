"""app/cli/outbox.py: `kestrel outbox list|run|retry|cancel` and `kestrel smtp set|test`
against a real SMTP server on loopback: the JSON contract of `outbox list --json`, exit
codes, refusals in words."""

from __future__ import annotations

import json

from app import cli
from tests.services.notify.conftest import (  # noqa: F401 (fixtures)
    floor,
    mail_shop,
    new_order,
    outbox_rows,
    smtp_server,
)


def _base(database):
    return ["--database", database.engine.url.render_as_string(hide_password=False)]


def test_list_run_retry_cancel(database, admin, floor, mail_shop, capsys):  # noqa: F811
    base = _base(database)
    first, second = new_order(database, admin, floor), new_order(database, admin, floor)
    assert cli.main([*base, "outbox", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [set(m) for m in listed] == [
        {"id", "state", "to", "subject", "attempts", "last_error", "message_id"}
    ] * 2
    assert [m["state"] for m in listed] == ["queued", "queued"]
    assert listed[0]["id"] > listed[1]["id"]  # newest first
    cancelled = outbox_rows(database, second)[0].id
    assert cli.main([*base, "outbox", "cancel", str(cancelled)]) == 0
    assert cli.main([*base, "outbox", "cancel", str(cancelled)]) == 1
    assert "only a queued or failed one" in capsys.readouterr().err
    assert cli.main([*base, "outbox", "run", "--once"]) == 0
    assert "Sent 1," in capsys.readouterr().out
    assert [m.message["Message-ID"] for m in mail_shop.recorder.received] == [
        outbox_rows(database, first)[0].message_id
    ]
    assert cli.main([*base, "outbox", "retry", "999999"]) == 1
    assert "no e-mail 999999" in capsys.readouterr().err
    assert cli.main([*base, "outbox", "retry", "--all"]) == 0
    assert "0 message(s)" in capsys.readouterr().out
    assert cli.main([*base, "outbox", "list", "--state", "sent", "--json"]) == 0
    assert [m["state"] for m in json.loads(capsys.readouterr().out)] == ["sent"]


def test_smtp_set_and_test(database, admin, smtp_server, capsys, monkeypatch):  # noqa: F811
    base = _base(database)
    monkeypatch.delenv("KESTREL_SMTP_PASSWORD", raising=False)
    setting = [*base, "smtp", "set", "--host", "127.0.0.1", "--plain"]
    assert cli.main([*setting, "--port", "0", "--from", "o@shop.example"]) == 1
    assert "port is 1 to 65535" in capsys.readouterr().err
    assert cli.main([*setting, "--port", str(smtp_server.port), "--from", "not an address"]) == 1
    assert "not an e-mail address" in capsys.readouterr().err
    assert cli.main([*setting, "--port", str(smtp_server.port), "--from", "o@shop.example"]) == 0
    capsys.readouterr()
    assert cli.main([*base, "smtp", "test", "me@example.com"]) == 0
    assert "accepted the test e-mail" in capsys.readouterr().out
    (got,) = smtp_server.recorder.received
    assert got.recipients == ["me@example.com"] and got.message["Message-ID"].endswith(
        "@shop.example>"
    )
    smtp_server.stop()
    assert cli.main([*base, "smtp", "test", "me@example.com"]) == 2
    assert "Cannot reach the mail server" in capsys.readouterr().err
