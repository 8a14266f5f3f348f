"""Citation impact of the synthetic works: citations per year, FWCI, percentiles, topics.

Each work gets a latent impact ``q`` (log-normal, so citations are heavy
tailed) scaled by who its co-authors are: domestic works sit a little below
the reference population, international ones above it, by a factor that
depends on the partner countries (strong research systems more, others
less), grows slowly with the number of countries and is larger for
hyperauthored works. From ``q``:

- citations per year since publication follow a citation-age curve and a
  field's citation rate (Poisson counts, spread over the years with a
  multinomial), written as OpenAlex's ``counts_by_year`` and ``cited_by_count``;
- ``fwci`` is the work's citations in its publication year and the three
  after (as far as observed) over those a reference work of its field and
  year is expected to get;
- ``citation_normalized_percentile`` is the position of ``q`` in the reference
  population, calibrated so the whole synthetic population has about 10% in
  the top 10% (the institution's core works can be above or below it);
- ``primary_topic`` is one of a few subfields modelled on OpenAlex's taxonomy.

Missing values as in OpenAlex: some works (more among non-core types) have no
primary topic and so no FWCI or percentile (both null), and some have no
percentile with ``fwci`` written as 0, the snapshot's way of writing a
missing FWCI. Synthetic: never report these numbers as facts.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import polars as pl

from copub.sample.ids import rng_for
from copub.sample.works import TRUNCATE_AT, Chunk
from copub.sample.world import World

__all__ = ["SNAPSHOT_YEAR", "impact_fields"]

#: The year the synthetic citations are counted up to (it is itself incomplete).
SNAPSHOT_YEAR = 2026
_SIGMA = 0.9
#: The reference population's mean log impact: the synthetic world's own mix.
_REFERENCE_MU = 0.27
_DOMESTIC = 1.0
_OTHER_PARTNER = 1.1
#: Impact factor of a work with a co-author in each country (the largest counts).
_PARTNER_UPLIFT: dict[str, float] = {
    "US": 1.5, "GB": 1.5, "NL": 1.5, "CH": 1.55, "DE": 1.4, "DK": 1.4, "SE": 1.35,
    "FI": 1.3, "IS": 1.25, "FR": 1.35, "BE": 1.35, "AT": 1.3, "CA": 1.35, "AU": 1.35,
    "IT": 1.3, "ES": 1.3, "IE": 1.3, "IL": 1.3, "JP": 1.15, "KR": 1.15, "CN": 1.2,
    "SG": 1.4, "NZ": 1.25, "BR": 1.05, "IN": 1.0, "ZA": 1.1, "RU": 0.95,
}  # fmt: skip
_HYPER = 1.6
#: Relative citations in year k after publication (k = 0, 1, …); decays after year 4.
_CURVE_HEAD = (0.3, 1.0, 1.2, 1.1, 1.0)
_CURVE_DECAY = 0.9
_FWCI_YEARS = 3
_NO_TOPIC_CORE, _NO_TOPIC_OTHER = 0.03, 0.25
_ZERO_FOR_MISSING = 0.03
_CORE = ("article", "review", "book-chapter")

#: (subfield id, subfield, field id, field, domain id, domain, citations per year at peak)
_SUBFIELDS: tuple[tuple[int, str, int, str, int, str, float], ...] = (
    (1702, "Artificial Intelligence", 17, "Computer Science", 3, "Physical Sciences", 3.5),
    (2208, "Electrical and Electronic Engineering", 22, "Engineering", 3, "Physical Sciences",
     2.5),
    (2102, "Energy Engineering and Power Technology", 21, "Energy", 3, "Physical Sciences", 3.0),
    (2739, "Public Health, Environmental and Occupational Health", 27, "Medicine", 4,
     "Health Sciences", 4.0),
    (1312, "Molecular Biology", 13, "Biochemistry, Genetics and Molecular Biology", 1,
     "Life Sciences", 5.0),
    (2306, "Global and Planetary Change", 23, "Environmental Science", 3, "Physical Sciences",
     4.0),
    (1910, "Oceanography", 19, "Earth and Planetary Sciences", 3, "Physical Sciences", 2.5),
    (3107, "Atomic and Molecular Physics, and Optics", 31, "Physics and Astronomy", 3,
     "Physical Sciences", 3.0),
    (2604, "Applied Mathematics", 26, "Mathematics", 3, "Physical Sciences", 1.5),
    (3304, "Education", 33, "Social Sciences", 2, "Social Sciences", 1.8),
    (2002, "Economics and Econometrics", 20, "Economics, Econometrics and Finance", 2,
     "Social Sciences", 2.0),
    (1606, "Physical and Theoretical Chemistry", 16, "Chemistry", 3, "Physical Sciences", 3.5),
)  # fmt: skip

FloatArray = npt.NDArray[np.float64]


def _curve(n_years: int) -> FloatArray:
    head = list(_CURVE_HEAD)
    weights = [head[k] if k < len(head) else head[-1] * _CURVE_DECAY ** (k - 4) for k in
               range(n_years)]  # fmt: skip
    return np.asarray(weights, dtype=np.float64)


def _work_factors(world: World, chunk: Chunk, n: int) -> FloatArray:
    """The co-authorship factor of each work: domestic, or its best partner country's."""
    a = chunk.authorships
    codes = world.institutions.frame["country_code"]
    pool_codes = pl.Series(world.institutions.pool_codes)
    columns = []
    for name in ("inst1", "inst2", "inst3"):
        rows = pl.Series(a[name].to_numpy(), dtype=pl.Int64)
        columns.append(codes.gather(pl.select(pl.when(rows >= 0).then(rows)).to_series()))
    pool = pl.Series(a["country_pool"].to_numpy(), dtype=pl.Int64)
    columns.append(pool_codes.gather(pl.select(pl.when(pool >= 0).then(pool)).to_series()))
    home = world.institutions.pool_codes[0]
    uplift = pl.DataFrame({"code": list(_PARTNER_UPLIFT), "f": list(_PARTNER_UPLIFT.values())})
    per_work = (
        pl.DataFrame({"work": a["work"], **{f"c{i}": c for i, c in enumerate(columns)}})
        .unpivot(index="work", value_name="code")
        .drop_nulls("code")
        .filter(pl.col("code") != home)
        .join(uplift, on="code", how="left")
        .group_by("work")
        .agg(best=pl.col("f").fill_null(_OTHER_PARTNER).max(), n=pl.col("code").n_unique())
    )
    best = np.full(n, _DOMESTIC)
    foreign_rows = per_work["work"].to_numpy()
    n_countries = per_work["n"].to_numpy() + 1
    best[foreign_rows] = per_work["best"].to_numpy() * (1 + 0.04 * np.minimum(n_countries - 2, 10))
    return best


