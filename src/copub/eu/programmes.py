"""Programme parts from legal bases, topics and call ids (H2020, Horizon Europe, FP7).

The legal-basis codes are CORDIS's (its ``legalBasis.csv`` and the
``legalBasis`` field of ``project.csv``), in the structure of the programme
regulations:

- Horizon 2020 (Regulation (EU) No 1291/2013, Council Decision 2013/743/EU):
  ``H2020-EU.1.1.`` ERC, ``1.2.`` Future and Emerging Technologies (FET),
  ``1.3.`` MSCA, ``1.4.`` research infrastructures, ``2.*`` industrial
  leadership, ``3.*`` societal challenges, ``4.*`` spreading excellence and
  widening participation. FET is split into its lines: FET Open and FET
  Proactive (``1.2.1.``, ``1.2.2.``; topics ``FETOPEN``, ``FETPROACT``), which
  the EIC Pathfinder (Open and Challenges) succeeds, and FET Flagships
  (``1.2.3.``, ``FETFLAG``) and FET HPC (``FETHPC``, under ``1.2.2.``), which
  it does not; the topic decides first. FET whose line neither the topic nor
  the legal basis tells stays ``fet``.
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
['eic_pathfinder', 'eic_other', 'fet_open_proactive']
>>> part_of_legal_basis("EU.1.2.", "FETFLAG-01-2018"), part_of_legal_basis("EU.1.2.", "FETHPC-1-2014")
('fet_flagships', 'fet_hpc')
>>> part_of_legal_basis("EU.1.1.")
'erc'
"""

# ruff: noqa: E501  (doctest output lines cannot be wrapped)
from __future__ import annotations

import polars as pl

