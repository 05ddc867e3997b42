"""A database file the app cannot use opens the rescue page (AppTest), and every way out works from there:
restore a backup, start empty, download what can still be read, try again. The page needs no working store,
keeps the broken file aside (``<name>.kapot-<timestamp>``) and never shows a traceback. Also: any other failure
in a page is one Dutch sentence with a reference to the log (``web.guard``)."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, lock_held_by_another_process
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from kansrijke import access
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import md_unescape
from kansrijke.dataio import backup
from kansrijke.dataio import rescue as rescue_ops
from kansrijke.web import rescue

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "een-lang-geheim-voor-de-test-0123456789",
    "client_id": "kansrijke",
    "client_secret": "geheim",
    "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration",
}
BEHEERDER = access.local_person()


@pytest.fixture(autouse=True)
def quiet_log(monkeypatch, tmp_path):
    """Failures are logged in the test's own folder; the app serves only this computer (local mode)."""
    monkeypatch.setenv("KANSRIJKE_LOG", str(tmp_path / "logs" / "kansrijke.log"))
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "127.0.0.1")
    yield
    st_config.set_option("server.address", before)
    rescue._broken.clear()


def run_app(*, auth: dict | None = None, user: dict | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if auth is not None:
        at.secrets["auth"] = auth
    if user is not None:
        at.user = user
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [
        str(e.value) for kind in ("title", "markdown", "error", "warning", "info", "success") for e in at.get(kind)
    ]
    return md_unescape("\n".join(parts))


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, [b.label for b in at.button]
    return found[0]


def on_rescue_page(at: AppTest) -> bool:
    return [x.value for x in at.title] == [t("rescue.title")]


def corrupt(path: Path) -> bytes:
    """Overwrite the database file with bytes that are no database; returns them."""
    Store.close_all()
    garbage = os.urandom(40_000)
    path.write_bytes(garbage)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    return garbage


def cut_off(path: Path) -> None:
    """Cut the database file off halfway: it opens, but most tables cannot be read."""
    Store.close_all()
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


def aside_files(path: Path) -> list[Path]:
    return sorted(p for p in path.parent.iterdir() if re.fullmatch(re.escape(path.name) + r"\.kapot-[\d-]+", p.name))


# -- the page opens ------------------------------------------------------------------------------------------------
def test_a_corrupt_database_opens_the_rescue_page_with_every_way_out(writable_app):
    corrupt(writable_app)
    at = run_app()
    assert on_rescue_page(at)
    shown = texts(at)
    assert t("rescue.what.corrupt", file="kansrijke.duckdb") in shown
    assert re.search(r"Melding \*\*K-[0-9A-F]{4}\*\*", shown)
    assert str(writable_app.parent) not in shown  # the file's name, never the server's folders
    for heading in ("restore_heading", "empty_heading", "salvage_heading", "retry_heading"):
        assert t(f"rescue.{heading}") in [h.value for h in at.header]
    assert not at.sidebar.selectbox  # no choices from a database that cannot be read
    assert "Traceback" not in shown


def test_a_damaged_block_is_no_lock(writable_app):
    """A checksum error "in block at location ..." reads like a lock to the store; no other process holds the
    file, so it is damage and the rescue page opens."""
    Store.close_all()
    with open(writable_app, "r+b") as fh:
        fh.seek(12288 + 3 * 4096)
        fh.write(os.urandom(4 * 4096))
    at = run_app()
    assert on_rescue_page(at)
    assert t("rescue.what.corrupt", file="kansrijke.duckdb") in texts(at)


def test_a_cut_off_database_found_by_a_page_opens_the_rescue_page(writable_app):
    cut_off(writable_app)
    at = run_app()
    assert on_rescue_page(at)
    assert t("rescue.what.damaged", file="kansrijke.duckdb") in texts(at)


# -- the ways out --------------------------------------------------------------------------------------------------------
def test_restore_a_backup_from_the_rescue_page(own_app):
    zipped = backup.backup_zip(Store.open(own_app), BEHEERDER)
    municipalities = len(Store.open(own_app).query("municipalities"))
    garbage = corrupt(own_app)
    at = run_app()
    assert on_rescue_page(at)
    at.file_uploader(key="rescue_backup").set_value(("kopie.zip", zipped, "application/zip")).run()
    assert button(at, t("rescue.restore_button")).disabled
    at.checkbox(key="rescue_restore_sure").check().run()
    button(at, t("rescue.restore_button")).click().run()
    assert not at.exception, at.exception
    assert not on_rescue_page(at)
    assert at.title[0].value.startswith("Overzicht")
    assert any("teruggezet" in s.value for s in at.success)
    assert len(Store.open(own_app).query("municipalities")) == municipalities
    kept = aside_files(own_app)
    assert len(kept) == 1 and kept[0].read_bytes() == garbage  # nothing lost


def test_a_backup_that_is_no_backup_changes_nothing(own_app):
    garbage = corrupt(own_app)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hallo.txt", "geen reservekopie")
    at = run_app()
    at.file_uploader(key="rescue_backup").set_value(("x.zip", buffer.getvalue(), "application/zip")).run()
    at.checkbox(key="rescue_restore_sure").check().run()
    button(at, t("rescue.restore_button")).click().run()
    assert not at.exception and on_rescue_page(at)
    assert at.error  # the backup's refusal, in Dutch
    assert own_app.read_bytes() == garbage and aside_files(own_app) == []


def test_a_demo_backup_never_replaces_the_own_database(own_app, demo_db):
    demo_backup = backup.backup_zip(Store.open(demo_db, read_only=True), BEHEERDER)
    Store.close_all()
    garbage = corrupt(own_app)
    at = run_app()
    at.file_uploader(key="rescue_backup").set_value(("demo.zip", demo_backup, "application/zip")).run()
    at.checkbox(key="rescue_restore_sure").check().run()
    button(at, t("rescue.restore_button")).click().run()
    assert not at.exception and on_rescue_page(at)
    assert t("rescue.demo_backup_refused") in [md_unescape(e.value) for e in at.error]
    assert own_app.read_bytes() == garbage


def test_start_empty_from_the_rescue_page(writable_app):
    garbage = corrupt(writable_app)
    at = run_app()
    assert button(at, t("rescue.empty_button")).disabled
    at.checkbox(key="rescue_empty_sure").check().run()
    button(at, t("rescue.empty_button")).click().run()
    assert not at.exception, at.exception
    assert not on_rescue_page(at)
    assert any(t("rescue.started_empty") in md_unescape(s.value) for s in at.success)
    store = Store.open(writable_app)
    assert not store.is_demo()
    assert len(store.query("municipalities")) == 342 and store.query("coalitions").empty
    assert [p.read_bytes() for p in aside_files(writable_app)] == [garbage]


def fresh_rescue_page() -> AppTest:
    """A page found the file damaged (first session); a new session starts on the rescue page (AppTest runs a
    page's own file after the run in which it switched pages: a fresh session starts from app.py again)."""
    run_app()
    return run_app()


def test_nothing_moves_while_another_program_has_the_file_open(writable_app):
    cut_off(writable_app)  # still opens, so another process can hold it
    at = fresh_rescue_page()
    assert on_rescue_page(at)
    before = writable_app.read_bytes()
    with lock_held_by_another_process(writable_app):
        at.checkbox(key="rescue_empty_sure").check().run()
        button(at, t("rescue.empty_button")).click().run()
    assert not at.exception and on_rescue_page(at)
    assert t("rescue.in_use", file="kansrijke.duckdb") in [md_unescape(e.value) for e in at.error]
    assert writable_app.read_bytes() == before and aside_files(writable_app) == []


def test_download_what_can_still_be_read(writable_app):
    cut_off(writable_app)
    at = fresh_rescue_page()
    button(at, t("rescue.salvage_button")).click().run()
    assert not at.exception
    assert any("nog leesbaar" in s.value for s in at.success)
    assert at.get("download_button")
    found = rescue_ops.salvage(writable_app, BEHEERDER)
    assert found.data is not None and found.unreadable  # some tables are lost, the others are there
    with zipfile.ZipFile(io.BytesIO(found.data)) as zf:
        names = set(zf.namelist())
        assert rescue_ops.README_NAME in names
        assert {f"{table}.csv" for table in found.readable} <= names
        readme = zf.read(rescue_ops.README_NAME).decode()
        assert all(table in readme for table in found.unreadable)
        meta = pd.read_csv(io.BytesIO(zf.read("meta.csv")), sep=";", encoding="utf-8-sig")
    assert "demo" in set(meta["key"])


def test_nothing_readable_is_said_plainly(writable_app):
    corrupt(writable_app)
    at = run_app()
    button(at, t("rescue.salvage_button")).click().run()
    assert not at.exception
    assert t("rescue.salvage_nothing") in [w.value for w in at.warning]
    assert not at.get("download_button")


def test_try_again_opens_the_app_once_the_file_is_good(writable_app, demo_db):
    garbage = corrupt(writable_app)
    at = run_app()
    assert on_rescue_page(at)
    writable_app.write_bytes(demo_db.read_bytes())  # put back by hand, e.g. from a copy
    at.run()
    assert not on_rescue_page(at)  # a changed file is tried again by itself
    Store.close_all()
    writable_app.write_bytes(garbage)
    at = run_app()  # a new session (AppTest would run the page's own file in this one)
    assert on_rescue_page(at)
    button(at, t("rescue.retry")).click().run()
    assert on_rescue_page(at)  # still broken: still the rescue page, with a new reference


# -- who may act ---------------------------------------------------------------------------------------------------------
def test_with_sign_in_only_a_beheerder_may_act(writable_app):
    corrupt(writable_app)
    at = run_app(auth=AUTH)  # nobody signed in
    assert on_rescue_page(at)
    assert t("rescue.sign_in_first") in texts(at)
    assert not at.file_uploader and not [b for b in at.button if b.label == t("rescue.empty_button")]
    at = run_app(auth=AUTH, user={"is_logged_in": True, "email": "kijker@example.nl", "name": "Kees"})
    assert t("rescue.ask_beheerder") in texts(at)
    assert not at.file_uploader


# -- any other failure ---------------------------------------------------------------------------------------------------
def test_an_unforeseen_failure_in_a_page_is_one_dutch_sentence_with_a_reference(app_env, monkeypatch, tmp_path):
    from kansrijke.plan import overview

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("geheim detail")

    monkeypatch.setattr(overview, "reference_day", broken)
    at = run_app()
    shown = texts(at)
    found = re.search(r"melding (K-[0-9A-F]{4})", shown)
    assert found, shown
    assert "geheim detail" not in shown and "ZeroDivisionError" not in shown and "Traceback" not in shown
    log = (tmp_path / "logs" / "kansrijke.log").read_text(encoding="utf-8")
    entry = log.split(found.group(1), 1)[1]
    assert "Traceback (most recent call last)" in entry and "geheim detail" in entry
