"""Tables written as one generation: built beside the old, switched in with one rename.

Layout under a data directory::

    tables -> .generations/tables-20260101T120000Z-1a2b3c4d     (a symbolic link)
    authors -> .generations/authors-20260101T120500Z-5e6f7a8b   (the authors table, the same way)
    .generations/tables-…/works.parquet, authorships.parquet, …, provenance.json
    .generations/tables-…/.copub-generation                     (the marker: copub wrote this)
    .generations/.building-…                                    (a write in progress)

A writer holds the directory's lock (:func:`copub.locking.directory_lock`,
the same one ``fetch`` holds), builds every table of :data:`~copub.normalize.schemas.SCHEMAS`
into a fresh ``.building-…`` directory, fsyncs it, renames it to its final
name, and then replaces the ``tables`` link in one ``rename``. A reader resolves
the link once and reads every file from that one generation, so it sees the
complete old tables or the complete new ones, never a mix; a process killed at
any moment leaves the old generation in place (and a ``.building-…`` directory
the next writer removes). The generation before the current one is kept, so a
reader that resolved the link just before a switch still finds its files.

copub deletes only what it wrote: every generation (and build in progress)
carries the marker file :data:`MARKER`; one of an older copub is recognised by
its name and by holding nothing but copub's own files. Anything else is never
deleted: a plain ``DIR/tables`` folder of copub's files (an older copub's
layout) is moved into ``.generations`` as a ``…-legacy-…`` folder that is kept,
and a ``DIR/tables`` (or ``DIR/authors``) that holds other files, or links
elsewhere, is refused, naming it.

Replacing tables is refused unless ``replace=True`` when the new ones would
lose what the current ones hold (:mod:`copub.normalize.losses`): fewer works,
a year, an institution they were fetched for, or more than 1% of the works by
id; a narrower ``--years``, another institution or an empty import never
replace the tables without a word.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import polars as pl

from copub.atomic import fsync_dir, fsync_tree, swap_in_dir
from copub.errors import DataError, UsageError
from copub.layout import AUTHORS_LINK, GENERATIONS_DIR, TABLES_LINK
from copub.locking import directory_lock, writable_dir
from copub.normalize.losses import authors_losses, tables_losses
from copub.normalize.schemas import SCHEMAS
from copub.progress import Progress

__all__ = [
    "AUTHORS_LINK",
    "GENERATIONS_DIR",
    "MARKER",
    "TABLES_LINK",
    "GenerationKind",
    "ShrinkRefusedError",
    "build_generation",
    "current_generation",
    "current_tables",
    "is_copub_generation",
    "write_generation",
    "write_provenance",
]

Kind = Literal["tables", "authors"]

#: The file in every generation copub writes: only a folder with it is ever deleted.
MARKER = ".copub-generation"
_BUILDING = ".building-"
_PREFIX = "tables-"
#: The name of a generation (or build) of any copub: ``<kind>-<UTC stamp>-<8 hex>``.
_STAMPED = re.compile(r"^(?:\.building-.+|(?:tables|authors)-\d{8}T\d{6,12}Z-[0-9a-f]{8})$")


@dataclass(frozen=True)
class GenerationKind:
    """One kind of generation: the link under the data directory and what it holds.

    Attributes
    ----------
    link : {"tables", "authors"}
        The link's name under the data directory, and the generations' prefix.
    files : frozenset of str
        The file names copub writes into one: a folder holding anything else
        is not copub's.
    losses : callable
        ``losses(current, new)``: the current one's size and what the new one
        would lose, as text, or None.
    what : str
        What it holds, for messages.
    """

    link: Kind
    files: frozenset[str]
    losses: Callable[[Path, Path], tuple[str, str] | None]
    what: str

    @property
    def prefix(self) -> str:
        """The name prefix of its generations."""
        return f"{self.link}-"


TABLES = GenerationKind(
    TABLES_LINK,
    frozenset({f"{name}.parquet" for name in SCHEMAS} | {"provenance.json"}),
    tables_losses,
    "tables",
)
AUTHORS = GenerationKind(
    AUTHORS_LINK, frozenset({"authors.parquet"}), authors_losses, "authors table"
)
_KINDS = {kind.link: kind for kind in (TABLES, AUTHORS)}


class ShrinkRefusedError(DataError):
    """New tables would lose works, years or institutions of the current ones (no ``replace``)."""


def current_generation(data_dir: str | os.PathLike[str], link: Kind = TABLES_LINK) -> Path | None:
    """The directory of the current generation of ``link`` (resolved once), or None.

    Examples
    --------
    >>> import tempfile
    >>> current_generation(tempfile.mkdtemp(), "authors") is None
    True
    """
    path = Path(data_dir) / link
    if path.exists():
        return Path(os.path.realpath(path))
    # A kill between moving old-style tables aside and linking the new ones: the
    # newest complete generation is the current one.
    generations = Path(data_dir) / GENERATIONS_DIR
    if not generations.is_dir():
        return None
    prefix = _KINDS[link].prefix
    finished = sorted(
        p for p in generations.iterdir() if p.name.startswith(prefix) and is_copub_generation(p)
    )
    return finished[-1] if finished else None


def current_tables(data_dir: str | os.PathLike[str]) -> Path | None:
    """The directory of the current tables generation (the link resolved once), or None.

    Examples
    --------
    >>> import tempfile
    >>> current_tables(tempfile.mkdtemp()) is None
    True
    """
    return current_generation(data_dir, TABLES_LINK)


def _stamp() -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{now}-{uuid.uuid4().hex[:8]}"


def write_provenance(folder: Path, provenance: dict[str, Any]) -> None:
    """``provenance.json`` of a generation being built."""
    text = json.dumps(provenance, indent=2)
    (folder / "provenance.json").write_text(text, encoding="utf-8")


def _write_files(folder: Path, frames: dict[str, pl.DataFrame], provenance: dict[str, Any]) -> None:
    for name, frame in frames.items():
        frame.write_parquet(folder / f"{name}.parquet")
    write_provenance(folder, provenance)


def _only_copub_files(folder: Path, kind: GenerationKind | None) -> bool:
    """True when ``folder`` holds nothing but the files copub writes (of ``kind``, or any)."""
    allowed = kind.files if kind is not None else TABLES.files | AUTHORS.files
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    return all(
        (e.is_file() and not e.is_symlink() and e.name in allowed)
        or (e.is_dir() and not e.is_symlink() and e.name == ".parts")  # a build's parts
        for e in entries
    )


def is_copub_generation(folder: Path) -> bool:
    """True for a folder copub wrote: with the marker, or an older copub's by name and files."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    if (folder / MARKER).is_file():
        return True
    return _STAMPED.match(folder.name) is not None and _only_copub_files(folder, None)


