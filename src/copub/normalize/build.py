"""Raw works frame to the six tidy tables, in vectorised polars expressions."""

from __future__ import annotations

import polars as pl

from copub.normalize.impact import impact_columns
from copub.normalize.keys import WORK_KEY
from copub.normalize.schemas import UNKEYED

#: What the build makes from the records; the keys are added at the merge.
WORKS = UNKEYED["works"]
AUTHORSHIPS = UNKEYED["authorships"]
AFFILIATIONS = UNKEYED["affiliations"]
INSTITUTIONS = UNKEYED["institutions"]
SOURCES = UNKEYED["sources"]
FUNDING = UNKEYED["funding"]

__all__ = [
    "DESCRIPTIONS",
    "PART_FRAMES",
    "WORK_ROW",
    "attach_funder_rors",
    "choose_institutions",
    "choose_sources",
    "deduplicate_raw",
    "institution_conflicts",
    "institution_votes",
    "part_frames",
]

_OPENALEX = "https://openalex.org/"
#: Each part frame's row names its record by ``_work``, the record's row in the
#: part's raw records (and in its ``ranks``): the merge keeps and keys rows on it,
#: an integer, rather than on the string ``work_id``.
WORK_ROW = pl.int_range(pl.len(), dtype=pl.UInt32).alias("_work")
_ROR = "https://ror.org/"
_DOI = "https://doi.org/"


def _short(expr: pl.Expr) -> pl.Expr:
    return expr.str.strip_prefix(_OPENALEX)


def deduplicate_raw(raw: pl.DataFrame) -> tuple[pl.DataFrame, int, int]:
    """Keep one record per work id.

    When the same work arrives twice, the complete record wins over a
    truncated one, then the one with more authorships, then the most recently
    updated, so the choice does not depend on the order of pages.

    Returns
    -------
    (pl.DataFrame, int, int)
        The kept records; how many true duplicates were removed; and how many
        works had a truncated record replaced by a complete one (a re-fetched
        single-work record is not a duplicate, so it is counted apart).
    """
    ranked = raw.with_columns(
        _truncated=pl.col("is_authors_truncated").fill_null(False),
        _n=pl.col("authorships").list.len().fill_null(0),
    ).sort(
        ["id", "_truncated", "_n", "updated_date"],
        descending=[False, False, True, True],
        nulls_last=True,
        # Ties go to the record read first, so a repeated run chooses the same one.
        maintain_order=True,
    )
    unique = ranked.unique(subset="id", keep="first", maintain_order=True)
    completed = int(
        ranked.group_by("id")
        .agg(pl.col("_truncated").any() & ~pl.col("_truncated").first())
        .get_column("_truncated")
        .sum()
    )
    removed = raw.height - unique.height
    return unique.drop("_truncated", "_n"), removed - completed, completed


def _works(raw: pl.DataFrame) -> pl.DataFrame:
    source = pl.col("primary_location").struct.field("source")
    issns = (
        pl.concat_list(source.struct.field("issn_l"), source.struct.field("issn"))
        .list.drop_nulls()
        .list.unique(maintain_order=True)
        .fill_null([])
    )
    return raw.select(
        WORK_ROW,
        work_id=pl.col("id"),
        year=pl.col("publication_year"),
        publication_date=pl.col("publication_date").str.to_date(strict=False),
        type=pl.col("type"),
        doi=pl.col("doi").str.strip_prefix(_DOI).str.to_lowercase(),
        title=pl.col("display_name"),
        language=pl.col("language"),
        is_retracted=pl.col("is_retracted").fill_null(False),
        is_paratext=pl.col("is_paratext").fill_null(False),
        source_id=_short(source.struct.field("id")),
        issn_l=source.struct.field("issn_l"),
        issns=issns,
        n_authors=pl.col("authorships").list.len().fill_null(0).cast(pl.Int32),
        is_authors_truncated=pl.col("is_authors_truncated").fill_null(False),
        n_references=pl.col("referenced_works_count"),
        is_xpac=pl.col("is_xpac").fill_null(False),
        # --- citation impact (issue 15): see copub.normalize.impact ---
        **impact_columns(),
    ).cast(WORKS)


