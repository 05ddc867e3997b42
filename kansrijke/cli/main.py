"""Command line: ``python -m kansrijke <command>``.

Exit codes: 0 success (for ``import --dry-run``: the files are valid), 1 validation errors (the report on
stdout), 2 usage or system errors.
Every error is one Dutch sentence on stderr, never a traceback.
Commands that write act as ``access.operator()`` (whoever can run this can read and write the database file
anyway): beheerder. ``import --wie NAAM`` labels the import log with that name instead of ``cli:<user>``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kansrijke import access
from kansrijke.cli import compare as cli_compare
from kansrijke.cli import failure
from kansrijke.cli import roles as cli_roles
from kansrijke.core import fmt
from kansrijke.core.config import get_config
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.plan import overview, progress, text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kansrijke", description=t("cli.description"))
    parser.add_argument("--config", help="config.yaml (standaard: KANSRIJKE_CONFIG of ./config.yaml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT")

    sub.add_parser("init", help=t("own.init_help"), description=t("own.init_help"))

    p_demo = sub.add_parser("demo", help=t("cli.demo_help"), description=t("cli.demo_help"))
    p_demo.add_argument("--force", action="store_true", help=t("cli.demo_force_help"))

    p_info = sub.add_parser("info", help=t("cli.info_help"), description=t("cli.info_help"))
    p_info.add_argument("--json", action="store_true", help=t("cli.json_help"))

    p_import = sub.add_parser("import", help=t("cli.import_help"), description=t("cli.import_help"))
    p_import.add_argument("files", nargs="+", metavar="BESTAND")
    p_import.add_argument("--dry-run", action="store_true", help=t("cli.dry_run_help"))
    p_import.add_argument("--json", action="store_true", help=t("cli.json_help"))
    p_import.add_argument("--wie", help=t("cli.who_help"))
    p_import.add_argument("--vervang", action="store_true", help=t("plansafe.cli_replace_help"))

    sub.add_parser("undo", help=t("cli.undo_help"), description=t("cli.undo_help"))

    p_export = sub.add_parser("export", help=t("cli.export_help"), description=t("cli.export_help"))
    p_export.add_argument("folder", metavar="MAP")

    p_template = sub.add_parser("template", help=t("cli.template_help"), description=t("cli.template_help"))
    p_template.add_argument("kind", metavar="SOORT")  # the importer says which kinds and formats exist
    p_template.add_argument("file", metavar="BESTAND")

    p_backup = sub.add_parser("backup", help=t("cli.backup_help"), description=t("cli.backup_help"))
    p_backup.add_argument("file", metavar="BESTAND.zip")
    p_restore = sub.add_parser("restore", help=t("cli.restore_help"), description=t("cli.restore_help"))
    p_restore.add_argument("file", metavar="BESTAND.zip")

    p_status = sub.add_parser("status", help=t("cli_status.status_help"), description=t("cli_status.status_help"))
    p_status.add_argument("--coalitie", metavar="CODE", help=t("cli_status.coalition_help"))
    p_status.add_argument("--periode", type=int, metavar="JAAR", help=t("cli_status.period_help"))
    p_status.add_argument("--json", action="store_true", help=t("cli.json_help"))

    p_rapport = sub.add_parser("rapport", help=t("cli_status.rapport_help"), description=t("cli_status.rapport_help"))
    p_rapport.add_argument("--coalitie", metavar="CODE", required=True, help=t("cli_status.coalition_help"))
    p_rapport.add_argument("--out", metavar="BESTAND.pdf", required=True, help=t("cli_status.out_help"))
    p_rapport.add_argument("--periode", type=int, metavar="JAAR", help=t("cli_status.period_help"))
    p_rapport.add_argument("--zonder-grafieken", action="store_true", help=t("cli_status.no_charts_help"))
    cli_compare.add_parser(sub)
    cli_roles.add_parser(sub)
    return parser


class UsageError(UserError):
    """A command that cannot run as given (a file that cannot be read or written, an unknown coalition)."""


def _read(name: str, max_mb: float | None = None) -> bytes:
    """The file's bytes; a file over ``max_mb`` is refused before it is read into memory."""
    try:
        if max_mb is not None and Path(name).stat().st_size > max_mb * 1024 * 1024:
            raise UsageError(f"{name}: " + t("ingest.too_big", max=fmt.number(max_mb, 0)))
        return Path(name).read_bytes()
    except OSError as exc:
        raise UsageError(t("cli.cannot_read", file=name, error=exc.strerror or exc)) from None


