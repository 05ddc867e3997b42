"""``python -m kansrijke vergelijk``: the comparison view on the command line.

    python -m kansrijke vergelijk --indicator big2 [--periode 2024] [--set gids] [--tegen landelijk]
                                  [--gemeente GM0363] [--drie-jaar] [--json]

Prints the set's pooled rate and, per municipality, ``gemeentecode``, ``teller``, ``noemer``, ``waarde``, its
95% interval and its position in the funnel (binnen, beter, slechter; hoger/lager for context indicators),
exactly as the page computes them (``compare.comparison``). Counts below ``privacy.min_count`` are ``null``
with the reason. Made from the demo, the text starts with the fictitious label (``demo_label.line``); the
JSON always has ``"fictief": true`` or ``false``. Exit codes: 0 done, 2 usage, configuration or database
problem (one Dutch sentence on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kansrijke.core import fmt
from kansrijke.core.config import get_config
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

if TYPE_CHECKING:
    from kansrijke import compare

SET_WITH_VALUE = ("provincie", "grootteklasse", "stedelijkheid", "vergelijkbaar", "lijst")


class _Usage(UserError):
    """``vergelijk`` cannot run as given (unknown indicator, period, selection or municipality)."""


def _compare():
    """The comparison feature, imported when ``vergelijk`` runs: it loads the chart palette (Plotly) and the
    action rules, ~0.2 s that every other command (``status``) would pay for building the parser."""
    from kansrijke import compare  # lazy: see above

    return compare


class _Against(Sequence):
    """The choices of ``--tegen`` (``compare.AGAINST``), read from the comparison only when argparse checks or
    shows them (``vergelijk`` or ``--help``), not when the parser is built."""

    def __getitem__(self, index):
        return _compare().AGAINST[index]

    def __len__(self) -> int:
        return len(_compare().AGAINST)


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``vergelijk`` command on the CLI's subparsers."""
    p = subparsers.add_parser("vergelijk", help=t("compare.cli_help"), description=t("compare.cli_help"))
    p.add_argument("--indicator", required=True, metavar="ID", help=t("compare.cli_indicator_help"))
    p.add_argument("--periode", type=int, metavar="JAAR", help=t("compare.cli_period_help"))
    p.add_argument("--set", default="alle", metavar="SELECTIE", help=t("compare.cli_set_help"))
    against = p.add_argument("--tegen", default="landelijk", help=t("compare.cli_against_help"))
    against.choices = _Against()  # after add_argument, which would read the choices at once to check them
    p.add_argument("--gemeente", metavar="GEMEENTE", help=t("compare.cli_highlight_help"))
    p.add_argument("--drie-jaar", dest="drie_jaar", action="store_true", help=t("compare.cli_pooled_help"))
    p.add_argument("--json", action="store_true", help=t("cli.json_help"))
    return p


def _municipality(munis, value: str) -> str:
    """A code (GM0363, 0363, 363) or a name (case-insensitive) -> the code."""
    raw = value.strip()
    code = raw.upper()
    code = code if code.startswith("GM") else f"GM{code.zfill(4)}" if code.isdigit() else code
    if code in set(munis["code"]):
        return code
    by_name = {str(n).casefold(): c for n, c in zip(munis["name"], munis["code"], strict=True)}
    if raw.casefold() in by_name:
        return by_name[raw.casefold()]
    raise _Usage(t("compare.cli_unknown_municipality", value=value))


def choice_from_args(store: Store, config, args: argparse.Namespace) -> compare.Choice:
    """Turn the command-line options into a ``compare.Choice`` (the same one the page builds)."""
    compare = _compare()
    allowed = {i.id: i for i in compare.comparable_indicators(config)}
    if args.indicator not in allowed:
        raise _Usage(t("compare.cli_unknown_indicator", value=args.indicator, allowed=", ".join(allowed)))
    series = store.query("compare_series", {"indicator": args.indicator})
    periods = sorted({int(p) for p in series["period"]})
    if args.periode is None:
        if not periods:
            raise _Usage(t("compare.cli_unknown_period", value="–", allowed="–"))
        covered = compare.default_period(store, config, args.indicator)  # not the latest row anyone imported
        period = covered if covered in periods else periods[-1]
    elif args.periode in periods:
        period = args.periode
    else:
        raise _Usage(t("compare.cli_unknown_period", value=args.periode, allowed=", ".join(map(str, periods))))
    munis = store.query("municipalities")
    highlight = _municipality(munis, args.gemeente) if args.gemeente else None

    kind, _, value = args.set.partition(":")
    kind = kind.strip().lower()
    if kind not in compare.SET_KINDS or (kind in SET_WITH_VALUE and not value and kind != "vergelijkbaar"):
        raise _Usage(t("compare.cli_unknown_set", value=args.set))
    set_value, codes = None, ()
    if kind == "provincie":
        match = [p for p in munis["province"].unique() if p.casefold() == value.strip().casefold()]
        if not match:
            raise _Usage(t("compare.cli_unknown_set", value=args.set))
        set_value = match[0]
    elif kind == "grootteklasse":
        if value.strip() not in set(munis["size_class"]):
            raise _Usage(t("compare.cli_unknown_set", value=args.set))
        set_value = value.strip()
    elif kind == "stedelijkheid":
        if value.strip() not in {"1", "2", "3", "4", "5"}:
            raise _Usage(t("compare.cli_unknown_set", value=args.set))
        set_value = value.strip()
    elif kind == "vergelijkbaar":
        if value:
            highlight = _municipality(munis, value)
        if highlight is None:
            raise _Usage(t("compare.cli_needs_municipality", value=args.set))
    elif kind == "lijst":
        codes = tuple(dict.fromkeys(_municipality(munis, v) for v in value.split(",") if v.strip()))
    if args.tegen == "vergelijkbaar" and highlight is None:
        raise _Usage(t("compare.cli_needs_municipality", value="--tegen vergelijkbaar"))
    return compare.Choice(
        indicator=args.indicator,
        period=period,
        set_kind=kind,
        set_value=set_value,
        codes=codes,
        against=args.tegen,
        pooled=bool(args.drie_jaar),
        highlight=highlight,
    )


