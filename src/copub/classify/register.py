"""Read the Norwegian Register of Scientific Publication Channels into a tidy table.

Three shapes are accepted, told apart by their columns:

- the register's own export as users download it: ``;``-separated, quoted,
  with ``Print ISSN``/``Online ISSN`` and one ``Nivå YYYY`` column per year
  (the publishers export has no ISSN columns: it loads, with no levels, and
  says so in ``n_channels_without_issn``);
- a tidy table (csv or parquet) with columns ``issn, year, level``;
- the wide table (e.g. ``nor_channels_2025-08.parquet``) with ``issn_print``,
  ``issn_online`` and ``level_2004`` … ``level_2026``.

Text files are read as UTF-8 and, failing that, as Windows-1252 (older
exports). ISSNs are normalised; invalid ones are counted and left out. When
one ISSN has several levels in a year (two channels sharing it), the highest
counts.

The last years of a register may be partial: the register decides next
year's level-2 list in advance, so its newest column (``level_2026`` in the
August 2025 table) holds level-2 channels only. A trailing year that rates no
level-1 channel while earlier years do is listed in ``partial_years``; its
level-2 share would read as a jump (every rated work is level 2).
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from copub.classify.issn import normalize_issn_expr
from copub.errors import DataError, RegisterFormatError
from copub.validate import missing_file

__all__ = ["LEVELS_SCHEMA", "Register", "load_register", "partial_years"]

LEVELS_SCHEMA = pl.Schema({"issn": pl.String, "year": pl.Int32, "level": pl.Int8})
_LEVEL_COLUMN = re.compile(r"^(?:niv[aå]|level)[ _](\d{4})$", re.IGNORECASE)
_ISSN_COLUMN = re.compile(r"issn", re.IGNORECASE)
_EXPECTED = (
    "expected the register's ';'-separated export (columns 'Print ISSN', 'Online ISSN', "
    "'Nivå YYYY'), a tidy table with columns issn, year, level, or the wide table with "
    "issn_print, issn_online, level_YYYY"
)


@dataclass(frozen=True)
class Register:
    """Channel levels by ISSN and year.

    Attributes
    ----------
    levels : pl.DataFrame
        ``issn: String, year: Int32, level: Int8``; one row per (issn, year).
    source : str
        The file it was read from.
    years : tuple[int, int]
        First and last year with levels (``(0, 0)`` when there are none).
    n_channels : int
        Channels (rows) in the file; distinct valid ISSNs for a tidy table.
    n_invalid_issns : int
        Non-empty ISSNs that failed normalisation (left out).
    n_channels_without_issn : int
        Channels with no valid ISSN, which no work can match (e.g. publishers).
    partial_years : tuple of int
        Trailing years that rate no level-1 channel while earlier years do:
        only the level-2 decisions made in advance (:func:`partial_years`).
    """

    levels: pl.DataFrame
    source: str
    years: tuple[int, int]
    n_channels: int
    n_invalid_issns: int
    n_channels_without_issn: int = 0
    partial_years: tuple[int, ...] = ()

    def level(self, issn: str, year: int) -> int | None:
        """The level of ``issn`` in ``year``, or ``None`` when not in the register."""
        hit = self.levels.filter((pl.col("issn") == issn) & (pl.col("year") == year))
        return None if hit.is_empty() else int(hit["level"][0])


def partial_years(levels: pl.DataFrame) -> tuple[int, ...]:
    """The trailing years of a register that rate no level-1 channel while earlier years do.

    Examples
    --------
    >>> levels = pl.DataFrame({"issn": ["a", "b", "a", "b", "a"], "year": [2024, 2024, 2025,
    ...     2025, 2026], "level": [1, 2, 1, 2, 2]})
    >>> partial_years(levels)
    (2026,)
    """
    level1 = levels.filter(pl.col("level") == 1)["year"]
    if level1.is_empty():
        return ()
    last_full = int(level1.max())  # type: ignore[arg-type]
    later = levels.filter(pl.col("year") > last_full)["year"].unique().sort()
    return tuple(int(y) for y in later)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _read_text_table(path: Path) -> pl.DataFrame:
    text = _decode(path.read_bytes())
    header = text.split("\n", 1)[0]
    separator = max((";", ",", "\t"), key=header.count)
    if not header.count(separator):
        raise RegisterFormatError(f"{path}: not a delimited table; {_EXPECTED}")
    try:
        return pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=separator,
            infer_schema=False,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.PolarsError as exc:
        raise RegisterFormatError(f"{path}: cannot parse: {str(exc).splitlines()[0]}") from None


def _read_table(path: Path) -> pl.DataFrame:
    problem = missing_file(path, "register file")
    if problem is not None:
        # A register that is not there is missing data (exit 1), not a bad option.
        raise DataError(problem)
    if path.suffix.lower() == ".parquet":
        try:
            return pl.read_parquet(path)
        except (OSError, pl.exceptions.PolarsError) as exc:
            raise RegisterFormatError(
                f"{path}: not a readable parquet file ({exc}); {_EXPECTED}"
            ) from None
    try:
        return _read_text_table(path)
    except OSError as exc:
        raise RegisterFormatError(f"{path}: cannot read: {exc}") from None


def _as_level(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).str.strip_chars().cast(pl.Int8, strict=False)


def _checked(issns: pl.DataFrame) -> pl.DataFrame:
    """Add ``valid`` (the normalised ISSN or null) next to the stated ``issn``."""
    stated = pl.col("issn").cast(pl.String).str.strip_chars()
    return issns.filter(stated.is_not_null() & (stated != "")).with_columns(
        valid=normalize_issn_expr(stated)
    )


def _register(
    checked: pl.DataFrame,
    levels: pl.DataFrame,
    path: Path,
    *,
    on: str,
    n_channels: int,
    without_issn: int,
) -> Register:
    """Join normalised ISSNs to ``year, level`` rows on ``on`` and tidy the result."""
    n_invalid = checked.filter(pl.col("valid").is_null())["issn"].n_unique()
    tidy = (
        checked.filter(pl.col("valid").is_not_null())
        .select(on, issn="valid")
        .join(levels.filter(pl.col("level").is_in([0, 1, 2])), on=on)
        .group_by("issn", "year")
        .agg(pl.col("level").max())  # two channels sharing an ISSN: the higher level counts
        .select(pl.col("issn"), pl.col("year").cast(pl.Int32), pl.col("level").cast(pl.Int8))
        .sort("issn", "year")
    )
    years = (tidy["year"].min(), tidy["year"].max()) if tidy.height else (0, 0)
    return Register(
        tidy, str(path), (int(years[0]), int(years[1])),  # type: ignore[arg-type]
        n_channels, n_invalid, without_issn, partial_years(tidy),
    )


def _from_tidy(frame: pl.DataFrame, path: Path) -> Register:
    columns = {c.lower().strip(): c for c in frame.columns}
    level_text = pl.col(columns["level"]).cast(pl.String).str.strip_chars()
    tidy = frame.select(
        issn=pl.col(columns["issn"]).cast(pl.String),
        year=pl.col(columns["year"]).cast(pl.String).str.strip_chars().cast(pl.Int32, strict=False),
        level=_as_level(pl.col(columns["level"])),
        level_text=level_text,
    ).with_row_index("row", offset=1)
    bad = tidy.filter(
        pl.col("year").is_null()
        | (pl.col("level_text").is_not_null() & ~pl.col("level").is_in([0, 1, 2]).fill_null(False))
    )
    if bad.height:
        row = bad.row(0, named=True)
        raise RegisterFormatError(
            f"{path}: data row {row['row']}: year must be a year and level 0, 1 or 2 "
            f"(got year={row['year']!r}, level={row['level_text']!r})"
        )
    checked = _checked(tidy.select("row", "issn"))
    register = _register(
        checked, tidy.select("row", "year", "level"), path, on="row", n_channels=0, without_issn=0
    )
    return dataclasses.replace(register, n_channels=register.levels["issn"].n_unique())


def _from_wide(frame: pl.DataFrame, path: Path, level_columns: dict[str, int]) -> Register:
    issn_columns = [c for c in frame.columns if _ISSN_COLUMN.search(c)]
    channels = frame.select(*issn_columns, *level_columns).with_row_index("channel")
    issns = (
        channels.select("channel", *(pl.col(c).cast(pl.String) for c in issn_columns))
        .unpivot(index="channel", on=issn_columns, value_name="issn")
        .select("channel", "issn")
        if issn_columns
        else pl.DataFrame(schema={"channel": pl.UInt32, "issn": pl.String})
    )
    checked = _checked(issns)
    levels = (
        channels.select("channel", *(_as_level(pl.col(c)).alias(c) for c in level_columns))
        .unpivot(index="channel", value_name="level", variable_name="column")
        .filter(pl.col("level").is_not_null())
        .select(
            "channel",
            "level",
            year=pl.col("column").replace_strict(level_columns, return_dtype=pl.Int32),
        )
    )
    with_issn = checked.filter(pl.col("valid").is_not_null())["channel"].n_unique()
    return _register(
        checked, levels, path, on="channel",
        n_channels=channels.height, without_issn=channels.height - with_issn,
    )


def load_register(path: str | os.PathLike[str]) -> Register:
    """Read a channel-register file (export, tidy or wide; see the module docs).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    Register

    Raises
    ------
    RegisterFormatError
        When the file is in none of the accepted shapes; the message names the
        file and what was expected.
    UsageError
        When the file does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "levels.csv"
    >>> _ = path.write_text("issn,year,level\\n0028-0836,2020,2\\n1932-6203,2020,1\\n")
    >>> register = load_register(path)
    >>> register.level("0028-0836", 2020), register.n_channels
    (2, 2)
    """
    file = Path(path)
    frame = _read_table(file)
    lowered = {c.lower().strip() for c in frame.columns}
    if {"issn", "year", "level"} <= lowered:
        return _from_tidy(frame, file)
    level_columns = {
        c: int(m.group(1)) for c in frame.columns if (m := _LEVEL_COLUMN.match(c.strip()))
    }
    if level_columns:
        return _from_wide(frame, file, level_columns)
    shown = ", ".join(frame.columns[:8]) + (" …" if len(frame.columns) > 8 else "")
    raise RegisterFormatError(
        f"{path}: not a channel register; {_EXPECTED}; found columns: {shown}"
    )
