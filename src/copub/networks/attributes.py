"""Descriptive attributes of network nodes: label, country, type, ROR, home flag.

Group memberships are added separately by :mod:`copub.networks.memberships`.
"""

from __future__ import annotations

from functools import cache

import polars as pl
import pycountry

from copub.classify.countries import authorship_countries, country_code_expr
from copub.classify.home import home_authorships
from copub.networks.nodes import NetworkKind
from copub.normalize import Tables
from copub.provenance import OPENALEX_PAGE, SYNTHETIC_ID

__all__ = [
    "NODE_TABLE_SCHEMA",
    "country_names",
    "home_country",
    "node_table",
    "openalex_page_expr",
]

NODE_TABLE_SCHEMA = pl.Schema(
    {
        "node": pl.String(),
        "label": pl.String(),
        "country": pl.String(),
        "type": pl.String(),
        "ror": pl.String(),
        "lineage": pl.List(pl.String()),
        "is_home": pl.Boolean(),
    }
)


def openalex_page_expr(column: str) -> pl.Expr:
    """The OpenAlex page of the ids in ``column``; "" for a synthetic id, which has none.

    Examples
    --------
    >>> ids = pl.DataFrame({"id": ["I204778367", "I900000000042"]})
    >>> ids.select(openalex_page_expr("id"))["id"].to_list()
    ['https://openalex.org/I204778367', '']
    """
    ids = pl.col(column)
    return (
        pl.when(ids.str.contains(SYNTHETIC_ID))
        .then(pl.lit(""))
        .otherwise(pl.lit(OPENALEX_PAGE) + ids)
        .alias(column)
    )


@cache
def country_names() -> dict[str, str]:
    """Short English names by ISO alpha-2 code (pycountry's common name where it has one).

    Examples
    --------
    >>> country_names()["KR"]
    'South Korea'
    """
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    # pycountry's official names are long ("Korea, Republic of"); reports want the short ones.
    names.update({"KR": "South Korea", "KP": "North Korea", "RU": "Russia", "XK": "Kosovo"})
    return names


def home_country(tables: Tables, institution: str) -> str | None:
    """The country code of the home institution, or None when the tables do not know it."""
    row = tables.institutions.filter(pl.col("institution_id") == institution)
    return row["country_code"].item(0) if row.height else None


def _country_nodes(nodes: pl.DataFrame, home: str | None) -> pl.DataFrame:
    names = country_names()
    return nodes.select(
        "node",
        label=pl.col("node").replace_strict(names, default=pl.col("node"), return_dtype=pl.String),
        country=pl.col("node"),
        type=pl.lit("country"),
        ror=pl.lit(None, pl.String),
        lineage=pl.lit([], pl.List(pl.String)),
        is_home=pl.col("node") == pl.lit(home),
    )


def _institution_nodes(
    tables: Tables, nodes: pl.DataFrame, institution: str, merge_hk_mo: bool
) -> pl.DataFrame:
    return nodes.join(
        tables.institutions.rename({"institution_id": "node"}), on="node", how="left"
    ).select(
        "node",
        label=pl.col("name").fill_null(pl.col("node")),
        country=country_code_expr(pl.col("country_code"), merge_hk_mo=merge_hk_mo),
        type=pl.col("type"),
        ror=pl.col("ror"),
        lineage=pl.col("lineage").fill_null([]),
        is_home=pl.col("node") == institution,
    )


def _author_nodes(
    tables: Tables,
    nodes: pl.DataFrame,
    work_nodes: pl.DataFrame,
    institution: str,
    merge_hk_mo: bool,
) -> pl.DataFrame:
    # Only the authorships and affiliations of these works are read (per authorship).
    keep = work_nodes.select("work_id").unique().lazy()
    sub = tables.with_(
        authorships=tables.authorships.lazy().join(keep, on="work_id", how="semi").collect(),
        affiliations=tables.affiliations.lazy().join(keep, on="work_id", how="semi").collect(),
    )
    authorships = (
        sub.authorships.select("work_id", "position", node="author_id", name="author_name")
        .filter(pl.col("node").is_not_null())
        .join(authorship_countries(sub, merge_hk_mo=merge_hk_mo), on=["work_id", "position"])
        .join(home_authorships(sub, institution), on=["work_id", "position"])
    )
    # An author's label and country are the ones seen most often (ties: alphabetically first).
    names = (
        authorships.group_by("node", "name")
        .len()
        .sort("node", "len", "name", descending=[False, True, False], nulls_last=True)
        .group_by("node", maintain_order=True)
        .first()
        .select("node", label="name")
    )
    countries = (
        authorships.select("node", country=pl.col("countries"))
        .explode("country")
        .filter(pl.col("country").is_not_null())
        .group_by("node", "country")
        .len()
        .sort("node", "len", "country", descending=[False, True, False])
        .group_by("node", maintain_order=True)
        .first()
        .select("node", "country")
    )
    home = authorships.group_by("node").agg(is_home=pl.col("is_home").any())
    return (
        nodes.join(names, on="node", how="left")
        .join(countries, on="node", how="left")
        .join(home, on="node", how="left")
        .select(
            "node",
            label=pl.col("label").fill_null(pl.col("node")),
            country=pl.col("country"),
            type=pl.lit("author"),
            ror=pl.lit(None, pl.String),
            lineage=pl.lit([], pl.List(pl.String)),
            is_home=pl.col("is_home").fill_null(False),
        )
    )


def node_table(
    tables: Tables,
    kind: NetworkKind,
    work_nodes: pl.DataFrame,
    *,
    institution: str,
    merge_hk_mo: bool = True,
) -> pl.DataFrame:
    """One row per node of ``work_nodes`` with its descriptive attributes.

    Returns
    -------
    pl.DataFrame
        ``node, label, country, type, ror, lineage, is_home`` (see
        :data:`NODE_TABLE_SCHEMA`), sorted by ``node``. ``is_home`` marks the
        home country, the home institution, or an author with at least one
        home authorship. ``country`` counts Hong Kong and Macao as China when
        ``merge_hk_mo`` says so, as the country nodes and the yearly figures do.

    Examples
    --------
    >>> import copub, polars as pl
    >>> wn = pl.DataFrame({"work_id": ["W1"], "node": ["NO"]})
    >>> node_table(copub.Tables.empty(), "country", wn, institution="I1")["label"].to_list()
    ['Norway']
    """
    nodes = work_nodes.select("node").unique().sort("node")
    if kind == "country":
        table = _country_nodes(nodes, home_country(tables, institution))
    elif kind == "institution":
        table = _institution_nodes(tables, nodes, institution, merge_hk_mo)
    else:
        table = _author_nodes(tables, nodes, work_nodes, institution, merge_hk_mo)
    return table.cast(dict(NODE_TABLE_SCHEMA)).sort("node")  # type: ignore[arg-type]
