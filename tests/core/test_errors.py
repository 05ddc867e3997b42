"""One kind of user error (``kansrijke.core.errors.UserError``): Dutch messages, optionally with the place each
applies to, a ``kind`` to branch on; every error a person can meet in the package has that one shape."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import kansrijke
from kansrijke.core.errors import UserError


def all_exception_classes() -> dict[str, type]:
    found = {}
    for info in pkgutil.walk_packages(kansrijke.__path__, "kansrijke."):
        if info.name.startswith("kansrijke.web") or info.name.endswith("__main__"):
            continue  # the web layer defines no errors; importing it needs no Streamlit session either way
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == info.name:
                found[f"{info.name}.{name}"] = obj
    return found


def test_every_error_a_user_can_meet_is_a_user_error():
    classes = all_exception_classes()
    names = {path.rsplit(".", 1)[1] for path in classes}
    assert {"StoreError", "ConfigError", "ActionError", "StaleEdit", "SignalError", "SelfScanError"} <= names
    assert {"MeetingError", "ReportError", "BackupError", "ChartImageError", "UsageError"} <= names
    for path, cls in classes.items():
        name = path.rsplit(".", 1)[1]
        private = name.startswith("_") and not issubclass(cls, UserError)
        if private:  # raised and caught inside its own module: it never reaches a person
            assert f"except {name}" in inspect.getsource(inspect.getmodule(cls)), path
            continue
        assert issubclass(cls, UserError), path
        assert "message" not in vars(cls), path  # one shape: ``messages``, never a second ``message``


def test_one_message_or_many_with_places_and_kind():
    one = UserError("Vul een titel in.")
    assert (one.messages, one.places, one.kind, str(one)) == (
        ["Vul een titel in."],
        [None],
        "invalid",
        "Vul een titel in.",
    )
    many = UserError(["Eerste probleem.", "Tweede probleem."], places=["titel", None], kind="locked")
    assert many.messages == ["Eerste probleem.", "Tweede probleem."] and many.places == ["titel", None]
    assert many.kind == "locked"
    assert str(many) == "- Eerste probleem.\n- Tweede probleem."
    led = UserError(["Sleutel 'a' ontbreekt."], lead="config.yaml bevat 1 fout(en):")
    assert str(led) == "config.yaml bevat 1 fout(en):\n- Sleutel 'a' ontbreekt."
    with pytest.raises(ValueError):
        UserError(["a", "b"], places=["x"])


def test_feature_errors_keep_their_kind_and_details(tmp_path):
    from kansrijke.actions import StaleEdit
    from kansrijke.core.store import Store, StoreError

    with pytest.raises(StoreError) as missing:
        Store.open(tmp_path / "nergens.duckdb", create=False)
    assert missing.value.kind == "missing" and len(missing.value.messages) == 1
    assert "bestaat niet" in str(missing.value)
    stale = StaleEdit("Deze actie is intussen gewijzigd.", 3, "Bram", None)
    assert (stale.kind, stale.messages, stale.current_version, stale.changed_by) == (
        "stale",
        ["Deze actie is intussen gewijzigd."],
        3,
        "Bram",
    )
