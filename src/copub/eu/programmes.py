"""Programme parts from legal bases, topics and call ids (H2020, Horizon Europe, FP7).

The legal-basis codes are CORDIS's (its ``legalBasis.csv`` and the
``legalBasis`` field of ``project.csv``), in the structure of the programme
regulations:

- Horizon 2020 (Regulation (EU) No 1291/2013, Council Decision 2013/743/EU):
  ``H2020-EU.1.1.`` ERC, ``1.2.`` Future and Emerging Technologies (FET, the
  predecessor of the EIC Pathfinder), ``1.3.`` MSCA, ``1.4.`` research
  infrastructures, ``2.*`` industrial leadership, ``3.*`` societal
  challenges, ``4.*`` spreading excellence and widening participation.
- Horizon Europe (Regulation (EU) 2021/695): ``HORIZON.1.1`` ERC, ``1.2``
  MSCA, ``1.3`` research infrastructures, ``2.1``–``2.6`` the six Pillar 2
  clusters, ``3.1`` the EIC (Pathfinder when the topic says ``PATHFINDER``),
  ``4.1`` widening participation and spreading excellence.
- The Research Council of Norway's H2020 file writes the same codes without
  the ``H2020-`` prefix (``EU.1.1.``).

Pillar 2 is Horizon Europe's "Global challenges and European industrial
competitiveness"; its Horizon 2020 counterpart is taken to be the
industrial-leadership technologies (LEIT, ``H2020-EU.2.1.``) together with
the societal challenges (``H2020-EU.3.``), the two parts it merged.

Examples
--------
>>> frame = pl.DataFrame({"lb": ["HORIZON.3.1", "HORIZON.3.1", "H2020-EU.1.2.1."],
...                       "topic": ["HORIZON-EIC-2022-PATHFINDEROPEN-01", "EIC-2021-ACCELERATOROPEN",
...                                 "FETOPEN-01-2018-2019-2020"]})
>>> frame.select(part=programme_part(pl.col("lb"), pl.col("topic")))["part"].to_list()
['eic_pathfinder', 'eic_other', 'fet']
>>> part_of_legal_basis("EU.1.1.")
'erc'
"""

# ruff: noqa: E501  (doctest output lines cannot be wrapped)
from __future__ import annotations

import polars as pl

__all__ = [
    "call_programme_part",
    "normalise_legal_basis",
    "part_of_legal_basis",
    "pillar2",
    "programme_part",
]

_H2020_RULES: tuple[tuple[str, str], ...] = (
    (r"^H2020-EU\.1\.1\.", "erc"),
    (r"^H2020-EU\.1\.2\.", "fet"),
    (r"^H2020-EU\.1\.3\.", "msca"),
    (r"^H2020-EU\.1\.4\.", "infrastructures"),
    (r"^H2020-EU\.2\.", "industrial_leadership"),
    (r"^H2020-EU\.3\.", "societal_challenges"),
    (r"^H2020-EU\.4\.", "widening"),
)
_HORIZON_RULES: tuple[tuple[str, str], ...] = (
    (r"^HORIZON\.1\.1(\.|$)", "erc"),
    (r"^HORIZON\.1\.2(\.|$)", "msca"),
    (r"^HORIZON\.1\.3(\.|$)", "infrastructures"),
    *((rf"^HORIZON\.2\.{k}(\.|$)", f"cluster_{k}") for k in range(1, 7)),
    (r"^HORIZON\.4\.1(\.|$)", "widening"),
)
_EIC = r"^HORIZON\.3\.1(\.|$)"

#: Call or topic id patterns, for rows that come without a legal basis.
_CALL_RULES: tuple[tuple[str, str], ...] = (
    (r"^ERC-", "erc"),
    (r"MSCA|^FP7-PEOPLE", "msca"),
    (r"^H2020-FET|^FETOPEN|^FETPROACT|^FETFLAG|^FETHPC|^H2020-FETHPC", "fet"),
    (r"^HORIZON-EIC-.*PATHFINDER|^EIC-\d{4}-PATHFINDER", "eic_pathfinder"),
    (r"^HORIZON-EIC-|^EIC-\d{4}-", "eic_other"),
    (r"^H2020-INFRA|^HORIZON-INFRA", "infrastructures"),
    (r"^HORIZON-HLTH-|^HORIZON-CL1-", "cluster_1"),
    *((rf"^HORIZON-CL{k}-", f"cluster_{k}") for k in range(2, 7)),
    (r"^H2020-WIDESPREAD|^H2020-TWINN|^HORIZON-WIDERA-\d{4}-(ACCESS|TALENTS)", "widening"),
)


def normalise_legal_basis(code: pl.Expr) -> pl.Expr:
    """CORDIS's spelling of a legal basis: ``EU.1.1.`` (Norway's file) becomes ``H2020-EU.1.1.``."""
    code = code.str.strip_chars()
    return pl.when(code.str.starts_with("EU.")).then("H2020-" + code).otherwise(code)


def programme_part(legal_basis: pl.Expr, topic: pl.Expr) -> pl.Expr:
    """The programme part of a legal-basis code (and, for the EIC, the topic); ``other`` else."""
    code = normalise_legal_basis(legal_basis)
    expr: pl.Expr = pl.lit("other")
    is_pathfinder = topic.fill_null("").str.to_uppercase().str.contains("PATHFINDER")
    expr = (
        pl.when(code.str.contains(_EIC) & is_pathfinder)
        .then(pl.lit("eic_pathfinder"))
        .when(code.str.contains(_EIC))
        .then(pl.lit("eic_other"))
        .otherwise(expr)
    )
    for pattern, part in reversed((*_H2020_RULES, *_HORIZON_RULES)):
        expr = pl.when(code.str.contains(pattern)).then(pl.lit(part)).otherwise(expr)
    return pl.when(code.is_null()).then(pl.lit("other")).otherwise(expr)


def pillar2(legal_basis: pl.Expr, part: pl.Expr) -> pl.Expr:
    """True for Horizon Europe's Pillar 2 and its H2020 counterpart (LEIT and societal challenges)."""
    code = normalise_legal_basis(legal_basis).fill_null("")
    return part.str.starts_with("cluster_") | code.str.contains(r"^H2020-EU\.(2\.1\.|3\.)")


def call_programme_part(call: pl.Expr) -> pl.Expr:
    """A programme part guessed from a call or topic id, for rows without a legal basis.

    Examples
    --------
    >>> frame = pl.DataFrame({"call": ["ERC-2018-COG", "H2020-MSCA-IF-2018", "H2020-SC5-2020-1"]})
    >>> frame.select(call_programme_part(pl.col("call"))).to_series().to_list()
    ['erc', 'msca', 'other']
    """
    text = call.fill_null("").str.to_uppercase()
    expr: pl.Expr = pl.lit("other")
    for pattern, part in reversed(_CALL_RULES):
        expr = pl.when(text.str.contains(pattern)).then(pl.lit(part)).otherwise(expr)
    return expr.alias("programme_part")


def part_of_legal_basis(code: str, topic: str | None = None) -> str:
    """:func:`programme_part` for one code."""
    frame = pl.DataFrame(
        {"code": [code], "topic": [topic]}, schema={"code": pl.String, "topic": pl.String}
    )
    return str(frame.select(programme_part(pl.col("code"), pl.col("topic"))).item())
