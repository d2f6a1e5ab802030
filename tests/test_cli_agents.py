"""`phiwall agents`: create, list, show, delete through the real command line parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from phiwall.cli import main
from phiwall.store.cipher import KEY_ENV

UPSTREAM_KEY = "sk-proj-cli-0123456789abcdefWXYZ"
SECRET = "whsec-cli-secret-0123456789abcd"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv("PHIWALL_DB", raising=False)
    return tmp_path / "cli.db"


def agents(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    """Run `phiwall agents ARGV --db DB`: exit status, stdout, stderr."""
    status = main(["agents", *argv, "--db", str(db)])
    out, err = capsys.readouterr()
    return status, out, err


def create_json(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> dict[str, object]:
    status, out, err = agents(capsys, db, "create", "--json", *argv)
    assert (status, err) == (0, "")
    return json.loads(out)


def test_create_prints_the_id_and_the_proxy_path(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    status, out, _ = agents(capsys, db, "create", "--name", "clinic", "--upstream", "http://u")
    assert status == 0
    created, path = out.splitlines()
    agent_id = created.split()[2]
    assert agent_id.startswith("agt_")
    assert path == f"proxy path: /proxy/{agent_id}/v1/chat/completions"


def test_secrets_from_the_environment_are_stored_but_never_printed(
    capsys: pytest.CaptureFixture[str], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPSTREAM_KEY", UPSTREAM_KEY)
    monkeypatch.setenv("SIGNING", SECRET)
    view = create_json(
        capsys,
        db,
        *("--name", "clinic", "--upstream", "https://api.example.com/v1"),
        *("--upstream-key-env", "UPSTREAM_KEY", "--signature-secret-env", "SIGNING"),
        *("--signature-kind", "hmac", "--signature-algorithm", "sha512"),
        *("--allow-model", "gpt-4o", "--allow-model", "gpt-4o-mini"),
        *("--rate", "5", "--burst", "10", "--replay-window", "60"),
    )
    assert view["upstream_key"] == "sk-…WXYZ"
    assert view["allowed_models"] == ["gpt-4o", "gpt-4o-mini"]
    assert (view["rate_per_second"], view["burst"]) == (5.0, 10)
    assert view["signature"] == {
        "kind": "hmac",
        "header": "x-phiwall-signature",
        "algorithm": "sha512",
        "timestamp_header": "x-phiwall-timestamp",
        "replay_window": 60.0,
        "secret": "whs…abcd",
    }
    outputs = [agents(capsys, db, "list"), agents(capsys, db, "list", "--json")]
    outputs += [
        agents(capsys, db, "show", str(view["id"])),
        agents(capsys, db, "show", "--json", str(view["id"])),
    ]
    for status, out, err in outputs:
        assert status == 0
        assert UPSTREAM_KEY not in out + err
        assert SECRET not in out + err

    from phiwall.store import open_store

    store = open_store(str(db))
    try:
        agent = store.get_agent(str(view["id"]))
        assert agent is not None
        assert agent.upstream_key == UPSTREAM_KEY
        assert agent.signature is not None
        assert agent.signature.secret == SECRET
    finally:
        store.close()


def test_list_shows_every_agent(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    first = create_json(capsys, db, "--name", "first", "--upstream", "http://one")
    second = create_json(
        capsys, db, "--name", "second", "--upstream", "http://two", "--signature-secret", "s"
    )
    status, out, _ = agents(capsys, db, "list")
    header, *rows = out.splitlines()
    assert status == 0
    assert header.split() == ["ID", "NAME", "UPSTREAM", "MODELS", "RATE/S", "BURST", "SIGNATURE"]
    assert [row.split() for row in rows] == [
        [first["id"], "first", "http://one", "*", "100", "200", "-"],
        [second["id"], "second", "http://two", "*", "100", "200", "vapi"],
    ]
    status, out, _ = agents(capsys, db, "list", "--json")
    assert [agent["id"] for agent in json.loads(out)] == [first["id"], second["id"]]


def test_show_prints_one_field_a_line(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    agent_id = create_json(capsys, db, "--name", "clinic", "--upstream", "http://u")["id"]
    status, out, _ = agents(capsys, db, "show", str(agent_id))
    assert status == 0
    assert f"id: {agent_id}" in out.splitlines()
    assert "upstream_key: -" in out.splitlines()
    assert "allowed_models: * (every model)" in out.splitlines()


def test_delete_removes_the_agent(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    agent_id = str(create_json(capsys, db, "--name", "clinic", "--upstream", "http://u")["id"])
    assert agents(capsys, db, "delete", agent_id)[:2] == (0, f"deleted agent {agent_id}\n")
    assert agents(capsys, db, "show", agent_id)[0] == 1
    assert json.loads(agents(capsys, db, "list", "--json")[1]) == []


def test_db_may_come_from_the_environment_or_before_the_action(
    capsys: pytest.CaptureFixture[str], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent_id = create_json(capsys, db, "--name", "clinic", "--upstream", "http://u")["id"]
    monkeypatch.setenv("PHIWALL_DB", str(db))
    assert main(["agents", "show", str(agent_id)]) == 0
    monkeypatch.delenv("PHIWALL_DB")
    assert main(["agents", "--db", str(db), "show", str(agent_id)]) == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "agt_nope"], "no agent has this id"),
        (["delete", "agt_nope"], "no agent has this id"),
        (["create", "--name", "x", "--upstream", "ftp://u"], "upstream URL must start with"),
        (["create", "--name", "x", "--upstream", "http://u", "--rate", "0"], "rate must be"),
        (["create", "--name", "x", "--upstream", "http://u", "--burst", "0"], "burst must be"),
        (
            ["create", "--name", "x", "--upstream", "http://u", "--upstream-key-env", "UNSET_VAR"],
            "UNSET_VAR is not set",
        ),
    ],
)
def test_failures_are_one_clean_line_and_status_1(
    capsys: pytest.CaptureFixture[str], db: Path, argv: list[str], message: str
) -> None:
    status, out, err = agents(capsys, db, *argv)
    assert status == 1
    assert out == ""
    assert err.startswith("phiwall agents: error: ")
    assert message in err
    assert "Traceback" not in err


def test_an_unusable_database_is_a_clean_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"junk" * 1000)
    status, _, err = agents(capsys, path, "list")
    assert status == 1
    assert "cannot open the database" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["create", "--upstream", "http://u"],  # no --name
        ["create", "--name", "x", "--upstream", "http://u", "--signature-kind", "rsa"],
        [
            "create",
            "--name",
            "x",
            "--upstream",
            "http://u",
            "--upstream-key",
            "k",
            "--upstream-key-env",
            "K",
        ],
        ["show"],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], db: Path, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["agents", *argv, "--db", str(db)])
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err
