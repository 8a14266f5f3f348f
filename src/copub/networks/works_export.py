"""The network files that carry the works behind the network: page, VOSviewer Online, dynamic GEXF.

- ``html``: ``<kind>_network.html``, the interactive partner map
  (:mod:`copub.networks.html_page`);
- ``vosviewer-json``: ``<kind>_network_vosviewer_online.json``
  (:mod:`copub.networks.vosviewer_online`);
- ``gexf-dynamic``: ``<kind>_network_dynamic.gexf`` (:mod:`copub.networks.dynamic`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, get_args

from copub.errors import UsageError
from copub.networks.dynamic import write_dynamic_gexf
from copub.networks.export import write_error
from copub.networks.html_page import (
    DEFAULT_MAX_AUTHORS,
    DEFAULT_MAX_LINKS,
    partner_map_of,
    write_partner_map,
)
from copub.networks.prepared import PreparedNetwork
from copub.networks.vosviewer_online import write_vosviewer_online
from copub.progress import Progress

__all__ = ["WorksFormat", "export_with_works"]

WorksFormat = Literal["html", "vosviewer-json", "gexf-dynamic"]


def export_with_works(
    prepared: PreparedNetwork,
    out_dir: str | Path,
    formats: Sequence[WorksFormat],
    *,
    max_authors: int = DEFAULT_MAX_AUTHORS,
    max_links: int = DEFAULT_MAX_LINKS,
    top: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> list[Path]:
    """Write each asked-for file into ``out_dir`` (created if missing); return the paths.

    Examples
    --------
    >>> import copub, tempfile
    >>> from copub.networks.prepared import prepare_network
    >>> net = prepare_network(copub.load_sample(scale=0.01), "country")
    >>> [p.name for p in export_with_works(net, tempfile.mkdtemp(), ["html", "gexf-dynamic"])]
    ['country_network.html', 'country_network_dynamic.gexf']
    """
    unknown = [f for f in formats if f not in get_args(WorksFormat)]
    if unknown:
        raise UsageError(
            f"format must be one of {', '.join(get_args(WorksFormat))}, not {unknown[0]!r}"
        )
    progress = progress or Progress.silent()
    out = Path(out_dir)
    stem = f"{prepared.options.kind}_network"
    written: list[Path] = []
    for fmt in dict.fromkeys(formats):
        progress.note(f"writing {fmt}")
        started = time.perf_counter()
        try:
            out.mkdir(parents=True, exist_ok=True)
            if fmt == "html":
                page = partner_map_of(
                    prepared,
                    max_authors=max_authors,
                    max_links=max_links,
                    top=top,
                    seed=seed,
                    progress=progress,
                )
                path = write_partner_map(page, out / f"{stem}.html")
            elif fmt == "vosviewer-json":
                path = write_vosviewer_online(
                    prepared,
                    out / f"{stem}_vosviewer_online.json",
                    max_authors=max_authors,
                    max_links=max_links,
                    top=top,
                    seed=seed,
                )
            else:
                path = write_dynamic_gexf(
                    prepared, out / f"{stem}_dynamic.gexf", max_authors=max_authors, top=top
                )
        except OSError as exc:
            raise write_error(exc, f"the {fmt} file", out) from exc
        seconds = time.perf_counter() - started
        progress.note(f"wrote {path.name}: {path.stat().st_size / 1e6:,.1f} MB in {seconds:.1f} s")
        written.append(path)
    return written
