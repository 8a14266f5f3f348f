"""Atomic pages, the manifest and resumable chains: nothing unvouched is ever read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copub.errors import UsageError
from copub.fetch.atomic import atomic_write
from copub.fetch.manifest import ManifestWriter, WorkEntry, read_manifest
from copub.fetch.query import page_url, rebase, strip_secrets, work_url, year_query
from copub.fetch.store import RawStore, raw_dir

QUERY = "http://h/works?filter=authorships.institutions.lineage:I1,publication_year:2020"


def _page(n: int) -> bytes:
    ids = [f"https://openalex.org/W{n}{k}" for k in range(3)]
    results = [{"id": i, "publication_year": 2020, "authorships": []} for i in ids]
    return json.dumps({"meta": {"count": 9}, "results": results}).encode()


def _add(store: RawStore, n: int, *, last: bool = False) -> None:
    cursor = "*" if n == 1 else f"c{n}"
    store.add_page(
        2020,
        f"{QUERY}&cursor={cursor}",
        cursor,
        _page(n),
        next_cursor=None if last else f"c{n + 1}",
        count=9,
        ids=tuple(f"W{n}{k}" for k in range(3)),
        truncated=(),
    )


def _open(tmp_path: Path) -> RawStore:
    return RawStore.open(tmp_path, "I1", {2020: QUERY})


def test_query_is_built_by_pyalex_and_rebased_once() -> None:
    url = year_query("I204778367", 2021, "https://mirror.example/oa")
    assert url == (
        "https://mirror.example/oa/works?filter="
        "authorships.institutions.lineage:I204778367,publication_year:2021"
    )
    assert work_url("W9", "http://127.0.0.1:8") == "http://127.0.0.1:8/works/W9"
    assert page_url(url, per_page=100, cursor="Ils=").endswith("&per-page=100&cursor=Ils%3D")
    assert strip_secrets(f"{url}&api_key=k&mailto=a@b") == url


@given(
    path=st.from_regex(r"/works(/W[0-9]{1,6})?", fullmatch=True),
    query=st.from_regex(r"(filter=[a-z._:0-9,]{0,20})?", fullmatch=True),
    base=st.sampled_from(["http://127.0.0.1:9", "https://m.example/a/b/", "http://h"]),
)
@settings(max_examples=50, deadline=None)
def test_rebase_keeps_path_and_query(path: str, query: str, base: str) -> None:
    url = "https://api.openalex.org" + path + (f"?{query}" if query else "")
    moved = rebase(url, base)
    assert moved.startswith(base.rstrip("/") + path)
    assert moved.endswith(path + (f"?{query}" if query else ""))
    if "/a/b" not in base:  # a base without a path prefix round-trips
        assert rebase(moved, "https://api.openalex.org") == url


def test_atomic_write_replaces_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.json"
    atomic_write(target, b"old")

    def boom(src: object, dst: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk gone"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]


def test_manifest_cuts_a_partial_last_line(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    entry = WorkEntry("W1", "u", "works/W1.json", "00", "t")
    with ManifestWriter(path) as log:
        log.append(entry)
    with path.open("ab") as handle:
        handle.write(b'{"kind": "work", "work_id": "W2", "ur')
    assert read_manifest(path) == [entry]
    assert path.read_bytes().endswith(b"\n")
    with ManifestWriter(path) as log:
        log.append(entry)
    assert read_manifest(path) == [entry, entry]


def test_store_resumes_from_the_last_next_cursor(tmp_path: Path) -> None:
    with _open(tmp_path) as store:
        _add(store, 1)
        _add(store, 2)
    with _open(tmp_path) as store:
        chain = store.chain(2020)
        assert [e.page for e in chain] == [1, 2] and chain[-1].next_cursor == "c3"
        _add(store, 3, last=True)
        assert store.chain(2020)[-1].last
        files, n_works = store.files([2020])
    assert [f.name for f in files] == ["00001.json", "00002.json", "00003.json"] and n_works == 0


def test_recovery_quarantines_what_it_cannot_vouch_for_and_keeps_the_rest(
    tmp_path: Path,
) -> None:
    with _open(tmp_path) as store:
        _add(store, 1)
        _add(store, 2)
        _add(store, 3)
        chain_dir = (store.root / store.chain(2020)[0].path).parent
    # A kill mid-write leaves a tmp file; one just after the rename leaves an orphan page.
    (chain_dir / ".00004.json.x1.tmp").write_bytes(_page(4)[:40])
    (chain_dir / "00004.json").write_bytes(_page(4))
    # A page altered on disk: the chain is cut there and resumes from its cursor.
    (chain_dir / "00002.json").write_bytes(_page(2)[:-5])
    # A file the user left there: not copub's, never touched, never read.
    (chain_dir / "notes.txt").write_text("mine")
    with _open(tmp_path) as store:
        assert [e.page for e in store.chain(2020)] == [1]
        assert store.chain(2020)[-1].next_cursor == "c2"
        assert store.removed_files == 1  # only copub's own tmp file is deleted
        rel = chain_dir.relative_to(store.root).as_posix()
        assert sorted(store.quarantined) == [f"{rel}/00002.json", f"{rel}/00004.json"]
        notes = "\n".join(store.recovery_notes)
        assert f"page 2 ({rel}/00002.json) was altered" in notes
        assert "no manifest entry vouches for it" in notes and "quarantine/" in notes
        # Page 3 still matches its entry: it stays until its replacement is written.
        assert sorted(p.name for p in chain_dir.iterdir()) == [
            "00001.json", "00003.json", "notes.txt"
        ]  # fmt: skip
        moved = sorted(p.name for p in (store.root / "quarantine").rglob("*.json"))
        assert moved == ["00002.json", "00004.json"]
        files, _ = store.files([2020])
        assert [f.name for f in files] == ["00001.json"]
        _add(store, 2)
        _add(store, 3)
    assert (chain_dir / "00003.json").read_bytes() == _page(3)
    assert (chain_dir / "notes.txt").read_text() == "mine"


def test_a_manifest_line_of_the_wrong_type_is_skipped_and_named(tmp_path: Path) -> None:
    with _open(tmp_path) as store:
        _add(store, 1)
        _add(store, 2)
    manifest = raw_dir(tmp_path, "I1") / "manifest.jsonl"
    lines = manifest.read_bytes().splitlines()
    second = json.loads(lines[1])
    second["page"] = "2"
    lines[1] = json.dumps(second).encode()
    junk = [b"[1, 2]", b'{"kind": "page", "path": "../x"}']
    manifest.write_bytes(b"\n".join([*lines, *junk]) + b"\n")
    with _open(tmp_path) as store:
        assert [e.page for e in store.chain(2020)] == [1]
        assert any("3 line(s) are not valid entries" in n and "line 2, 3, 4" in n
                   for n in store.recovery_notes)  # fmt: skip


def test_a_second_fetch_on_the_same_store_is_refused(tmp_path: Path) -> None:
    with _open(tmp_path), pytest.raises(UsageError, match="another copub fetch"):
        _open(tmp_path)
    with _open(tmp_path):  # the lock is released on close
        pass


def test_a_changed_query_starts_a_fresh_chain(tmp_path: Path) -> None:
    with _open(tmp_path) as store:
        _add(store, 1)
    with RawStore.open(tmp_path, "I1", {2020: QUERY + "x"}) as store:
        assert store.chain(2020) == ()
    with _open(tmp_path) as store:
        assert len(store.chain(2020)) == 1


@given(
    n_pages=st.integers(1, 5),
    cut_manifest=st.integers(0, 400),
    damaged=st.sets(st.integers(1, 5), max_size=2),
    removed=st.sets(st.integers(1, 5), max_size=2),
)
@settings(max_examples=30, deadline=None)
def test_any_crash_leaves_a_verified_prefix(
    tmp_path_factory: pytest.TempPathFactory,
    n_pages: int,
    cut_manifest: int,
    damaged: set[int],
    removed: set[int],
) -> None:
    """Cut the manifest anywhere, damage or delete pages: what is left is a true prefix."""
    data_dir = tmp_path_factory.mktemp("crash")
    with RawStore.open(data_dir, "I1", {2020: QUERY}) as store:
        for n in range(1, n_pages + 1):
            _add(store, n, last=n == n_pages)
        written = store.chain(2020)
    manifest = raw_dir(data_dir, "I1") / "manifest.jsonl"
    raw = manifest.read_bytes()
    manifest.write_bytes(raw[: max(0, len(raw) - cut_manifest)])
    for n in damaged & set(range(1, n_pages + 1)):
        (store.root / written[n - 1].path).write_bytes(b'{"results": [')
    for n in removed & set(range(1, n_pages + 1)):
        (store.root / written[n - 1].path).unlink(missing_ok=True)
    with RawStore.open(data_dir, "I1", {2020: QUERY}) as store:
        chain = store.chain(2020)
        files, _ = store.files([2020])
    assert chain == written[: len(chain)]
    bad = (damaged | removed) & set(range(1, n_pages + 1))
    assert len(chain) < min(bad, default=n_pages + 1)
    for path, entry in zip(files, chain, strict=True):
        assert path.read_bytes() == _page(entry.page)
    on_disk = {p for p in (store.root / "pages").rglob("*") if p.is_file()}
    assert set(files) <= on_disk
    # Whatever else is still there is a good page, kept until its replacement is written.
    for path in on_disk - set(files):
        assert path.read_bytes() == _page(int(path.stem))
    damaged_paths = {store.root / written[n - 1].path for n in damaged if n <= n_pages}
    assert not damaged_paths & on_disk


def test_a_lost_manifest_moves_the_pages_aside_and_deletes_none(tmp_path: Path) -> None:
    with _open(tmp_path) as store:
        for n in (1, 2, 3):
            _add(store, n)
        root = store.root
    before = {p.name: p.read_bytes() for p in (root / "pages").rglob("*.json")}
    (root / "manifest.jsonl").write_bytes(b"\x00garbage\n")
    with _open(tmp_path) as store:
        assert store.chain(2020) == ()
        assert len(store.quarantined) == 3 and store.removed_files == 0
        assert sum("no manifest entry vouches for it" in n for n in store.recovery_notes) == 3
    moved = {p.name: p.read_bytes() for p in (root / "quarantine").rglob("*.json")}
    assert moved == before
