"""Issue 12: `status` and `vergelijk` say when their output is made from the demo. The text starts with the
fictitious label; the JSON has ``"fictief": true`` on every coalition object (``status``) or on the
comparison (``vergelijk``), and ``false`` for own data, with the existing shape and fields kept."""

from __future__ import annotations

import json

import pytest

from kansrijke.core.i18n import t

LABEL = t("demo_label.line")
AMSTERDAM = "KS-GM0363"


@pytest.fixture(params=["demo_copy", "own_copy"])
def db(request):
    """The demo (fictitious) and the same rows marked as own data."""
    return request.param == "demo_copy", request.getfixturevalue(request.param)


def test_status_text_starts_with_the_label_for_the_demo_only(cli, db):
    demo, path = db
    for args in ((), ("--coalitie", AMSTERDAM)):
        proc = cli("status", *args, db=path)
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.splitlines()
        if demo:
            assert lines[0] == LABEL and lines[1] == "" and lines[2].startswith("Coalitie Kansrijke Start")
            assert proc.stdout.count(LABEL) == 1
        else:
            assert lines[0].startswith("Coalitie Kansrijke Start") and "FICTIEF" not in proc.stdout


def test_status_json_says_fictief_on_every_coalition_and_keeps_its_shape(cli, db):
    demo, path = db
    every = json.loads(cli("status", "--json", db=path).stdout)
    one = json.loads(cli("status", "--coalitie", AMSTERDAM, "--json", db=path).stdout)

    assert isinstance(every, list) and len(every) > 10
    assert all(coalition["fictief"] is demo for coalition in every)
    assert isinstance(one, dict) and one["fictief"] is demo and one["coalitie"] == AMSTERDAM
    for coalition in [*every, one]:
        assert {"coalitie", "periode", "peildatum", "ambities"} <= set(coalition)
        for amb in coalition["ambities"]:
            for item in [amb, *amb["doelen"], *amb["resultaten"]]:
                assert item["status"] and item["reden"]  # every item keeps its status word and reason


def test_vergelijk_text_and_json_say_fictief_for_the_demo_only(cli, db):
    demo, path = db
    text = cli("vergelijk", "--indicator", "big2", "--set", "provincie:Utrecht", db=path)
    data = json.loads(cli("vergelijk", "--indicator", "big2", "--set", "provincie:Utrecht", "--json", db=path).stdout)

    assert text.returncode == 0, text.stderr
    assert data["fictief"] is demo
    assert data["periode"] and data["gemeenten"]  # the comparison itself is all there
    first = text.stdout.splitlines()[0]
    if demo:
        assert first == LABEL and text.stdout.count(LABEL) == 1
    else:
        assert first.startswith(data["naam"]) and "FICTIEF" not in text.stdout
