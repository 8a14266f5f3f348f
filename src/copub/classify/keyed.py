"""The tables with integer keys, made once: what every per-work label is computed from.

Labelling joins the tables on the work, the authorship and the institution
many times over; on string ids those joins were most of its cost. The
:class:`KeyedTables` hold the same rows with dense integer keys, assigned
once, with each string column hashed once:

``wid`` (UInt32)
    The work: its rank among the sorted work ids, so ordering by ``wid`` is
    ordering by ``work_id``; ``work_ids[wid]`` is the id.
``aid`` (UInt64)
    The authorship: ``wid * 2**32 + position``, the same in the authorships
    and the affiliations without a join.
``iid`` (UInt32)
    The institution: a row of ``institutions``, which also holds (with null
    attributes) every id that an affiliation or an affiliation string names
    but the institutions table lacks.
``rid`` (UInt32)
    A country string as authorships report it: ``reported_codes[rid]``.

``wid`` and the known institutions' ``iid`` are the keys the build stored
(``work_key``, ``institution_key``: :mod:`copub.normalize.keys`) when the
tables carry them: each row's stored key is checked against its id (an
integer gather and one comparison) and only a row whose key does not agree
(frames cut or mixed by hand) is ranked from its string id. Tables without
stored keys are ranked whole; the keys come out the same either way.

Rows of a work that the works table lacks carry no key and are dropped: no
label belongs to them. Nothing here is a definition: the rules that read
these frames live in their own modules (countries, groups, collaboration,
funding, channels, and counting and the universe in the indicators), and
each public function on :class:`~copub.normalize.Tables` keys the tables and
calls the same rule.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from copub.classify.sorted_search import in_sorted
from copub.concurrent import WORKERS, side_by_side
from copub.normalize import Tables
from copub.normalize.keys import INSTITUTION_KEY, KEY_COLUMNS, WORK_KEY

__all__ = [
    "AUTHORSHIP_STRIDE",
    "Engine",
    "FrameLike",
    "KeyedTables",
    "home_shares",
    "key_tables",
    "top_universities",
]

FrameLike = pl.DataFrame | pl.LazyFrame
Engine = Literal["auto", "in-memory", "streaming"]

#: ``aid = wid * AUTHORSHIP_STRIDE + position``.
AUTHORSHIP_STRIDE = 2**32

#: The columns labelling reads from each table; nothing else is keyed or kept.
COLUMNS: dict[str, tuple[str, ...]] = {
    "works": (
        "work_id",
        "year",
        "type",
        "source_id",
        "language",
        "is_retracted",
        "is_paratext",
        "is_xpac",
        "n_authors",
        "n_references",
        "issn_l",
        "issns",
    ),
    "authorships": (
        "work_id",
        "position",
        "is_corresponding",
        "countries",
        "n_raw_affiliations",
        "affiliation_strings",
    ),
    "affiliations": ("work_id", "position", "institution_id"),
    "institutions": ("institution_id", "ror", "country_code", "type", "lineage"),
    "sources": ("source_id", "type", "is_core", "issn_l", "issns"),
    "funding": ("work_id", "funder_id", "funder_ror"),
}


@dataclass(frozen=True)
class KeyedTables:
    """The rows labelling reads, keyed by integers (see the module docs).

    Attributes
    ----------
    work_ids : pl.Series
        The sorted work ids; ``work_ids[wid]``.
    works : pl.DataFrame
        ``wid`` and the works columns labelling reads, sorted by ``wid``.
    authorships : pl.DataFrame
        ``wid, aid, n_raw_affiliations, is_corresponding,
        n_affiliation_strings, is_home``;
        ``n_affiliation_strings`` is null when the record has no
        ``affiliations`` field; ``is_home``: some affiliation is a home one.
    affiliations : pl.DataFrame
        ``wid, aid, iid, is_home``.
    strings : pl.DataFrame
        ``wid, aid, string_id, n_strings, is_first, iid``: one row per
        (authorship, affiliation string, institution the string names);
        ``iid`` is null for a string that names none; ``n_strings`` is the
        authorship's number of strings (each listed once, see
        :data:`~copub.normalize.schemas.AFFILIATION_STRINGS`); ``is_first``
        marks the first row of each (authorship, string).
    reported : pl.DataFrame
        ``wid, aid, rid``: one row per country an authorship reports.
    reported_codes : pl.Series
        The distinct reported country strings, as given.
    institutions : pl.DataFrame
        ``iid, institution_id, ror, country_code, type, lineage, is_home,
        home_share``: ``home_share`` is the part of a slot at the institution
        that the home takes (:func:`home_shares`: below 1 for a joint unit).
    sources : pl.DataFrame
    funding : pl.DataFrame
        ``wid, funder_id, funder_ror``.
    home_ids : tuple of str
        The home institutions and their child units (empty: no home).
    """

    work_ids: pl.Series
    works: pl.DataFrame
    authorships: pl.DataFrame
    affiliations: pl.DataFrame
    strings: pl.DataFrame
    reported: pl.DataFrame
    reported_codes: pl.Series
    institutions: pl.DataFrame
    sources: pl.DataFrame
    funding: pl.DataFrame
    home_ids: tuple[str, ...]

    @classmethod
    def from_tables(cls, tables: Tables, home_ids: Sequence[str] = ()) -> KeyedTables:
        """Key in-memory tables; ``home_ids`` as :func:`~copub.classify.home.home_institution_ids`.

        Examples
        --------
        >>> KeyedTables.from_tables(Tables.empty()).works.columns[:2]
        ['wid', 'work_id']
        """
        return key_tables(tables.frames(), home_ids=home_ids, trusted=tables.keys_trusted)

    def with_work_ids(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``frame`` with its ``wid`` column replaced by ``work_id`` (first)."""
        ids = self.work_ids.gather(frame["wid"]).alias("work_id")
        return frame.select(pl.lit(ids), pl.exclude("wid"))

    def of_works(self, wids: pl.Series) -> pl.Expr:
        """True for a row whose ``wid`` is one of ``wids``: a mask read by position, no join."""
        mask = pl.repeat(False, self.work_ids.len(), eager=True).scatter(wids, True)
        return pl.lit(mask).gather(pl.col("wid"))

    def work_column(self, name: str) -> pl.Expr:
        """The ``works`` column ``name`` for each row's ``wid``, read by position (no join)."""
        column = self.works[name]
        by_wid = pl.repeat(None, self.work_ids.len(), dtype=column.dtype, eager=True)
        return pl.lit(by_wid.scatter(self.works["wid"], column)).gather(pl.col("wid"))

    def restrict(self, wids: pl.Series, workers: int = WORKERS) -> KeyedTables:
        """These tables with only the works ``wids`` (and their rows); keys unchanged."""
        keep = self.of_works(wids)
        names = ("works", "authorships", "affiliations", "strings", "reported", "funding")
        kept = side_by_side(
            *(functools.partial(getattr(self, name).filter, keep) for name in names),
            workers=workers,
        )
        return dataclasses.replace(self, **dict(zip(names, kept, strict=True)))

    def per_work(self, frame: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
        """Every work's ``wid`` left-joined with ``frame`` (keyed by ``wid``), in ``wid`` order.

        A frame with one row per work, in ``wid`` order (what a label's
        sorted group-by gives), is read by position instead of joined: each
        work's row is looked up in an index over every ``wid``.
        """
        eager = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
        wid = eager["wid"]
        n = wid.len()
        increasing = not wid.null_count() and wid.is_sorted()
        if not increasing or (n > 1 and (wid.slice(1) == wid.slice(0, n - 1)).any()):
            return (
                self.works.lazy()
                .select("wid")
                .join(eager.lazy(), on="wid", how="left", maintain_order="left")
            )
        rows = pl.int_range(n, dtype=pl.UInt32, eager=True)
        by_wid = pl.repeat(None, self.work_ids.len(), dtype=pl.UInt32, eager=True)
        row = by_wid.scatter(wid, rows).gather(self.works["wid"])
        return eager.lazy().select(
            pl.lit(self.works["wid"]).alias("wid"), pl.exclude("wid").gather(row)
        )


def _collect(frame: FrameLike, name: str, engine: Engine) -> pl.DataFrame:
    """The columns labelling reads of table ``name``, and the stored keys it has."""
    lazy = frame.lazy()
    present = lazy.collect_schema()
    stored = [key for key in KEY_COLUMNS[name] if key in present]
    return lazy.select(*COLUMNS[name], *stored).collect(engine=engine)


def _key_lookup(stored: pl.Series | None, n: int) -> tuple[bool, pl.Series | None]:
    """How stored keys of a table's rows map to its row index: (usable, lookup).

    ``lookup`` is None when the keys are the row index itself (a whole
    generation's table); otherwise ``lookup[key]`` is the row. Keys that
    are missing, null or repeated are not usable.
    """
    if stored is None or stored.null_count() or stored.len() != n:
        return False, None
    if not n:
        return True, None
    if stored.is_sorted():
        if (stored.slice(1) == stored.slice(0, n - 1)).any():
            return False, None
        if stored[0] == 0 and stored[-1] == n - 1:
            return True, None  # n distinct sorted keys from 0 to n - 1: the row itself
    elif stored.n_unique() != n:
        return False, None
    rows = pl.int_range(n, dtype=pl.UInt32, eager=True)
    size = int(stored.max()) + 1  # type: ignore[arg-type]
    return True, pl.repeat(None, size, dtype=pl.UInt32, eager=True).scatter(stored, rows)


def _verified_ranks(
    column: pl.Series,
    stored: pl.Series | None,
    categories: pl.Series,
    lookup: tuple[bool, pl.Series | None],
    merge: bool,
    trusted: bool = False,
) -> pl.Series:
    """:func:`_rank` of ``column``, read from the ``stored`` keys where they agree.

    Each row's key (through ``lookup``, see :func:`_key_lookup`) is checked
    against its id; a row whose key names another id, or none, is ranked.
    ``trusted`` keys (see :func:`key_tables`) are read without the check.
    """
    usable, table = lookup
    if stored is None or not usable:
        return _rank(column, categories, merge)
    hint = stored.cast(pl.UInt32)
    bound = categories.len() if table is None else table.len()
    if hint.len() and (hint.max() or 0) >= bound:  # type: ignore[operator]
        hint = pl.select(pl.when(pl.lit(hint) < bound).then(pl.lit(hint))).to_series()
    if table is not None:
        hint = table.gather(hint)
    if trusted:
        return hint.alias(column.name)
    wrong = categories.gather(hint).ne_missing(column)
    if not wrong.any():
        return hint.alias(column.name)
    at = wrong.arg_true()
    return hint.scatter(at, _rank(column.gather(at), categories, merge)).alias(column.name)


def _index(values: pl.Series) -> pl.Series:
    """The distinct non-null ``values``, sorted."""
    distinct = values.drop_nulls()
    if not distinct.is_sorted():
        distinct = distinct.sort()
    if distinct.len() > 1 and (distinct.slice(1) == distinct.slice(0, distinct.len() - 1)).any():
        distinct = distinct.unique(maintain_order=True)
    return distinct


#: How many first values :func:`_rank` looks at to choose its path.
_HEAD = 4096


def _runs(column: pl.Series) -> tuple[pl.Series, pl.Series]:
    """A column as the values of its runs of equal values, and each row's run."""
    runs = column.rle().struct.unnest()
    run = pl.int_range(runs.height, dtype=pl.UInt32, eager=True).repeat_by(runs["len"]).explode()
    return runs["value"], run


def _sorted_ranks(values: pl.Series, categories: pl.Series) -> pl.Series:
    """The ranks of ``values`` in sorted ``categories`` (binary search, no hashing)."""
    # ``all`` skips nulls: a null value must not pass for a category.
    same = values.len() == categories.len() and not values.null_count()
    if same and (values == categories).all():
        return pl.int_range(values.len(), dtype=pl.UInt32, eager=True)
    if not categories.len():
        return pl.repeat(None, values.len(), dtype=pl.UInt32, eager=True)
    at = categories.search_sorted(values).clip(0, categories.len() - 1).cast(pl.UInt32)
    found = categories.gather(at) == values
    return pl.select(pl.when(pl.lit(found)).then(pl.lit(at))).to_series()


def _rank(column: pl.Series, categories: pl.Series, merge: bool) -> pl.Series:
    """Each string's rank in ``categories`` (UInt32; null for one it lacks).

    ``merge``: the categories are sorted. A column in work order (a table's
    ``work_id``) is then ranked run by run, each run's value found by binary
    search, which holds for any column; a column whose head is unsorted has
    about as many runs as rows, so it is cast to an Enum of the categories.
    """
    if merge and column.len() > 1 and column.head(_HEAD).is_sorted():
        values, run = _runs(column)
        return _sorted_ranks(values, categories).gather(run).alias(column.name)
    return column.cast(pl.Enum(categories), strict=False).to_physical().cast(pl.UInt32)


def _ranks(
    columns: Sequence[pl.Series], categories: pl.Series, workers: int = WORKERS
) -> list[pl.Series]:
    """:func:`_rank` of each column, side by side (string work runs on one thread)."""
    merge = categories.is_sorted()
    return side_by_side(
        *(functools.partial(_rank, column, categories, merge) for column in columns),
        workers=workers,
    )


def _by_authorship(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` in authorship order, with ``wid`` and ``aid`` flagged sorted.

    The tables are written in that order, so this is usually a check; the
    flags let every later group-by on ``wid`` or ``aid`` take polars' sorted
    path instead of hashing. The frames are narrow integer columns, made
    contiguous once (an eager operation would otherwise align their chunks
    every time).
    """
    frame = frame.rechunk()
    if not frame["aid"].is_sorted():
        frame = frame.sort("aid", maintain_order=True)
    return frame.with_columns(pl.col("wid").set_sorted(), pl.col("aid").set_sorted())


def _by_work(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` in work order, with ``wid`` flagged sorted (see :func:`_by_authorship`)."""
    if not frame["wid"].is_sorted():
        frame = frame.sort("wid", maintain_order=True)
    return frame.with_columns(pl.col("wid").set_sorted())


def _aid() -> pl.Expr:
    return (
        pl.col("wid").cast(pl.UInt64) * AUTHORSHIP_STRIDE + pl.col("position").cast(pl.UInt64)
    ).alias("aid")


def _with_work_keys(frame: pl.DataFrame, wid: pl.Series) -> pl.DataFrame:
    """``frame`` with ``wid`` first, ``work_id`` dropped, and the rows of unknown works dropped."""
    keyed = frame.lazy().select(pl.lit(wid).alias("wid"), pl.exclude("work_id", WORK_KEY))
    if wid.null_count():
        keyed = keyed.filter(pl.col("wid").is_not_null())
    return keyed.collect()


def top_universities(institutions: pl.DataFrame) -> pl.Expr:
    """Per institution row, the top-level universities in its lineage (a list of ids).

    A top-level university is an institution of OpenAlex type ``education``
    whose lineage holds nothing but itself, as the institutions table knows
    it; a lineage id the table lacks is not counted (its type is unknown).
    """
    lineage = pl.col("lineage")
    tops = institutions.filter(
        (pl.col("type") == "education")
        & (
            (lineage.list.len().fill_null(0) == 0)
            | ((lineage.list.len() == 1) & (lineage.list.first() == pl.col("institution_id")))
        )
    )["institution_id"].to_list()
    return lineage.fill_null([]).list.eval(pl.element().filter(pl.element().is_in(tops)))


def home_shares(institutions: pl.DataFrame, home_ids: Sequence[str]) -> pl.Expr:
    """The part of a slot at each institution that the home takes (Float64).

    0 for an institution that is not home (``is_home``); 1 for a home
    institution or a child unit of it; for a *joint unit*, one whose lineage
    holds k >= 2 top-level universities (:func:`top_universities`), 1/k for
    each of those universities that is home, as the Leiden Ranking splits a
    joint organisation between its universities. A home below those
    universities (the joint unit itself, or a unit between) takes the whole
    slot; so does a home that is none of them (a funder in the lineage, say).
    """
    tops = top_universities(institutions)
    k = tops.list.len()
    home_tops = tops.list.eval(pl.element().is_in(list(home_ids))).list.sum()
    return (
        pl.when(~pl.col("is_home"))
        .then(0.0)
        .when((k >= 2) & (home_tops > 0))
        .then(home_tops.cast(pl.Float64) / k.cast(pl.Float64))
        .otherwise(1.0)
    )


def _with_extras(column: pl.Series, iids: pl.Series, extra: pl.Series, offset: int) -> pl.Series:
    """``iids`` with each id the table lacks keyed ``offset`` + its rank in ``extra``."""
    at = (iids.is_null() & column.is_not_null()).arg_true()
    if not at.len():
        return iids
    ranks = _rank(column.gather(at), extra, merge=False) + offset
    return iids.scatter(at, ranks.cast(pl.UInt32))


def _institution_ranks(
    known: pl.DataFrame, trusted: bool = False
) -> tuple[pl.DataFrame, Callable[[pl.Series, pl.Series | None], pl.Series]]:
    """The institutions table's rows (one per id), and how a column of ids is ranked in them.

    The ranking function takes a column of ids and its stored
    ``institution_key`` (or None) and gives each id its row (:func:`_verified_ranks`),
    null for an id the table lacks (:func:`_institutions` adds those).
    """
    known = known.filter(pl.col("institution_id").is_not_null()).unique(
        "institution_id", keep="first", maintain_order=True
    )
    categories = known["institution_id"]
    stored = known.get_column(INSTITUTION_KEY) if INSTITUTION_KEY in known.columns else None
    ranks = functools.partial(
        _verified_ranks,
        categories=categories,
        lookup=_key_lookup(stored, known.height),
        merge=categories.is_sorted(),
        trusted=trusted,
    )
    return known, ranks


def _institutions(
    known: pl.DataFrame,
    named: list[tuple[pl.Series, pl.Series]],
    home_ids: Sequence[str],
) -> tuple[pl.DataFrame, list[pl.Series]]:
    """The institutions table plus every id in ``named`` that it lacks, and ``named``'s iids.

    ``known``: the table's rows from :func:`_institution_ranks`; ``named``:
    each column of ids with its ranks there (null for an id the table lacks).
    """
    columns = [column for column, _ in named]
    iids = [ranks for _, ranks in named]
    missing = [s.filter(i.is_null() & s.is_not_null()) for s, i in zip(columns, iids, strict=True)]
    extra = pl.concat(missing).unique().sort()
    if extra.len():
        # The ids the table lacks follow its rows, in their sorted order.
        iids = [_with_extras(s, i, extra, known.height) for s, i in zip(columns, iids, strict=True)]
        known = pl.concat(
            [known, pl.DataFrame({"institution_id": extra})], how="diagonal_relaxed"
        ).cast(known.schema)
    table = known.select(pl.exclude(INSTITUTION_KEY)).with_row_index("iid")
    table = table.with_columns(is_home=pl.col("institution_id").is_in(list(home_ids)))
    return table.with_columns(home_share=home_shares(table, home_ids)), iids


def _string_rows(wide: pl.LazyFrame, institution: pl.Expr) -> pl.DataFrame:
    """``wid, aid, string_id, <institution>, n_strings, is_first``: one row per
    (authorship, affiliation string, institution the string names).

    ``institution`` reads a string's list of institutions from its struct ``s``
    (as ids or already ranked); its name names the column.
    """
    name = institution.meta.output_name()
    return (
        wide.select(
            "wid",
            "aid",
            s="affiliation_strings",
            n_strings=pl.col("affiliation_strings").list.len(),
        )
        # Only the authorships with strings: the explode drops the others (no filter,
        # which would copy every list first).
        .explode("s", empty_as_null=False, keep_nulls=False)
        .select(
            "wid",
            "aid",
            pl.col("s").struct.field("string_id").alias("string_id"),
            institution,
            n_strings="n_strings",
            entry=pl.int_range(pl.len(), dtype=pl.UInt32),
        )
        # A string that names no institution keeps its row (iid null): it still counts.
        .explode(name, empty_as_null=True)
        # An entry's rows are adjacent after the explode (and stay so: sorts are stable).
        .with_columns(is_first=(pl.col("entry") != pl.col("entry").shift(1)).fill_null(True))
        .drop("entry")
        .collect()
    )


def key_tables(
    frames: Mapping[str, FrameLike],
    *,
    home_ids: Sequence[str] = (),
    engine: Engine = "auto",
    workers: int = WORKERS,
    trusted: bool = False,
) -> KeyedTables:
    """Key the six tables, given as frames or lazy frames (a scan is read once, column-pruned).

    Parameters
    ----------
    frames : mapping
        ``works, authorships, affiliations, institutions, sources, funding``
        with the columns of :mod:`copub.normalize.schemas`.
    home_ids : sequence of str
        The home institutions and their child units.
    engine : {"auto", "in-memory", "streaming"}
        The polars engine that reads lazy frames.
    workers : int
        How many independent steps run at once (1 keeps memory lowest).
    trusted : bool
        The stored key columns agree with the ids (tables read whole from one
        generation, :attr:`~copub.normalize.Tables.keys_trusted`): they are
        read as they are, without checking each row against its id.
    """
    raw = {name: _collect(frames[name], name, engine) for name in COLUMNS}
    works = raw["works"]
    work_ids = _index(works["work_id"])
    others = ("authorships", "affiliations", "funding")
    if works["work_id"].is_sorted() and work_ids.len() == works.height:
        # wid is the row; the stored keys name it (checked row by row).
        lookup = _key_lookup(works.get_column(WORK_KEY, default=None), works.height)
        works = works.with_row_index("wid")
        wids = side_by_side(
            *(
                functools.partial(
                    _verified_ranks,
                    raw[name]["work_id"],
                    raw[name].get_column(WORK_KEY, default=None),
                    work_ids,
                    lookup,
                    True,
                    trusted,
                )
                for name in others
            ),
            workers=workers,
        )
    else:
        columns = [works["work_id"], *(raw[name]["work_id"] for name in others)]
        wids = _ranks(columns, work_ids, workers)
        works = works.with_columns(wid=wids.pop(0)).filter(pl.col("wid").is_not_null())
    works = _by_work(works.select("wid", *COLUMNS["works"]))
    by_table = dict(zip(others, wids, strict=True))

    # The wide authorships (with their lists) are only read lazily: an eager
    # operation on a frame whose columns are chunked differently rechunks them all.
    wide = _with_work_keys(raw["authorships"], by_table["authorships"]).lazy().with_columns(_aid())

    known, institution_ranks = _institution_ranks(raw["institutions"], trusted)

    # Four independent steps, each ranking its institution ids as soon as it has them;
    # the longest (the affiliation strings) goes first.
    def affiliation_rows() -> tuple[pl.DataFrame, pl.Series]:
        keyed = _with_work_keys(raw["affiliations"], by_table["affiliations"]).lazy()
        stored = [INSTITUTION_KEY] if INSTITUTION_KEY in raw["affiliations"].columns else []
        rows = keyed.select("wid", _aid(), "institution_id", *stored).collect()
        ranks = institution_ranks(
            rows["institution_id"], rows.get_column(INSTITUTION_KEY, default=None)
        )
        return rows.drop(stored), ranks

    def string_rows() -> tuple[pl.DataFrame, pl.Series | None]:
        ids = pl.col("s").struct.field("institution_ids")
        try:
            # Usually the table has every id the strings name: they are ranked inside the
            # lists (an Enum cast, strict), so the explode moves integers, not id strings.
            enum = pl.List(pl.Enum(known["institution_id"]))
            ranked = ids.cast(enum).to_physical().cast(pl.List(pl.UInt32))
            return _string_rows(wide, ranked.alias("iid")), None
        except pl.exceptions.InvalidOperationError:
            # Some id is missing from the table: ranked as strings (null), then added.
            rows = _string_rows(wide, ids.alias("institution_id"))
            return rows, institution_ranks(rows["institution_id"], None)

    def reported_rows() -> tuple[pl.DataFrame, pl.Series]:
        reported = (
            wide.select("wid", "aid", code="countries").explode("code").drop_nulls("code").collect()
        )
        codes = _index(reported["code"].unique())
        rids = _rank(reported["code"], codes, merge=False)
        return _by_authorship(reported.lazy().select("wid", "aid", rid=rids).collect()), codes

    def authorship_rows() -> pl.DataFrame:
        return _by_authorship(
            wide.select(
                "wid",
                "aid",
                "n_raw_affiliations",
                pl.col("is_corresponding").fill_null(False),
                n_affiliation_strings=pl.col("affiliation_strings").list.len(),
            ).collect()
        )

    string_step, reported_step, affiliation_step, authorship_step = side_by_side(
        string_rows, reported_rows, affiliation_rows, authorship_rows, workers=workers
    )
    (strings, string_ranks), (affiliations, affiliation_ranks) = string_step, affiliation_step
    reported, reported_codes = reported_step
    named = [(affiliations["institution_id"], affiliation_ranks)]
    if string_ranks is not None:
        named.append((strings["institution_id"], string_ranks))
    institutions, iids = _institutions(known, named, home_ids)
    affiliation_iids = iids[0]
    string_iids = strings["iid"] if string_ranks is None else iids[1]
    is_home = institutions["is_home"]

    def home_authorships() -> pl.DataFrame:
        # Both in authorship order: a binary search, no hash table of the home authorships.
        home_aids = affiliations["aid"].filter(is_home.gather(affiliation_iids).fill_null(False))
        frame: pl.DataFrame = authorship_step
        return frame.with_columns(is_home=in_sorted(frame["aid"], home_aids))

    affiliations, strings, funding, authorships = side_by_side(
        lambda: _by_authorship(
            affiliations.lazy()
            .select("wid", "aid", iid=affiliation_iids)
            .with_columns(is_home=pl.lit(is_home).gather(pl.col("iid")).fill_null(False))
            .collect()
        ),
        lambda: _by_authorship(
            strings.lazy()
            .select("wid", "aid", "string_id", "n_strings", "is_first", iid=string_iids)
            .collect()
        ),
        lambda: _by_work(_with_work_keys(raw["funding"], by_table["funding"])),
        home_authorships,
        workers=workers,
    )
    return KeyedTables(
        work_ids=work_ids,
        works=works,
        authorships=authorships,
        affiliations=affiliations,
        strings=strings,
        reported=reported,
        reported_codes=reported_codes,
        institutions=institutions,
        sources=raw["sources"],
        funding=funding,
        home_ids=tuple(home_ids),
    )
