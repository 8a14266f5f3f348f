"""The institutions of the synthetic world, grouped into pools by country.

Pool 0 is the home institution and its child units, pool 1 the rest of the
home country, and pool ``2 + i`` the partner country ``mix.countries[i]``.
Real alliance members and research infrastructures sit in their country's
pool; everything else is synthetic, named after its country so nobody takes
it for a real organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import orjson
import polars as pl
import pycountry

from copub.sample.calibration import PartnerMix
from copub.sample.ids import OPENALEX, rng_for, synthetic_id
from copub.sample.reference import ALLIANCE_MEMBERS, HOME, HOME_UNITS, INFRASTRUCTURES

__all__ = ["HOME_POOL", "NATIONAL_POOL", "Institutions", "build_institutions", "country_name"]

HOME_POOL = 0
NATIONAL_POOL = 1
_ROR = "https://ror.org/"
_HOME_COUNTRY_INSTITUTIONS = 12
#: Types of synthetic institutions and their label in a name.
_TYPES = ("education", "healthcare", "government", "facility", "company", "nonprofit")
_TYPE_P = (0.57, 0.13, 0.11, 0.05, 0.08, 0.06)
_LABELS = {
    "education": "University",
    "healthcare": "University Hospital",
    "government": "Institute of Research",
    "facility": "National Laboratory",
    "company": "Technologies",
    "nonprofit": "Research Foundation",
}
#: Real members' share of their country's co-authors.
_REAL_SHARE = {
    "Technische Universität Berlin": 0.08,
    "RWTH Aachen University": 0.1,
    "Chalmers University of Technology": 0.12,
    "KTH Royal Institute of Technology": 0.12,
    "Technical University of Denmark": 0.15,
    "Aalto University": 0.15,
    "Delft University of Technology": 0.12,
    "ETH Zurich": 0.15,
    "Politecnico di Milano": 0.08,
    "Universitat Politècnica de València": 0.06,
    "Warsaw University of Technology": 0.1,
    "Gdańsk University of Technology": 0.06,
    "European Organization for Nuclear Research": 0.12,
    "European Synchrotron Radiation Facility": 0.04,
    "European Molecular Biology Laboratory": 0.04,
    "European Southern Observatory": 0.02,
}
_HOME_UNIT_SHARE = 0.15


@cache
def country_name(code: str) -> str:
    """A short English name for an ISO alpha-2 code (the code itself if unknown)."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name: str = getattr(country, "common_name", None) or country.name
    return name.split(",")[0]


@dataclass(frozen=True)
class Institutions:
    """Institutions sorted by pool, with what the generator needs to pick them.

    Attributes
    ----------
    frame : pl.DataFrame
        ``institution_id, name, ror, country_code, type, lineage, pool, weight,
        frag`` (the OpenAlex dehydrated institution as JSON) and ``raw`` (a raw
        affiliation string as JSON); row number = institution index.
    pool_codes : tuple of str
        Country code of each pool.
    start, count : ndarray
        First row and number of institutions of each pool.
    cum_weight : ndarray
        Cumulative weights over all rows, for weighted picks within a pool.
    infrastructures : tuple of int
        Rows of the real research infrastructures, CERN first.
    """

    frame: pl.DataFrame
    pool_codes: tuple[str, ...]
    start: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]
    cum_weight: npt.NDArray[np.float64]
    infrastructures: tuple[int, ...]

    def pick(
        self, pools: npt.NDArray[np.int64], u: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.int64]:
        """One institution per entry of ``pools``, weighted within the pool, from uniforms ``u``."""
        before = np.where(self.start > 0, self.cum_weight[np.maximum(self.start - 1, 0)], 0.0)
        total = self.cum_weight[self.start + self.count - 1] - before
        target = before[pools] + u * total[pools]
        picked = np.searchsorted(self.cum_weight, target, side="right")
        low = self.start[pools]
        return np.asarray(np.clip(picked, low, low + self.count[pools] - 1), dtype=np.int64)


