"""Issue 13 point 6 as a user meets it: ``python -m kansrijke restore`` refuses every malformed backup (and a
truncated zip, a zip bomb, a part that is not Parquet) with Dutch sentences and exit code 2, never a traceback;
it refuses while the app has the database open; ``backup`` and ``export`` on a full disk leave no broken file;
the page Gegevens says exactly what the CLI says."""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, open_app

from kansrijke import access
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import md_unescape
from kansrijke.dataio import backup, limits


# -- helpers (as in tests/dataio/test_restore_safe.py) ---------------------------------------------------------
def members(data: bytes) -> dict[str, bytes]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    return {name: zf.read(name) for name in zf.namelist()}


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def with_table(data: bytes, table: str, change) -> bytes:
    files = members(data)
    frame = change(pd.read_parquet(io.BytesIO(files[f"{table}.parquet"])))
    part = io.BytesIO()
    frame.to_parquet(part, index=False)
    files[f"{table}.parquet"] = part.getvalue()
    manifest = json.loads(files["manifest.json"])
    manifest["tables"][table] = len(frame)
    files["manifest.json"] = json.dumps(manifest).encode()
    return zipped(files)


def with_manifest(data: bytes, change) -> bytes:
    files = members(data)
    files["manifest.json"] = json.dumps(change(json.loads(files["manifest.json"]))).encode()
    return zipped(files)


def bomb(data: bytes) -> bytes:
    """The backup plus a member that unpacks to 300 MB of zeros (about 300 KB in the zip)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in members(data).items():
            zf.writestr(name, content)
        with zf.open("zeros.parquet", "w", force_zip64=True) as fh:
            chunk = bytes(2**20)
            for _ in range(300):
                fh.write(chunk)
    return out.getvalue()


def counts(path: Path) -> tuple[int, dict[str, int]]:
    Store.close_all()
    store = Store.open(path)
    seen = store.data_version(), store.table_counts()
    Store.close_all()
    return seen


@pytest.fixture
def own(own_copy, tmp_path):
    """The own database and its backup, written to a folder of its own."""
    data = backup.backup_zip(Store.open(own_copy), access.operator())
    Store.close_all()
    (tmp_path / "kopieen").mkdir()
    return own_copy, data, tmp_path / "kopieen"


def drop_name(frame):
    return frame.drop(columns=["name"])


def twice(frame):
    return pd.concat([frame, frame.iloc[:1]], ignore_index=True)


def word_in_numbers(frame):
    return frame.assign(population=frame["population"].astype(str).where(frame.index != 0, "veel"))


def bad_date(frame):
    return frame.assign(action_date=frame["action_date"].dt.strftime("%Y-%m-%d").where(frame.index != 0, "31-02-2024"))


MALFORMED = {
    "extra column": lambda d: with_table(d, "coalitions", lambda f: f.assign(budget=1.0)),
    "missing NOT NULL column": lambda d: with_table(d, "coalitions", drop_name),
    "missing nullable column": lambda d: with_table(d, "coalitions", lambda f: f.drop(columns=["trekker"])),
    "duplicate key": lambda d: with_table(d, "coalitions", twice),
    "mistyped column": lambda d: with_table(d, "municipalities", word_in_numbers),
    "bad dates": lambda d: with_table(d, "actions", bad_date),
    "nested manifest": lambda d: with_manifest(d, lambda m: {"app": m["app"], "manifest": m}),
    "non-numeric version": lambda d: with_manifest(d, lambda m: {**m, "schema_version": "vijf"}),
    "truncated zip": lambda d: d[: len(d) // 3],
    "not parquet": lambda d: zipped({**members(d), "goals.parquet": b"PAR1 geen parquet PAR1"}),
    "zip bomb": bomb,
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_restore_refuses_every_malformed_backup_in_dutch_without_traceback(cli, own, kind):
    path, data, folder = own
    file = folder / "kapot.zip"
    file.write_bytes(MALFORMED[kind](data))
    before = counts(path)

    proc = cli("restore", str(file), db=path)

    assert proc.returncode == 2, (kind, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    with pytest.raises(backup.BackupError) as direct:
        backup.restore_zip(path, file.read_bytes(), access.operator())
    assert proc.stderr.strip() == str(direct.value)  # the same sentences as the package gives
    assert counts(path) == before


def test_a_zip_bomb_is_refused_before_it_is_unpacked(own):
    """Measured in a child process: its peak memory stays far below the 300 MB the bomb unpacks to."""
    path, data, folder = own
    file = folder / "bom.zip"
    file.write_bytes(bomb(data))
    env = {**os.environ, "KANSRIJKE_DB": str(path), "PYTHONPATH": str(ROOT)}
    env.pop("KANSRIJKE_CONFIG", None)
    # a small parent starts the command, so the peak it reports is the command's own (a child forked from
    # pytest would inherit pytest's peak)
    measure = (
        "import json, resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(json.dumps([done.returncode, done.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))"
    )
    run = [sys.executable, "-c", measure, sys.executable, "-m", "kansrijke", "restore", str(file)]
    code, stderr, peak_kb = json.loads(subprocess.run(run, capture_output=True, text=True, env=env, cwd=ROOT).stdout)

    assert code == 2
    with pytest.raises(limits.Refused) as bounded:
        limits.check_zip(file.read_bytes())
    assert stderr.strip() == str(bounded.value)  # the limit that stopped it, named in Dutch
    assert "200" in stderr
    assert peak_kb * 1024 < 250 * 2**20  # ru_maxrss is in KB on Linux


@contextlib.contextmanager
def app_holds(path: Path):
    """Another process opens the database as the app does (``Store.open``, read-write, kept open)."""
    code = (
        f"import sys, time; sys.path.insert(0, {str(ROOT)!r}); from kansrijke.core.store import Store; "
        f"Store.open({str(path)!r}); print('ok', flush=True); time.sleep(120)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "ok"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_restore_is_refused_while_the_app_has_the_database_open(cli, own):
    """The issue's lost writes: the CLI renamed a new file over the one the app kept writing to."""
    path, data, folder = own
    file = folder / "kopie.zip"
    file.write_bytes(data)
    before = counts(path)

    with app_holds(path):
        proc = cli("restore", str(file), db=path)
        assert proc.returncode == 2
        assert proc.stderr.strip() == t("restore.in_use", path=path.resolve())

    assert counts(path) == before
    assert cli("restore", str(file), db=path).returncode == 0  # the app stopped: now it may
    assert counts(path)[0] > before[0]


