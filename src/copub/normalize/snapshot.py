"""The OpenAlex snapshot's folder layout as input files.

The snapshot (``aws s3 sync s3://openalex openalex-snapshot``) stores works as
gzipped JSON Lines in ``data/works/updated_date=YYYY-MM-DD/part_NNN.gz``, with
a ``manifest`` file beside them; newer releases also ship
``data/jsonl/works/…``. A folder given to ``import`` is expanded to the works
part files under it, in a stable order; other entities (authors,
institutions, …) are left alone.

The manifest lists every part of the snapshot with its record count::

    {"entries": [{"url": "s3://openalex/data/works/updated_date=…/part_000.gz",
                  "meta": {"content_length": 1234, "record_count": 56}}, …],
     "meta": {"content_length": …, "record_count": …}}

When there is one, the parts on disk must be exactly the parts it lists (an
interrupted download misses some; a sync without ``--delete`` leaves the
parts of an older snapshot), and each part must hold the records it says
(:func:`expected_records`, checked as each part is read).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path

import orjson

from copub.errors import DataError

__all__ = ["expand_inputs", "expected_records"]

MANIFEST = "manifest"
_PARTITION = "updated_date="

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


@functools.lru_cache(maxsize=8)
def _manifest_counts(manifest: Path, _stamp: tuple[int, int]) -> dict[str, int | None]:
    """``updated_date=…/part_NNN.gz`` -> record count (None when not given), per listed part.

    ``_stamp`` (size, mtime) makes a changed manifest read again.
    """
    try:
        document = orjson.loads(manifest.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise DataError(f"{manifest}: cannot read the snapshot's manifest ({exc})") from None
    entries = document.get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise DataError(
            f"{manifest}: not an OpenAlex snapshot manifest (no 'entries' list); "
            "download it again with the snapshot"
        )
    counts: dict[str, int | None] = {}
    for number, entry in enumerate(entries, start=1):
        url = entry.get("url") if isinstance(entry, dict) else None
        if not isinstance(url, str) or "/" not in url:
            raise DataError(f"{manifest}: entry {number} has no part 'url'")
        meta = entry.get("meta")
        count = meta.get("record_count") if isinstance(meta, dict) else None
        key = "/".join(url.rstrip("/").split("/")[-2:])
        counts[key] = count if isinstance(count, int) and not isinstance(count, bool) else None
    return counts


def _counts_of(manifest: Path) -> dict[str, int | None]:
    stat = manifest.stat()
    return _manifest_counts(manifest, (stat.st_size, stat.st_mtime_ns))


def _part_key(part: Path) -> str:
    return f"{part.parent.name}/{part.name}"


def expected_records(part: Path) -> tuple[int, Path] | None:
    """The record count the snapshot's manifest gives for a part, and the manifest.

    None when the file is not a part of a snapshot with a manifest, or the
    manifest gives no count for it.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> works = pathlib.Path(tempfile.mkdtemp()) / "data" / "works"
    >>> part = works / "updated_date=2024-01-01" / "part_000.gz"
    >>> part.parent.mkdir(parents=True)
    >>> entry = {"url": "s3://openalex/data/works/updated_date=2024-01-01/part_000.gz",
    ...          "meta": {"record_count": 2}}
    >>> _ = (works / "manifest").write_text(json.dumps({"entries": [entry]}))
    >>> expected_records(part)[0]
    2
    """
    if not part.parent.name.startswith(_PARTITION):
        return None
    manifest = part.parent.parent / MANIFEST
    if not manifest.is_file():
        return None
    count = _counts_of(manifest).get(_part_key(part))
    return None if count is None else (count, manifest)


def _check_against_manifest(root: Path, parts: list[Path]) -> None:
    """Refuse parts missing from disk, or on disk but not in the manifest, naming them."""
    manifest = root / MANIFEST
    if not manifest.is_file():
        return
    listed = _counts_of(manifest)
    present = {_part_key(p) for p in parts}
    missing = sorted(set(listed) - present)
    extra = sorted(present - set(listed))
    for names, what, todo in (
        (missing, "missing", "download them again (aws s3 sync)"),
        (
            extra,
            "not in its manifest (left by an older snapshot?)",
            "remove them (aws s3 sync --delete) or give the parts you want as files",
        ),
    ):
        if names:
            shown = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
            raise DataError(
                f"{root}: the snapshot is incomplete: {len(names)} of the {len(listed)} parts "
                f"its manifest lists are {what}: {shown}; {todo}"
                if what == "missing"
                else f"{root}: {len(names)} part(s) on disk are {what}: {shown}; {todo}"
            )


def _parts(folder: Path) -> list[Path]:
    root = _works_root(folder)
    partitions = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(_PARTITION))
    if partitions:
        parts = [part for p in partitions for part in sorted(p.glob("part_*")) if part.is_file()]
        _check_against_manifest(root, parts)
        return parts
    _check_against_manifest(root, [])  # a manifest, and not one partition on disk
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.name.endswith(_WORK_SUFFIXES) and not p.name.startswith(".")
    )


def expand_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, and each folder as the works files under it.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> part = root / "data" / "works" / "updated_date=2024-01-01" / "part_000.gz"
    >>> part.parent.mkdir(parents=True)
    >>> _ = part.write_bytes(b"")
    >>> entry = {"url": "s3://openalex/data/works/updated_date=2024-01-01/part_000.gz"}
    >>> _ = (root / "data" / "works" / "manifest").write_text(json.dumps({"entries": [entry]}))
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
