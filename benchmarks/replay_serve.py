"""The tests' loopback replay server in a process of its own, serving cached benchmark works.

``python -m benchmarks.replay_serve PAGES_DIR COPIES PORT_FILE`` loads every
work of the list pages in ``PAGES_DIR``, serves each ``COPIES`` times under
distinct ids (``tests/replay_server.ReplayServer``), writes
``<port> <first year> <last year> <works>`` to ``PORT_FILE`` and serves
until it is terminated. Running apart from the client keeps the server's
Python threads off the client's GIL; both still share the machine's cores.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import orjson

__all__ = ["INSTITUTION", "main"]

INSTITUTION = "I204778367"
_TESTS = Path(__file__).resolve().parents[1] / "tests"


def main(pages_dir: str, copies: str, port_file: str) -> None:
    sys.path.insert(0, str(_TESTS))
    from replay_server import ReplayServer  # tests/ is not a package

    works = []
    for page in sorted(Path(pages_dir).glob("*.json")):
        works.extend(orjson.loads(page.read_bytes())["results"])
    server = ReplayServer(works, institution=INSTITUTION, copies=int(copies))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with server:
        years = server.years()
        total = sum(len(server.year_ids(y)) for y in years)
        port = server.base_url.rsplit(":", 1)[1]
        tmp = Path(port_file + ".tmp")
        tmp.write_text(f"{port} {years[0]} {years[-1]} {total}\n")
        tmp.replace(port_file)
        stop.wait()


if __name__ == "__main__":
    main(*sys.argv[1:4])
