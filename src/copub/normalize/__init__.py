"""Stage 2: raw OpenAlex works to tidy polars tables."""

from __future__ import annotations

import os
from collections.abc import Iterable

from copub.normalize.build import build_tables_frames, deduplicate_raw
from copub.normalize.reader import read_raw_works
from copub.normalize.snapshot import expand_inputs
from copub.normalize.tables import TABLE_NAMES, Tables, load_tables
from copub.provenance import SYNTHETIC_WORK_ID, Provenance

__all__ = ["TABLE_NAMES", "Tables", "expand_inputs", "load_tables", "read_works"]


def read_works(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    provenance: Provenance | None = None,
    include_xpac: bool = False,
) -> Tables:
    """Build the six tables from OpenAlex JSON files.

    Parameters
    ----------
    paths : path or iterable of paths
        OpenAlex list-response pages (``{"meta": …, "results": […]}``) or JSON
        Lines with one work per line (the snapshot's format); gzip allowed. A
        folder stands for the works files under it, the snapshot's
        ``data/works/updated_date=…/part_*.gz`` layout included.
    provenance : Provenance, optional
        Where the files came from; counts are filled in here.
    include_xpac : bool
        Keep XPAC works (``is_xpac: true``, the records OpenAlex added from
        outside its core sources in 2025). The API leaves them out unless asked,
        so they are dropped by default, and counted (``xpac_dropped``), so
        counts from a snapshot match the API's.

    Returns
    -------
    Tables
        Deduplicated by ``work_id``; ``provenance.counts`` says how many
        records were read, how many XPAC works were dropped, how many
        duplicates were removed, how many
        truncated works a complete record replaced (``truncated_completed``)
        and how many are still truncated (``truncated_works``). Works of
        copub's synthetic world (``SYNTHETIC_WORK_ID``) are counted in
        ``synthetic_works`` and make ``provenance.synthetic`` True, so the
        sample's pages stay SYNTHETIC after ``import``.

    Raises
    ------
    DataError
        Naming the file and the record when a file is malformed.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> work = {"id": "https://openalex.org/W1", "publication_year": 2020,
    ...         "authorships": [{"author": {"id": "https://openalex.org/A1"},
    ...                          "institutions": [], "countries": ["NO"]}]}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "w.jsonl"
    >>> _ = path.write_text(json.dumps(work) + "\\n" + json.dumps(work) + "\\n")
    >>> tables = read_works(path)
    >>> tables.works["work_id"].to_list(), tables.provenance.counts["duplicates_removed"]
    (['W1'], 1)
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    path_list = expand_inputs(paths)
    raw, n_files = read_raw_works(path_list)
    n_records = raw.height
    xpac = raw["is_xpac"].fill_null(False)
    n_xpac = 0 if include_xpac else raw.filter(xpac)["id"].n_unique()
    if not include_xpac:
        raw = raw.filter(~xpac)
    unique, n_duplicates, n_completed = deduplicate_raw(raw)
    frames = build_tables_frames(unique)
    base = provenance or Provenance(source="import")
    n_synthetic = int(frames["works"]["work_id"].str.contains(SYNTHETIC_WORK_ID).sum())
    if n_synthetic:
        base = base.with_(synthetic=True)
    counts = {
        **base.counts,
        "files": n_files,
        "records": n_records,
        "xpac_dropped": n_xpac,
        "duplicates_removed": n_duplicates,
        "truncated_completed": n_completed,
        "works": frames["works"].height,
        "authorships": frames["authorships"].height,
        "truncated_works": int(frames["works"]["is_authors_truncated"].sum()),
    }
    if n_synthetic:
        counts["synthetic_works"] = n_synthetic
    inputs = base.inputs or tuple(str(p) for p in path_list)
    return Tables(**frames, provenance=base.with_(counts=counts, inputs=inputs))
