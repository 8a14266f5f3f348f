"""The partner-country mix of the synthetic world, and its trends by year.

The mix is calibrated on packaged facts, ``data/partner_shares.csv``: for each
year 2012-2023, the share of Norway's OpenAlex works that also have an author
from country X, for the 73 partner countries the world draws. They are an
extract of ``norway_country_pairs_1990_2023.csv`` by V. Batagelj
(github.com/bavla/OpenAlex), taken once and shipped with copub, so the sample
depends on its seed and scale only, never on the folder it is made in.
Years after the table's last year continue each country's recent log-linear
trend, so Russia keeps falling after 2022.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt
import polars as pl

from copub.errors import DataError

__all__ = [
    "CALIBRATION_FILE",
    "CALIBRATION_SOURCE",
    "PartnerMix",
    "packaged_shares",
    "partner_mix",
]

#: The file the packaged facts were taken from, and who made it.
CALIBRATION_FILE = "norway_country_pairs_1990_2023.csv"
CALIBRATION_SOURCE = (
    f"V. Batagelj, bavla/OpenAlex {CALIBRATION_FILE} (OpenAlex), as packaged with copub"
)
_PACKAGED = "partner_shares.csv"
_MAX_COUNTRIES = 70
#: Development-policy partners: kept even when small, so LMIC shares are not empty.
_ALWAYS_KEEP = ("ET", "TZ", "UG", "NP", "CO", "ID", "GH", "MW", "MZ", "MM")
_TREND_YEARS = 2
_TREND_CLIP = (-0.35, 0.08)


@dataclass(frozen=True)
class PartnerMix:
    """Partner countries and their relative pull per year.

    Attributes
    ----------
    countries : tuple of str
        ISO alpha-2 codes, home country excluded.
    years : tuple of int
    shares : ndarray, shape (len(years), len(countries))
        Share of the home country's works with a co-author in each country.
    source : str
        The file the mix was calibrated on, for provenance.
    digest : str
        A short hash of the mix, so caches change when the calibration does.
    """

    countries: tuple[str, ...]
    years: tuple[int, ...]
    shares: npt.NDArray[np.float64]
    source: str
    digest: str

    def for_year(self, year: int) -> npt.NDArray[np.float64]:
        """The shares of one year (the row of the nearest year in the table)."""
        first, last = self.years[0], self.years[-1]
        return np.asarray(self.shares[min(max(year, first), last) - first], dtype=np.float64)


def packaged_shares() -> pl.DataFrame:
    """The packaged calibration facts: ``year, country_b, share_of_no_works``.

    Examples
    --------
    >>> table = packaged_shares()
    >>> table["year"].min(), table["year"].max(), table["country_b"].n_unique()
    (2012, 2023, 73)
    """
    text = resources.files("copub.sample").joinpath("data", _PACKAGED).read_bytes()
    return pl.read_csv(text, comment_prefix="#")


def partner_mix(years: tuple[int, int], *, home: str = "NO") -> PartnerMix:
    """Calibrate the partner mix for ``years`` (first, last), extrapolating past the table.

    Examples
    --------
    >>> mix = partner_mix((2012, 2025))
    >>> ru = mix.countries.index("RU")
    >>> bool(mix.for_year(2025)[ru] < mix.for_year(2021)[ru])
    True
    """
    table, source = packaged_shares(), CALIBRATION_SOURCE
    needed = {"year", "country_b", "share_of_no_works"}
    if not needed <= set(table.columns):
        raise DataError(f"calibration table {source} needs columns {sorted(needed)}")
    table = table.filter(
        (pl.col("country_b") != home) & pl.col("year").is_between(years[0] - 20, years[1])
    )
    if table.is_empty():
        raise DataError(f"calibration table {source} has no rows for {years[0]}-{years[1]}")
    last_known = int(table["year"].max())  # type: ignore[arg-type]
    first_known = max(int(table["year"].min()), years[0] - 20)  # type: ignore[arg-type]
    recent = table.filter(pl.col("year") >= min(years[0], last_known))
    ranked = (
        recent.group_by("country_b")
        .agg(pl.col("share_of_no_works").mean())
        .sort(["share_of_no_works", "country_b"], descending=[True, False])
    )
    top = ranked.head(_MAX_COUNTRIES)["country_b"].to_list()
    extra = [c for c in _ALWAYS_KEEP if c in set(ranked["country_b"]) and c not in top]
    countries = tuple(top + extra)
    wide = (
        table.filter(pl.col("country_b").is_in(countries))
        .pivot(on="country_b", index="year", values="share_of_no_works", aggregate_function="first")
        .sort("year")
    )
    known_years = list(range(first_known, last_known + 1))
    wide = pl.DataFrame({"year": known_years}).join(wide, on="year", how="left")
    known = wide.select(countries).to_numpy().astype(np.float64)
    known = np.nan_to_num(known, nan=0.0)
    floor = np.maximum(known[known > 0].min() if (known > 0).any() else 1e-4, 1e-5)
    known = np.maximum(known, floor)
    span = min(_TREND_YEARS, len(known_years) - 1)
    slope = (
        np.clip((np.log(known[-1]) - np.log(known[-1 - span])) / span, *_TREND_CLIP)
        if span > 0
        else np.zeros(len(countries))
    )
    rows = []
    for year in range(years[0], years[1] + 1):
        if year <= last_known:
            rows.append(known[max(year, first_known) - first_known])
        else:
            rows.append(known[-1] * np.exp(slope * (year - last_known)))
    shares = np.vstack(rows)
    digest = hashlib.sha256(
        np.round(shares, 6).tobytes() + "|".join(countries).encode()
    ).hexdigest()
    return PartnerMix(countries, tuple(range(years[0], years[1] + 1)), shares, source, digest[:10])
