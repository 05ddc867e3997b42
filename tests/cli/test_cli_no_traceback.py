"""No traceback from the command line, ever: each failure case of issue 13 ends in a Dutch message on stderr and
an exit code other than 0; a failure nobody foresaw also quotes a reference ("Melding K-3F2A") whose traceback
is in the log (``logs.path`` / ``KANSRIJKE_LOG``), never on the screen.

The cases: a deeply nested config.yaml, a CSV field over 128 KiB, a full disk (a real tiny tmpfs where this
machine allows mounting one, and an ENOSPC from inside a command everywhere), a corrupt database file (not a
database at all, and one cut off halfway, which opens but cannot be read)."""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conftest import ROOT, running_as_root, write_config

from kansrijke.core.i18n import t
from kansrijke.core.store import Store

REFERENCE = re.compile(r"Melding (K-[0-9A-F]{4})")


def assert_dutch_without_traceback(run, code: int = 2) -> None:
    assert run.returncode == code, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    assert 'File "' not in run.stderr  # no frame of a traceback either
    assert run.stderr.strip(), "a failure says something"


def logged(run, log: Path) -> str:
    """The reference quoted on stderr; the log holds it with the traceback."""
    found = REFERENCE.search(run.stderr)
    assert found, run.stderr
    assert str(log) in run.stderr  # the operator at the terminal is told where the details are
    text = log.read_text(encoding="utf-8")
    entry = text.split(found.group(1), 1)[1]
    assert "Traceback (most recent call last)" in entry
    return entry


@pytest.fixture
def log(tmp_path) -> Path:
    return tmp_path / "logboek" / "kansrijke.log"


@pytest.fixture
def truncated_db(demo_copy) -> Path:
    """A copy of the demo database cut off halfway: it opens, but most tables cannot be read."""
    size = demo_copy.stat().st_size
    with open(demo_copy, "r+b") as fh:
        fh.truncate(size // 2)
    return demo_copy


# -- a corrupt database file -------------------------------------------------------------------------------------
def test_a_file_that_is_no_database_is_refused_in_dutch(cli, tmp_path, log):
    db = tmp_path / "kansrijke.duckdb"
    db.write_bytes(os.urandom(50_000))
    run = cli("status", db=db, env={"KANSRIJKE_LOG": str(log)})
    assert_dutch_without_traceback(run)
    assert "geen leesbare DuckDB-database" in run.stderr


def test_a_database_cut_off_halfway_gives_a_reference_and_the_traceback_goes_to_the_log(cli, truncated_db, log):
    run = cli("status", db=truncated_db, env={"KANSRIJKE_LOG": str(log)})
    assert_dutch_without_traceback(run)
    assert t("rescue.failure.damaged") in run.stderr
    assert "python -m kansrijke restore" in run.stderr  # the way out
    entry = logged(run, log)
    assert "cli status" in entry and "Could not read enough bytes" in entry
    assert (log.parent / ".gitignore").read_text().splitlines()[-1] == "*"  # a log never ends up in git


def test_every_reading_command_on_a_cut_off_database_ends_in_dutch(cli, truncated_db, log, tmp_path):
    for args in (
        ("status", "--json"),
        ("rapport", "--coalitie", "KS-GM0363", "--out", str(tmp_path / "r.pdf"), "--zonder-grafieken"),
        ("vergelijk", "--indicator", "big2"),
        ("export", str(tmp_path / "export")),
        ("backup", str(tmp_path / "b.zip")),
        ("info",),
    ):
        run = cli(*args, db=truncated_db, env={"KANSRIJKE_LOG": str(log)})
        assert run.returncode != 0, args
        assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, args
        assert run.stderr.strip(), args


# -- a full disk -----------------------------------------------------------------------------------------------------
def test_no_space_left_inside_a_command_is_a_dutch_message_with_a_reference(cli, monkeypatch, tmp_path, log):
    from kansrijke.dataio import start

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "kansrijke.duckdb"))

    monkeypatch.setattr(start, "create", full)
    run = cli("init", db=tmp_path / "kansrijke.duckdb", env={"KANSRIJKE_LOG": str(log)})
    assert_dutch_without_traceback(run)
    assert t("rescue.cli_failed", command="init", what=t("rescue.failure.disk_full")) in run.stderr
    assert "No space left on device" in logged(run, log)