def _check_link(root: Path, kind: GenerationKind) -> bool:
    """Refuse a ``DIR/<link>`` copub did not write; True when it is an older copub's plain folder.

    Raises
    ------
    UsageError
        When the path is a file, a link that does not point into
        ``.generations``, or a folder holding files copub does not write.
    """
    link = root / kind.link
    if link.is_symlink():
        target = os.readlink(link)
        parts = Path(target).parts
        if len(parts) == 2 and parts[0] == GENERATIONS_DIR and parts[1].startswith(kind.prefix):
            return False
        raise UsageError(
            f"{link} is a link to {target}, which copub did not make: copub keeps its "
            f"{kind.what} there and would replace it; move the link away or use another --data-dir"
        )
    if not link.exists():
        return False
    if link.is_dir() and (link / MARKER).is_file():
        return False  # copub's own, switched in by a copy where there are no links
    if link.is_dir() and _only_copub_files(link, kind) and any(link.iterdir()):
        return True
    shown = sorted(p.name for p in link.iterdir())[:3] if link.is_dir() else []
    holds = f" (it holds {', '.join(shown)}{' …' if len(shown) == 3 else ''})" if shown else ""
    raise UsageError(
        f"{link} is not copub's{holds}: copub keeps its {kind.what} at that path and never "
        "deletes what it did not write; move it away or use another --data-dir"
    )


def _switch(data_dir: Path, generation: Path, kind: GenerationKind, progress: Progress) -> None:
    """Point ``data_dir/<link>`` at ``generation`` in one rename."""
    link = data_dir / kind.link
    if link.exists() and not link.is_symlink():
        if (link / MARKER).is_file():
            # copub's own generation, switched in by a copy earlier: an old generation now.
            os.rename(link, generation.parent / f"{kind.prefix}00000000T000000Z-{_stamp()[-8:]}")
        else:
            # An older copub's plain folder (checked by _check_link): kept, never deleted.
            aside = generation.parent / f"{kind.prefix}00000000-legacy-{uuid.uuid4().hex[:8]}"
            os.rename(link, aside)
            progress.note(f"moved the {kind.what} of an older copub from {link} to {aside} (kept)")
    temporary = data_dir / f".{kind.link}.{uuid.uuid4().hex[:8]}.link"
    target = Path(GENERATIONS_DIR) / generation.name
    try:
        os.symlink(target, temporary, target_is_directory=True)
    except (OSError, NotImplementedError):  # no symbolic links here (Windows without rights)
        old = swap_in_dir(generation, link)
        if old is not None and is_copub_generation(old):
            shutil.rmtree(old, ignore_errors=True)
        return
    os.replace(temporary, link)
    fsync_dir(data_dir)


