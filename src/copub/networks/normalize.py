"""Normalised link strengths (similarity indices), as bibliometrix's ``normalizeSimilarity``.

With ``c_ij`` the number of works that nodes *i* and *j* share and ``c_i`` the
number of works of node *i* (the diagonal of the co-occurrence matrix):

============  ===============================  ====================================
method        formula                          also known as
============  ===============================  ====================================
association   c_ij / (c_i · c_j)               proximity index, probabilistic
                                               affinity (van Eck & Waltman 2007)
cosine        c_ij / sqrt(c_i · c_j)           Salton's cosine (``"salton"``)
jaccard       c_ij / (c_i + c_j − c_ij)        |W_i ∩ W_j| / |W_i ∪ W_j|
inclusion     c_ij / min(c_i, c_j)             Simpson coefficient, overlap
equivalence   c_ij² / (c_i · c_j)              the square of the cosine
============  ===============================  ====================================

A zero denominator gives 0, as in bibliometrix. The indices are set-overlap
measures of the works behind the nodes, so copub always computes them from
full counts, whatever counting method the edge ``weight`` uses. bibliometrix's
association strength is not rescaled; VOSviewer's own differs from it by a
constant factor per network, which changes no ranking or layout.

References: van Eck & Waltman (2009), *How to normalize cooccurrence data?*,
JASIST 60(8); Aria & Cuccurullo, bibliometrix ``normalizeSimilarity``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

import polars as pl

from copub.errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Normalization", "check_normalization", "normalize_graph", "similarity_expr"]

Normalization = Literal["association", "cosine", "jaccard", "inclusion", "equivalence"]
_ALIASES = {"salton": "cosine"}


def check_normalization(method: str | None) -> Normalization | None:
    """Return the canonical method name (``"salton"`` means ``"cosine"``) or raise UsageError."""
    if method is None:
        return None
    method = _ALIASES.get(method, method)
    names: tuple[str, ...] = get_args(Normalization)
    if method not in names:
        raise UsageError(
            f"normalization must be one of {', '.join(names)} (or salton), not {method!r}"
        )
    return method  # type: ignore[return-value]


def similarity_expr(method: Normalization, c_ij: pl.Expr, c_i: pl.Expr, c_j: pl.Expr) -> pl.Expr:
    """The similarity index as a polars expression (0 where the denominator is 0).

    Examples
    --------
    >>> import polars as pl
    >>> frame = pl.DataFrame({"cij": [2], "ci": [4], "cj": [8]})
    >>> jaccard = similarity_expr("jaccard", pl.col("cij"), pl.col("ci"), pl.col("cj"))
    >>> frame.select(s=jaccard)["s"][0]
    0.2
    """
    c_ij, c_i, c_j = (e.cast(pl.Float64) for e in (c_ij, c_i, c_j))
    if method == "association":
        numerator, denominator = c_ij, c_i * c_j
    elif method == "cosine":
        numerator, denominator = c_ij, (c_i * c_j).sqrt()
    elif method == "jaccard":
        numerator, denominator = c_ij, c_i + c_j - c_ij
    elif method == "inclusion":
        numerator, denominator = c_ij, pl.min_horizontal(c_i, c_j)
    elif method == "equivalence":
        numerator, denominator = c_ij * c_ij, c_i * c_j
    else:  # pragma: no cover - guarded by check_normalization
        raise UsageError(f"unknown normalization {method!r}")
    return pl.when(denominator > 0).then(numerator / denominator).otherwise(0.0)


def normalize_graph(graph: nx.Graph, method: str) -> nx.Graph:
    """A copy of ``graph`` with the similarity index as an edge attribute named ``method``.

    Reads the full counts from the node and edge attribute ``works``, which
    :func:`copub.build_network` sets.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("A", {"works": 4}), ("B", {"works": 9})])
    >>> g.add_edge("A", "B", works=3)
    >>> round(normalize_graph(g, "cosine").edges["A", "B"]["cosine"], 3)
    0.5
    """
    name = check_normalization(method)
    assert name is not None
    out = graph.copy()
    if out.number_of_edges() == 0:
        return out
    edges = pl.DataFrame(
        [(u, v, d["works"]) for u, v, d in out.edges(data=True)],
        schema={"u": pl.String, "v": pl.String, "cij": pl.Float64},
        orient="row",
    )
    works = {n: float(d["works"]) for n, d in out.nodes(data=True)}
    values = edges.with_columns(
        ci=pl.col("u").replace_strict(works, return_dtype=pl.Float64),
        cj=pl.col("v").replace_strict(works, return_dtype=pl.Float64),
    ).select("u", "v", s=similarity_expr(name, pl.col("cij"), pl.col("ci"), pl.col("cj")))
    for u, v, s in values.iter_rows():
        out.edges[u, v][name] = s
    return out