def _exploded_authorships(raw: pl.DataFrame) -> pl.DataFrame:
    """One row per authorship, keeping the nested struct for later steps.

    ``_row`` numbers the authorships and ``_work`` the works, in order: the
    steps below group and join on these integers rather than on the ids.
    """
    return (
        raw.select(
            work_id=pl.col("id"),
            a=pl.col("authorships"),
            position=pl.int_ranges(pl.col("authorships").list.len().fill_null(0)),
            updated_date=pl.col("updated_date"),
            _work=WORK_ROW,
        )
        .filter(pl.col("position").list.len() > 0)
        .explode(["a", "position"])
        .filter(pl.col("position").is_not_null())
        .with_row_index("_row")
    )


def _authorships(exploded: pl.DataFrame, affiliations: pl.DataFrame) -> pl.DataFrame:
    """The authorships table's columns but ``affiliation_strings``, with ``_row``.

    ``n_institutions`` counts the authorship's rows in ``affiliations``
    (:func:`_affiliations`: one per distinct institution id, in ``_row`` order).
    """
    a = pl.col("a")
    author = a.struct.field("author")
    runs = affiliations["_row"].rle().struct.unnest()
    counts = pl.repeat(0, exploded.height, dtype=pl.UInt32, eager=True)
    counts = counts.scatter(runs["value"], runs["len"])
    return exploded.select(
        "_row",
        "_work",
        "work_id",
        "position",
        author_id=_short(author.struct.field("id")),
        author_name=pl.coalesce(
            author.struct.field("display_name"), a.struct.field("raw_author_name")
        ),
        is_corresponding=a.struct.field("is_corresponding").fill_null(False),
        countries=a.struct.field("countries").fill_null([]),
        n_institutions=pl.lit(counts),
        n_raw_affiliations=a.struct.field("raw_affiliation_strings").list.len().fill_null(0),
        has_affiliations=a.struct.field("affiliations").is_not_null(),
    )


def _repeats_previous(*columns: str) -> pl.Expr:
    """True where the row holds the same values as the row before in every one of ``columns``.

    On rows sorted by those columns, the rows after the first of each run of
    equal values: duplicates found between neighbours, with no hash table.
    """
    return pl.all_horizontal(pl.col(c).eq_missing(pl.col(c).shift(1)) for c in columns)


def _dense_ranks_within(groups: pl.Series, values: pl.Series) -> pl.Series:
    """Each value's rank (from 0) among its group's distinct values, sorted (UInt32).

    What ``values.rank("dense").over(groups) - 1`` gives, from one sort of
    the (group, value) pairs, at half its cost. Neither may hold a null.

    Examples
    --------
    >>> _dense_ranks_within(pl.Series([1, 1, 1, 2]), pl.Series(["b", "a", "b", "c"])).to_list()
    [1, 0, 1, 0]
    """
    pairs = pl.DataFrame({"g": groups, "v": values}).with_row_index("i").sort("g", "v")
    first_of_group = pl.col("g").ne_missing(pl.col("g").shift(1))
    count = (first_of_group | pl.col("v").ne_missing(pl.col("v").shift(1))).cum_sum()
    ranked = pairs.select(
        "i", rank=(count - pl.when(first_of_group).then(count).forward_fill()).cast(pl.UInt32)
    )
    return (
        pl.repeat(0, values.len(), dtype=pl.UInt32, eager=True)
        .scatter(ranked["i"], ranked["rank"])
        .alias(values.name)
    )


def _short_ids(ids: pl.Series) -> pl.Series:
    """Each list's ids without nulls, short, distinct and sorted (``[]`` for none or null).

    A sort, not a ``list.eval`` per list (three times the cost), and only of
    the lists with more than one id (a few in a hundred).

    Examples
    --------
    >>> _short_ids(pl.Series([[_OPENALEX + "I2", "I1", "I2", None], None, []])).to_list()
    [['I1', 'I2'], [], []]
    """
    flat = (
        ids.alias("id")
        .to_frame()
        .with_row_index("entry")
        .explode("id")
        .drop_nulls("id")
        .with_columns(pl.col("id").str.strip_prefix(_OPENALEX))
    )
    runs = flat["entry"].rle().struct.unnest()
    several = runs.filter(pl.col("len") > 1)["value"]
    if several.len():
        of_several = pl.col("entry").is_in(several.implode())
        flat = pl.concat(
            [flat.filter(~of_several), flat.filter(of_several).unique().sort("entry", "id")]
        ).sort("entry", maintain_order=True)
    lists = flat.group_by(pl.col("entry").set_sorted(), maintain_order=True).agg("id")
    every = pl.int_range(ids.len(), dtype=pl.UInt32, eager=True).alias("entry").to_frame()
    joined = every.join(lists, on="entry", how="left", maintain_order="left")
    return joined["id"].fill_null([]).alias(ids.name)