def _counts_json(year: int, counts: npt.NDArray[np.int64]) -> pl.Series:
    """OpenAlex's ``counts_by_year`` items (newest first, years with citations only)."""
    parts = []
    for k in range(counts.shape[1] - 1, -1, -1):
        c = pl.Series(counts[:, k])
        parts.append(
            pl.when(c > 0).then(
                pl.lit(f'{{"year":{year + k},"cited_by_count":') + c.cast(pl.String) + "}"
            )
        )
    if not parts:
        return pl.Series([""] * counts.shape[0])
    return pl.select(pl.concat_str(parts, separator=",", ignore_nulls=True)).to_series()


def _topic_json() -> list[str]:
    return [
        f'{{"id":"https://openalex.org/T9{i:04d}","display_name":"{name} (synthetic topic)",'
        f'"score":0.99,"subfield":{{"id":"https://openalex.org/subfields/{sid}",'
        f'"display_name":"{name}"}},"field":{{"id":"https://openalex.org/fields/{fid}",'
        f'"display_name":"{field}"}},"domain":{{"id":"https://openalex.org/domains/{did}",'
        f'"display_name":"{domain}"}}}}'
        for i, (sid, name, fid, field, did, domain, _) in enumerate(_SUBFIELDS)
    ]


def impact_fields(world: World, chunk: Chunk, attributes: pl.DataFrame) -> pl.DataFrame:
    """``cited_by_count`` and ``impact`` (the JSON of the other impact fields) per work.

    ``impact`` starts with a comma, ready to follow ``cited_by_count`` in a
    work's JSON. Rows follow ``attributes``.
    """
    n = attributes.height
    year = chunk.year
    rng = rng_for(world.seed, "works", year, int(attributes["number"][0]) if n else 0, 15)
    factor = _work_factors(world, chunk, n)
    factor = np.where(attributes["n_authors"].to_numpy() > TRUNCATE_AT, factor * _HYPER, factor)
    log_q = np.log(factor) + rng.normal(0.0, _SIGMA, size=n)
    subfield = rng.integers(0, len(_SUBFIELDS), size=n)
    rate = np.array([s[6] for s in _SUBFIELDS])[subfield]
    n_years = max(SNAPSHOT_YEAR - year + 1, 1)
    curve = _curve(n_years)
    cites = rng.poisson(rate * np.exp(log_q) * curve.sum())
    counts = rng.multinomial(cites, curve / curve.sum()) if n else np.zeros((0, n_years), np.int64)
    observed = min(_FWCI_YEARS + 1, n_years)
    expected = rate * math.exp(_REFERENCE_MU + _SIGMA**2 / 2) * curve[:observed].sum()
    fwci = counts[:, :observed].sum(axis=1) / expected
    from scipy import stats  # here, not at the top: half a second of every start

    percentile = stats.norm.cdf((log_q - _REFERENCE_MU) / _SIGMA)
    core = np.isin(attributes["type"].to_numpy(), _CORE)
    no_topic = rng.random(n) < np.where(core, _NO_TOPIC_CORE, _NO_TOPIC_OTHER)
    zero_for_missing = ~no_topic & (rng.random(n) < _ZERO_FOR_MISSING)
    pct = pl.Series(np.floor(percentile * 1e8) / 1e8)
    percentile_json = (
        pl.lit('{"value":')
        + pct.cast(pl.String)
        + ',"is_in_top_1_percent":'
        + pl.when(pl.Series(percentile >= 0.99)).then(pl.lit("true")).otherwise(pl.lit("false"))
        + ',"is_in_top_10_percent":'
        + pl.when(pl.Series(percentile >= 0.9)).then(pl.lit("true")).otherwise(pl.lit("false"))
        + "}"
    )
    topics = pl.Series(_topic_json()).gather(pl.Series(subfield))
    fwci_text = pl.Series(np.round(fwci, 4)).cast(pl.String)
    impact = pl.concat_str(
        [
            pl.lit(',"fwci":'),
            pl.when(pl.Series(no_topic))
            .then(pl.lit("null"))
            .when(pl.Series(zero_for_missing))
            .then(pl.lit("0.0"))
            .otherwise(fwci_text),
            pl.lit(',"citation_normalized_percentile":'),
            pl.when(pl.Series(no_topic | zero_for_missing))
            .then(pl.lit("null"))
            .otherwise(percentile_json),
            pl.lit(',"counts_by_year":['),
            _counts_json(year, counts),
            pl.lit('],"primary_topic":'),
            pl.when(pl.Series(no_topic)).then(pl.lit("null")).otherwise(topics),
        ]
    )
    return pl.select(cited_by_count=pl.Series(cites, dtype=pl.Int64), impact=impact)
