"""EU funding flags: European Commission (Horizon 2020 / Horizon Europe), ERC and MSCA.

Funders are recognised by OpenAlex funder id or by ROR, never by name.

Sources of the ids (checked with the project's code/page search, 2026):

- OpenAlex funder ids: the funder table of OpenAlex's own awards pipeline
  (``F4320320300`` European Commission, ``F4320332999`` Horizon 2020 Framework
  Programme, ``F4320335254`` Horizon 2020, ``F4320333065`` Seventh Framework
  Programme, ``F4320334678`` European Research Council, ``F4320338335`` H2020
  European Research Council, ``F4320338453`` HORIZON EUROPE European Research
  Council, ``F4320338337`` H2020 Marie Skłodowska-Curie Actions,
  ``F4320338438`` HORIZON EUROPE Marie Sklodowska-Curie Actions); the same
  table's ids for NIH, NSFC, JSPS and the Gates Foundation match the funders
  in the real pages in ``../shared``. ``F4320337670`` (H2020 Euratom) is from
  OpenAlex's documentation of the award object.
- RORs: European Commission ``00k4n6c32`` and European Research Council
  ``0472cxd90`` (ror.org records, as used in InvenioRDM's and DataCite
  funder vocabularies).

``funded_ec`` is the whole EU framework-programme family, so it includes ERC
and MSCA funding (both are Horizon 2020 / Horizon Europe programmes);
``funded_erc`` and ``funded_msca`` are those parts. The Horizon Europe
framework programme's own funder id was not found in a source that could be
checked; its grants are still caught when OpenAlex attributes them to the
Commission (id or ROR), to the ERC or to MSCA.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from copub.classify.keyed import KeyedTables
from copub.normalize import Tables

__all__ = ["FUNDER_GROUPS", "FunderGroup", "funding_flags", "funding_keyed", "funding_labels"]


@dataclass(frozen=True)
class FunderGroup:
    """A funder family: the flag column it sets and the ids that identify it."""

    column: str
    label: str
    openalex_ids: tuple[str, ...]
    rors: tuple[str, ...]


_ERC_IDS = ("F4320334678", "F4320338335", "F4320338453")
_MSCA_IDS = ("F4320338337", "F4320338438")
_ERC_RORS = ("0472cxd90",)

FUNDER_GROUPS: tuple[FunderGroup, ...] = (
    FunderGroup(
        column="funded_ec",
        label="European Commission: framework programmes incl. Horizon 2020/Europe, ERC, MSCA",
        openalex_ids=(
            "F4320320300",
            "F4320332999",
            "F4320335254",
            "F4320333065",
            "F4320337670",
            *_ERC_IDS,
            *_MSCA_IDS,
        ),
        rors=("00k4n6c32", *_ERC_RORS),
    ),
    FunderGroup(
        column="funded_erc",
        label="European Research Council",
        openalex_ids=_ERC_IDS,
        rors=_ERC_RORS,
    ),
    FunderGroup(
        column="funded_msca",
        label="Marie Skłodowska-Curie Actions",
        openalex_ids=_MSCA_IDS,
        rors=(),
    ),
)


def _funder_flags(funding: pl.LazyFrame, by: str) -> pl.LazyFrame:
    """``by, funded_ec, funded_erc, funded_msca`` for each funding row: its funder's groups."""
    funders = funding.select(
        by,
        funder_id=pl.col("funder_id").str.strip_prefix("https://openalex.org/"),
        funder_ror=pl.col("funder_ror").str.strip_prefix("https://ror.org/").str.to_lowercase(),
    )
    return funders.select(
        by,
        *(
            (
                pl.col("funder_id").is_in(group.openalex_ids)
                | pl.col("funder_ror").is_in(group.rors).fill_null(False)
            ).alias(group.column)
            for group in FUNDER_GROUPS
        ),
    )


def funding_labels(works: pl.LazyFrame, funding: pl.LazyFrame, by: str) -> pl.LazyFrame:
    """``by, funded_ec, funded_erc, funded_msca`` for every row of ``works``.

    ``works`` and ``funding`` share the work key ``by`` (``work_id``, or the
    integer ``wid`` of :class:`~copub.classify.keyed.KeyedTables`, which
    :func:`funding_keyed` reads without a join).
    """
    columns = [group.column for group in FUNDER_GROUPS]
    per_work = _funder_flags(funding, by).group_by(by).agg(pl.col(c).any() for c in columns)
    return (
        works.select(by)
        .join(per_work, on=by, how="left")
        .with_columns(pl.col(c).fill_null(False) for c in columns)
        .select(by, *columns)
    )


def funding_keyed(keyed: KeyedTables) -> pl.DataFrame:
    """:func:`funding_labels` of keyed tables: ``wid, funded_…`` for every work of ``keyed.works``.

    Each group's funded works are flagged in a mask by ``wid`` and read by
    position (:meth:`~copub.classify.keyed.KeyedTables.of_works`), no join.
    """
    flags = _funder_flags(keyed.funding.lazy(), "wid").collect()
    return keyed.works.select(
        "wid",
        *(
            keyed.of_works(flags.filter(group.column)["wid"]).alias(group.column)
            for group in FUNDER_GROUPS
        ),
    )


def funding_flags(tables: Tables) -> pl.DataFrame:
    """One row per work: ``work_id, funded_ec, funded_erc, funded_msca`` (Booleans).

    Examples
    --------
    >>> from copub import Tables
    >>> funding_flags(Tables.empty()).columns
    ['work_id', 'funded_ec', 'funded_erc', 'funded_msca']
    """
    return (
        funding_labels(tables.works.lazy(), tables.funding.lazy(), "work_id")
        .sort("work_id")
        .collect()
    )
