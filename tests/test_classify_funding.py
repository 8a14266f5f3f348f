"""EU funding flags from OpenAlex funder ids and RORs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

import copub
from copub.classify.funding import FUNDER_GROUPS, funding_flags, funding_keyed
from copub.classify.keyed import KeyedTables


def work(wid: str, grants: list[dict[str, Any]], funders: list[dict[str, Any]] | None = None
         ) -> dict[str, Any]:
    return {"id": f"https://openalex.org/{wid}", "publication_year": 2022, "authorships": [],
            "grants": grants, "funders": funders or []}


def grant(fid: str, award: str | None = "1") -> dict[str, Any]:
    return {"funder": f"https://openalex.org/{fid}", "funder_display_name": fid, "award_id": award}


def test_funding_flags(tmp_path: Path) -> None:
    works = [
        work("W1", [grant("F4320338335")]),  # H2020 ERC
        work("W2", [grant("F4320338438")]),  # Horizon Europe MSCA
        work("W3", [grant("F4320332999")]),  # Horizon 2020 Framework Programme
        work("W4", [grant("F4320332161")]),  # NIH: not EU
        work("W5", []),
        # A funder known only by ROR (the European Commission), with no id of ours.
        work("W6", [], [{"id": "https://openalex.org/F999", "display_name": "EC",
                         "ror": "https://ror.org/00k4n6c32"}]),
        work("W7", [grant("F4320334678", None), grant("F4320306076")]),  # ERC (FP7) + NSF
    ]
    path = tmp_path / "w.jsonl"
    path.write_text("\n".join(json.dumps(w) for w in works), encoding="utf-8")
    tables = copub.read_works(path)
    flags = funding_flags(tables)
    assert flags.columns == ["work_id", "funded_ec", "funded_erc", "funded_msca"]
    assert flags.height == 7 and flags.null_count().sum_horizontal().item() == 0
    rows = {r.pop("work_id"): tuple(r.values()) for r in flags.to_dicts()}
    assert rows == {
        "W1": (True, True, False),
        "W2": (True, False, True),
        "W3": (True, False, False),
        "W4": (False, False, False),
        "W5": (False, False, False),
        "W6": (True, False, False),
        "W7": (True, True, False),
    }
    # The keyed labels (read by position, no join) are the same, also for part of the works.
    keyed = KeyedTables.from_tables(tables)
    assert keyed.with_work_ids(funding_keyed(keyed)).equals(flags)
    some = keyed.restrict(pl.Series([0, 3, 6], dtype=pl.UInt32))
    expected = flags.filter(pl.col("work_id").is_in(["W1", "W4", "W7"]))
    assert some.with_work_ids(funding_keyed(some)).equals(expected)


def test_funder_groups_are_well_formed() -> None:
    by_column = {g.column: g for g in FUNDER_GROUPS}
    ec, erc, msca = by_column["funded_ec"], by_column["funded_erc"], by_column["funded_msca"]
    # ERC and MSCA are parts of the EU framework programmes, so EC covers them.
    assert set(erc.openalex_ids) | set(msca.openalex_ids) <= set(ec.openalex_ids)
    for group in FUNDER_GROUPS:
        assert all(i.startswith("F") and i[1:].isdigit() for i in group.openalex_ids)
        assert all(len(r) == 9 and r.startswith("0") for r in group.rors)
    assert pl.Series(ec.openalex_ids).is_unique().all()
