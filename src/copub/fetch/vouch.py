"""Answers are checked with the normalizer's own record rules before the manifest vouches for them.

A page the fetcher accepted but the table builder refuses (a malformed work
id, ``"publication_year": "twenty"``, a bad author record, a page whose first
key is not ``meta``/``results``) would otherwise be stored, vouched for, and
make every later build fail until someone deleted it by hand. So each answer
is read here by the very function the builder reads files with
(:func:`copub.normalize.reader.read_raw_file` for works,
:func:`copub.normalize.authors.read_authors` for authors): there is one set
of record rules, not a second validator that could drift from it.

The check reads a scratch copy named like copub's temporary files
(``.00001.json.….check.tmp``), so a copy left by a kill is removed on the next
opening of the store.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from copub.errors import DataError
from copub.fetch.atomic import TMP_SUFFIX

__all__ = ["RecordCheck", "Salvage", "problem", "salvage"]

#: Reads a file the way the builder does; raises DataError naming the bad record.
RecordCheck = Callable[[Path], object]


def problem(body: bytes, target: Path, check: RecordCheck) -> str | None:
    """What the builder would refuse in ``body`` were it stored at ``target``; None if nothing.

    The message names ``target``'s file name and the record, as the builder would.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".check" + TMP_SUFFIX
    )
    scratch = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        check(scratch)
    except DataError as exc:
        return str(exc).replace(str(scratch), target.name)
    finally:
        with contextlib.suppress(OSError):
            scratch.unlink()
    return None


@dataclass(frozen=True)
class Salvage:
    """A list page rebuilt from the records that pass, and the ids of those that do not."""

    body: bytes
    data: dict[str, Any]
    left_out: tuple[str, ...]


def salvage(data: dict[str, Any], target: Path, check: RecordCheck) -> Salvage:
    """Keep the records of a list page that pass the builder's rules one by one.

    The page is written again as ``{"meta": …, "results": […]}`` (meta first,
    so the builder reads it as a list page); the answer as received is kept
    aside by the caller.
    """
    meta = data["meta"]
    good: list[Any] = []
    left_out: list[str] = []
    for record in data["results"]:
        one = orjson.dumps({"meta": meta, "results": [record]})
        if problem(one, target, check) is None:
            good.append(record)
        else:
            left_out.append(str(record.get("id", "no id")).rsplit("/", 1)[-1])
    rebuilt = {"meta": meta, "results": good}
    body = orjson.dumps(rebuilt)
    if good and problem(body, target, check) is not None:
        # Each passes alone but not together: nothing on the page can be vouched for.
        left_out += [str(r.get("id", "no id")).rsplit("/", 1)[-1] for r in good]
        rebuilt = {"meta": meta, "results": []}
        body = orjson.dumps(rebuilt)
    return Salvage(body, rebuilt, tuple(left_out))


def shown_ids(ids: Sequence[str], limit: int = 3) -> str:
    """A few ids for a message, each cut to 24 characters.

    Examples
    --------
    >>> shown_ids(["W1", "W2", "W3", "W4"])
    'W1, W2, W3 …'
    """
    cut = [i if len(i) <= 24 else i[:23] + "…" for i in ids[:limit]]
    return ", ".join(cut) + (" …" if len(ids) > limit else "")
