"""The checked parameters of a network: what was counted, and how.

:class:`NetworkOptions` is built once from the user's arguments, checked,
and stored in every graph (``graph.graph``), so the works behind a graph can
be looked up again with exactly the same selection
(:func:`copub.works_between` with ``network=graph``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from copub.classify.definitions import Counting, Definitions, resolve_definitions
from copub.errors import UsageError
from copub.indicators.universe import TypesChoice
from copub.networks.nodes import NetworkKind, check_kind
from copub.networks.normalize import Normalization, check_normalization

__all__ = [
    "DEFAULT_MAX_NODES",
    "NO_CAP",
    "Counting",
    "NetworkOptions",
    "check_counting",
    "node_cap",
]


#: The default cap on nodes per work: hyperauthored works (hundreds of
#: institutions or authors) would add cliques of tens of thousands of links
#: that drown every other pattern. Off for countries, where the clique is
#: bounded by the ~200 countries and large consortia are part of the story.
DEFAULT_MAX_NODES: dict[NetworkKind, int | None] = {
    "country": None,
    "institution": 50,
    "author": 50,
}


def check_counting(counting: str) -> Counting:
    """Return ``counting`` if it is ``"full"`` or ``"fractional"``, else raise UsageError."""
    if counting not in ("full", "fractional"):
        raise UsageError(f"counting must be 'full' or 'fractional', not {counting!r}")
    return counting  # type: ignore[return-value]


@dataclass(frozen=True)
class NetworkOptions:
    """Checked network parameters (see :func:`copub.build_network`).

    What the network counts (home, years, universe, Hong Kong/Macao,
    fractional rule, partner groups) is its :class:`~copub.classify.definitions.Definitions`,
    the same value the yearly figures read; the rest is how it is drawn.

    Examples
    --------
    >>> NetworkOptions.create("institution").max_nodes_per_work
    50
    >>> NetworkOptions.create("country", years=(2020, 2021)).years
    (2020, 2021)
    """

    kind: NetworkKind = "country"
    definitions: Definitions = field(default_factory=Definitions)
    counting: Counting = "full"
    normalization: Normalization | None = None
    max_nodes_per_work: int | None = None

    @property
    def institution(self) -> str:
        """The (first) home institution."""
        return self.definitions.institution

    @property
    def years(self) -> tuple[int, int] | None:
        """The publication years, if restricted."""
        return self.definitions.years

    @classmethod
    def create(
        cls,
        kind: str = "country",
        *,
        definitions: Definitions | None = None,
        institution: str | None = None,
        years: tuple[int, int] | str | int | None = None,
        types: TypesChoice | None = None,
        counting: str = "full",
        normalization: str | None = None,
        max_nodes_per_work: int | Literal["auto"] | None = "auto",
    ) -> NetworkOptions:
        """Check every argument; :class:`UsageError` names the bad one.

        ``institution``, ``years`` and ``types`` override ``definitions``
        (the old keyword arguments, routed through :class:`Definitions`).
        """
        checked_kind = check_kind(kind)
        if max_nodes_per_work == "auto":
            cap = DEFAULT_MAX_NODES[checked_kind]
        elif max_nodes_per_work is None:
            cap = None
        elif isinstance(max_nodes_per_work, int) and max_nodes_per_work >= 2:
            cap = max_nodes_per_work
        else:
            raise UsageError(
                f"max_nodes_per_work must be an integer of at least 2, None or 'auto', "
                f"not {max_nodes_per_work!r}"
            )
        return cls(
            kind=checked_kind,
            definitions=resolve_definitions(
                definitions, institution=institution, years=years, types=types
            ),
            counting=check_counting(counting),
            normalization=check_normalization(normalization),
            max_nodes_per_work=cap,
        )

    def graph_attributes(self) -> dict[str, Any]:
        """Scalar graph attributes, as written into GEXF and GraphML files."""
        d = self.definitions
        return {
            "kind": self.kind,
            "institution": ",".join(d.institutions),
            "years": "" if d.years is None else f"{d.years[0]}-{d.years[1]}",
            "preset": d.preset,
            "universe": d.universe_rule,
            "types": ",".join(d.types),
            "merge_hk_mo": d.merge,
            "fractional_rule": d.fractional_rule,
            "counting": self.counting,
            "normalization": self.normalization or "",
            # "none", not 0: a reader of the GraphML must not take 0.0 for a cap.
            "max_nodes_per_work": self.max_nodes_per_work or NO_CAP,
        }

    @classmethod
    def from_graph(
        cls, attributes: Mapping[str, Any], definitions: Definitions | None = None
    ) -> NetworkOptions:
        """The options a graph was built with (the inverse of :meth:`graph_attributes`).

        ``definitions`` supplies what a graph file cannot hold (the partner
        groups and the register); every counted field comes from the graph.
        """
        try:
            years_text = str(attributes["years"])
            base = definitions or Definitions()
            chosen = base.with_(
                institutions=tuple(str(attributes["institution"]).split(",")),
                years=years_text or None,
                preset=str(attributes.get("preset", base.preset)),
                universe=str(attributes.get("universe", base.universe_rule)),
                types=tuple(str(attributes.get("types", ",".join(base.types))).split(",")),
                merge_hk_mo=_as_bool(attributes.get("merge_hk_mo", base.merge)),
                fractional=str(attributes.get("fractional_rule", base.fractional_rule)),
            )
            return cls.create(
                str(attributes["kind"]),
                definitions=chosen,
                counting=str(attributes["counting"]),
                normalization=str(attributes["normalization"]) or None,
                max_nodes_per_work=node_cap(attributes.get("max_nodes_per_work")),
            )
        except KeyError as exc:
            raise UsageError(
                f"this graph was not built by copub.build_network (no {exc.args[0]!r} attribute)"
            ) from None


#: How a graph file says that no work was skipped for its size.
NO_CAP = "none"


def node_cap(value: object) -> int | None:
    """The ``max_nodes_per_work`` of a graph file: a whole number, or None for no cap.

    Reads ``"none"``, an absent value and the 0 (0.0 in GraphML) older files wrote.

    Examples
    --------
    >>> node_cap("none"), node_cap(None), node_cap(0.0), node_cap("50"), node_cap(50.0)
    (None, None, None, 50, 50)
    """
    if value is None or str(value).strip().lower() in (NO_CAP, ""):
        return None
    try:
        cap = int(float(str(value)))
    except ValueError:
        raise UsageError(f"max_nodes_per_work {value!r} is not a whole number or 'none'") from None
    return cap or None


def _as_bool(value: object) -> bool:
    """GraphML and GEXF may hand a Boolean back as text."""
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
