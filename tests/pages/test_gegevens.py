"""Page "Gegevens" through AppTest: upload, review, confirm, undo; templates; backup and restore."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from conftest import open_app
from streamlit.testing.v1 import AppTest

from kansrijke import access
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import md_escape, md_unescape
from kansrijke.dataio import backup


def open_page() -> AppTest:
    at = open_app("pages/gegevens.py")
    assert not at.exception
    return at


def values(path) -> pd.DataFrame:
    return Store.open(path).table("indicator_values")


def csv(rows: list[str]) -> bytes:
    return ("gemeentecode;indicator;periode;waarde;teller;noemer\n" + "\n".join(rows) + "\n").encode("utf-8")


def body(at: AppTest) -> str:
    parts = [e.value for e in at.error] + [s.value for s in at.success] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [c.value for c in at.caption] + [m.value for m in at.markdown]
    return "\n".join(str(p) for p in parts)


def test_page_lists_templates_backup_and_empty_history(writable_app):
    at = open_page()
    text = body(at) + "\n".join(h.value for h in at.header)
    assert "Voorbeelddata: fictieve cijfers" in text
    assert t("data_page.history_empty") in text
    labels = [b.label for b in at.get("download_button")]
    assert labels.count(".csv") == 2 and ".xlsx" in labels and ".yaml" in labels
    assert t("data_page.backup_download") in labels


def test_upload_review_confirm_and_undo(own_app):
    before = values(own_app)
    at = open_page()
    row = "GM0363;vroeggeboorte;2023;;500;8000"
    at.file_uploader[0].set_value(("eigen.csv", csv([row]), "text/csv")).run()
    assert not at.exception
    # reviewed, nothing written yet
    assert any(md_escape("eigen.csv") in s.value and "1 gewijzigd" in s.value for s in at.success)
    pd.testing.assert_frame_equal(values(own_app), before)

    confirm = next(b for b in at.button if b.label == t("data_page.confirm"))
    confirm.click().run()
    assert not at.exception
    imported = t("data_page.imported", files=md_escape("eigen.csv"))
    assert any(imported in s.value for s in at.success), [s.value for s in at.success]
    after = values(own_app)
    changed = after[
        (after.municipality_code == "GM0363") & (after.indicator_id == "vroeggeboorte") & (after.period == 2023)
    ].iloc[0]
    assert changed["numerator"] == 500 and changed["value"] == pytest.approx(6.25)
    history = at.dataframe[-1].value
    assert "eigen.csv" in set(history[t("importer.col.file")])

    # undo needs a confirmation tick first
    undo = next(b for b in at.button if b.label == t("data_page.undo"))
    assert undo.disabled
    at.checkbox[0].check().run()
    next(b for b in at.button if b.label == t("data_page.undo")).click().run()
    assert not at.exception
    pd.testing.assert_frame_equal(values(own_app), before)
    assert any("ongedaan gemaakt" in s.value for s in at.success)


def test_invalid_upload_shows_every_problem_and_writes_nothing(own_app):
    before = values(own_app)
    at = open_page()
    bad = csv(
        [
            "GM9999;vroeggeboorte;2023;7,1;;",
            "GM0363;onbekend;2023;7,1;;",
            "GM0363;big2;2023;abc;;",
            "<script>alert(1)</script>;big2;2022;1;;",
        ]
    )
    at.file_uploader[0].set_value(("fout.csv", bad, "text/csv")).run()
    assert not at.exception
    assert any("4 fouten" in e.value for e in at.error)
    report = at.dataframe[0].value
    assert list(report[t("importer.col.row")]) == [2, 3, 4, 5]
    assert "<script>alert(1)</script>" in set(report[t("importer.col.value")])  # shown as text, in a table
    assert not [b for b in at.button if b.label == t("data_page.confirm")]
    assert t("data_page.fix_first") in body(at)
    pd.testing.assert_frame_equal(values(own_app), before)


def test_backup_restore_replaces_the_database(writable_app):
    original = Store.open(writable_app)
    zipped = backup.backup_zip(original, access.operator())
    with original.write() as w:
        w.clear(["import_undo", "import_log"])
        w.delete_keys("indicator_values", pd.DataFrame({"indicator_id": ["big2"]}))
    assert "big2" not in set(values(writable_app)["indicator_id"])
    at = open_page()
    at.file_uploader(key="restore_file").set_value(("kopie.zip", zipped, "application/zip")).run()
    at.checkbox(key="restore_sure").check().run()
    next(b for b in at.button if b.label == t("data_page.restore")).click().run()
    assert not at.exception
    assert any("teruggezet" in s.value for s in at.success)
    assert "big2" in set(values(writable_app)["indicator_id"])


def test_restore_refuses_a_zip_that_is_not_a_backup(writable_app):
    before = values(writable_app)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hallo.txt", "geen reservekopie")
    at = open_page()
    at.file_uploader(key="restore_file").set_value(("x.zip", buffer.getvalue(), "application/zip")).run()
    at.checkbox(key="restore_sure").check().run()
    next(b for b in at.button if b.label == t("data_page.restore")).click().run()
    assert [md_unescape(e.value) for e in at.error] == [t("backup.not_a_backup")]  # through web.show_error
    pd.testing.assert_frame_equal(values(writable_app), before)
