"""OpenAlex institution ids of institutions known by their ROR id.

An institution group may give a member by ROR alone (the packaged ENHANCE and
Nordic Five Tech groups do, where no OpenAlex id could be verified); a fetch
needs its OpenAlex id for the works filter. :func:`openalex_ids_by_ror` asks
OpenAlex's single-institution endpoint (``/institutions/ror:<ROR>``), one
request per ROR, with the same transport, retries and 429 stop as the works.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from copub.errors import UsageError
from copub.fetch.query import institution_url
from copub.fetch.transport import HTTPStatusError, Transport
from copub.progress import Progress
from copub.settings import Settings
from copub.validate import parse_institution_id

__all__ = ["openalex_ids_by_ror"]


def _check_institution(data: Any) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise ValueError("not an OpenAlex institution")


def openalex_ids_by_ror(
    rors: Iterable[str], *, settings: Settings | None = None, progress: Progress | None = None
) -> dict[str, str | None]:
    """The OpenAlex id of each ROR id, or None where OpenAlex knows no such institution.

    Parameters
    ----------
    rors : iterable of str
        Short ROR ids (``05xg72x27``); repeats are asked once.
    settings : Settings, optional
        API URL and key, retries; default :meth:`Settings.from_env`.
    progress : Progress, optional
        Progress on stderr.

    Returns
    -------
    dict of str to str or None
        By ROR, the short OpenAlex id (``I…``), None for a 404.

    Raises
    ------
    UsageError
        For a query OpenAlex refuses.
    BudgetExhaustedError
        On 429.
    NetworkError
        When a request still fails after every retry.

    Examples
    --------
    >>> openalex_ids_by_ror(["05xg72x27"])  # doctest: +SKIP
    {'05xg72x27': 'I204778367'}
    """
    settings = settings if settings is not None else Settings.from_env()
    progress = progress if progress is not None else Progress()
    wanted = list(dict.fromkeys(rors))
    found: dict[str, str | None] = {}
    if not wanted:
        return found

    def on_retry(kind: str, url: str, wait: float) -> None:
        progress.note(f"retrying after {kind} in {wait:.1f} s: {url}")

    with Transport(settings, on_retry=on_retry) as transport:
        for ror in wanted:
            if not ror or "/" in ror:
                raise UsageError(f"{ror!r} is not a short ROR id such as 05xg72x27")
            try:
                _, data = transport.get_json(
                    institution_url(ror, settings.api_url), shape=_check_institution
                )
            except HTTPStatusError as exc:
                if exc.status != 404:
                    raise
                found[ror] = None
                continue
            try:
                found[ror] = parse_institution_id(str(data["id"]))
            except UsageError:
                found[ror] = None  # not an institution id: treated as not found

    return found
