"""Many people at once on one server: Streamlit's websocket protocol driven without a browser.

    python -m benchmarks.bench_load [--sessions 1 5 10 20] [--rounds 3]      (from the repository root)

Builds the national demo database in a temporary folder, starts ``streamlit run app.py`` on it (headless,
127.0.0.1, a free port, file watcher off) and stops it at the end; ``--url`` measures a server that is already
running instead (a reverse proxy in front of it, for instance; no RSS then).

For every N in ``--sessions``: N sessions at the same time, each on another municipality (spread over
data/gemeenten_2025.csv from large to small), each opening the app at ``/over?gemeente=<name>`` (a new
session: "connect") and then, per round, visiting the ``--pages`` (default Overzicht, Vergelijken) and the
floor page (``--floor``, default Over deze monitor: the sidebar and no data work), as a click in the menu does:
a BackMsg ``rerun_script`` with the page's script hash and ``?gemeente=<name>``. A visit is timed from sending
that message until the ForwardMsg ``script_finished`` arrives. The first ``--warmup`` rounds are not counted
(the app's caches fill per municipality).

Reports per N and page: p50/p95/max seconds, errors (an exception element, a compile error, "page not found",
another municipality in the sidebar than the URL asked for, a closed connection or no ``script_finished``
within ``--timeout``), the Dutch error messages shown (``show_error``: the guard's "melding K-..." among them),
KB sent per visit; per N the server's RSS (the
process and its children, ``/proc/<pid>/status`` VmRSS) after the last round, its CPU use (100% = one core
busy all the time) and the wall time. ``--servers K`` starts K processes, each on its own copy of the database,
and spreads the sessions over them: what more processes could give at best (README "Deployment notes"). The client
runs in this process on the same machine, so it takes a little of the CPU the server could use.

Benchmarks report; the test suite never times anything.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

from kansrijke import demo
from kansrijke.core.config import load_config
from kansrijke.core.store import Store
from kansrijke.web.pages import PAGES

ROOT = Path(__file__).resolve().parent.parent
CONNECT = "connect"  # the label of a session's first run (a new session on the floor page)


# -- the server ---------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def demo_servers(work: Path, count: int = 1) -> Iterator[list[tuple[str, int]]]:
    """`streamlit run app.py` on a freshly built demo database in ``work``, ``count`` times, each process on its
    own copy of the file (DuckDB lets one process write a file: copies measure what more processes could give at
    best, with no writer to share); yields [(http url, server pid)]."""
    db = work / "kansrijke.duckdb"
    started = time.perf_counter()
    demo.build_demo(Store.open(db, create=True), load_config(ROOT / "config.yaml"))
    Store.close_all()  # the server opens the file; DuckDB allows one writer process
    print(f"demo database built in {time.perf_counter() - started:.1f} s")
    with contextlib.ExitStack() as stack:
        servers = []
        for number in range(count):
            own = db if number == 0 else work / f"copy-{number}" / db.name
            if number:
                own.parent.mkdir()
                shutil.copy(db, own)
                for beside in db.parent.glob(db.name + ".*.json"):  # the disclosure plans made with the file
                    shutil.copy(beside, own.with_name(own.name + beside.name.removeprefix(db.name)))
            servers.append(stack.enter_context(_server(own)))
        yield servers


@contextlib.contextmanager
def _server(db: Path) -> Iterator[tuple[str, int]]:
    work = db.parent
    port = _free_port()
    env = {**os.environ, "KANSRIJKE_DB": str(db), "KANSRIJKE_LOG": str(work / "kansrijke.log")}
    env.pop("KANSRIJKE_CONFIG", None)
    env.pop("KANSRIJKE_DEMO_DB", None)
    log_path = work / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("streamlit did not start:\n" + log_path.read_text())
            time.sleep(0.2)
        print(f"server pid {proc.pid} at {url} (log {log_path})")
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes ``pids`` used so far (/proc/<pid>/stat), seconds."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, MB (VmRSS from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, todo = set(), [pid]
    while todo:
        current = todo.pop()
        tree.add(current)
        todo.extend(child for child, parent in parents.items() if parent == current and child not in tree)
    total_kb = 0
    for member in tree:
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


# -- one browser session, without the browser -----------------------------------------------------------------
@dataclass
class Visit:
    page: str
    seconds: float | None  # None: no script_finished (timeout or a closed connection)
    errors: list[str] = field(default_factory=list)
    shown_errors: int = 0  # Dutch error messages on the page (st.error)
    received: int = 0  # bytes of ForwardMsgs


class Session:
    """One websocket to ``/_stcore/stream``, as Streamlit's frontend opens it, for one municipality."""

    def __init__(self, url: str, municipality: str, timeout: float) -> None:
        self.http = url.rstrip("/")
        self.stream = "ws" + self.http.removeprefix("http") + "/_stcore/stream"
        self.municipality = municipality
        self.query = urlencode({"gemeente": municipality})
        self.timeout = timeout
        self.hashes: dict[str, str] = {}  # url path -> page script hash (from the Navigation message)
        self.ws: ClientConnection | None = None

    async def open(self) -> None:
        # The frontend offers "streamlit", then its XSRF token (a placeholder without one), then an earlier
        # session id to resume; the server selects the first entry.
        self.ws = await connect(
            self.stream,
            subprotocols=[Subprotocol("streamlit"), Subprotocol("PLACEHOLDER_AUTH_TOKEN")],
            max_size=None,  # a page with charts sends ForwardMsgs over 1 MB
            ping_interval=None,  # a busy server answers late; the frontend does not ping at this level either
            proxy=None,
            open_timeout=self.timeout,
        )

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def visit(self, url_path: str, label: str | None = None) -> Visit:
        """Open ``url_path`` as a menu click does (by script hash), or by address when the hash is not known
        yet (a new session); the time until ``script_finished``."""
        visit = Visit(label or url_path, None)
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        if url_path in self.hashes:
            state.page_script_hash = self.hashes[url_path]
        else:
            state.page_name = url_path
        state.context_info.timezone = "Europe/Amsterdam"
        state.context_info.locale = "nl-NL"
        state.context_info.url = f"{self.http}/{url_path}?{self.query}"
        try:
            started = time.perf_counter()
            await self.ws.send(msg.SerializeToString())
            async with asyncio.timeout(self.timeout):
                while True:
                    data = await self.ws.recv()
                    visit.received += len(data)
                    if self._read(ForwardMsg.FromString(data), visit):
                        visit.seconds = time.perf_counter() - started
                        return visit
        except TimeoutError:
            visit.errors.append(f"no script_finished within {self.timeout:.0f} s")
        except WebSocketException as exc:
            visit.errors.append(f"connection: {exc!r}")
        return visit

    def _read(self, fmsg: ForwardMsg, visit: Visit) -> bool:
        """Note what ``fmsg`` tells; True when the run is over."""
        kind = fmsg.WhichOneof("type")
        if kind == "navigation":
            for app_page in fmsg.navigation.app_pages:
                self.hashes[app_page.url_pathname] = app_page.page_script_hash
                if app_page.is_default:
                    self.hashes.update({p.url_path: app_page.page_script_hash for p in PAGES if p.default})
        elif kind == "delta" and fmsg.delta.WhichOneof("type") == "new_element":
            element = fmsg.delta.new_element
            if element.WhichOneof("type") == "exception":
                visit.errors.append(f"exception: {element.exception.type}: {element.exception.message[:80]}")
            elif element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
                visit.shown_errors += 1
            elif element.WhichOneof("type") == "selectbox" and element.selectbox.id.endswith("-gemeente"):
                box = element.selectbox
                shown = box.raw_value if box.set_value else box.options[box.default]
                if shown != self.municipality:  # the URL's choice did not reach the page
                    visit.errors.append(f"municipality shown: {shown}")
        elif kind == "session_event" and fmsg.session_event.HasField("script_compilation_exception"):
            visit.errors.append("script compilation exception")
        elif kind == "page_not_found":
            visit.errors.append(f"page not found: {fmsg.page_not_found.page_name}")
        elif kind == "script_finished":
            if fmsg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return False  # the app called st.rerun: the next run follows on this connection
            if fmsg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                visit.errors.append("finished with compile error")
            return True
        return False


