"""The OpenAlex snapshot's folder layout as input files.

The snapshot (``aws s3 sync s3://openalex openalex-snapshot``) stores works as
gzipped JSON Lines in ``data/works/updated_date=YYYY-MM-DD/part_NNN.gz``, with
a ``manifest`` file beside them; newer releases also ship
``data/jsonl/works/…``. A folder given to ``import`` is expanded to the works
part files under it, in a stable order; the manifest and other entities
(authors, institutions, …) are left alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from copub.errors import DataError

__all__ = ["expand_inputs"]

#: Suffixes of files that hold works in a folder that is not the snapshot layout.
_WORK_SUFFIXES = (".gz", ".json", ".jsonl", ".ndjson")


def _works_root(folder: Path) -> Path:
    """The folder's ``works`` entity: itself, ``data/works``, or ``data/jsonl/works``."""
    for candidate in (
        folder / "data" / "jsonl" / "works",
        folder / "data" / "works",
        folder / "jsonl" / "works",
        folder / "works",
    ):
        if candidate.is_dir():
            return candidate
    return folder


def _parts(folder: Path) -> list[Path]:
    root = _works_root(folder)
    partitions = sorted(
        p for p in root.iterdir() if p.is_dir() and p.name.startswith("updated_date=")
    )
    if partitions:
        return [part for p in partitions for part in sorted(p.glob("part_*")) if part.is_file()]
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.name.endswith(_WORK_SUFFIXES) and not p.name.startswith(".")
    )


def expand_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, and each folder as the works files under it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> part = root / "data" / "works" / "updated_date=2024-01-01" / "part_000.gz"
    >>> part.parent.mkdir(parents=True)
    >>> _ = part.write_bytes(b"")
    >>> _ = (root / "data" / "works" / "manifest").write_text("{}")
    >>> [p.name for p in expand_inputs([root])]
    ['part_000.gz']
    """
    files: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found = _parts(path)
            if not found:
                raise DataError(
                    f"{path}: no works files in this folder (expected the snapshot's "
                    "data/works/updated_date=…/part_*.gz, or .json/.jsonl/.gz files)"
                )
            files += found
        else:
            files.append(path)
    return files
