"""The home institution beside its peers: the same figures, ranked and tested.

:func:`peer_indicators` runs :func:`~copub.indicators.yearly.yearly_indicators`
(or :func:`~copub.indicators.yearly.window_indicators`) once per institution,
with the one :class:`~copub.classify.definitions.Definitions` value changed
only in its ``institutions`` field, so a peer's rows are exactly what a
single-institution run of that peer gives. Beside them it adds the
institution's name, its rank per share among the institutions (1 = highest)
and, for each peer, the two-proportion z-test
(:func:`~copub.indicators.trends.two_proportion_p`) against the home
institution in the same year or window.

The z-test treats the two institutions' works as independent samples; works
they share sit in both, so the test is conservative when they share many.

:func:`shared_works_matrix` gives, for every ordered pair of institutions,
the share of the first one's works (its universe over the years) that the
second one is also on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Final, Literal

import numpy as np
import polars as pl

from copub.classify.definitions import Definitions
from copub.classify.group_data import load_groups
from copub.classify.membership import Group, Member
from copub.errors import UsageError
from copub.indicators.catalogue import indicator_specs
from copub.indicators.definitions import share_column
from copub.indicators.labels import LabelledWorks, label_works
from copub.indicators.schemas import check_table, window_schema, yearly_schema
from copub.indicators.trends import two_proportion_p
from copub.indicators.yearly import window_indicators, yearly_indicators
from copub.normalize import Tables
from copub.validate import parse_institution_id

__all__ = [
    "PEER_GROUP_FILES",
    "PEER_LEAD",
    "SHARED_WORKS",
    "PeerIndicators",
    "Period",
    "group_member_ids",
    "peer_group",
    "peer_indicators",
    "peer_schema",
    "resolve_peers",
    "shared_works_matrix",
]

Period = Literal["year", "window"]

#: Packaged groups used only as peer groups (not partner-group shares).
PEER_GROUP_FILES: Final = ("norway_universities.toml",)

#: The columns every peer table starts with, before the yearly (window) table's.
PEER_LEAD: Final = pl.Schema(
    {"institution_id": pl.String(), "institution_name": pl.String(), "is_home": pl.Boolean()}
)

#: :func:`shared_works_matrix`: ``share`` is ``shared_works / works``.
SHARED_WORKS: Final = pl.Schema(
    {
        "institution_id": pl.String(),
        "institution_name": pl.String(),
        "partner_id": pl.String(),
        "partner_name": pl.String(),
        "works": pl.Int64(),
        "shared_works": pl.Int64(),
        "share": pl.Float64(),
    }
)

#: p-values below this mark a peer as different from the home institution.
ALPHA: Final = 0.05


def peer_schema(definitions: Definitions, period: Period = "year") -> pl.Schema:
    """The declared schema of :attr:`PeerIndicators.table`.

    :data:`PEER_LEAD`, the yearly (or window) table's columns, then for every
    share ``<share>_rank`` (Int32, 1 = highest), ``<share>_vs_home_p`` and
    ``<share>_differs`` (p below 0.05; null for the home institution).

    Examples
    --------
    >>> schema = peer_schema(Definitions())
    >>> list(schema)[:4]
    ['institution_id', 'institution_name', 'is_home', 'year']
    >>> schema["intl_share_rank"], schema["intl_share_differs"]
    (Int32, Boolean)
    """
    specs = indicator_specs(definitions)
    base = yearly_schema(specs) if period == "year" else window_schema(specs)
    out = dict(PEER_LEAD) | dict(base)
    for spec in specs:
        share = share_column(spec.name)
        out |= {
            f"{share}_rank": pl.Int32(),
            f"{share}_vs_home_p": pl.Float64(),
            f"{share}_differs": pl.Boolean(),
        }
    return pl.Schema(out)


@dataclass(frozen=True)
class PeerIndicators:
    """The result of :func:`peer_indicators`.

    Attributes
    ----------
    table : pl.DataFrame
        One row per institution and year (or window); schema :func:`peer_schema`.
    shared : pl.DataFrame
        :func:`shared_works_matrix` of the same institutions (schema :data:`SHARED_WORKS`).
    home : str
        The home institution's id (the first of ``institutions``).
    institutions : tuple of str
        The institutions compared, home first.
    unresolved : tuple of str
        Group members that could not be found in the tables, with the reason;
        never silently dropped.
    definitions : Definitions
        The home institution's definitions; each peer's differ only in ``institutions``.
    """

    table: pl.DataFrame
    shared: pl.DataFrame
    home: str
    institutions: tuple[str, ...]
    unresolved: tuple[str, ...]
    definitions: Definitions


def peer_group(key: str, definitions: Definitions) -> Group:
    """The institution group ``key``: a partner group of ``definitions`` or a packaged peer group.

    Raises
    ------
    UsageError
        When no such group exists, or it is not a group of institutions.

    Examples
    --------
    >>> peer_group("n5t", Definitions()).label
    'Nordic Five Tech'
    >>> peer_group("norway_universities", Definitions()).kind
    'institution'
    >>> peer_group("nowhere", Definitions())
    Traceback (most recent call last):
    ...
    copub.errors.UsageError: no institution group 'nowhere'; known: ...
    """
    groups = {g.key: g for g in definitions.partner_groups}
    for name in PEER_GROUP_FILES:
        path = resources.files("copub.classify") / "reference" / name
        with resources.as_file(path) as file:
            for group in load_groups(file, replace=True):
                groups.setdefault(group.key, group)
    institution_groups = [k for k, g in groups.items() if g.kind == "institution"]
    if key not in groups:
        raise UsageError(
            f"no institution group {key!r}; known: {', '.join(sorted(institution_groups))}"
        )
    group = groups[key]
    if group.kind != "institution":
        raise UsageError(
            f"group {key!r} is a group of {group.kind} members, not institutions; "
            f"institution groups: {', '.join(sorted(institution_groups))}"
        )
    return group


def _top_level(tables: Tables) -> pl.DataFrame:
    return tables.institutions.select("institution_id", "name", "ror")


def resolve_peers(tables: Tables, group: Group) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The group's members found in the tables (ROR first, OpenAlex id second), and the rest.

    Returns
    -------
    (ids, unresolved)
        ``ids``: OpenAlex ids of the members present in ``tables.institutions``;
        ``unresolved``: one ``"NAME (reason)"`` text per member that is not.
    """
    known = _top_level(tables)
    by_ror = dict(zip(known["ror"].to_list(), known["institution_id"].to_list(), strict=True))
    ids = set(known["institution_id"].to_list())
    found: list[str] = []
    missing: list[str] = []
    for member in group.current_members():
        name = member.name or member.code
        if member.ror and member.ror in by_ror:
            found.append(by_ror[member.ror])
        elif member.openalex_id and member.openalex_id in ids:
            found.append(member.openalex_id)
        elif not (member.ror or member.openalex_id):
            missing.append(_no_ids(member, group))
        else:
            shown = member.openalex_id or f"ROR {member.ror}"
            missing.append(f"{name} ({shown} does not occur in these tables)")
    return tuple(dict.fromkeys(found)), tuple(missing)


