"""The command line as a newcomer uses it: each call a fresh start on one database (in this
process, through `cli`; across real processes where that boundary is what is tested)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def process(empty_url: str, tmp_path: Path):
    """Run `python -m bot …` as a new process with a database and data directory of its own."""
    env = {**os.environ, "DATABASE_URL": empty_url, "DATA_DIR": str(tmp_path / "data")}
    env.pop("TELEGRAM_BOT_TOKEN", None)

    def call(*args: str, extra: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**env, **(extra or {})},
        )

    return call


def test_migrate_import_twice_and_stats(cli):
    """import-sample twice adds nothing; stats prints the plan's 2017 figures."""
    assert cli("migrate").returncode == 0
    first = cli("import-sample")
    assert first.returncode == 0 and "28 courses created" in first.stdout
    second = cli("import-sample")
    assert "nothing changed" in second.stdout
    out = cli("stats", "--year", "2017", "--json")
    data = json.loads(out.stdout)
    assert (data["courses"], data["trainees"], data["countries"], data["cities"]) == (
        14,
        174,
        25,
        58,
    )


def test_chat_conversation_across_processes(process):
    """`chat` answers /start in Russian with buttons; a press in a new process carries on
    (so every piece of conversation state is in the database, not in a process)."""
    first = process("chat", "--as", "1001", "--lang", "ru", "--json", "/start")
    assert first.returncode == 0, first.stderr
    [message] = [json.loads(line) for line in first.stdout.splitlines()]
    assert "Здравствуйте" in message["text"] and message["buttons"]
    second = process("chat", "--as", "1001", "--json", "--press", "Русский")
    lines = [json.loads(line) for line in second.stdout.splitlines()]
    assert lines[-1]["text"].startswith("Готово. Язык: Русский.")
    missing = process("chat", "--as", "1001", "--press", "Nonexistent")
    assert missing.returncode == 2 and "available" in missing.stderr


def test_bad_configuration_is_one_clear_line(process):
    """A wrong value names the variable in one line, no traceback."""
    out = process("stats", "--year", "2017", extra={"TIMEZONE": "Mars/Olympus"})
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "Configuration error: TIMEZONE: Value error, unknown IANA time zone 'Mars/Olympus'"
    ]


def test_run_without_token_and_outdated_schema(cli):
    """`run` without a token says so; with a token on an unmigrated database it refuses."""
    out = cli("run")
    assert out.returncode == 2 and "TELEGRAM_BOT_TOKEN" in out.stderr
    out = cli("run", extra={"TELEGRAM_BOT_TOKEN": "1:x"})
    assert out.returncode == 1 and "python -m bot migrate" in out.stderr


def test_demo_keeps_its_database_and_fresh_starts_over(cli, monkeypatch):
    """The demo greets in --lang; a later run keeps the confirmed language; --fresh resets."""

    def demo(*args: str, keys: str = "/quit\n"):
        monkeypatch.setattr("sys.stdin", io.StringIO(keys))
        done = cli("demo", *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    first = demo("--lang", "en", keys="1\n/quit\n")  # [1] English: confirms the language
    assert "bot> Hello" in first and "Done. Language: English." in first
    assert "bot> Hello" in demo("--lang", "ru")  # the stored choice wins over --lang
    assert "bot> Здравствуйте" in demo("--fresh", "--lang", "ru")
