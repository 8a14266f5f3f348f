"""One chunk of works and their authorships, drawn in bulk with numpy.

Within a chunk the international share of the core universe (articles,
reviews and book chapters that are neither retracted nor paratext) is fixed by
construction: exactly ``round(share * n)`` of those works get a foreign
co-author with a country, so even a tiny world stays inside its stated bounds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from copub.sample.ids import rng_for
from copub.sample.institutions import HOME_POOL, NATIONAL_POOL
from copub.sample.world import TYPES, World, international_share

__all__ = ["HYPER_MAX", "TRUNCATE_AT", "Chunk", "generate_chunk"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: OpenAlex list responses cut authorships here.
TRUNCATE_AT = 100
HYPER_MIN = TRUNCATE_AT + 1
HYPER_MAX = 3000
_HYPER_ALPHA = 1.2
_HYPER_SHARE = 0.005
#: Years whose largest hyperauthored work has 1,500+ authors.
_MEGA_EVERY = 5
_RETRACTED = 0.002
_NO_INSTITUTION = 0.025
_COUNTRY_ONLY = 0.02
_SECOND_AFFILIATION = 0.09
_FOREIGN_SECOND = 0.15
_CERN_IN_HYPER = 0.03
_INFRASTRUCTURE = 0.004
_ONE_OFF_BASE = 10**10
_CORE = ("article", "review", "book-chapter")
_SMALL_TEAM = ("book-chapter", "book", "editorial", "letter", "erratum", "paratext")


@dataclass(frozen=True)
class Chunk:
    """Works and authorships of one chunk, before JSON encoding.

    ``works`` has one row per work (``number`` is its global number);
    ``authorships`` one row per authorship sorted by ``work, position``, with
    institution rows ``inst1..inst3`` (-1 for none) and ``country_pool``
    (the pool whose country an authorship without institution still reports,
    -1 for none).
    """

    year: int
    works: pl.DataFrame
    authorships: pl.DataFrame


def _lognormal_sizes(rng: np.random.Generator, n: int, median: float, sigma: float) -> IntArray:
    sizes = np.rint(np.exp(np.log(median) + sigma * rng.standard_normal(n)))
    return np.asarray(sizes, dtype=np.int64)


def _hyper_sizes(rng: np.random.Generator, n: int, mega: bool) -> IntArray:
    """Truncated Pareto sizes, stratified so the tail is always reached."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    u = (rng.permutation(n) + rng.random(n)) / n
    tail = 1 - (HYPER_MIN / HYPER_MAX) ** _HYPER_ALPHA
    sizes = np.floor(HYPER_MIN * (1 - u * tail) ** (-1 / _HYPER_ALPHA)).astype(np.int64)
    if mega:
        sizes[np.argmax(sizes)] = rng.integers(1500, HYPER_MAX + 1)
    return np.asarray(np.clip(sizes, HYPER_MIN, HYPER_MAX), dtype=np.int64)


def _pick_exactly(rng: np.random.Generator, candidates: BoolArray, k: int) -> BoolArray:
    chosen = np.zeros(candidates.size, dtype=bool)
    pool = np.flatnonzero(candidates)
    chosen[rng.choice(pool, size=min(k, pool.size), replace=False)] = True
    return chosen


def _top_countries(rng: np.random.Generator, weights: FloatArray, m: IntArray) -> IntArray:
    """Distinct countries per row, weighted, without replacement (Gumbel top-k)."""
    width = int(m.max()) if m.size else 1
    if m.size == 0:
        return np.zeros((0, width), dtype=np.int64)
    keys = np.log(weights)[None, :] + rng.gumbel(size=(m.size, weights.size))
    top = np.argsort(-keys, axis=1, kind="stable")[:, :width]
    return top.astype(np.int64)


@dataclass(frozen=True)
class _Plan:
    """Per-work decisions of a chunk."""

    type_code: IntArray
    retracted: BoolArray
    hyper: BoolArray
    international: BoolArray
    n_authors: IntArray
    n_home: IntArray
    n_national: IntArray
    n_countries: IntArray
    countries: IntArray  # (n_international, width): mix country index
    intl_rank: IntArray