# The data commands import ``kansrijke.dataio`` when they run: its spreadsheet library costs ~0.1 s that
# ``status`` and ``vergelijk`` should not pay.


def cmd_import(args: argparse.Namespace) -> int:
    """Validate every file first; import only when all are valid (each file in its own transaction). A plan
    updates its coalition (bijwerken: nothing removed, what is kept is listed); ``--vervang`` removes what the
    file does not mention, and lists it (with ``--dry-run``: what would go)."""
    from kansrijke.dataio import importer  # lazy: see above
    from kansrijke.dataio.ingest.common import Upload  # lazy: see above

    config = get_config(args.config)
    uploads = [Upload(Path(name).name, _read(name, config.imports.max_file_mb)) for name in args.files]
    store = Store.open(config.database_path, read_only=args.dry_run)
    mode = importer.VERVANGEN if args.vervang else importer.BIJWERKEN
    prepared = [importer.prepare(store, config, upload, mode) for upload in uploads]
    valid = all(p.parsed.ok for p in prepared)
    imported: list[int] = []
    if valid and not args.dry_run:
        person = access.with_typed_name(access.operator(), args.wie)
        for i, item in enumerate(prepared):
            current = item if i == 0 else importer.prepare(store, config, item.upload, mode)  # see earlier files
            import_id = importer.apply(store, current, person)
            if import_id is not None:
                imported.append(import_id)
    if args.json:
        print(
            json.dumps(
                {
                    "geldig": valid,
                    "proefrun": args.dry_run,
                    "geimporteerd": imported,
                    "bestanden": [p.report() for p in prepared],
                },
                indent=2,
                ensure_ascii=False,
                default=str,
            )
        )
    else:
        for item in prepared:
            print("\n".join(importer.report_lines(item)))
            if item.kept:  # bijwerken kept parts of the stored plan that the file does not mention
                print(t("plansafe.cli_kept_hint"))
        if not valid:
            print(t("cli.import_nothing"))
        elif args.dry_run:
            print(t("cli.import_dry_run"))
        elif imported:
            print(t("cli.import_done", count=len(imported)))
        elif not all(p.template for p in prepared):  # the template's example has said that nothing is imported
            print(t("cli.import_unchanged"))
    return 0 if valid else 1


def cmd_undo(args: argparse.Namespace) -> int:
    from kansrijke.dataio import importer  # lazy: see above

    config = get_config(args.config)
    undone = importer.undo_last(Store.open(config.database_path), access.operator())
    if undone is None:
        print(t("cli.undo_nothing"))
        return 0
    print(t("cli.undo_done", id=undone["id"], file=undone["file_name"]))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kansrijke.dataio import backup  # lazy: see above

    config = get_config(args.config)
    store = Store.open(config.database_path, read_only=True)
    folder = Path(args.folder)
    try:
        counts = backup.export_csv_dir(store, folder)
    except OSError as exc:
        raise UsageError(t("cli.cannot_write", file=folder, error=exc.strerror or exc)) from None
    if store.is_demo():  # every CSV also has the label as its first column
        print(t("demo_label.line"))
    print(t("cli.export_done", folder=folder, count=len(counts)))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from kansrijke.dataio import importer  # lazy: see above

    config = get_config(args.config)
    path = Path(args.file)
    file_format = path.suffix.lower().lstrip(".").replace("yml", "yaml")
    try:
        data = importer.template(args.kind, file_format, config)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _write(path, data)
    print(t("cli.template_done", file=path))
    return 0


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(t("cli.cannot_write", file=path, error=exc.strerror or exc)) from None


