"""Command line: ``python -m kansrijke <command>``.

Exit codes: 0 success, 1 validation problems (later commands), 2 usage or system errors.
Every error is one Dutch sentence on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from . import demo
from .config import ConfigError, get_config
from .i18n import t
from .store import Store, StoreError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kansrijke", description=t("cli.description"))
    parser.add_argument("--config", help="config.yaml (standaard: KANSRIJKE_CONFIG of ./config.yaml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT")

    p_demo = sub.add_parser("demo", help=t("cli.demo_help"), description=t("cli.demo_help"))
    p_demo.add_argument("--force", action="store_true", help=t("cli.demo_force_help"))

    p_info = sub.add_parser("info", help=t("cli.info_help"), description=t("cli.info_help"))
    p_info.add_argument("--json", action="store_true", help=t("cli.json_help"))
    return parser


def cmd_demo(args: argparse.Namespace) -> int:
    config = get_config(args.config)
    path = config.database_path
    if path.exists():
        store = Store.open(path)
        own_data = store.scalar("count_municipalities") > 0 and store.meta("demo") != "1"
        store.close()
        if own_data and not args.force:
            print(t("cli.demo_refuse", path=path), file=sys.stderr)
            return 2
    started = time.perf_counter()
    counts = demo.rebuild_demo(path, config)
    summary = ", ".join(f"{table} {n}" for table, n in counts.items())
    print(t("cli.demo_done", path=path, seconds=f"{time.perf_counter() - started:.1f}", summary=summary))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    config = get_config(args.config)
    path = config.database_path
    store = Store.open(path, read_only=True)
    info = {
        "database": str(path),
        "schema_version": store.schema_version(),
        "data_version": store.data_version(),
        "demo": store.meta("demo") == "1",
        "tables": store.table_counts(),
    }
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return 0
    print(f"{t('cli.info_path')}: {info['database']}")
    print(f"{t('cli.info_schema')}: {info['schema_version']}")
    print(f"{t('cli.info_data_version')}: {info['data_version']}")
    print(f"{t('cli.info_demo')}: {t('cli.answer_yes') if info['demo'] else t('cli.answer_no')}")
    print(f"{t('cli.info_tables')}:")
    for table, count in info["tables"].items():
        print(f"  {table:<24} {count:>10}")
    return 0


COMMANDS = {"demo": cmd_demo, "info": cmd_info}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ConfigError, StoreError) as exc:
        print(exc.message, file=sys.stderr)
        return 2
