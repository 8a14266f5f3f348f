"""The colour category of a network node: home, alliance, priority country, …

One rule for every picture of a network (the matplotlib figures and the
interactive partner page): a node takes its first matching group, in the
order home, alliance, infrastructure, priority country, LMIC, development
partner, Nordic, EU/EEA, other, coloured from Okabe & Ito's
colour-blind-safe palette.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["CATEGORIES", "CATEGORY_COLOURS", "OKABE_ITO", "node_category"]

#: Okabe & Ito's colour-blind-safe palette (black, orange, sky blue, bluish green,
#: yellow, blue, vermillion, reddish purple).
OKABE_ITO = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
)  # fmt: skip

CATEGORIES: tuple[tuple[str, str, str], ...] = (
    # (category, legend label, colour)
    ("home", "home", "#000000"),
    ("alliance", "alliance partner", "#0072B2"),
    ("infrastructure", "research infrastructure", "#CC79A7"),
    ("priority", "priority country", "#D55E00"),
    ("lmic", "low/middle income", "#E69F00"),
    ("devpartner", "development partner", "#F0E442"),
    ("nordic", "Nordic", "#009E73"),
    ("eu", "EU/EEA", "#56B4E9"),
    ("other", "other", "#BBBBBB"),
)
CATEGORY_COLOURS = {key: colour for key, _, colour in CATEGORIES}
_ALLIANCE_KEYS = ("enhance", "n5t", "alliance")


def node_category(data: Mapping[str, Any]) -> str:
    """The colour category of a node from its ``is_home`` and ``groups`` attributes.

    Examples
    --------
    >>> node_category({"groups": ["nordic", "enhance"]})
    'alliance'
    >>> node_category({"is_home": True, "groups": ["nordic"]})
    'home'
    """
    if data.get("is_home"):
        return "home"
    raw: Iterable[str] | str | None = data.get("groups")
    if isinstance(raw, str):
        raw = [g.strip() for g in raw.split(";")]
    groups = set(raw or ())
    if groups & set(_ALLIANCE_KEYS):
        return "alliance"
    for key, aliases in (
        ("infrastructure", ("infrastructure",)),
        ("priority", ("priority", "panorama")),
        ("lmic", ("lmic",)),
        ("devpartner", ("devpartner",)),
        ("nordic", ("nordic",)),
        ("eu", ("eu", "eea")),
    ):
        if groups & set(aliases):
            return key
    return "other"
