"""The yearly figures: every share per year (or window) in both counting methods."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import polars as pl

from copub.classify import PartnerGroups, Register, load_groups, load_register
from copub.classify.matching import Membership
from copub.errors import UsageError
from copub.indicators.base import per_work_frame
from copub.indicators.definitions import ShareSpec
from copub.indicators.presets import PRESETS, PresetName
from copub.indicators.shares import compute_shares
from copub.indicators.universe import TypesChoice
from copub.normalize import Tables
from copub.settings import DEFAULT_INSTITUTION
from copub.validate import parse_institution_id

__all__ = ["indicator_specs", "window_indicators", "yearly_indicators"]

PathLike = str | os.PathLike[str]


def indicator_specs(
    groups: PartnerGroups, *, register_available: bool, preset: PresetName = "leiden"
) -> list[ShareSpec]:
    """Every share the yearly table reports, in column order."""
    col = pl.col
    specs = [
        ShareSpec(
            "intl",
            "International co-publication",
            col("is_international"),
            None,
            "Works with at least two distinct countries among all affiliations and "
            "authorship countries (Leiden's PP(int collab)).",
        )
    ]
    intl_only = col("is_international")
    for group in groups.groups:
        if group.key == "home":
            continue
        partner = f"at least one co-author affiliated in {group.label}"
        specs.append(
            ShareSpec(group.key, group.label, col(group.key), None, f"Works with {partner}.")
        )
        specs.append(
            ShareSpec(
                f"{group.key}_of_intl",
                f"{group.label}, of international works",
                col(group.key),
                intl_only,
                f"International works with {partner}.",
            )
        )
    priority = groups.get("priority")
    if priority is not None:
        for code in sorted({m.code for m in priority.members}):
            specs.append(
                ShareSpec(
                    f"priority_{code}",
                    f"Priority country {code}",
                    col(f"priority_{code}"),
                    None,
                    f"Works with at least one co-author in {code}.",
                )
            )
    levels = col("level")
    specs += [
        ShareSpec(
            "level2",
            "Level 2 channels",
            levels == 2,
            levels.is_in([1, 2]),
            "Level-2 works among level-1 and level-2 works, by the register level of the "
            "work's source in the work's year.",
            available=register_available,
        ),
        ShareSpec(
            "channel_unmatched",
            "Channel not in register",
            ~col("in_register"),
            None,
            "Works whose source matches no ISSN of the register in the work's year.",
            available=register_available,
        ),
        ShareSpec(
            "fund_ec",
            "European Commission funding",
            col("funded_ec"),
            None,
            "Works acknowledging the European Commission (Horizon 2020, Horizon Europe).",
        ),
        ShareSpec(
            "fund_erc",
            "ERC funding",
            col("funded_erc"),
            None,
            "Works acknowledging the European Research Council.",
        ),
        ShareSpec(
            "fund_msca",
            "MSCA funding",
            col("funded_msca"),
            None,
            "Works acknowledging Marie Skłodowska-Curie Actions.",
        ),
        ShareSpec(
            "country_missing",
            "Not provably domestic",
            col("country_missing"),
            None,
            "Works where some authorship outside the institution has no country: they "
            "cannot be proven domestic (coverage).",
        ),
    ]
    return specs + list(PRESETS[preset].extra)


def _resolve(
    groups: PartnerGroups | PathLike | None, register: Register | PathLike | None
) -> tuple[PartnerGroups, Register | None]:
    resolved_groups = groups if isinstance(groups, PartnerGroups) else load_groups(groups)
    resolved_register = (
        register
        if isinstance(register, Register) or register is None
        else load_register(Path(register))
    )
    return resolved_groups, resolved_register


def _as_of(tables: Tables, as_of: dt.date | None) -> dt.date:
    if as_of is not None:
        return as_of
    try:
        return dt.datetime.fromisoformat(tables.provenance.created).date()
    except ValueError:
        return dt.date.today()


def _prepare(
    tables: Tables,
    *,
    institution: str,
    years: tuple[int, int] | None,
    register: Register | PathLike | None,
    groups: PartnerGroups | PathLike | None,
    types: TypesChoice | None,
    membership: Membership,
    merge_hk_mo: bool | None,
    preset: PresetName,
) -> tuple[pl.DataFrame, list[ShareSpec]]:
    if preset not in PRESETS:
        raise UsageError(f"preset must be one of {sorted(PRESETS)}, not {preset!r}")
    if membership not in ("current", "historical"):
        raise UsageError(f"membership must be 'current' or 'historical', not {membership!r}")
    chosen = PRESETS[preset]
    partner_groups, channel_register = _resolve(groups, register)
    per_work = per_work_frame(
        tables,
        institution=parse_institution_id(institution),
        groups=partner_groups,
        years=years,
        register=channel_register,
        types=chosen.types if types is None else types,
        membership=membership,
        merge_hk_mo=chosen.merge_hk_mo if merge_hk_mo is None else merge_hk_mo,
    )
    n_institutions = tables.affiliations.group_by("work_id").agg(
        n_institutions=pl.col("institution_id").n_unique()
    )
    per_work = per_work.join(n_institutions, on="work_id", how="left").with_columns(
        pl.col("n_institutions").fill_null(0)
    )
    specs = indicator_specs(
        partner_groups, register_available=channel_register is not None, preset=preset
    )
    return per_work, specs


def _coverage(per_work: pl.DataFrame, by: str) -> pl.DataFrame:
    return per_work.group_by(by).agg(
        authorship_no_country_rate=pl.col("n_authorships_no_country").sum()
        / pl.col("n_authorships").sum().cast(pl.Float64)
    )


def yearly_indicators(
    tables: Tables,
    *,
    institution: str = DEFAULT_INSTITUTION,
    years: tuple[int, int] | None = None,
    register: Register | PathLike | None = None,
    groups: PartnerGroups | PathLike | None = None,
    types: TypesChoice | None = None,
    membership: Membership = "current",
    merge_hk_mo: bool | None = None,
    preset: PresetName = "leiden",
    bootstrap: int = 1000,
    seed: int = 0,
    as_of: dt.date | None = None,
) -> pl.DataFrame:
    """The yearly figures: one row per year, every share in both counting methods.

    Parameters
    ----------
    tables : Tables
    institution : str
        Short OpenAlex id of the home institution (default NTNU).
    years : (int, int), optional
        Inclusive year range; default every year in the tables.
    register : Register or path, optional
        The Norwegian channel register; without it the level columns are
        null ("unavailable"), never zero.
    groups : PartnerGroups or path, optional
        Partner groups; a path is a TOML file that extends the defaults.
    types : "core", "all" or list of str, optional
        Document types; default from the preset ("core": article, review,
        book-chapter, not retracted, not paratext).
    membership : {"current", "historical"}
        Judge every year by today's group membership, or by the membership
        valid in the work's year.
    merge_hk_mo : bool, optional
        Count Hong Kong and Macao as China; default from the preset.
    preset : {"leiden", "scival", "bibliometrix"}
        Definition family; see :mod:`copub.indicators.presets`.
    bootstrap : int
        Resamples for the fractional shares' 95% stability intervals (0: none).
    seed : int
        Bootstrap seed.
    as_of : date, optional
        Years from this date's year on are flagged ``partial``; default the
        date the tables were built.

    Returns
    -------
    pl.DataFrame
        ``year, works, works_frac, partial, authorship_no_country_rate`` and,
        for every share, ``<x>_works``, ``<x>_base``, ``<x>_share`` with
        ``_low``/``_high`` (Wilson 95%), ``<x>_works_frac``, ``<x>_base_frac``
        and ``<x>_share_frac`` with ``_frac_low``/``_frac_high`` (bootstrap).

    Examples
    --------
    >>> import copub
    >>> yearly = copub.yearly_indicators(copub.load_sample(scale=0.01), bootstrap=0)
    >>> bool(((yearly["intl_share"] >= 0) & (yearly["intl_share"] <= 1)).all())
    True
    """
    per_work, specs = _prepare(
        tables,
        institution=institution,
        years=years,
        register=register,
        groups=groups,
        types=types,
        membership=membership,
        merge_hk_mo=merge_hk_mo,
        preset=preset,
    )
    shares = compute_shares(per_work, specs, by="year", bootstrap=bootstrap, seed=seed)
    cutoff = _as_of(tables, as_of).year
    return (
        shares.join(_coverage(per_work, "year"), on="year", how="left")
        .with_columns(partial=pl.col("year") >= cutoff)
        .select(
            "year",
            "works",
            "works_frac",
            "partial",
            "authorship_no_country_rate",
            pl.exclude("year", "works", "works_frac", "partial", "authorship_no_country_rate"),
        )
        .sort("year")
    )


def window_indicators(
    tables: Tables,
    *,
    size: int = 4,
    institution: str = DEFAULT_INSTITUTION,
    years: tuple[int, int] | None = None,
    register: Register | PathLike | None = None,
    groups: PartnerGroups | PathLike | None = None,
    types: TypesChoice | None = None,
    membership: Membership = "current",
    merge_hk_mo: bool | None = None,
    preset: PresetName = "leiden",
    bootstrap: int = 1000,
    seed: int = 0,
    as_of: dt.date | None = None,
) -> pl.DataFrame:
    """Rolling windows of ``size`` years (4 as in the Leiden Ranking), stepping by one.

    Same columns as :func:`yearly_indicators`, with ``period`` (``"2018-2021"``),
    ``first_year`` and ``last_year`` instead of ``year``; ``partial`` holds
    when the window reaches an incomplete year.
    """
    if size < 1:
        raise UsageError(f"window size must be at least 1, not {size}")
    per_work, specs = _prepare(
        tables,
        institution=institution,
        years=years,
        register=register,
        groups=groups,
        types=types,
        membership=membership,
        merge_hk_mo=merge_hk_mo,
        preset=preset,
    )
    if per_work.is_empty():
        first, last = 0, -1
    else:
        first, last = int(per_work["year"].min()), int(per_work["year"].max())  # type: ignore[arg-type]
    starts = pl.DataFrame(
        {"first_year": list(range(first, last - size + 2))}, schema={"first_year": pl.Int32}
    )
    windows = starts.with_columns(last_year=pl.col("first_year") + size - 1).with_columns(
        period=pl.format("{}-{}", "first_year", "last_year")
    )
    replicated = per_work.join(windows, how="cross").filter(
        pl.col("year").is_between(pl.col("first_year"), pl.col("last_year"))
    )
    shares = compute_shares(replicated, specs, by="period", bootstrap=bootstrap, seed=seed)
    cutoff = _as_of(tables, as_of).year
    return (
        windows.join(shares, on="period", how="inner")
        .join(_coverage(replicated, "period"), on="period", how="left")
        .with_columns(partial=pl.col("last_year") >= cutoff)
        .select(
            "period",
            "first_year",
            "last_year",
            "works",
            "works_frac",
            "partial",
            "authorship_no_country_rate",
            pl.exclude(
                "period",
                "first_year",
                "last_year",
                "works",
                "works_frac",
                "partial",
                "authorship_no_country_rate",
            ),
        )
        .sort("first_year")
    )