def _plan(world: World, rng: np.random.Generator, year: int, n: int, chunk: int) -> _Plan:
    names = [t.name for t in TYPES]
    type_code = rng.choice(len(TYPES), size=n, p=[t.share for t in TYPES]).astype(np.int64)
    type_name = np.array(names)[type_code]
    retracted = np.isin(type_name, ("article", "review")) & (rng.random(n) < _RETRACTED)
    eligible = np.isin(type_name, _CORE) & ~retracted
    n_eligible = int(eligible.sum())
    n_hyper = round(_HYPER_SHARE * n_eligible)
    if n_eligible >= 30:
        n_hyper = max(1, n_hyper)
    hyper = _pick_exactly(rng, eligible & (type_name == "article"), n_hyper)
    share = international_share(year, world.years)
    k = round(share * n_eligible)
    international = hyper | _pick_exactly(rng, eligible & ~hyper, k - int(hyper.sum()))
    others = ~eligible & (type_name != "dissertation")
    international |= others & (rng.random(n) < share - 0.05)

    small = np.isin(type_name, _SMALL_TEAM)
    domestic_sizes = np.where(
        small, _lognormal_sizes(rng, n, 2.0, 0.6), _lognormal_sizes(rng, n, 3.2, 0.75)
    )
    foreign_sizes = 2 + np.where(
        small, _lognormal_sizes(rng, n, 1.0, 0.6), _lognormal_sizes(rng, n, 3.5, 0.85)
    )
    n_authors = np.where(
        international, np.clip(foreign_sizes, 2, 99), np.clip(domestic_sizes, 1, 40)
    )
    n_authors[type_name == "dissertation"] = 1
    mega = chunk == 0 and (year - world.years[0]) % _MEGA_EVERY == _MEGA_EVERY - 1
    n_authors[hyper] = _hyper_sizes(rng, int(hyper.sum()), mega)

    n_mix = len(world.mix.countries)
    t = (year - world.years[0]) / max(world.years[1] - world.years[0], 1)
    m = np.where(
        hyper,
        8 + n_authors // 40 + rng.poisson(4, n),
        1 + rng.poisson(1.3 + 0.7 * t, n),
    )
    m = np.where(international, np.minimum(np.minimum(m, n_authors - 1), min(n_mix, 60)), 0)
    rest = np.maximum(n_authors - 1 - m, 0)
    home_p = np.where(hyper, 0.004, np.where(international, 0.45, 0.72))
    n_home = 1 + rng.binomial(rest, home_p)
    left = np.maximum(n_authors - n_home - m, 0)
    national_p = np.where(hyper, 0.003, 0.18)
    n_national = np.where(international, rng.binomial(left, national_p), n_authors - n_home)

    intl_rank = np.where(international, np.cumsum(international) - 1, -1)
    weights = world.mix.for_year(year)
    countries = np.zeros((int(international.sum()), max(int(m.max()), 1)), dtype=np.int64)
    in_hyper = hyper[international]
    for rows, w in ((in_hyper, np.sqrt(weights)), (~in_hyper, weights)):
        if rows.any():
            top = _top_countries(rng, w, m[international][rows])
            countries[np.flatnonzero(rows), : top.shape[1]] = top
    return _Plan(
        type_code,
        retracted,
        hyper,
        international,
        n_authors,
        n_home,
        n_national,
        m,
        countries,
        intl_rank,
    )


def _positions(
    rng: np.random.Generator, work_of: IntArray, offsets: IntArray, guarantor_rows: IntArray
) -> tuple[IntArray, IntArray]:
    """A random author order per work; home guarantors of big works land in the first 100."""
    order = np.lexsort((rng.random(work_of.size), work_of))
    position = np.empty(work_of.size, dtype=np.int64)
    position[order] = np.arange(work_of.size) - offsets[work_of[order]]
    late = guarantor_rows[position[guarantor_rows] >= TRUNCATE_AT]
    if late.size:
        old = position[late]
        target = old % TRUNCATE_AT
        base = offsets[work_of[late]]
        other = order[base + target]
        position[other] = old
        position[late] = target
        order[base + target] = late
        order[base + old] = other
    return position, order