@contextlib.contextmanager
def tiny_disk(folder: Path, size: str = "300k"):
    """A real, nearly full file system (tmpfs) at ``folder``; skips where this machine cannot mount one."""
    folder.mkdir()
    if not running_as_root():
        pytest.skip("mounting a tmpfs needs root; the ENOSPC test above covers the message")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_init_on_a_real_full_disk(cli, tmp_path, log):
    with tiny_disk(tmp_path / "vol") as disk:
        run = cli("init", db=disk / "kansrijke.duckdb", env={"KANSRIJKE_LOG": str(log)})
        assert_dutch_without_traceback(run)
        assert t("rescue.failure.disk_full") in run.stderr
        assert "No space left on device" in logged(run, log)
        assert not (disk / "kansrijke.duckdb").exists()  # no database that looks made


def test_a_log_on_the_full_disk_says_the_details_were_not_kept(cli, truncated_db, tmp_path):
    with tiny_disk(tmp_path / "vol", size="64k") as disk:
        (disk / "opvulling").write_bytes(b"\0" * 60_000)
        with contextlib.suppress(OSError):  # fill it to the last block
            with open(disk / "rest", "wb") as fh:
                while True:
                    fh.write(b"\0" * 4096)
                    fh.flush()
        log = disk / "logs" / "kansrijke.log"
        run = cli("status", db=truncated_db, env={"KANSRIJKE_LOG": str(log)})
        assert_dutch_without_traceback(run)
        assert REFERENCE.search(run.stderr)
        assert t("rescue.log_problem.disk_full") in run.stderr or "kon niet worden geschreven" in run.stderr


# -- hostile input files --------------------------------------------------------------------------------------------
def test_a_csv_field_over_128_kib_ends_in_dutch(cli, own_copy, tmp_path, log):
    big = tmp_path / "groot.csv"
    big.write_text("gemeentecode;indicator;periode;waarde\nGM0363;big2;2023;" + "x" * 200_000 + "\n", encoding="utf-8")
    run = cli("import", "--dry-run", str(big), db=own_copy, env={"KANSRIJKE_LOG": str(log)})
    assert run.returncode != 0
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    assert (run.stdout + run.stderr).strip()


def test_a_deeply_nested_config_ends_in_dutch(tmp_path, demo_copy):
    """A config.yaml nested 100.000 levels deep (it once crashed the YAML reader). Its own process: a crash of
    the reader would end a test run."""
    config = write_config(tmp_path, append="\nextra: " + "[" * 100_000 + "]" * 100_000 + "\n")
    log = tmp_path / "logs" / "kansrijke.log"
    env = {**os.environ, "KANSRIJKE_DB": str(demo_copy), "KANSRIJKE_LOG": str(log)}
    env.pop("KANSRIJKE_DEMO_DB", None)
    Store.close_all()
    run = subprocess.run(
        [sys.executable, "-m", "kansrijke", "--config", str(config), "status"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr and "config.yaml" in run.stderr


# -- the message itself --------------------------------------------------------------------------------------------
def test_an_unforeseen_bug_in_a_command(cli, monkeypatch, demo_copy, log):
    cli_main = importlib.import_module("kansrijke.cli.main")  # the package exports the function ``main``

    def broken(_args):
        raise KeyError(f"geheim-{uuid.uuid4().hex}")

    monkeypatch.setitem(cli_main.COMMANDS, "status", broken)
    run = cli("status", db=demo_copy, env={"KANSRIJKE_LOG": str(log)})
    assert_dutch_without_traceback(run)
    assert "geheim-" not in run.stderr  # what the exception says stays in the log
    assert t("rescue.failure.other") in run.stderr
    assert "geheim-" in logged(run, log)


def test_interrupted_by_the_user(cli, monkeypatch, demo_copy):
    cli_main = importlib.import_module("kansrijke.cli.main")  # the package exports the function ``main``

    def interrupted(_args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli_main.COMMANDS, "status", interrupted)
    run = cli("status", db=demo_copy)
    assert run.returncode == 130 and run.stderr.strip() == t("rescue.cli_interrupted")


def test_the_log_goes_to_logs_path_beside_config_yaml(cli, monkeypatch, tmp_path, truncated_db):
    monkeypatch.delenv("KANSRIJKE_LOG", raising=False)
    config = write_config(tmp_path, replace={"path: logs/kansrijke.log": "path: mijnlogs/monitor.log"})
    run = cli("--config", str(config), "status", db=truncated_db)
    assert_dutch_without_traceback(run)
    log = tmp_path / "mijnlogs" / "monitor.log"
    logged(run, log)


def test_an_import_over_the_size_limit_is_refused_before_it_is_read(cli, demo_copy, tmp_path):
    big = tmp_path / "groot.csv"
    with open(big, "wb") as f:
        f.truncate(21 * 1024 * 1024)  # sparse: 21 MB on paper, nothing to read
    run = cli("import", str(big), db=demo_copy)
    assert run.returncode == 2
    assert "groot.csv" in run.stderr and "te groot (meer dan 20 MB)" in run.stderr