def _affiliation_strings(exploded: pl.DataFrame) -> pl.DataFrame:
    """``_row, affiliation_strings`` for authorships with an ``affiliations`` field.

    As in the CWTS OpenAlex databases, strings are trimmed, empty ones are
    dropped, the same string twice under one authorship counts once, and
    equal strings of a work share one ``string_id``.
    """
    entries = (
        exploded.select("_row", "_work", f=pl.col("a").struct.field("affiliations"))
        .filter(pl.col("f").list.len() > 0)
        .explode("f")
        .select(
            "_row",
            "_work",
            text=pl.col("f").struct.field("raw_affiliation_string").str.strip_chars(),
            ids=pl.col("f").struct.field("institution_ids"),
        )
        .filter(pl.col("text").is_not_null() & (pl.col("text") != ""))
    )
    string_ids = _dense_ranks_within(entries["_work"], entries["text"]).cast(pl.Int32)
    # Sorted once on integers: each authorship's strings come out in string_id order.
    entries = entries.select("_row", "ids", string_id=string_ids).sort(
        "_row", "string_id", maintain_order=True
    )
    ids = pl.col("ids")
    if entries.select(_repeats_previous("_row", "string_id").any()).item():
        # A string twice under one authorship: one entry, with the ids of both.
        entries = entries.group_by("_row", "string_id", maintain_order=True).agg(
            ids.list.explode(keep_nulls=False, empty_as_null=False).drop_nulls()
        )
    per_string = entries.select("_row", "string_id", institution_ids=_short_ids(entries["ids"]))
    return per_string.group_by(pl.col("_row").set_sorted(), maintain_order=True).agg(
        affiliation_strings=pl.struct("string_id", "institution_ids")
    )


def _with_affiliation_strings(authorships: pl.DataFrame, strings: pl.DataFrame) -> pl.DataFrame:
    empty = pl.lit([], dtype=AUTHORSHIPS["affiliation_strings"])
    return (
        authorships.join(strings, on="_row", how="left", maintain_order="left")
        .with_columns(
            affiliation_strings=pl.when(pl.col("has_affiliations")).then(
                pl.coalesce(pl.col("affiliation_strings"), empty)
            )
        )
        .drop("_row", "has_affiliations")
        .cast(AUTHORSHIPS)
    )


def _affiliation_rows(exploded: pl.DataFrame) -> pl.DataFrame:
    return (
        exploded.select(
            "_row",
            "_work",
            "work_id",
            "position",
            "updated_date",
            inst=pl.col("a").struct.field("institutions"),
        )
        .filter(pl.col("inst").list.len() > 0)
        .explode("inst")
        .unnest("inst")
        .filter(pl.col("id").is_not_null())
        .with_columns(institution_id=_short(pl.col("id")))
    )


