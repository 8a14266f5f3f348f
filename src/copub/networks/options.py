"""The checked parameters of a network: what was counted, and how.

:class:`NetworkOptions` is built once from the user's arguments, checked,
and stored in every graph (``graph.graph``), so the works behind a graph can
be looked up again with exactly the same selection
(:func:`copub.works_between` with ``network=graph``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from copub.errors import UsageError
from copub.indicators.universe import TypesChoice
from copub.networks.nodes import NetworkKind, check_kind
from copub.networks.normalize import Normalization, check_normalization
from copub.settings import DEFAULT_INSTITUTION
from copub.validate import parse_institution_id, parse_year_range

__all__ = ["DEFAULT_MAX_NODES", "Counting", "NetworkOptions", "check_counting"]

Counting = Literal["full", "fractional"]

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

    Examples
    --------
    >>> NetworkOptions.create("institution").max_nodes_per_work
    50
    >>> NetworkOptions.create("country", years=(2020, 2021)).years
    (2020, 2021)
    """

    kind: NetworkKind = "country"
    institution: str = DEFAULT_INSTITUTION
    years: tuple[int, int] | None = None
    types: TypesChoice = "core"
    counting: Counting = "full"
    normalization: Normalization | None = None
    max_nodes_per_work: int | None = None

    @classmethod
    def create(
        cls,
        kind: str = "country",
        *,
        institution: str = DEFAULT_INSTITUTION,
        years: tuple[int, int] | str | int | None = None,
        types: TypesChoice = "core",
        counting: str = "full",
        normalization: str | None = None,
        max_nodes_per_work: int | Literal["auto"] | None = "auto",
    ) -> NetworkOptions:
        """Check every argument; :class:`UsageError` names the bad one."""
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
        if isinstance(types, str) and types not in ("core", "all"):
            raise UsageError(f"types must be 'core', 'all' or a list of types, not {types!r}")
        return cls(
            kind=checked_kind,
            institution=parse_institution_id(institution),
            years=None if years is None else parse_year_range(years),
            types=types if isinstance(types, str) else tuple(types),
            counting=check_counting(counting),
            normalization=check_normalization(normalization),
            max_nodes_per_work=cap,
        )

    def graph_attributes(self) -> dict[str, Any]:
        """Scalar graph attributes, as written into GEXF and GraphML files."""
        return {
            "kind": self.kind,
            "institution": self.institution,
            "years": "" if self.years is None else f"{self.years[0]}-{self.years[1]}",
            "types": self.types if isinstance(self.types, str) else ",".join(self.types),
            "counting": self.counting,
            "normalization": self.normalization or "",
            "max_nodes_per_work": self.max_nodes_per_work or 0,
        }

    @classmethod
    def from_graph(cls, attributes: Mapping[str, Any]) -> NetworkOptions:
        """The options a graph was built with (the inverse of :meth:`graph_attributes`)."""
        try:
            types_text = str(attributes["types"])
            years_text = str(attributes["years"])
            return cls.create(
                str(attributes["kind"]),
                institution=str(attributes["institution"]),
                years=years_text or None,
                types=types_text if types_text in ("core", "all") else types_text.split(","),
                counting=str(attributes["counting"]),
                normalization=str(attributes["normalization"]) or None,
                max_nodes_per_work=int(attributes["max_nodes_per_work"]) or None,
            )
        except KeyError as exc:
            raise UsageError(
                f"this graph was not built by copub.build_network (no {exc.args[0]!r} attribute)"
            ) from None