def limited(args: list[str], db: Path, max_file_bytes: int) -> subprocess.CompletedProcess:
    """``python -m kansrijke *args`` in a child whose files may not grow past ``max_file_bytes`` (a write past it
    fails, as on a full disk)."""

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    env = {**os.environ, "KANSRIJKE_DB": str(db), "PYTHONPATH": str(ROOT)}
    env.pop("KANSRIJKE_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "kansrijke", *args], capture_output=True, text=True, env=env, cwd=ROOT,
        preexec_fn=limit, timeout=300,
    )  # fmt: skip


def test_backup_on_a_full_disk_leaves_no_zip(own):
    path, _, folder = own
    target = folder / "kopie.zip"

    proc = limited(["backup", str(target)], path, max_file_bytes=100_000)  # a backup of the demo is ~700 KB

    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == t("restore.file_too_big", file=target)
    assert list(folder.iterdir()) == []  # no 0-byte zip, no temporary file


def test_export_on_a_full_disk_leaves_the_folder_as_it_was(own):
    path, _, folder = own
    csv = folder / "csv"

    proc = limited(["export", str(csv)], path, max_file_bytes=200_000)  # actions.csv is larger, and others

    assert proc.returncode == 2, proc.stderr
    tables = Store.open(path, read_only=True).tables()
    Store.close_all()
    assert proc.stderr.strip() in {t("restore.file_too_big", file=csv / f"{table}.csv") for table in tables}
    assert list(csv.iterdir()) == []  # the small files written before are not left either


def test_the_page_says_what_the_cli_says(cli, writable_app, tmp_path):
    """Gegevens and ``python -m kansrijke restore`` give the same Dutch sentences; the page shows no traceback."""
    data = backup.backup_zip(Store.open(writable_app), access.operator())
    Store.close_all()
    bad = with_table(data, "coalitions", lambda f: f.assign(budget=1.0).drop(columns=["trekker"]))
    (tmp_path / "kapot.zip").write_bytes(bad)
    proc = cli("restore", str(tmp_path / "kapot.zip"), db=writable_app)
    assert proc.returncode == 2

    at = open_app("pages/gegevens.py")
    at.file_uploader(key="restore_file").set_value(("kapot.zip", bad, "application/zip")).run()
    at.checkbox(key="restore_sure").check().run()
    next(b for b in at.button if b.label == t("data_page.restore")).click().run()

    assert not at.exception
    shown = md_unescape(at.error[0].value)
    expected = [
        t("restore.lead", count=2),
        t("restore.extra_column", table="coalitions", column="budget"),
        t("restore.missing_column", table="coalitions", column="trekker"),
    ]
    for sentence in expected:
        assert sentence in shown and sentence in proc.stderr
    assert [line for line in shown.splitlines() if line] == proc.stderr.strip().splitlines()