__all__ = [
    "call_programme_part",
    "fet_line",
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

_SOCIETAL = (
    r"^H2020-(SC\d|PHC|HCO|BHC|DTH|SFS|BG|RUR|ISIB|FNR|CE-SFS|LCE|EE|SCC|LC|LCCI|NZE|MG|GV|"
    r"ART|SESAR|S2R|SHIFT2RAIL|CS2|SC5|WATER|CIRC|WASTE|CE-SC5|EURO|REV|INT|YOUNG|CULT|GOV|"
    r"MIGRATION|TRANSFORMATIONS|CO-CREATION|ENG-GLOBALLY|SU|SEC|DRS|DS|FCT|BES|CIP)\b"
    r"|^H2020-JTI-(IMI|BBI|FCH|CS2|S2R|SESAR)"
)
_INDUSTRIAL = (
    r"^H2020-(ICT|LEIT|NMBP|NMP|FOF|SPIRE|EEB|SPACE|COMPET|GALILEO|EO|BIOTEC|IOT|DT|EUJ|EUB|"
    r"EUK|ECSEL|SMEINST|INNOSUP|EIC-SMEINST)\b|^H2020-JTI-ECSEL"
)
#: The Joint Undertakings by their type of action (``IMI2-RIA``, ``CS2-IA``), for a
#: ``H2020-JTI-…`` call that does not name one.
_ACTION_RULES: tuple[tuple[str, str], ...] = (
    (r"^(IMI2|BBI|FCH2|CS2|SHIFT2RAIL|S2R|SESAR)-", "societal_challenges"),
    (r"^ECSEL-", "industrial_leadership"),
    (r"^SME-", "industrial_leadership"),
)

#: Call or topic id patterns, for rows that come without a legal basis.
_CALL_RULES: tuple[tuple[str, str], ...] = (
    (r"^ERC-", "erc"),
    (r"MSCA|^FP7-PEOPLE", "msca"),
    (r"FETHPC", "fet_hpc"),
    (r"FETFLAG", "fet_flagships"),
    (r"FETOPEN|FETPROACT", "fet_open_proactive"),
    (r"^H2020-FET", "fet"),
    (r"^HORIZON-EIC-.*PATHFINDER|^EIC-\d{4}-PATHFINDER", "eic_pathfinder"),
    (r"^HORIZON-EIC-|^EIC-\d{4}-", "eic_other"),
    (r"^H2020-INFRA|^HORIZON-INFRA", "infrastructures"),
    (r"^HORIZON-HLTH-|^HORIZON-CL1-", "cluster_1"),
    *((rf"^HORIZON-CL{k}-", f"cluster_{k}") for k in range(2, 7)),
    (r"^H2020-WIDESPREAD|^H2020-TWINN|^HORIZON-WIDERA-\d{4}-(ACCESS|TALENTS)", "widening"),
    # H2020's societal challenges by call family (SC1 health ... SC7 secure societies).
    (_SOCIETAL, "societal_challenges"),
    # Industrial leadership: LEIT (ICT, NMBP, space, biotech), innovation in SMEs.
    (_INDUSTRIAL, "industrial_leadership"),
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
    expr = pl.when(expr == "fet").then(fet_line(code, topic)).otherwise(expr)
    return pl.when(code.is_null()).then(pl.lit("other")).otherwise(expr)


def fet_line(legal_basis: pl.Expr, topic: pl.Expr) -> pl.Expr:
    """The FET line of an H2020 FET project: the topic first, then the legal basis."""
    code = normalise_legal_basis(legal_basis).fill_null("")
    text = topic.fill_null("").str.to_uppercase()
    return (
        pl.when(text.str.contains("FETHPC"))
        .then(pl.lit("fet_hpc"))
        .when(text.str.contains("FETFLAG"))
        .then(pl.lit("fet_flagships"))
        .when(text.str.contains("FETOPEN|FETPROACT"))
        .then(pl.lit("fet_open_proactive"))
        .when(code.str.contains(r"^H2020-EU\.1\.2\.3\."))
        .then(pl.lit("fet_flagships"))
        .when(code.str.contains(r"^H2020-EU\.1\.2\.[12]\."))
        .then(pl.lit("fet_open_proactive"))
        .otherwise(pl.lit("fet"))
    )


def pillar2(legal_basis: pl.Expr, part: pl.Expr, call: pl.Expr | None = None) -> pl.Expr:
    """True for Horizon Europe's Pillar 2 and its H2020 counterpart (LEIT and societal challenges).

    A row without a legal basis (a participation summary) is judged by the
    part its call gives: the societal challenges, and industrial leadership
    but for innovation in SMEs (``SMEINST``, ``INNOSUP``, type of action
    ``SME-…``), which is not LEIT.
    """
    code = normalise_legal_basis(legal_basis).fill_null("")
    by_code = part.str.starts_with("cluster_") | code.str.contains(r"^H2020-EU\.(2\.1\.|3\.)")
    if call is None:
        return by_code
    smes = call.fill_null("").str.to_uppercase().str.contains("SMEINST|INNOSUP|(^| )SME-")
    by_call = (part == "societal_challenges") | ((part == "industrial_leadership") & ~smes)
    return pl.when(legal_basis.is_null()).then(by_call).otherwise(by_code)


def call_programme_part(call: pl.Expr, action: pl.Expr | None = None) -> pl.Expr:
    """A programme part from a call (``subCall``) or topic id and the type of action,
    for rows without a legal basis.

    The call family decides (``H2020-SC5-2016`` is a societal challenge,
    ``H2020-ICT-2015`` industrial leadership); a Joint Undertaking's call
    (``H2020-JTI-…``) that does not name it is placed by its type of action
    (``IMI2-RIA``: the health challenge; ``ECSEL-RIA``: LEIT).

    Examples
    --------
    >>> frame = pl.DataFrame({"call": ["ERC-2018-COG", "H2020-MSCA-IF-2018", "H2020-SC5-2020-1",
    ...                                "H2020-ICT-2015", "H2020-JTI-2016", "H2020-SwafS-2018-1"],
    ...                       "action": ["ERC-COG", "MSCA-IF-EF-ST", "RIA", "RIA", "IMI2-RIA", "CSA"]})
    >>> frame.select(call_programme_part(pl.col("call"), pl.col("action"))).to_series().to_list()
    ['erc', 'msca', 'societal_challenges', 'industrial_leadership', 'societal_challenges', 'other']
    """
    text = call.fill_null("").str.to_uppercase()
    expr: pl.Expr = pl.lit("other")
    if action is not None:
        kind = action.fill_null("").str.to_uppercase()
        for pattern, part in reversed(_ACTION_RULES):
            expr = pl.when(kind.str.contains(pattern)).then(pl.lit(part)).otherwise(expr)
    for pattern, part in reversed(_CALL_RULES):
        expr = pl.when(text.str.contains(pattern)).then(pl.lit(part)).otherwise(expr)
    return expr.alias("programme_part")


def part_of_legal_basis(code: str, topic: str | None = None) -> str:
    """:func:`programme_part` for one code."""
    frame = pl.DataFrame(
        {"code": [code], "topic": [topic]}, schema={"code": pl.String, "topic": pl.String}
    )
    return str(frame.select(programme_part(pl.col("code"), pl.col("topic"))).item())