def _row(
    inst_id: str,
    name: str,
    ror: str | None,
    code: str,
    kind: str,
    lineage: list[str],
    pool: int,
    weight: float,
    city: str | None,
) -> dict[str, object]:
    frag = orjson.dumps(
        {
            "id": OPENALEX + inst_id,
            "display_name": name,
            "ror": _ROR + ror if ror else None,
            "country_code": code,
            "type": kind,
            "lineage": [OPENALEX + x for x in lineage],
        }
    ).decode()
    place = ", ".join(p for p in (name, city, country_name(code)) if p)
    return {
        "institution_id": inst_id,
        "name": name,
        "ror": ror,
        "country_code": code,
        "type": kind,
        "lineage": lineage,
        "pool": pool,
        "weight": weight,
        "frag": frag,
        "raw": orjson.dumps(place).decode(),
    }


def _synthetic_weights(n: int, total: float) -> list[float]:
    raw = (np.arange(n) + 1.0) ** -0.7
    return [float(w) for w in raw / raw.sum() * total]


def build_institutions(mix: PartnerMix, seed: int) -> Institutions:
    """Home, home-country, real partner and synthetic partner institutions."""
    rng = rng_for(seed, "institutions")
    rows: list[dict[str, object]] = []
    counter = iter(range(1, 1_000_000))
    home_id = HOME.openalex_id or synthetic_id("I", next(counter))
    rows.append(
        _row(
            home_id,
            HOME.name,
            HOME.ror,
            "NO",
            HOME.type,
            [home_id],
            0,
            1 - _HOME_UNIT_SHARE,
            HOME.city,
        )
    )
    unit_weight = _HOME_UNIT_SHARE / len(HOME_UNITS)
    for unit in HOME_UNITS:
        unit_id = synthetic_id("I", next(counter))
        name = f"{unit}, {HOME.name}"
        rows.append(
            _row(
                unit_id,
                name,
                None,
                "NO",
                "education",
                [unit_id, home_id],
                0,
                unit_weight,
                HOME.city,
            )
        )
    pool_codes = [HOME.country, HOME.country]
    national = [(NATIONAL_POOL, HOME.country, _HOME_COUNTRY_INSTITUTIONS)]
    mean_share = mix.shares.mean(axis=0)
    for i, code in enumerate(mix.countries):
        n = int(np.clip(round(3 + 150 * mean_share[i]), 3, 40))
        national.append((2 + i, code, n))
        pool_codes.append(code)
    real = ALLIANCE_MEMBERS + INFRASTRUCTURES
    for pool, code, n in national:
        members = [m for m in real if m.country == code]
        taken = 0.0
        for member in members:
            share = _REAL_SHARE.get(member.name, 0.05)
            taken += share
            inst_id = member.openalex_id or synthetic_id("I", next(counter))
            rows.append(
                _row(
                    inst_id,
                    member.name,
                    member.ror,
                    code,
                    member.type,
                    [inst_id],
                    pool,
                    share,
                    member.city,
                )
            )
        kinds = rng.choice(len(_TYPES), size=n, p=_TYPE_P)
        for number, (kind, weight) in enumerate(
            zip(kinds.tolist(), _synthetic_weights(n, 1 - taken), strict=True)
        ):
            inst_id = synthetic_id("I", next(counter))
            name = f"{country_name(code)} {_LABELS[_TYPES[kind]]} {number + 1}"
            rows.append(
                _row(inst_id, name, None, code, _TYPES[kind], [inst_id], pool, weight, None)
            )
    frame = pl.DataFrame(rows, schema_overrides={"lineage": pl.List(pl.String)}).sort(
        "pool", maintain_order=True
    )
    pools = frame["pool"].to_numpy()
    n_pools = len(pool_codes)
    start = np.searchsorted(pools, np.arange(n_pools), side="left").astype(np.int64)
    count = (np.searchsorted(pools, np.arange(n_pools), side="right") - start).astype(np.int64)
    names = frame["name"].to_list()
    infrastructures = tuple(names.index(r.name) for r in INFRASTRUCTURES if r.name in names)
    return Institutions(
        frame,
        tuple(pool_codes),
        start,
        count,
        np.cumsum(frame["weight"].to_numpy()),
        infrastructures,
    )