def _affiliations(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per authorship (``_row``) and institution, in that order (what the merge keeps)."""
    ordered = rows.select("_row", "_work", "work_id", "position", "institution_id").sort(
        "_row", "institution_id"
    )
    return ordered.filter(~_repeats_previous("_row", "institution_id")).cast(AFFILIATIONS)


#: The institution attributes that records of works may disagree on.
INSTITUTION_ATTRIBUTES = ("name", "ror", "country_code", "type", "lineage")
#: Joins a lineage into one value to count (short ids hold no "|").
_LINEAGE_SEPARATOR = "|"
#: What one record says of an institution: its id and its attributes.
_DESCRIPTION = ("institution_id", *INSTITUTION_ATTRIBUTES)


def institution_rows(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """How each work's record describes its institutions, as the part's distinct descriptions.

    Returns
    -------
    (pl.DataFrame, pl.DataFrame)
        The rows, ``_work, _description, updated_date``: one per work
        and description it gives (``updated_date`` breaks ties between
        conflicting records); and the descriptions, ``_description``, the
        institution's id and attributes (a lineage as one ``|``-joined value,
        null when empty) and ``_repeats``, true in every row when some work
        of the part gives two descriptions of one institution.

    A part holds a few thousand descriptions for hundreds of thousands of
    rows: the merge counts the rows on integers and reads the strings once
    per description (:func:`institution_votes`).
    """
    lineage = pl.col("lineage").list.eval(_short(pl.element()))
    described = rows.select(
        "_work",
        "updated_date",
        "institution_id",
        name=pl.col("display_name"),
        ror=pl.col("ror").str.strip_prefix(_ROR),
        country_code=pl.col("country_code").str.to_uppercase(),
        type=pl.col("type"),
        lineage=pl.when(lineage.list.len() > 0).then(lineage.list.join(_LINEAGE_SEPARATOR)),
    )
    grouped = (
        described.group_by(_DESCRIPTION, maintain_order=True)
        .agg("_work", "updated_date")
        .with_row_index("_description")
    )
    # A description's works come in row order, so a work's repeats are neighbours.
    by_work = (
        grouped.select("_description", "_work", "updated_date")
        .explode("_work", "updated_date")
        .filter(~_repeats_previous("_description", "_work"))
    )
    repeats = False
    if grouped["institution_id"].is_duplicated().any():  # some institution described two ways
        institution = pl.lit(grouped["institution_id"].rank("dense")).gather(pl.col("_description"))
        repeated = pl.struct("_work", institution.alias("i")).is_duplicated().any()
        repeats = bool(by_work.select(repeated).item())
    descriptions = grouped.select("_description", *_DESCRIPTION, _repeats=pl.lit(repeats))
    return by_work.select("_work", "_description", "updated_date"), descriptions


def institution_votes(
    rows: pl.LazyFrame, descriptions: pl.LazyFrame
) -> tuple[pl.DataFrame, pl.Series]:
    """How the kept records describe each institution, ranked; and the institutions they name.

    ``rows`` are :func:`institution_rows`' rows of the kept works, with
    ``_part`` and a work key; ``descriptions`` every part's descriptions,
    with ``_part``.

    The votes: one row per institution, attribute and known value (a
    lineage as one ``|``-joined value): ``works`` whose record gives it, the
    ``newest`` ``updated_date`` among them, and ``rank``, 0 for the value
    kept: the most works, then the newest record, then the value, so the
    choice never depends on the order of the files. One pass over the rows
    serves :func:`choose_institutions` and :func:`institution_conflicts`.
    """
    described = descriptions.collect()
    on = ["_part", "_description"]
    if not described["_repeats"].any():
        # Each work gives one description of an institution: its works per value are the
        # disjoint union of its works per description, counted on integers (see _votes).
        counted = (
            rows.group_by(on)
            .agg(works=pl.len(), newest=pl.col("updated_date").max())
            .join(described.lazy(), on=on)
            .group_by(_DESCRIPTION)
            .agg(works=pl.col("works").sum(), newest=pl.col("newest").max())
            .collect()
        )
        return _counted_votes(counted), counted["institution_id"].unique()
    full = (
        rows.join(described.lazy(), on=on)
        .select(*_DESCRIPTION, "updated_date", work_id=WORK_KEY)
        .collect()
    )
    return _votes(full, by_description=False), full["institution_id"].unique()


def _votes(described: pl.DataFrame, *, by_description: bool) -> pl.DataFrame:
    """:func:`institution_votes` of described rows (``institution_id, work_id, updated_date``
    and the attributes, lineage joined).

    ``by_description`` only when each work describes each of its institutions
    once (a record repeats an institution only with the same attributes,
    which the rows hold once): the works giving a value are then the
    disjoint union of the works giving each whole description, so the few
    distinct descriptions are counted first, not every work's five
    attributes.
    """
    if by_description:
        return _counted_votes(
            described.group_by(_DESCRIPTION).agg(
                works=pl.len(), newest=pl.col("updated_date").max()
            )
        )
    index = ["institution_id", "work_id", "updated_date"]
    return _ranked_votes(described, index, pl.col("work_id").n_unique())


def _counted_votes(counted: pl.DataFrame) -> pl.DataFrame:
    """The votes of descriptions counted: ``works`` giving each, and the ``newest`` record."""
    return _ranked_votes(counted, ["institution_id", "works", "newest"], pl.col("works").sum())


def _ranked_votes(frame: pl.DataFrame, index: list[str], works: pl.Expr) -> pl.DataFrame:
    """Per institution, attribute and value: ``works`` and ``newest`` (``index[2]``), ranked."""
    return (
        frame.lazy()
        .unpivot(
            on=list(INSTITUTION_ATTRIBUTES),
            index=index,
            variable_name="attribute",
            value_name="value",
        )
        .drop_nulls("value")
        .group_by("institution_id", "attribute", "value")
        .agg(works=works.cast(pl.UInt32), newest=pl.col(index[2]).max())
        .sort(
            ["institution_id", "attribute", "works", "newest", "value"],
            descending=[False, False, True, True, False],
            nulls_last=True,
        )
        .with_columns(rank=pl.int_range(pl.len()).over("institution_id", "attribute"))
        .collect()
    )


def choose_institutions(votes: pl.DataFrame, institution_ids: pl.LazyFrame) -> pl.LazyFrame:
    """One row per institution of ``institution_ids``, each attribute chosen on its own.

    Records of works copy an institution's attributes as they were when the
    work was last updated, so they may disagree (a renamed institution, or
    one wrong record). Each attribute takes the value that the most works'
    records give, a tie going to the newest record (``updated_date``; see
    :func:`institution_votes`); a missing value never outvotes a known one.
    One record can never rewrite an institution that others describe: the
    home institution, in every work, least of all. copub holds no
    ``/institutions`` records of its own, so the works' records are the only
    source; :func:`institution_conflicts` counts the records that disagree.
    """
    chosen = votes.filter(pl.col("rank") == 0).pivot(
        on="attribute", index="institution_id", values="value"
    )
    missing = [c for c in INSTITUTION_ATTRIBUTES if c not in chosen.columns]
    chosen = chosen.with_columns(pl.lit(None, pl.String).alias(c) for c in missing)
    return (
        institution_ids.unique()
        .join(chosen.lazy(), on="institution_id", how="left")
        .with_columns(pl.col("lineage").str.split(_LINEAGE_SEPARATOR).fill_null([]))
        .sort("institution_id")
        .select(list(INSTITUTIONS))
        .cast(INSTITUTIONS)  # type: ignore[arg-type]
    )


def institution_conflicts(votes: pl.DataFrame) -> pl.DataFrame:
    """Where records of works disagree on an institution: one row per institution and attribute.

    Columns: ``institution_id, attribute, kept`` (the value
    :func:`choose_institutions` keeps, as text), ``kept_works`` (works whose
    record gives it), ``conflicting_works`` (works whose record gives another
    known value) and ``others`` (those values, most frequent first).
    """
    later = pl.col("rank") > 0
    return (
        votes.group_by("institution_id", "attribute", maintain_order=True)
        .agg(
            kept=pl.col("value").filter(pl.col("rank") == 0).first(),
            kept_works=pl.col("works").filter(pl.col("rank") == 0).first().cast(pl.Int64),
            conflicting_works=pl.col("works").filter(later).sum().cast(pl.Int64),
            others=pl.col("value").filter(later),
        )
        .filter(pl.col("conflicting_works") > 0)
        .sort("institution_id", "attribute")
    )


def source_rows(raw: pl.DataFrame) -> pl.DataFrame:
    """Each work's primary source: ``work_id`` and the sources table's columns."""
    source = pl.col("primary_location").struct.field("source")
    return (
        raw.select(WORK_ROW, work_id=pl.col("id"), s=source)
        .filter(pl.col("s").struct.field("id").is_not_null())
        .select(
            "_work",
            "work_id",
            source_id=_short(pl.col("s").struct.field("id")),
            name=pl.col("s").struct.field("display_name"),
            type=pl.col("s").struct.field("type"),
            issn_l=pl.col("s").struct.field("issn_l"),
            issns=pl.col("s").struct.field("issn").fill_null([]),
            publisher=pl.col("s").struct.field("host_organization_name"),
            is_core=pl.col("s").struct.field("is_core"),
        )
    )


def choose_sources(rows: pl.LazyFrame) -> pl.LazyFrame:
    """One row per source from :func:`source_rows`: the first by name, then ISSN-L."""
    return (
        rows.drop("work_id")
        .sort("source_id", "name", "issn_l", nulls_last=True, maintain_order=True)
        .unique(subset="source_id", keep="first", maintain_order=True)
        .cast(SOURCES)  # type: ignore[arg-type]
    )


def _funding(raw: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Grants (older schema) and awards (newer), and the funder RORs ``funders`` gives.

    The RORs are attached at the merge (:func:`attach_funder_rors`): a funder's
    ROR may come from another work than the grant.
    """
    grants = (
        raw.select(WORK_ROW, work_id="id", g="grants")
        .filter(pl.col("g").list.len() > 0)
        .explode("g")
        .select(
            "_work",
            "work_id",
            funder_id=_short(pl.col("g").struct.field("funder")),
            funder_name=pl.col("g").struct.field("funder_display_name"),
            award_id=pl.col("g").struct.field("award_id"),
        )
    )
    awards = (
        raw.select(WORK_ROW, work_id="id", g="awards")
        .filter(pl.col("g").list.len() > 0)
        .explode("g")
        .select(
            "_work",
            "work_id",
            funder_id=_short(pl.col("g").struct.field("funder_id")),
            funder_name=pl.col("g").struct.field("funder_display_name"),
            award_id=pl.col("g").struct.field("funder_award_id"),
        )
    )
    funders = (
        raw.select(WORK_ROW, work_id="id", f="funders")
        .filter(pl.col("f").list.len() > 0)
        .explode("f")
        .select(
            "_work",
            "work_id",
            funder_id=_short(pl.col("f").struct.field("id")),
            funder_name=pl.col("f").struct.field("display_name"),
            funder_ror=pl.col("f").struct.field("ror").str.strip_prefix(_ROR),
        )
    )
    awarded = pl.concat([grants, awards]).filter(pl.col("funder_id").is_not_null())
    # A funder listed without any award still acknowledges funding.
    # Keyed by the record (``_work``): a part holds every record read, a work's repeats too.
    unawarded = funders.join(awarded, on=["_work", "funder_id"], how="anti").select(
        "_work", "work_id", "funder_id", "funder_name", award_id=pl.lit(None, pl.String)
    )
    return (
        pl.concat([awarded, unawarded])
        .filter(pl.col("funder_id").is_not_null())
        .sort("_work", "funder_id", "award_id", "funder_name", nulls_last=True)
        .unique(subset=["_work", "funder_id", "award_id"], keep="first", maintain_order=True)
    ), funders.select("_work", "work_id", "funder_id", "funder_ror").drop_nulls()


