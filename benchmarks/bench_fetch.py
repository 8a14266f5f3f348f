"""Fetch throughput against the loopback replay server: copub vs a plain pyalex loop.

The server (``benchmarks.replay_serve``, the tests' ``ReplayServer`` in its
own process) serves the 10k benchmark works twice over under distinct ids,
one cursor chain per publication year, 200 works a page. Clients:

- ``copub.fetch_works`` with 1, 2 and 4 concurrent year chains: atomic page
  writes with fsync, the manifest, then the tables. Download throughput is
  timed up to the moment it starts building tables (its progress line
  ``building tables``); the total includes ``read_works`` and parquet.
  Re-fetching truncated works is off, so both clients make the same requests.
- ``pyalex``: ``Works().filter(...).paginate(per_page=200, n_max=None)`` per
  year in a plain loop, counting works and keeping nothing. pyalex 0.21
  hardcodes ``https://api.openalex.org`` in ``.url``, so the loop uses a
  ``Works`` subclass whose ``url`` is moved onto the server (and
  ``pyalex.config.openalex_url`` is set too).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.context import Context, note
from benchmarks.datasets import CACHE, ensure_dataset
from benchmarks.measure import Measurement
from benchmarks.replay_serve import INSTITUTION
from benchmarks.results import Row, verdict_at_least

__all__ = ["copub_route", "pyalex_route", "run"]

_COPIES = 2
_CONCURRENCY = (1, 2, 4)


def copub_route(args: dict[str, Any]) -> dict[str, Any]:
    """``copub.fetch_works`` into a fresh data directory."""
    import copub
    from copub.progress import Progress

    @dataclass
    class _Clock(Progress):
        download_done: list[float] = field(default_factory=list)

        def note(self, message: str) -> None:
            if message.startswith("building tables") and not self.download_done:
                self.download_done.append(time.perf_counter())

    data_dir = Path(tempfile.mkdtemp(dir=args["scratch"]))
    try:
        settings = copub.Settings(
            data_dir=data_dir,
            cache_dir=data_dir / "cache",
            api_url=args["url"],
            concurrency=args["concurrency"],
            per_page=200,
        )
        clock = _Clock()
        start = time.perf_counter()
        result = copub.fetch_works(
            INSTITUTION,
            (args["first"], args["last"]),
            settings=settings,
            progress=clock,
            refetch_truncated=False,
        )
        download = (clock.download_done or [time.perf_counter()])[0] - start
        pages = sum(y.pages for y in result.per_year)
        records = sum(y.records for y in result.per_year)
        return {"pages": pages, "works": records, "download_seconds": download}
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def pyalex_route(args: dict[str, Any]) -> dict[str, Any]:
    """A plain ``paginate()`` loop over the years, against the same server."""
    from urllib.parse import urlsplit, urlunsplit

    import pyalex

    base = urlsplit(args["url"])
    pyalex.config.openalex_url = args["url"]

    class Works(pyalex.Works):  # the class name is pyalex's URL path: keep it
        @property
        def url(self) -> str:
            parts = urlsplit(super().url)
            return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))

    pages = works = 0
    for year in range(args["first"], args["last"] + 1):
        query = Works().filter(
            authorships={"institutions": {"lineage": INSTITUTION}}, publication_year=year
        )
        for page in query.paginate(per_page=200, n_max=None):
            pages += 1
            works += len(page)
    return {"pages": pages, "works": works, "download_seconds": None}


def raw_route(args: dict[str, Any]) -> dict[str, Any]:
    """The transport floor: urllib3 GETs along each cursor chain, no JSON parsing.

    The next cursor is cut from the ``meta`` object at the head of the body,
    and works are counted by their ``"id":"https://openalex.org/W`` keys at
    the top level of each result, so nothing but bytes is touched.
    """
    import re
    from urllib.parse import quote

    import urllib3

    cursor_re = re.compile(rb'"next_cursor":\s*(null|"([^"]*)")')
    http = urllib3.PoolManager(maxsize=1)
    pages = works = 0
    lineage = f"authorships.institutions.lineage:{INSTITUTION}"
    for year in range(args["first"], args["last"] + 1):
        cursor: str | None = "*"
        while cursor is not None:
            url = (
                f"{args['url']}/works?filter={lineage},publication_year:{year}"
                f"&per-page=200&cursor={quote(cursor, safe='*')}"
            )
            body = http.request("GET", url).data
            match = cursor_re.search(body, 0, 2000)
            cursor = match.group(2).decode() if match and match.group(2) else None
            count = body.count(b'{"id":"https://openalex.org/W')
            pages += 1
            works += count
            if count == 0:
                break
    return {"pages": pages, "works": works, "download_seconds": None}


class _Server:
    """The replay server subprocess; stopped by its own pid when done."""

    def __init__(self, pages_dir: Path, scratch: Path) -> None:
        port_file = scratch / "server.port"
        port_file.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.replay_serve",
                str(pages_dir),
                str(_COPIES),
                str(port_file),
            ],
            cwd=Path(__file__).resolve().parents[1],
        )
        deadline = time.monotonic() + 300
        while not port_file.is_file():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit("benchmarks: the replay server did not start")
            time.sleep(0.2)
        port, first, last, total = port_file.read_text().split()
        self.url = f"http://127.0.0.1:{port}"
        self.first, self.last, self.works = int(first), int(last), int(total)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _throughput(m: Measurement) -> tuple[float | None, float | None, float | None]:
    """Pages/s and works/s over the download phase, and its seconds."""
    if not m.ok or not m.seconds:
        return None, None, None
    seconds = m.extra.get("download_seconds") or m.seconds
    return m.extra["pages"] / seconds, m.extra["works"] / seconds, seconds


def run(ctx: Context) -> list[Row]:
    """Fetch rows: pyalex loop, then copub with 1, 2 and 4 chains."""
    dataset = ensure_dataset("10k")
    scratch = CACHE / "fetch-scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    # The list pages only: the sample's full records of truncated works sit beside them.
    lists = dataset.root / "pages" / "pages"
    server = _Server(lists if lists.is_dir() else dataset.root / "pages", scratch)
    results: dict[str, Measurement] = {}
    try:
        common = {
            "url": server.url,
            "first": server.first,
            "last": server.last,
            "scratch": str(scratch),
        }
        note(f"replay server at {server.url}: {server.works:,} works, {server.first}-{server.last}")
        for _ in range(ctx.repeat):
            cases: list[tuple[str, str, dict[str, Any]]] = [
                ("raw", "benchmarks.bench_fetch:raw_route", common),
                ("pyalex", "benchmarks.bench_fetch:pyalex_route", common),
                *[
                    (
                        f"copub-{c}",
                        "benchmarks.bench_fetch:copub_route",
                        {**common, "concurrency": c},
                    )
                    for c in _CONCURRENCY
                ],
            ]
            for name, target, args in cases:
                got = ctx.measure(target, args, preload=("copub", "pyalex"))
                _, works_s, _ = _throughput(got)
                note(
                    f"fetch {name}: "
                    + (f"{works_s:,.0f} works/s" if works_s else f"failed: {got.error}")
                )
                best = results.get(name)
                if (
                    best is None
                    or not got.ok
                    or (
                        best.ok and _throughput(got)[2] < _throughput(best)[2]  # type: ignore[operator]
                    )
                ):
                    results[name] = got
    finally:
        server.stop()
    return _rows(results, server.works)


def _rows(results: dict[str, Measurement], n_works: int) -> list[Row]:
    scale = f"{n_works // 1000}k"
    base = results["pyalex"]
    _, base_works_s, _ = _throughput(base)
    raw = results["raw"]
    _, raw_works_s, _ = _throughput(raw)
    rows = [
        _fetch_row(
            scale, "transport floor: urllib3 GET loop, no parsing, 1 chain", raw, None, "", "info"
        ),
        _fetch_row(
            scale,
            "plain pyalex paginate() loop, 1 chain",
            base,
            base_works_s / raw_works_s if base_works_s and raw_works_s else None,
            "",
            "info",
            label="of the floor's works/s",
            floor_works_s=raw_works_s,
        ),
    ]
    for c in _CONCURRENCY:
        m = results[f"copub-{c}"]
        _, works_s, _ = _throughput(m)
        ratio = works_s / base_works_s if works_s and base_works_s else None
        target = "≥ 0.9× pyalex (negligible cost)" if c == 1 else "above 1 chain"
        verdict = verdict_at_least(ratio, 0.9) if c == 1 else "info"
        rows.append(
            _fetch_row(
                scale,
                f"copub.fetch_works, {c} chain(s)",
                m,
                ratio,
                target,
                verdict,
                floor_works_s=raw_works_s,
            )
        )
    return rows


def _fetch_row(
    scale: str,
    case: str,
    m: Measurement,
    ratio: float | None,
    target: str,
    verdict: Any,
    label: str = "of pyalex works/s",
    floor_works_s: float | None = None,
) -> Row:
    if not m.ok:
        return Row("fetch", scale, case, verdict="failed", note=m.error or "", target=target)
    pages_s, works_s, seconds = _throughput(m)
    detail = f"{pages_s:,.1f} pages/s, {works_s:,.0f} works/s"
    if floor_works_s and works_s:
        detail += f" ({works_s / floor_works_s:.0%} of the transport floor)"
    if m.extra.get("download_seconds"):
        detail += f"; with tables {m.seconds:.1f} s"
    return Row(
        "fetch",
        scale,
        case,
        seconds=seconds,
        peak_rss_mib=m.peak_rss_mib,
        ratio=ratio,
        ratio_label=label if ratio is not None else "",
        target=target,
        verdict=verdict,
        note=detail,
        extra=m.extra,
    )
