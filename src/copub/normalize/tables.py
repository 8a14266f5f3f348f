"""The :class:`Tables` bundle and its parquet storage."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from copub.errors import DataError, UsageError
from copub.normalize.generations import current_tables, write_generation
from copub.normalize.keys import add_keys, has_keys
from copub.normalize.schemas import KEYS, SCHEMAS, UNKEYED
from copub.provenance import Provenance

__all__ = [
    "TABLES_VERSION",
    "TABLE_NAMES",
    "Tables",
    "load_tables",
    "read_provenance",
    "table_files",
    "trust_keys",
]

TABLE_NAMES = tuple(SCHEMAS)
#: Bumped whenever the normalizer's output (tables or counts) changes, so
#: caches of built tables (the sample's) are rebuilt rather than served stale.
TABLES_VERSION = 7
_TABLES_SUBDIR = "tables"


@dataclass(frozen=True)
class Tables:
    """The six tidy tables of one set of works, plus their provenance.

    Every frame follows its schema in :mod:`copub.normalize.schemas`; the
    constructor checks that, so a ``Tables`` in hand is always valid. Frames
    without their integer key columns (an older copub's generation, frames
    built by hand) are keyed here, once (:func:`copub.normalize.keys.add_keys`).

    Examples
    --------
    >>> t = Tables.empty()
    >>> t.works.height, list(t.works.columns)[:3]
    (0, ['work_id', 'year', 'publication_date'])
    """

    works: pl.DataFrame
    authorships: pl.DataFrame
    affiliations: pl.DataFrame
    institutions: pl.DataFrame
    sources: pl.DataFrame
    funding: pl.DataFrame
    provenance: Provenance = field(default_factory=Provenance)
    #: True when every key column is known to agree with its id: keys made
    #: here, or read from one generation copub wrote (:func:`load_tables`).
    #: Labelling then reads them as they are; otherwise it checks each row's
    #: key against its id. A copy made with :meth:`with_` is never trusted.
    keys_trusted: bool = field(default=False, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        frames = {name: getattr(self, name) for name in SCHEMAS}
        if not has_keys(frames):
            for name, frame in add_keys(frames).items():
                object.__setattr__(self, name, frame)
            object.__setattr__(self, "keys_trusted", True)
        for name, schema in SCHEMAS.items():
            frame = getattr(self, name)
            if frame.schema != schema:
                raise DataError(
                    f"table {name!r} does not follow its schema: expected {dict(schema)}, "
                    f"got {dict(frame.schema)}"
                )

    @classmethod
    def empty(cls, provenance: Provenance | None = None) -> Tables:
        """Tables with no rows."""
        frames = {name: pl.DataFrame(schema=schema) for name, schema in SCHEMAS.items()}
        return cls(**frames, provenance=provenance or Provenance())

    def frames(self) -> dict[str, pl.DataFrame]:
        """The six frames by name, in schema order."""
        return {name: getattr(self, name) for name in TABLE_NAMES}

    def with_(self, **changes: object) -> Tables:
        """Return a copy with some frames (or the provenance) replaced.

        The copy does not trust its stored keys (:attr:`keys_trusted`):
        labelling checks each row's key against its id.
        """
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def check_keys(self) -> None:
        """Raise :class:`DataError` if any table has two rows with one key."""
        for name, key in KEYS.items():
            frame = getattr(self, name)
            dupes = frame.height - frame.select(key).unique().height
            if dupes:
                raise DataError(f"table {name!r} has {dupes} rows with a repeated key {key}")

    def write(
        self, data_dir: str | os.PathLike[str], *, replace: bool = False, wait: bool = False
    ) -> Path:
        """Write every table as parquet under ``data_dir/tables``, as one generation.

        The tables are built beside the current ones and switched in with one
        rename, under the directory's write lock (see
        :mod:`copub.normalize.generations`): a reader, or a process killed at
        any moment, sees the complete old tables or the complete new ones.

        Parameters
        ----------
        data_dir : path
            The data directory.
        replace : bool
            Allow replacing tables that hold more works with these (fewer or none).
        wait : bool
            Wait for another writer instead of failing at once.

        Raises
        ------
        ShrinkRefusedError
            When these hold fewer works than the current tables and ``replace`` is False.
        """
        return write_generation(
            self.frames(), self.provenance.to_dict(), data_dir, replace=replace, wait=wait
        )


def table_files(data_dir: str | os.PathLike[str]) -> tuple[Path, dict[str, Path]]:
    """The current generation's folder and its six table files, or an error naming the gap.

    Raises
    ------
    UsageError
        If ``data_dir`` is not a directory.
    DataError
        If it holds no tables, or a table file is missing.
    """
    if Path(data_dir).exists() and not Path(data_dir).is_dir():
        raise UsageError(f"--data-dir {data_dir} is not a directory")
    # Resolved once: every file comes from one generation, even if a writer switches now.
    tables_dir = current_tables(data_dir) or Path(data_dir) / _TABLES_SUBDIR
    if not (tables_dir / "works.parquet").is_file():
        raise DataError(
            f"no copub tables in {data_dir}: run `copub fetch` or `copub import` "
            f"with --data-dir {data_dir} first, or try the synthetic sample with --sample"
        )
    paths = {name: tables_dir / f"{name}.parquet" for name in TABLE_NAMES}
    for path in paths.values():
        if not path.is_file():
            raise DataError(
                f"{tables_dir} has no {path.name}: the tables are incomplete; "
                "run `copub fetch` or `copub import` again"
            )
    return tables_dir, paths


def load_tables(data_dir: str | os.PathLike[str]) -> Tables:
    """Read the tables that ``fetch``, ``import`` or :meth:`Tables.write` stored.

    Parameters
    ----------
    data_dir : path
        The data directory (the one given to ``fetch`` or ``import``).

    Returns
    -------
    Tables
        With the integer keys the build stored; tables of an older copub,
        built without them, are keyed here, once.

    Raises
    ------
    DataError
        If the directory holds no tables, or a table does not follow its schema.
    """
    tables_dir, paths = table_files(data_dir)
    frames = {}
    for name, path in paths.items():
        try:
            frames[name] = pl.read_parquet(path)
        except (OSError, pl.exceptions.PolarsError) as exc:
            raise DataError(f"cannot read {path}: {exc}") from None
        # Key columns may be missing (an older copub's tables): Tables makes them.
        missing = [c for c in UNKEYED[name] if c not in frames[name].columns]
        if missing:
            raise DataError(
                f"the {name} table in {data_dir} lacks {', '.join(missing)}: it was built by an "
                f"older copub (tables version {TABLES_VERSION} is needed); build the tables "
                f"again from the raw pages with `copub import` or `copub fetch`"
            )
    return trust_keys(Tables(**frames, provenance=read_provenance(tables_dir / "provenance.json")))


def trust_keys(tables: Tables) -> Tables:
    """``tables``, read whole from one generation: the keys the build stored agree with the ids."""
    object.__setattr__(tables, "keys_trusted", True)
    return tables


def read_provenance(path: Path) -> Provenance:
    """The provenance written beside the tables, or :class:`DataError` naming the file."""
    if not path.is_file():
        return Provenance()
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(values, dict):
            raise TypeError(f"a JSON object is needed, not {type(values).__name__}")
        return Provenance.from_dict(values)
    except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise DataError(f"{path}: not a copub provenance file ({exc})") from None
