"""The :class:`Tables` bundle and its parquet storage."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from copub.errors import DataError
from copub.normalize.schemas import KEYS, SCHEMAS
from copub.provenance import Provenance

__all__ = ["TABLES_VERSION", "TABLE_NAMES", "Tables", "load_tables"]

TABLE_NAMES = tuple(SCHEMAS)
#: Bumped whenever the normalizer's output (tables or counts) changes, so
#: caches of built tables (the sample's) are rebuilt rather than served stale.
TABLES_VERSION = 4
_TABLES_SUBDIR = "tables"


@dataclass(frozen=True)
class Tables:
    """The six tidy tables of one set of works, plus their provenance.

    Every frame follows its schema in :mod:`copub.normalize.schemas`; the
    constructor checks that, so a ``Tables`` in hand is always valid.

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

    def __post_init__(self) -> None:
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
        """Return a copy with some frames (or the provenance) replaced."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def check_keys(self) -> None:
        """Raise :class:`DataError` if any table has two rows with one key."""
        for name, key in KEYS.items():
            frame = getattr(self, name)
            dupes = frame.height - frame.select(key).unique().height
            if dupes:
                raise DataError(f"table {name!r} has {dupes} rows with a repeated key {key}")

    def write(self, data_dir: str | os.PathLike[str]) -> Path:
        """Write every table as parquet under ``data_dir/tables``, atomically per file."""
        out = Path(data_dir) / _TABLES_SUBDIR
        out.mkdir(parents=True, exist_ok=True)
        for name, frame in self.frames().items():
            tmp = out / f".{name}.parquet.tmp"
            frame.write_parquet(tmp)
            os.replace(tmp, out / f"{name}.parquet")
        tmp = out / ".provenance.json.tmp"
        tmp.write_text(json.dumps(self.provenance.to_dict(), indent=2), encoding="utf-8")
        os.replace(tmp, out / "provenance.json")
        return out


def load_tables(data_dir: str | os.PathLike[str]) -> Tables:
    """Read the tables that ``fetch``, ``import`` or :meth:`Tables.write` stored.

    Parameters
    ----------
    data_dir : path
        The data directory (the one given to ``fetch`` or ``import``).

    Raises
    ------
    DataError
        If the directory holds no tables, or a table does not follow its schema.
    """
    tables_dir = Path(data_dir) / _TABLES_SUBDIR
    if not (tables_dir / "works.parquet").is_file():
        raise DataError(
            f"no copub tables in {data_dir}: run `copub fetch` or `copub import` "
            f"with --data-dir {data_dir} first"
        )
    frames = {}
    for name in TABLE_NAMES:
        path = tables_dir / f"{name}.parquet"
        try:
            frames[name] = pl.read_parquet(path)
        except (OSError, pl.exceptions.PolarsError) as exc:
            raise DataError(f"cannot read {path}: {exc}") from exc
    prov_path = tables_dir / "provenance.json"
    provenance = (
        Provenance.from_dict(json.loads(prov_path.read_text(encoding="utf-8")))
        if prov_path.is_file()
        else Provenance()
    )
    return Tables(**frames, provenance=provenance)