def _tidy(generations: Path, kind: GenerationKind, keep: set[str]) -> None:
    """Remove copub's interrupted builds and its generations but the current and the previous.

    Only folders copub wrote (:func:`is_copub_generation`) are removed; a legacy
    folder moved aside and anything else in ``.generations`` stay.
    """
    finished = sorted(
        p
        for p in generations.iterdir()
        if p.name.startswith(kind.prefix) and "-legacy-" not in p.name and is_copub_generation(p)
    )
    keep = keep | {p.name for p in [p for p in finished if p.name not in keep][-1:]}
    for path in generations.iterdir():
        ours = path.name.startswith(_BUILDING) or (
            path.name.startswith(kind.prefix) and path.name not in keep
        )
        if ours and "-legacy-" not in path.name and is_copub_generation(path):
            shutil.rmtree(path, ignore_errors=True)


def _mark(folder: Path, kind: GenerationKind) -> None:
    text = json.dumps({"written_by": "copub", "kind": kind.link})
    (folder / MARKER).write_text(text + "\n", encoding="utf-8")


def write_generation(
    frames: dict[str, pl.DataFrame],
    provenance: dict[str, Any],
    data_dir: str | os.PathLike[str],
    *,
    replace: bool = False,
    wait: bool = False,
) -> Path:
    """Write ``frames`` and ``provenance.json`` as the new generation of ``data_dir/tables``.

    Parameters
    ----------
    frames : dict of str to DataFrame
        Every table by name (in :data:`~copub.normalize.schemas.SCHEMAS` order).
    provenance : dict
        Written as ``provenance.json``.
    data_dir : path
        The data directory; created if missing.
    replace : bool
        Allow replacing tables whose works, years or institutions the new ones would lose.
    wait : bool
        Wait for another writer instead of failing at once.

    Returns
    -------
    Path
        ``data_dir/tables``.

    Raises
    ------
    ShrinkRefusedError
        When the new tables would lose works, years or institutions and ``replace`` is False.
    UsageError
        When ``data_dir`` cannot be written, another copub writes there, or
        ``data_dir/tables`` is something copub did not write.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> works = pl.DataFrame({"work_id": ["W1", "W2"]})
    >>> path = write_generation({"works": works}, {}, folder)
    >>> write_generation({"works": works.head(1)}, {}, folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    copub.normalize.generations.ShrinkRefusedError: kept the existing tables in ... (2 works): ...
    >>> _ = write_generation({"works": works.head(1)}, {}, folder, replace=True)
    >>> pl.read_parquet(path / "works.parquet").height
    1
    """

    def fill(folder: Path) -> None:
        _write_files(folder, frames, provenance)

    return build_generation(fill, data_dir, replace=replace, wait=wait)


def build_generation(
    fill: Callable[[Path], None],
    data_dir: str | os.PathLike[str],
    *,
    replace: bool = False,
    wait: bool = False,
    link: Kind = TABLES_LINK,
    progress: Progress | None = None,
) -> Path:
    """Build the new generation of ``data_dir/<link>`` with ``fill`` and switch it in.

    ``fill(folder)`` writes every table (and ``provenance.json``) into an
    empty folder; the tables can be streamed there, never held in memory.
    What it wrote becomes the current generation only once it is complete
    and loses nothing of the current one (see :mod:`copub.normalize.losses`);
    if ``fill`` raises, nothing changes.

    Parameters
    ----------
    link : {"tables", "authors"}
        Which generation: the works tables, or the authors table.
    progress : Progress, optional
        Where to say that an older copub's plain folder was moved aside.

    Raises
    ------
    ShrinkRefusedError
        When the new generation would lose what the current one holds and ``replace`` is False.
    UsageError
        When ``data_dir`` cannot be written, another copub writes there, or
        ``data_dir/<link>`` is something copub did not write.
    """
    kind = _KINDS[link]
    progress = progress if progress is not None else Progress()
    root = writable_dir(data_dir, "--data-dir")
    with directory_lock(root, wait=wait):
        _check_link(root, kind)
        current = current_generation(root, link)
        generations = root / GENERATIONS_DIR
        if generations.exists() and not generations.is_dir():
            raise UsageError(
                f"{generations} is a file, not copub's folder of generations: copub never "
                "deletes what it did not write; move it away or use another --data-dir"
            )
        generations.mkdir(exist_ok=True)
        stamp = _stamp()
        building = generations / f"{_BUILDING}{stamp}"
        building.mkdir()
        try:
            _mark(building, kind)
            fill(building)
            lost = kind.losses(current, building) if current is not None else None
            if lost is not None and not replace:
                raise ShrinkRefusedError(
                    f"kept the existing {kind.what} in {root / link} ({lost[0]}): the new ones "
                    f"{lost[1]}; pass --replace (replace=True) to replace them on purpose"
                )
            fsync_tree(building)
            final = generations / f"{kind.prefix}{stamp}"
            os.rename(building, final)
            fsync_dir(generations)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        _switch(root, final, kind, progress)
        with contextlib.suppress(OSError):
            _tidy(generations, kind, {final.name})
    return root / link