def _no_ids(member: Member, group: Group) -> str:
    return f"{member.name or member.code} (no ROR or OpenAlex id in group {group.key!r})"


def group_member_ids(
    group: Group, by_ror: Mapping[str, str | None] | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The group's current members as OpenAlex ids, without tables (what ``fetch`` needs).

    A member's own ``openalex_id`` first; else the id ``by_ror`` gives for its
    ROR (``copub.fetch.institutions.openalex_ids_by_ror`` asks OpenAlex).

    Parameters
    ----------
    group : Group
        An institution group (:func:`peer_group`).
    by_ror : mapping of str to str or None, optional
        OpenAlex ids by ROR for the members that have only a ROR (None: not
        known to OpenAlex).

    Returns
    -------
    (ids, unresolved)
        ``ids``: OpenAlex ids in the group's order, each once; ``unresolved``:
        one ``"NAME (reason)"`` text per member without one.

    Examples
    --------
    >>> n5t = peer_group("n5t", Definitions())
    >>> ids, unresolved = group_member_ids(n5t)
    >>> len(ids), unresolved
    (4, ('Aalto University (ROR 020hwjq30 only; its OpenAlex id was not looked up)',))
    >>> len(group_member_ids(n5t, {"020hwjq30": "I1"})[0])
    5
    """
    looked_up = by_ror or {}
    found: list[str] = []
    missing: list[str] = []
    for member in group.current_members():
        name = member.name or member.code
        if member.openalex_id:
            found.append(member.openalex_id)
        elif not member.ror:
            missing.append(_no_ids(member, group))
        elif looked_up.get(member.ror):
            found.append(str(looked_up[member.ror]))
        elif member.ror in looked_up:
            missing.append(f"{name} (OpenAlex knows no institution with ROR {member.ror})")
        else:
            missing.append(f"{name} (ROR {member.ror} only; its OpenAlex id was not looked up)")
    return tuple(dict.fromkeys(found)), tuple(missing)


def _names(tables: Tables, ids: Sequence[str]) -> dict[str, str]:
    rows = tables.institutions.filter(pl.col("institution_id").is_in(list(ids)))
    names = dict(zip(rows["institution_id"].to_list(), rows["name"].to_list(), strict=True))
    return {i: names.get(i) or i for i in ids}


def _ranks_and_tests(
    table: pl.DataFrame, definitions: Definitions, by: str, home: str
) -> pl.DataFrame:
    exprs: list[pl.Expr] = []
    specs = indicator_specs(definitions)
    for spec in specs:
        share = share_column(spec.name)
        exprs.append(
            pl.col(share)
            .rank("min", descending=True)
            .over(by)
            .cast(pl.Int32)
            .alias(f"{share}_rank")
        )
    ranked = table.with_columns(exprs)
    home_rows = ranked.filter(pl.col("institution_id") == home)
    tested = []
    for spec in specs:
        k, n = f"{spec.name}_works", f"{spec.name}_base"
        tested += [k, n]
    home_counts = home_rows.select(by, *[pl.col(c).alias(f"_home_{c}") for c in tested])
    joined = ranked.join(home_counts, on=by, how="left", maintain_order="left")
    p_columns: list[pl.Series] = []
    for spec in specs:
        share = share_column(spec.name)
        k, n = f"{spec.name}_works", f"{spec.name}_base"
        arrays = [
            joined[c].cast(pl.Float64).fill_null(np.nan).to_numpy()
            for c in (f"_home_{k}", f"_home_{n}", k, n)
        ]
        p = two_proportion_p(*arrays)
        # Same counts in both (p NaN from zero variance) is no difference at all.
        p_series = pl.Series(f"{share}_vs_home_p", p, dtype=pl.Float64).fill_nan(None)
        p_columns.append(p_series)
    out = joined.with_columns(p_columns).drop(f"_home_{c}" for c in tested)
    is_home = pl.col("institution_id") == home
    return out.with_columns(
        [
            pl.when(is_home)
            .then(None)
            .otherwise(pl.col(f"{share_column(s.name)}_vs_home_p"))
            .alias(f"{share_column(s.name)}_vs_home_p")
            for s in specs
        ]
    ).with_columns(
        [
            pl.when(is_home)
            .then(None)
            .otherwise(pl.col(f"{share_column(s.name)}_vs_home_p") < ALPHA)
            .alias(f"{share_column(s.name)}_differs")
            for s in specs
        ]
    )


def shared_works_matrix(
    labelled: Sequence[LabelledWorks], names: dict[str, str] | None = None
) -> pl.DataFrame:
    """For each ordered pair of institutions, the share of the first's works the second is on.

    Parameters
    ----------
    labelled : sequence of LabelledWorks
        One per institution (its ``definitions.institution`` names it).
    names : dict, optional
        Institution names by id.

    Returns
    -------
    pl.DataFrame
        Schema :data:`SHARED_WORKS`; the diagonal is included (share 1).

    Examples
    --------
    >>> import copub
    >>> tables = copub.load_sample(scale=0.01)
    >>> d = Definitions(bootstrap=0)
    >>> both = [label_works(tables, d), label_works(tables, d.with_(institutions=("I86987016",)))]
    >>> m = shared_works_matrix(both)
    >>> m.filter(pl.col("institution_id") == pl.col("partner_id"))["share"].to_list()
    [1.0, 1.0]
    """
    names = names or {}
    sets = {w.definitions.institution: set(w.works["work_id"].to_list()) for w in labelled}
    rows = []
    for first, works in sets.items():
        for second, other in sets.items():
            shared = len(works & other)
            rows.append(
                {
                    "institution_id": first,
                    "institution_name": names.get(first, first),
                    "partner_id": second,
                    "partner_name": names.get(second, second),
                    "works": len(works),
                    "shared_works": shared,
                    "share": shared / len(works) if works else None,
                }
            )
    table = pl.DataFrame(rows, schema=SHARED_WORKS)
    return check_table(table, SHARED_WORKS, "shared-works matrix")


def peer_indicators(
    tables: Tables,
    definitions: Definitions | None = None,
    *,
    peers: Sequence[str] = (),
    group: str | None = None,
    period: Period = "year",
) -> PeerIndicators:
    """The home institution beside its peers, with ranks and tests against the home.

    Parameters
    ----------
    tables : Tables
        Tables holding every institution's works (the union, stored once).
    definitions : Definitions, optional
        The home institution is ``definitions.institution``; every other field
        applies to every institution.
    peers : sequence of str
        Peer institution ids (URLs accepted). Each must have works in the
        universe, else :class:`UsageError` names it.
    group : str, optional
        An institution group (``n5t``, ``enhance``, ``norway_universities``);
        its members found in the tables join ``peers``; members that are not
        found are listed in :attr:`PeerIndicators.unresolved`.
    period : {"year", "window"}
        Yearly rows or rolling windows (``definitions.period_window`` years).

    A peer whose every work in the tables is shared with another compared
    institution (the data holds only their co-publications, as when only the
    home's works were fetched) would show the shares of those, not its own:
    an explicit peer is then an error, a group member is listed in
    ``unresolved`` and left out.

    Raises
    ------
    UsageError
        An unknown group, no peers at all, an institution with no works, or an
        explicit peer with only co-publications with the home in the tables.

    Examples
    --------
    >>> import copub
    >>> tables = copub.load_sample(scale=0.02)
    >>> d = Definitions(years=(2020, 2021), bootstrap=0)
    >>> result = peer_indicators(tables, d, group="n5t")
    >>> result.table.filter("is_home")["institution_name"].unique().to_list()
    ['Norwegian University of Science and Technology']
    >>> result.table["year"].unique().sort().to_list()
    [2020, 2021]
    """
    chosen = definitions if definitions is not None else Definitions()
    home = chosen.institution
    ids: list[str] = [home]
    unresolved: tuple[str, ...] = ()
    for peer in peers:
        ids.append(parse_institution_id(peer))
    if group is not None:
        found, unresolved = resolve_peers(tables, peer_group(group, chosen))
        ids += found
    ids = list(dict.fromkeys(ids))
    if len(ids) < 2:
        raise UsageError(
            "peers: name at least one peer institution other than the home "
            f"institution {home} (--institution or --group)"
        )
    names = _names(tables, ids)
    labelled: list[LabelledWorks] = []
    frames: list[pl.DataFrame] = []
    explicit = {home, *(parse_institution_id(p) for p in peers)}
    every: dict[str, LabelledWorks] = {}
    skipped: list[str] = []
    for institution in ids:
        own = chosen if institution == home else chosen.with_(institutions=(institution,))
        works = label_works(tables, own)
        if works.works.is_empty():
            reason = (
                f"institution {institution} ({names[institution]}) has no works in the "
                "universe for these definitions; fetch or import its works, or drop it"
            )
            if institution in explicit:
                raise UsageError(f"peers: {reason}")
            skipped.append(f"{names[institution]} ({institution}: no works in the universe)")
            continue
        every[institution] = works
    sets = {i: set(w.works["work_id"].to_list()) for i, w in every.items()}
    for institution, works in every.items():
        others = set().union(*(v for k, v in sets.items() if k != institution))
        if institution != home and sets[institution] <= others:
            # Only its co-publications with the others are in the data (e.g. only the
            # home's works were fetched): its shares would describe those, not it.
            reason = (
                f"{names[institution]} ({institution}: every one of its works in these tables "
                "is shared with another institution compared here, so the data holds only "
                "those co-publications; fetch or import its own works)"
            )
            if institution in explicit:
                raise UsageError(f"peers: {reason}")
            skipped.append(reason)
            continue
        labelled.append(works)
        figures = yearly_indicators(works) if period == "year" else window_indicators(works)
        frames.append(
            figures.select(
                pl.lit(institution).alias("institution_id"),
                pl.lit(names[institution]).alias("institution_name"),
                pl.lit(institution == home).alias("is_home"),
                pl.all(),
            )
        )
    if len(labelled) < 2:
        raise UsageError(
            f"peers: no peer of {home} has its own works in these tables: " + "; ".join(skipped)
        )
    by = "year" if period == "year" else "period"
    table = _ranks_and_tests(pl.concat(frames, how="vertical"), chosen, by, home)
    table = table.sort(by, "is_home", "institution_id", descending=[False, True, False])
    schema = peer_schema(chosen, period)
    table = check_table(table.select(list(schema)), schema, "peer table")
    return PeerIndicators(
        table=table,
        shared=shared_works_matrix(labelled, names),
        home=home,
        institutions=tuple(w.definitions.institution for w in labelled),
        unresolved=unresolved + tuple(skipped),
        definitions=chosen,
    )
