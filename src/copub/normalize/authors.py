"""OpenAlex ``/authors`` records to the ``authors`` table: one row per author × institution × year.

OpenAlex derives an author's ``affiliations`` from the author's publications:
each entry names an institution and the ``years`` in which the author published
with it. A year without a paper is invisible, so the table is a proxy for a
career, not a CV. OpenAlex lists at most the ten most recent affiliations.

The table is kept beside the six work tables (``authors/authors.parquet``,
its own generation beside the ``tables/`` one that fetch and import switch,
with the same shrink guard and previous version kept), not inside
:class:`~copub.normalize.Tables`, so a data directory without authors stays
valid.

Examples
--------
>>> import json, tempfile, pathlib
>>> author = {"id": "https://openalex.org/A1", "display_name": "Ada",
...           "affiliations": [{"institution": {"id": "https://openalex.org/I2",
...                             "country_code": "NO", "lineage": ["https://openalex.org/I2"]},
...                             "years": [2021, 2020]}]}
>>> path = pathlib.Path(tempfile.mkdtemp()) / "authors.json"
>>> _ = path.write_text(json.dumps({"meta": {"count": 1}, "results": [author]}))
>>> read_authors(path).select("author_id", "institution_id", "year").rows()
[('A1', 'I2', 2020), ('A1', 'I2', 2021)]
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final, Literal

import orjson
import polars as pl

from copub.errors import DataError
from copub.normalize.generations import AUTHORS_LINK, build_generation
from copub.normalize.reader import _read_bytes
from copub.normalize.schemas import _INSTITUTION

__all__ = [
    "AUTHORS",
    "AUTHORS_KEY",
    "RAW_AUTHOR",
    "RecordKind",
    "authors_path",
    "load_authors",
    "read_authors",
    "record_kind",
    "write_authors",
]

RecordKind = Literal["works", "authors", "unknown"]

_STR_LIST = pl.List(pl.String())
_PREFIX = "https://openalex.org/"
_ROR_PREFIX = "https://ror.org/"
_FIRST_YEAR = 1900
_FIRST_ID = re.compile(rb'"id"\s*:\s*"(?:https://openalex\.org/)?([A-Za-z])\d+"')
_AUTHOR_ID = r"^A\d+$"

#: The ``authors`` table. Key: (author_id, institution_id, year).
AUTHORS: Final = pl.Schema(
    {
        "author_id": pl.String(),
        "author_name": pl.String(),
        "orcid": pl.String(),
        "institution_id": pl.String(),
        "institution_name": pl.String(),
        "ror": pl.String(),
        "country_code": pl.String(),
        "institution_type": pl.String(),
        "lineage": _STR_LIST,
        "year": pl.Int32(),
    }
)
AUTHORS_KEY: Final = ("author_id", "institution_id", "year")

#: The narrow schema of one raw OpenAlex author record: only the fields copub reads.
RAW_AUTHOR: Final = pl.Schema(
    {
        "id": pl.String(),
        "display_name": pl.String(),
        "orcid": pl.String(),
        "affiliations": pl.List(
            # Float64, so a year such as 2020.5 is seen (and refused), not cut to 2020.
            pl.Struct({"institution": _INSTITUTION, "years": pl.List(pl.Float64())})
        ),
    }
)
_PAGE = pl.Schema({"results": pl.List(pl.Struct(RAW_AUTHOR))})


def _head(path: Path, size: int = 65536) -> bytes:
    """The first bytes of a file (decompressed), without reading a large snapshot whole."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(2)
        opener = gzip.open if magic == b"\x1f\x8b" else open
        with opener(path, "rb") as stream:
            return stream.read(size)
    except OSError as exc:  # gzip.BadGzipFile is an OSError
        raise DataError(f"{path}: cannot read: {exc}") from exc
    except EOFError as exc:
        raise DataError(f"{path}: broken gzip stream: {exc}") from exc


def record_kind(path: str | os.PathLike[str]) -> RecordKind:
    """Whether a file holds OpenAlex works or authors, from its first record's id.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.json"
    >>> _ = path.write_text('{"meta": {}, "results": [{"id": "https://openalex.org/A5"}]}')
    >>> record_kind(path)
    'authors'
    """
    head = _head(Path(path))
    match = _FIRST_ID.search(head)
    if match is None:
        return "unknown"
    letter = match.group(1).upper()
    return "works" if letter == b"W" else "authors" if letter == b"A" else "unknown"


def _as_page(raw: bytes) -> bytes:
    """A list response as is; one record or JSON Lines wrapped into one."""
    stripped = raw.lstrip()
    if re.match(rb'^\{\s*"(meta|results|group_by)"', stripped[:4096]):
        return raw
    records = [line for line in raw.split(b"\n") if line.strip()]
    if len(records) > 1 and not all(line.lstrip().startswith(b"{") for line in records):
        # A pretty-printed single record: its lines are not records.
        records = [raw]
    return b'{"results":[' + b",".join(records) + b"]}"