def cmd_backup(args: argparse.Namespace) -> int:
    from kansrijke.dataio import backup  # lazy: see above

    config = get_config(args.config)
    store = Store.open(config.database_path, read_only=True)
    # a temporary file renamed when complete: a full disk leaves no half or empty zip (SaveError, exit code 2)
    backup.save_file(Path(args.file), backup.backup_zip(store, access.operator()))
    if store.is_demo():  # the zip carries the label too (comment, FICTIEF.txt, manifest)
        print(t("demo_label.line"))
    print(t("cli.backup_done", file=args.file))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from kansrijke.dataio import backup  # lazy: see above

    config = get_config(args.config)
    data = _read(args.file)
    target = backup.restore_target(config, data)  # a demo backup stays a demo, in the demo file
    counts = backup.restore_zip(target, data, access.operator())  # a BackupError is a UserError: exit code 2
    print(t("cli.restore_done", file=args.file, rows=sum(counts.values())))
    if backup.is_demo_backup(data):
        print(t("demo_label.restore_demo", path=target))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """The own database with the reference facts only (municipalities, the real national series); no demo rows."""
    from kansrijke.dataio import start  # lazy: see above

    config = get_config(args.config)
    # A StartError (it exists, or it is the demo file) is a UserError: exit code 2.
    created = start.create(config, access.operator())
    if created.moved_demo_to is not None:
        print(t("own.init_moved_demo", own=created.path, demo=created.moved_demo_to))
    counts = Store.open(created.path, read_only=True).table_counts()
    print(
        t(
            "own.init_done",
            path=created.path,
            municipalities=counts.get("municipalities", 0),
            national=counts.get("national_values", 0),
        )
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """(Re)build the demo FILE (``config.demo_database_path``); the own database is never touched."""
    from kansrijke.dataio import start  # lazy: see above

    config = get_config(args.config)
    files = start.database_files(config)
    path = files.demo
    if path.exists():
        # Only a demo file is replaced without asking: own data here (a backup of own data restored while the demo
        # was active) needs --force, and the own database itself (demo.path pointing at it) is never replaced.
        store = Store.open(path)
        own_data = store.scalar("count_municipalities") > 0 and not store.is_demo()
        store.close()
        if own_data and path.resolve() == files.own.resolve():
            raise UsageError(t("own.same_file", path=path))
        if own_data and not args.force:
            print(t("cli.demo_refuse", path=path), file=sys.stderr)
            return 2
    from kansrijke import demo  # lazy: the demo builder costs ~0.5 s of imports that every other command skips

    started = time.perf_counter()
    counts = demo.rebuild_demo(path, config)
    summary = ", ".join(f"{table} {n}" for table, n in counts.items())
    print(t("cli.demo_done", path=path, seconds=fmt.number(time.perf_counter() - started), summary=summary))
    if files.own_exists:
        print(t("own.demo_not_active", own=files.own, demo=path))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    """Which file is active (the own database when it exists, else the demo file), what it holds."""
    from kansrijke import demo  # lazy: the status mix uses the demo's counter (see cmd_demo)
    from kansrijke.dataio import start  # lazy: see above

    config = get_config(args.config)
    files = start.database_files(config)
    path = files.active
    store = Store.open(path, read_only=True)
    info = {
        "database": str(path),
        "active": "own" if files.active_is_own else "demo",
        "own_database": {"path": str(files.own), "exists": files.own_exists},
        "demo_database": {"path": str(files.demo), "exists": files.demo_exists},
        "schema_version": store.schema_version(),
        "data_version": store.data_version(),
        "demo": store.is_demo(),
        "tables": store.table_counts(),
        "status_mix": demo.status_mix(store, config),
    }
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return 0

    def where(file: Path, exists: bool) -> str:
        notes = [t("own.info_active")] if file == path else []
        notes += [] if exists else [t("own.info_absent")]
        return f"{file} ({', '.join(notes)})" if notes else str(file)

    print(f"{t('cli.info_path')}: {info['database']}")
    print(f"{t('own.info_own')}: {where(files.own, files.own_exists)}")
    print(f"{t('own.info_demo_file')}: {where(files.demo, files.demo_exists)}")
    print(f"{t('cli.info_schema')}: {info['schema_version']}")
    print(f"{t('cli.info_data_version')}: {info['data_version']}")
    print(f"{t('cli.info_demo')}: {t('cli.answer_yes') if info['demo'] else t('cli.answer_no')}")
    print(f"{t('cli.info_tables')}:")
    for table, count in info["tables"].items():
        print(f"  {table:<24} {count:>10}")
    labels = {"goals": t("cli.info_mix_goals"), "results": t("cli.info_mix_results")}
    for kind, counts in info["status_mix"].items():
        print(f"{labels[kind]}: " + ", ".join(f"{status} {n}" for status, n in counts.items()))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Every ambition, goal and result of one coalition (or all) with status, reason and the figures."""
    config = get_config(args.config)
    store = Store.open(config.database_path, read_only=True)
    today = overview.reference_day(store)
    period = args.periode or overview.report_period(store, config.periods.min_coverage, today)
    if args.coalitie is not None and args.coalitie not in set(store.query("coalitions")["id"]):
        raise UsageError(t("cli_status.unknown_coalition", id=args.coalitie))
    # every coalition in one batch (a few queries in all, not a few per coalition)
    ids = [args.coalitie] if args.coalitie is not None else None
    states = progress.coalitions_progress(store, config, ids, period, today)
    demo = store.is_demo()  # every coalition object says whether it is fictitious; the text starts with the label
    if args.json:
        data = [{"fictief": demo, **progress.as_json(state)} for state in states]
        print(json.dumps(data[0] if args.coalitie else data, indent=2, ensure_ascii=False, default=str))
        return 0
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # a console without the status symbols gets '?', not a crash
    if demo:
        print(t("demo_label.line"), end="\n\n")
    if not states:
        print(t("cli_status.none"))
    names = store.query("municipalities").set_index("code")["name"].to_dict()
    for i, state in enumerate(states):
        if i:
            print()
        print("\n".join(text.status_lines(state, names)))
    return 0


def cmd_rapport(args: argparse.Namespace) -> int:
    """The one-page council summary of a coalition as a PDF file."""
    config = get_config(args.config)
    store = Store.open(config.database_path, read_only=True)
    out = Path(args.out)
    if not out.parent.is_dir() or out.is_dir():
        raise UsageError(t("cli.cannot_write", file=out, error=t("cli_status.no_folder")))
    from kansrijke import report  # lazy: the PDF library costs ~0.3 s that `status` should not pay

    made = report.council_report(store, config, args.coalitie, args.periode, charts=not args.zonder_grafieken)
    _write(out, made.pdf)
    print(
        t(
            "cli_status.rapport_done",
            file=out,
            pages=made.pages,
            size=f"{len(made.pdf) / 1024:.0f}",
            seconds=fmt.number(made.seconds),
        )
    )
    if made.chart_note and not args.zonder_grafieken:
        print(t("cli_status.rapport_text_charts", reason=made.chart_note), file=sys.stderr)
    for note in made.notes:
        print(t("cli_status.rapport_note", note=note), file=sys.stderr)
    return 0


COMMANDS = {
    "init": cmd_init,
    "demo": cmd_demo,
    "info": cmd_info,
    "import": cmd_import,
    "undo": cmd_undo,
    "export": cmd_export,
    "template": cmd_template,
    "backup": cmd_backup,
    "restore": cmd_restore,
}
COMMANDS.update({"status": cmd_status, "rapport": cmd_rapport, "vergelijk": cli_compare.run, "rol": cli_roles.run})


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:  # configuration, database, files, a backup or report that cannot be: exit code 2
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(t("rescue.cli_interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - anything else: a Dutch message with a reference, details in the log
        print(failure.message(exc, args.command, args.config), file=sys.stderr)
        return 2
