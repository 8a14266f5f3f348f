"""Which partner groups each work involves, as Boolean columns.

A work meets partners only on its non-home side, matched by the rule of
:mod:`copub.classify.matching` (country, ROR, OpenAlex id in the lineage,
type):

- each affiliation that is not the home institution or one of its child
  units, with its institution's country, ROR, lineage and type (a home unit
  abroad is home, so its country is not a partner; a home author's second,
  non-home affiliation is);
- the reported ``countries`` of authorships with no home affiliation (an
  author with only a country still counts);
- never the home country itself.

Each institution and each reported country string is matched with the
members of every group once (by kind and key); a work then ORs the bit masks
of its candidates, so the matching never runs per row. A Python loop only
runs over groups, never rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import get_args

import polars as pl

from copub.classify.home import home_institution_ids
from copub.classify.keyed import KeyedTables
from copub.classify.matching import Membership, match_keys, member_keys, valid_in_year
from copub.classify.membership import PartnerGroups
from copub.classify.sorted_search import in_sorted
from copub.errors import UsageError
from copub.normalize import Tables

__all__ = ["Membership", "group_labels", "work_group_flags"]


def _matches(
    rows: pl.DataFrame,
    by: str,
    members: pl.DataFrame,
    home_country: str,
    priority_codes: list[str],
    merge_hk_mo: bool,
) -> pl.DataFrame:
    """``by, label, valid_from, valid_to``: the groups (and ``priority_XX``) each row meets.

    ``rows`` are institutions or reported countries, in :func:`match_keys`'s
    columns; the home country is never a partner. ``priority_XX`` is valid in
    every year.
    """
    keys = match_keys(rows, by=by, merge_hk_mo=merge_hk_mo).filter(
        (pl.col("kind") != "country") | (pl.col("key") != home_country)
    )
    grouped = keys.join(members.lazy(), on=["kind", "key"]).select(
        by, "valid_from", "valid_to", label="group"
    )
    priority = keys.filter((pl.col("kind") == "country") & pl.col("key").is_in(priority_codes))
    return pl.concat(
        [
            grouped,
            priority.select(
                by,
                valid_from=pl.lit(None, pl.Int32),
                valid_to=pl.lit(None, pl.Int32),
                label=pl.lit("priority_") + pl.col("key"),
            ),
        ]
    ).collect()


def _masks(
    matches: pl.DataFrame, by: str, labels: list[str], years: pl.DataFrame | None
) -> pl.DataFrame:
    """One bit mask per ``by`` (and ``year`` when given): word ``m<k>`` holds labels 64k…64k+63."""
    bits = matches.join(
        pl.DataFrame(
            {
                "label": labels,
                "word": [i // 64 for i in range(len(labels))],
                "bit": [1 << (i % 64) for i in range(len(labels))],
            },
            schema={"label": pl.String, "word": pl.UInt32, "bit": pl.UInt64},
        ),
        on="label",
    )
    keys = [by]
    if years is not None:
        bits = bits.join(years, how="cross").filter(valid_in_year(pl.col("year")))
        keys.append("year")
    words = range((len(labels) + 63) // 64)
    return bits.group_by(keys).agg(
        pl.when(pl.col("word") == k)
        .then(pl.col("bit"))
        .otherwise(pl.lit(0, pl.UInt64))
        .bitwise_or()
        .alias(f"m{k}")
        for k in words
    )


def group_labels(
    keyed: KeyedTables,
    groups: PartnerGroups,
    *,
    membership: Membership = "current",
    merge_hk_mo: bool = True,
) -> pl.DataFrame:
    """:func:`work_group_flags` on keyed tables (``wid`` for ``work_id``; home from ``keyed``).

    A work meets a group through its candidates (see the module docs): each
    non-home affiliation's institution, and each country that an authorship
    with no home affiliation reports. Which groups a candidate meets depends
    on the candidate alone (and, for historical membership, the year), so it
    is matched once per institution and per reported string, and each
    work ORs the bit masks of its candidates.
    """
    if membership not in get_args(Membership):
        raise UsageError(f"membership must be 'current' or 'historical', not {membership!r}")
    partner_groups = [g for g in groups if g.key != "home"]
    priority_codes = (
        sorted({m.code for m in groups.get("priority").members}) if "priority" in groups else []
    )
    labels = [g.key for g in partner_groups] + [f"priority_{code}" for code in priority_codes]
    members = member_keys(partner_groups, membership)
    institutions = keyed.institutions.select(
        "iid", "institution_id", "country_code", "ror", "lineage", "type"
    )
    reported = pl.DataFrame(
        {
            "rid": pl.int_range(keyed.reported_codes.len(), dtype=pl.UInt32, eager=True),
            "country_code": keyed.reported_codes,
        }
    ).with_columns(
        institution_id=pl.lit(None, pl.String),
        ror=pl.lit(None, pl.String),
        lineage=pl.lit(None, pl.List(pl.String)),
        type=pl.lit(None, pl.String),
    )
    # In authorship order, as the reported rows: found by binary search.
    home_authorships = keyed.authorships.filter("is_home")["aid"]
    candidates = [
        (keyed.affiliations.lazy().filter(~pl.col("is_home")).select("wid", "iid"), institutions),
        (
            keyed.reported.lazy()
            .filter(~pl.lit(in_sorted(keyed.reported["aid"], home_authorships)))
            .select("wid", "rid"),
            reported,
        ),
    ]
    words = [f"m{k}" for k in range((len(labels) + 63) // 64)]
    years = keyed.works.select("year").unique() if membership == "historical" else None
    parts = []
    for frame, rows in candidates:
        source = rows.columns[0]
        masks = _masks(
            _matches(rows, source, members, groups.home_country, priority_codes, merge_hk_mo),
            source,
            labels,
            years,
        )
        if years is None:
            # One mask per institution (or reported string), looked up by position.
            dense = [
                pl.repeat(0, rows.height, dtype=pl.UInt64, eager=True).scatter(
                    masks[source], masks[w]
                )
                for w in words
            ]
            bits = frame.select(
                "wid",
                *(
                    pl.lit(d).gather(pl.col(source)).alias(w)
                    for w, d in zip(words, dense, strict=True)
                ),
            )
        else:
            bits = (
                frame.join(keyed.works.lazy().select("wid", "year"), on="wid")
                .join(masks.lazy(), on=[source, "year"])
                .select("wid", *words)
            )
        grouped = bits.group_by("wid", maintain_order=True).agg(
            pl.col(w).bitwise_or() for w in words
        )
        # One row per work of ``keyed.works``, in its order: read by position when the
        # rows come in work order (the affiliations and reported rows do), no hashing.
        parts.append(keyed.per_work(grouped).collect())
    institution_part, reported_part = parts
    either = institution_part.with_columns(
        pl.col(w).fill_null(0) | pl.lit(reported_part[w]).fill_null(0) for w in words
    )
    return either.select(
        "wid",
        *(
            ((pl.col(f"m{i // 64}") & pl.lit(1 << (i % 64), pl.UInt64)) != 0).alias(name)
            for i, name in enumerate(labels)
        ),
    )


def work_group_flags(
    tables: Tables,
    groups: PartnerGroups,
    *,
    institution: str | Sequence[str],
    membership: Membership = "current",
    merge_hk_mo: bool = True,
) -> pl.DataFrame:
    """One row per work: a Boolean per partner group, plus ``priority_XX`` per priority country.

    Parameters
    ----------
    tables : Tables
    groups : PartnerGroups
        From :func:`load_groups`; the ``home`` group gets no column.
    institution : str
        The home institution (short OpenAlex id); it and its child units
        (by lineage) never count as partners.
    membership : {"current", "historical"}
        ``"current"`` applies each group's current membership to every year;
        ``"historical"`` judges each work by the members valid in its year.
    merge_hk_mo : bool
        Count Hong Kong and Macao as China.

    Returns
    -------
    pl.DataFrame
        ``work_id``, one Boolean column per group key except ``home`` (True
        when at least one co-author is affiliated in the group), then
        ``priority_XX`` for every country ever in the ``priority`` group (a
        non-home co-author in that country, whatever the year).

    Examples
    --------
    >>> from copub import Tables
    >>> from copub.classify.groups import load_groups
    >>> work_group_flags(Tables.empty(), load_groups(), institution="I1").columns[:4]
    ['work_id', 'nordic', 'eu', 'eea']
    """
    keyed = KeyedTables.from_tables(tables, home_institution_ids(tables, institution))
    return keyed.with_work_ids(
        group_labels(keyed, groups, membership=membership, merge_hk_mo=merge_hk_mo)
    )