def _first_problem(path: Path, raw: bytes) -> str:
    try:
        data = orjson.loads(_as_page(raw))
    except orjson.JSONDecodeError as exc:
        return f"not valid JSON ({exc})"
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return "an OpenAlex list response needs a 'results' list"
    for position, record in enumerate(data["results"], start=1):
        if not isinstance(record, dict):
            return f"record {position}: an author must be a JSON object"
        # The same reader as the whole page, one record at a time: the first it refuses is named.
        try:
            pl.read_json(io.BytesIO(orjson.dumps({"results": [record]})), schema=_PAGE)
        except pl.exceptions.PolarsError as exc:
            return (
                f"record {position} ({record.get('id', 'no id')}): malformed author: "
                f"{_field_problem(record) or str(exc).splitlines()[0]}; fix or remove this record"
            )
    return (
        "the page cannot be read as a whole although each record can (a broken JSON "
        "structure?); fetch or export it again"
    )


def _field_problem(record: dict[str, object]) -> str | None:
    """Which of the fields copub reads has the wrong JSON type, in words."""
    affiliations = record.get("affiliations")
    if affiliations is None:
        return None
    if not isinstance(affiliations, list):
        return f"'affiliations' must be a list, not {type(affiliations).__name__}"
    for number, entry in enumerate(affiliations, start=1):
        if not isinstance(entry, dict):
            return f"affiliation {number} must be an object, not {type(entry).__name__}"
        institution, years = entry.get("institution"), entry.get("years")
        if institution is not None and not isinstance(institution, dict):
            return f"affiliation {number}: 'institution' must be an object"
        if years is not None and not isinstance(years, list):
            return f"affiliation {number}: 'years' must be a list of years"
        if isinstance(years, list) and any(not isinstance(y, (int, float)) for y in years):
            return f"affiliation {number}: 'years' holds {years!r}, not numbers"
    return None


def _read_file(path: Path) -> pl.DataFrame:
    raw = _read_bytes(path)
    if not raw.strip():
        return pl.DataFrame(schema=RAW_AUTHOR).with_columns(_record=pl.lit(0, pl.UInt32))
    try:
        page = pl.read_json(io.BytesIO(_as_page(raw)), schema=_PAGE)
    except pl.exceptions.PolarsError:
        raise DataError(f"{path}: {_first_problem(path, raw)}") from None
    if page.height != 1 or page["results"].null_count():
        raise DataError(f"{path}: an OpenAlex list response needs a 'results' list")
    if page["results"].list.len()[0] == 0:
        records = pl.DataFrame(schema=RAW_AUTHOR)
    else:
        records = page.select(pl.col("results").explode()).unnest("results")
    records = records.with_row_index("_record", offset=1)
    _check_records(records, path)
    return records


def _check_records(records: pl.DataFrame, path: Path) -> None:
    short = pl.col("id").str.strip_prefix(_PREFIX)
    bad_id = records.filter(pl.col("id").is_null() | ~short.str.contains(_AUTHOR_ID))
    if bad_id.height:
        row = bad_id.row(0, named=True)
        ident = row["id"]
        if ident is not None and ident.removeprefix(_PREFIX).startswith("W"):
            raise DataError(
                f"{path}: record {row['_record']} is an OpenAlex work ({ident}), not an author: "
                "this is a works file; import it as works (`copub import FILE`)"
            )
        raise DataError(
            f"{path}: record {row['_record']}: id {ident!r} is not an OpenAlex author id (A…)"
        )
    missing = records.filter(pl.col("affiliations").is_null())
    if missing.height:
        row = missing.row(0, named=True)
        raise DataError(
            f"{path}: record {row['_record']} ({row['id']}): the author has no 'affiliations' "
            "list; copub needs full /authors records (do not drop the field with select=)"
        )
    latest = dt.date.today().year + 1
    years = (
        records.select("_record", "id", pl.col("affiliations"))
        .explode("affiliations")
        .select("_record", "id", year=pl.col("affiliations").struct.field("years"))
        .explode("year")
        .drop_nulls("year")
        .filter(
            (pl.col("year") < _FIRST_YEAR)
            | (pl.col("year") > latest)
            | (pl.col("year") != pl.col("year").floor())
        )
    )
    if years.height:
        row = years.row(0, named=True)
        year = row["year"]
        what = (
            f"{int(year)} is outside {_FIRST_YEAR}-{latest}"
            if year == int(year)
            else f"{year} is not a whole year"
        )
        raise DataError(
            f"{path}: record {row['_record']} ({row['id']}): affiliation year {what}; fix or "
            "remove this record"
        )