def _text(data: dict) -> list[str]:
    """The JSON document as aligned Dutch lines (same numbers, same suppression)."""
    compare = _compare()
    unit = data["eenheid"]

    def value(v):
        return fmt.value(v, unit) if v is not None else "–"

    def count(v):
        return fmt.integer(v) if v is not None else "–"

    periods = data["perioden"]
    label = str(periods[0]) if len(periods) == 1 else f"{periods[0]}–{periods[-1]}"
    lines = [
        t(
            "compare.cli_heading",
            indicator=data["naam"],
            periods=label,
            set=data["selectie"]["naam"],
            reference=data["vergeleken_met"]["naam"],
        )
    ]
    if data["kanttekening"]:
        lines.append(data["kanttekening"])
    if data["dekking"]["opmerking"]:
        lines.append(data["dekking"]["opmerking"])
    seen = set()
    for group in (data["selectie"], data["vergeleken_met"], data["nederland"]):
        if group["naam"] in seen:
            continue
        seen.add(group["naam"])
        line = t(
            "compare.cli_group",
            label=group["naam"][:1].upper() + group["naam"][1:],
            value=value(group["waarde"]),
            numerator=count(group["teller"]),
            denominator=count(group["noemer"]),
            coverage=group["dekking"][:1].lower() + group["dekking"][1:],
        )
        lines.append(line + (f"; {group['opmerking']}" if group["opmerking"] else ""))
    lines.append(data["herkomst"])
    lines.append(data["methode"])
    lines.append(
        t(
            "compare.outside",
            out95=data["buiten_95"],
            exp95=fmt.number(data["verwacht_95"], 1),
            out998=data["buiten_998"],
            exp998=fmt.number(data["verwacht_998"], 1),
        )
        + "."
    )
    lines.append("")
    row = "{:<12}  {:>7}  {:>7}  {:>14}  {:<18}  {}"
    lines.append(row.format(*t("compare.cli_columns").split(",")))
    for m in data["gemeenten"]:
        interval = "–"
        if m["interval"]:
            interval = f"{fmt.number(m['interval']['onder'])} – {fmt.number(m['interval']['boven'])}"
        if m["positie"]:
            position = t(f"compare.position.{m['positie']}")
            if m["buiten_998"] and m["positie"] != compare.WITHIN:
                position += " " + t("compare.position_beyond998")
        else:
            position = m["reden"] or "–"
        lines.append(
            row.format(
                m["gemeentecode"],
                count(m["teller"]),
                count(m["noemer"]),
                value(m["waarde"]),
                interval,
                f"{position} ({m['naam']}" + (f"; {m['gegevensstatus']})" if m["gegevensstatus"] else ")"),
            )
        )
    if data["onderdrukt"]:
        lines.append(t("compare.cli_suppressed_line", count=int(data["onderdrukt"]), min=data["drempel"]))
    return lines


def run(args: argparse.Namespace) -> int:
    """Run ``vergelijk``; returns the exit code."""
    try:
        config = get_config(getattr(args, "config", None))
        store = Store.open(config.database_path, read_only=True)
        choice = choice_from_args(store, config, args)
        compare = _compare()
        data = {"fictief": store.is_demo(), **compare.as_json(compare.comparison(store, config, choice), config)}
    except UserError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print("\n".join(([t("demo_label.line"), ""] if data["fictief"] else []) + _text(data)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m kansrijke.cli_compare [--config FILE] --indicator ID ...``: the same command on its own."""
    parser = argparse.ArgumentParser(prog="python -m kansrijke")
    parser.add_argument("--config", help="config.yaml (standaard: KANSRIJKE_CONFIG of ./config.yaml)")
    add_parser(parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT"))
    return run(parser.parse_args(["vergelijk", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":
    sys.exit(main())