def _authorships(
    world: World, rng: np.random.Generator, plan: _Plan, numbers: IntArray
) -> pl.DataFrame:
    inst, authors = world.institutions, world.authors
    n_authors = plan.n_authors
    offsets = np.concatenate([[0], np.cumsum(n_authors)[:-1]]).astype(np.int64)
    total = int(n_authors.sum())
    work_of = np.repeat(np.arange(n_authors.size, dtype=np.int64), n_authors)
    rank = np.arange(total, dtype=np.int64) - offsets[work_of]
    home_end = np.repeat(plan.n_home, n_authors)
    national_end = home_end + np.repeat(plan.n_national, n_authors)
    foreign_first_end = national_end + np.repeat(plan.n_countries, n_authors)
    role = np.select(
        [rank == 0, rank < home_end, rank < national_end, rank < foreign_first_end], [0, 1, 2, 3], 4
    )
    m_row = np.repeat(plan.n_countries, n_authors)
    intl_row = np.repeat(plan.intl_rank, n_authors)
    slot = np.where(
        role == 3, rank - national_end, (rng.random(total) * np.maximum(m_row, 1)).astype(np.int64)
    )
    foreign = role >= 3
    country = np.zeros(total, dtype=np.int64)
    country[foreign] = plan.countries[intl_row[foreign], slot[foreign]]
    pool = np.where(role <= 1, HOME_POOL, np.where(role == 2, NATIONAL_POOL, 2 + country))

    author = authors.pick(pool, rng.random(total))
    author_num = author.copy()
    name = authors.name[author]
    first_inst = authors.institution[author]
    # An author drawn twice for one work becomes a one-off author of that work.
    key = work_of * (authors.pool.size + 1) + author
    order = np.argsort(key, kind="stable")
    repeat = np.zeros(total, dtype=bool)
    repeat[order[1:]] = key[order[1:]] == key[order[:-1]]
    if repeat.any():
        author_num[repeat] = _ONE_OFF_BASE + numbers[work_of[repeat]] * 4096 + rank[repeat]
        name[repeat] = rng.integers(0, authors.name_frags.len(), size=int(repeat.sum()))
        first_inst[repeat] = inst.pick(pool[repeat], rng.random(int(repeat.sum())))
    orcid_row = np.where(repeat, -1, author)

    extra = (role == 1) | (role == 2) | (role == 4)
    u = rng.random(total)
    bare = extra & (u < _NO_INSTITUTION)
    country_only = extra & (u >= _NO_INSTITUTION) & (u < _NO_INSTITUTION + _COUNTRY_ONLY)
    inst1 = np.where(bare | country_only, -1, first_inst)
    country_pool = np.where(country_only, pool, -1)

    has_inst = inst1 >= 0
    intl_work = np.repeat(plan.international, n_authors)
    second = has_inst & (rng.random(total) < _SECOND_AFFILIATION)
    pool2 = pool.copy()
    home_rows = pool == HOME_POOL
    pool2[home_rows] = np.where(rng.random(int(home_rows.sum())) < 0.5, HOME_POOL, NATIONAL_POOL)
    abroad = second & home_rows & intl_work & (rng.random(total) < _FOREIGN_SECOND)
    if abroad.any():
        pick = (rng.random(int(abroad.sum())) * m_row[abroad]).astype(np.int64)
        pool2[abroad] = 2 + plan.countries[intl_row[abroad], pick]
    inst2 = np.where(second, inst.pick(pool2, rng.random(total)), -1)
    inst2[inst2 == inst1] = -1

    infra = list(inst.infrastructures)
    hyper_row = np.repeat(plan.hyper, n_authors)
    u3 = rng.random(total)
    inst3 = np.full(total, -1, dtype=np.int64)
    if infra:
        cern = infra[0]
        inst3 = np.where(has_inst & hyper_row & (u3 < _CERN_IN_HYPER), cern, -1)
        visit = has_inst & intl_work & ~hyper_row & (u3 < _INFRASTRUCTURE)
        inst3[visit] = np.array(infra)[rng.integers(0, len(infra), size=int(visit.sum()))]
    inst3[(inst3 == inst1) | (inst3 == inst2)] = -1

    guarantors = offsets[plan.hyper]
    position, by_position = _positions(rng, work_of, offsets, guarantors)
    first_listed = by_position[offsets]
    corresponding_row = np.where(rng.random(n_authors.size) < 0.55, offsets, first_listed)
    corresponding = np.zeros(total, dtype=bool)
    corresponding[corresponding_row] = True

    frame = pl.DataFrame(
        {
            "work": work_of.astype(np.int32),
            "position": position.astype(np.int32),
            "author_num": author_num,
            "name": name,
            "orcid_row": orcid_row,
            "inst1": inst1,
            "inst2": inst2,
            "inst3": inst3,
            "country_pool": country_pool,
            "is_corresponding": corresponding,
        }
    )
    return frame.sort("work", "position")


def generate_chunk(world: World, year: int, chunk: int, n: int, first_number: int) -> Chunk:
    """Draw ``n`` works of ``year`` numbered from ``first_number``, with their authorships."""
    rng = rng_for(world.seed, "works", year, chunk)
    plan = _plan(world, rng, year, n, chunk)
    numbers = first_number + np.arange(n, dtype=np.int64)
    authorships = _authorships(world, rng, plan, numbers)
    works = pl.DataFrame(
        {
            "number": numbers,
            "type_code": plan.type_code,
            "is_retracted": plan.retracted,
            "is_hyper": plan.hyper,
            "is_international": plan.international,
            "n_authors": plan.n_authors,
            "first_country": np.where(
                plan.international, plan.countries[np.maximum(plan.intl_rank, 0), 0], -1
            ),
        }
    )
    return Chunk(year, works, authorships)