def _tidy(records: pl.DataFrame) -> pl.DataFrame:
    """Raw records (unique by id) to the ``authors`` table."""
    exploded = (
        records.select(
            author_id=pl.col("id").str.strip_prefix(_PREFIX),
            author_name=pl.col("display_name"),
            orcid=pl.col("orcid"),
            affiliation=pl.col("affiliations"),
        )
        .explode("affiliation")
        .drop_nulls("affiliation")
        .unnest("affiliation")
        .explode("years")
        .drop_nulls("years")
    )
    institution = pl.col("institution")
    table = exploded.select(
        "author_id",
        "author_name",
        "orcid",
        institution_id=institution.struct.field("id").str.strip_prefix(_PREFIX),
        institution_name=institution.struct.field("display_name"),
        ror=institution.struct.field("ror").str.strip_prefix(_ROR_PREFIX),
        country_code=institution.struct.field("country_code").str.to_uppercase(),
        institution_type=institution.struct.field("type"),
        lineage=institution.struct.field("lineage").list.eval(
            pl.element().str.strip_prefix(_PREFIX)
        ),
        year=pl.col("years").cast(pl.Int32),
    )
    return (
        table.unique(subset=list(AUTHORS_KEY), keep="first", maintain_order=True)
        .sort(AUTHORS_KEY, nulls_last=True)
        .cast(dict(AUTHORS))  # type: ignore[arg-type]
        .select(AUTHORS.names())
    )


def read_authors(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> pl.DataFrame:
    """Build the ``authors`` table from OpenAlex ``/authors`` JSON files.

    Parameters
    ----------
    paths : path or iterable of paths
        ``/authors`` list responses (``{"meta": …, "results": […]}``), single
        author records (``/authors/A…``) or JSON Lines of author records;
        gzip allowed.

    Returns
    -------
    pl.DataFrame
        :data:`AUTHORS`: one row per author × institution × year listed in the
        record's ``affiliations``, sorted by the key. An author met twice counts
        once (the first record read wins). Ids and RORs are short.

    Raises
    ------
    DataError
        Naming the file and the record: a works file, a record without an
        ``affiliations`` list, a year outside 1900 to next year, malformed JSON.

    Examples
    --------
    >>> read_authors([]).columns[:4]
    ['author_id', 'author_name', 'orcid', 'institution_id']
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    frames = []
    for item in paths:
        path = Path(item)
        if not path.is_file():
            raise DataError(f"{path}: no such file")
        frames.append(_read_file(path).drop("_record"))
    if not frames:
        return pl.DataFrame(schema=AUTHORS)
    records = pl.concat(frames, how="vertical").unique(
        subset="id", keep="first", maintain_order=True
    )
    return _tidy(records)


def authors_path(data_dir: str | os.PathLike[str]) -> Path:
    """Where the ``authors`` table of a data directory lives.

    Beside the works tables, not in them: ``tables/`` is one generation that
    ``fetch`` and ``import`` switch as a whole, and the authors' histories are
    fetched and replaced on their own.

    Examples
    --------
    >>> authors_path("/d").as_posix()
    '/d/authors/authors.parquet'
    """
    return Path(data_dir) / "authors" / "authors.parquet"


def write_authors(
    authors: pl.DataFrame, data_dir: str | os.PathLike[str], *, replace: bool = False
) -> Path:
    """Write the ``authors`` table as a new generation of ``data_dir/authors``.

    Like the works tables (:func:`~copub.normalize.generations.build_generation`):
    built beside the current one, switched in with one rename, the previous
    one kept; a table that would lose authors is refused unless ``replace``.

    Raises
    ------
    DataError
        If ``authors`` does not follow :data:`AUTHORS`.
    ShrinkRefusedError
        If the new table holds fewer authors, or loses more than 1% of them,
        and ``replace`` is False.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> write_authors(pl.DataFrame([{"author_id": "A1", "year": 2020}], schema=AUTHORS),
    ...               folder).name
    'authors.parquet'
    >>> write_authors(pl.DataFrame(schema=AUTHORS), folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    copub.normalize.generations.ShrinkRefusedError: kept the existing authors table in ...
    """
    if authors.schema != AUTHORS:
        raise DataError(f"the authors table does not follow its schema: got {dict(authors.schema)}")

    def fill(folder: Path) -> None:
        authors.write_parquet(folder / "authors.parquet")

    build_generation(fill, data_dir, replace=replace, link=AUTHORS_LINK)
    return authors_path(data_dir)


def load_authors(data_dir: str | os.PathLike[str]) -> pl.DataFrame:
    """Read the ``authors`` table that ``fetch --authors`` or ``import`` stored.

    Raises
    ------
    DataError
        If there is none (naming the commands that make one) or it is malformed.
    """
    path = authors_path(data_dir)
    if not path.is_file():
        raise DataError(
            f"no authors table in {data_dir}: run `copub fetch --authors` or "
            f"`copub import AUTHOR_FILES… --data-dir {data_dir}` first"
        )
    try:
        authors = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise DataError(f"cannot read {path}: {exc}") from exc
    if authors.schema != AUTHORS:
        raise DataError(f"{path} does not follow the authors schema: got {dict(authors.schema)}")
    return authors