# -- one level of load --------------------------------------------------------------------------------------
async def person(url: str, municipality: str, args: argparse.Namespace) -> list[Visit]:
    session = Session(url, municipality, args.timeout)
    visits: list[Visit] = []
    try:
        await session.open()
        visits.append(await session.visit(args.floor, CONNECT))
        for round_number in range(args.warmup + args.rounds):
            for url_path in [*args.pages, args.floor]:
                if visits[-1].seconds is None:
                    return visits  # a run that never finished leaves the connection out of step: stop here
                visit = await session.visit(url_path)
                if round_number >= args.warmup or visit.seconds is None:
                    visits.append(visit)
    except (OSError, WebSocketException, TimeoutError) as exc:
        visits.append(Visit(CONNECT, None, [f"connection: {exc!r}"]))
    finally:
        await session.close()
    return visits


async def level(urls: list[str], municipalities: list[str], args: argparse.Namespace) -> tuple[list[Visit], float]:
    started = time.perf_counter()
    people = (person(urls[i % len(urls)], name, args) for i, name in enumerate(municipalities))
    per_person = await asyncio.gather(*people)
    return [visit for visits in per_person for visit in visits], time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 10 values is the 10th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def municipalities(count: int) -> list[str]:
    """``count`` municipality names spread over the list from large to small."""
    with open(ROOT / "data" / "gemeenten_2025.csv", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: -int(row["inwoners_2024"]))
    return [rows[i * len(rows) // count]["gemeentenaam"] for i in range(count)]


def summarise(n: int, visits: list[Visit], order: list[str]) -> list[dict]:
    rows = []
    for page in order:
        mine = [v for v in visits if v.page == page]
        if not mine:
            continue
        times = [v.seconds for v in mine if v.seconds is not None and not v.errors]
        rows.append(
            {
                "n": n,
                "page": page,
                "visits": len(mine),
                "p50": statistics.median(times) if times else None,
                "p95": percentile(times, 0.95) if times else None,
                "max": max(times) if times else None,
                "errors": sum(bool(v.errors) for v in mine),
                "shown": sum(v.shown_errors for v in mine),
                "kb": statistics.mean(v.received for v in mine) / 1024,
            }
        )
    return rows


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main() -> None:
    paths = [p.url_path for p in PAGES]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10, 20], help="levels of N")
    parser.add_argument("--rounds", type=int, default=3, help="counted rounds per session")
    parser.add_argument("--warmup", type=int, default=1, help="rounds per session not counted")
    parser.add_argument("--pages", nargs="+", default=["overzicht", "vergelijken"], choices=paths)
    parser.add_argument("--floor", default="over", choices=paths, help="the trivial page: the floor")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per visit")
    parser.add_argument("--url", help="a running server (http://host:port) instead of starting one")
    parser.add_argument(
        "--servers", type=int, default=1, help="server processes, each on its own copy (sessions spread over them)"
    )
    args = parser.parse_args()

    names = municipalities(max(args.sessions))
    order = [CONNECT, *args.pages, args.floor]
    titles = {p.url_path: p.title for p in PAGES}
    table: list[dict] = []
    levels: list[tuple[int, float, float | None, float | None]] = []
    with contextlib.ExitStack() as stack:
        if args.url:
            urls, pids = [args.url], []
        else:
            work = Path(tempfile.mkdtemp(prefix="bench_load-"))
            servers = stack.enter_context(demo_servers(work, args.servers))
            urls, pids = [url for url, _ in servers], [pid for _, pid in servers]
        for n in args.sessions:
            cpu_before = cpu_seconds(pids)
            visits, wall = asyncio.run(level(urls, names[:n], args))
            cpu = (cpu_seconds(pids) - cpu_before) / wall * 100 if pids else None
            memory = sum(rss_mb(pid) for pid in pids) if pids else None
            rows = summarise(n, visits, order)
            table.extend(rows)
            levels.append((n, wall, memory, cpu))
            for visit in [v for v in visits if v.errors][:5]:
                print(f"  N={n} {visit.page}: {visit.errors[0]}")
            shown = " ".join(f"{titles.get(r['page'], r['page'])} {_s(r['p50'])}/{_s(r['p95'])}" for r in rows)
            rss = "-" if memory is None else f"{memory:.0f} MB"
            print(f"N={n:>3}  wall {wall:6.1f} s  RSS {rss}  p50/p95 s: {shown}", flush=True)
            time.sleep(1)  # the closed sessions leave the server

    print()
    print(f"{'N':>3}  {'page':<26} {'visits':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'errors':>6} "
          f"{'shown':>5} {'KB/visit':>8}")  # fmt: skip
    for row in table:
        label = titles.get(row["page"], row["page"]) + (" (floor)" if row["page"] == args.floor else "")
        print(
            f"{row['n']:>3}  {label:<26} {row['visits']:>6} {_s(row['p50']):>7} {_s(row['p95']):>7} "
            f"{_s(row['max']):>7} {row['errors']:>6} {row['shown']:>5} {row['kb']:>8.0f}"
        )
    print()
    print(f"{'N':>3}  {'wall s':>7} {'RSS MB':>7} {'CPU %':>6} {'floor p50 s':>11} {'errors':>6}")
    for n, wall, memory, cpu in levels:
        floor = next((r["p50"] for r in table if r["n"] == n and r["page"] == args.floor), None)
        errors = sum(r["errors"] for r in table if r["n"] == n)
        rss = "-" if memory is None else f"{memory:.0f}"
        share = "-" if cpu is None else f"{cpu:.0f}"
        print(f"{n:>3}  {wall:>7.1f} {rss:>7} {share:>6} {_s(floor):>11} {errors:>6}")
    if len(pids) > 1:
        print(f"({len(pids)} server processes, each on its own copy of the database; RSS and CPU are their sum)")


if __name__ == "__main__":
    main()