def attach_funder_rors(funding: pl.LazyFrame, funder_rows: pl.LazyFrame) -> pl.LazyFrame:
    """The funding table: each funder's ROR, as any kept work's ``funders`` gives it.

    Columns of ``funding`` beyond the table's (a key) are kept, after them.
    """
    rors = (
        funder_rows.drop("work_id")
        .sort("funder_id", "funder_ror")
        .unique(subset="funder_id", keep="first", maintain_order=True)
    )
    return (
        funding.join(rors, on="funder_id", how="left")
        .select(*FUNDING, pl.exclude(*FUNDING))
        .sort("work_id", "funder_id", "award_id", "funder_name", nulls_last=True)
        .cast(FUNDING)  # type: ignore[arg-type]
    )


#: The frames one part of the files yields: the work-keyed tables as they are,
#: and the rows the institutions and sources tables are chosen from at the merge.
PART_FRAMES = (
    "works",
    "authorships",
    "affiliations",
    "funding",
    "funder_rows",
    "institution_rows",
    "source_rows",
)
#: A part's frame that names no work: the descriptions ``institution_rows`` point to.
DESCRIPTIONS = "institution_descriptions"


def part_frames(raw: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The :data:`PART_FRAMES` of raw records, and :data:`DESCRIPTIONS`.

    Every frame of :data:`PART_FRAMES` has a ``_work`` (the record's row), so the merge can
    keep the rows of the record that wins when a work occurs twice; each record's rows
    are made from it alone. The authorships and affiliations are in record, position
    and institution id order: the merge's stable sort on the work key keeps it.
    """
    exploded = _exploded_authorships(raw)
    rows = _affiliation_rows(exploded)
    affiliations = _affiliations(rows)
    funding, funder_rows = _funding(raw)
    described, descriptions = institution_rows(rows)
    return {
        "works": _works(raw),
        "authorships": _with_affiliation_strings(
            _authorships(exploded, affiliations), _affiliation_strings(exploded)
        ),
        "affiliations": affiliations.drop("_row"),
        "funding": funding,
        "funder_rows": funder_rows,
        "institution_rows": described,
        DESCRIPTIONS: descriptions,
        "source_rows": source_rows(raw),
    }
