"""Fill in missing ids of alliance members through the OpenAlex institutions endpoint.

Members with a ROR but no OpenAlex id are looked up as ``/institutions/ror:<ROR>``
(the OpenAlex id lets a partner's child units count through lineage). Members
with neither (status ``unresolved``) are searched by name, and accepted only
when OpenAlex's display name is the member's name, ignoring case. Anything
that cannot be resolved (no network, no exact match) is reported, never
guessed, and keeps matching on whatever ids it already has.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from copub.classify.membership import Group, Member, PartnerGroups
from copub.progress import Progress
from copub.settings import Settings

if TYPE_CHECKING:
    import urllib3

__all__ = ["resolve_members"]

_OPENALEX = "https://openalex.org/"
_ROR = "https://ror.org/"


class _Offline(Exception):
    """The API cannot be reached at all: stop asking."""


def _get(http: urllib3.PoolManager, settings: Settings, path: str, query: dict[str, str]) -> object:
    params = dict(query)
    if settings.api_key:
        params["api_key"] = settings.api_key
    if settings.email:
        params["mailto"] = settings.email
    url = f"{settings.api_url}{path}" + (f"?{urlencode(params)}" if params else "")
    cap = int(settings.max_body_mb * 2**20)
    import urllib3

    try:
        # No redirect is followed: the key in the query must never reach another host, and
        # a record is answered where it was asked for (fetch's transport does the same).
        # At most COPUB_MAX_BODY_MB is read, the fetcher's body cap.
        response = http.request("GET", url, redirect=False, preload_content=False)
        data = response.read(cap + 1)
        response.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        raise _Offline(f"{settings.api_url} unreachable ({type(exc).__name__})") from None
    if 300 <= response.status < 400:
        raise _Offline(f"{settings.api_url} answered a redirect (HTTP {response.status})")
    if len(data) > cap:
        raise _Offline(
            f"{settings.api_url} answered more than {settings.max_body_mb} MB for one record "
            "(COPUB_MAX_BODY_MB)"
        )
    if response.status == 404:
        return None
    if response.status >= 400:
        raise _Offline(f"{settings.api_url} answered HTTP {response.status}")
    try:
        return json.loads(data)
    except ValueError:
        return None


def _resolved(member: Member, record: object) -> Member | None:
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        return None
    ror = record.get("ror")
    return dataclasses.replace(
        member,
        openalex_id=record["id"].removeprefix(_OPENALEX),
        ror=member.ror or (ror.removeprefix(_ROR) if isinstance(ror, str) else None),
        status=f"{member.status}+openalex_resolved" if member.ror else "openalex_resolved",
    )


def _lookup(http: urllib3.PoolManager, settings: Settings, member: Member) -> Member | None:
    if member.ror:
        return _resolved(member, _get(http, settings, f"/institutions/ror:{quote(member.ror)}", {}))
    if not member.name:
        return None
    page = _get(http, settings, "/institutions", {"search": member.name, "per-page": "10"})
    results = page.get("results") if isinstance(page, dict) else None
    for record in results if isinstance(results, list) else []:
        name = record.get("display_name") if isinstance(record, dict) else None
        if isinstance(name, str) and name.casefold() == member.name.casefold():
            return _resolved(member, record)
    return None


def resolve_members(
    groups: PartnerGroups, settings: Settings, *, progress: Progress | None = None
) -> PartnerGroups:
    """Look up members of institution groups that lack an OpenAlex id.

    Parameters
    ----------
    groups : PartnerGroups
    settings : Settings
        ``api_url`` (``COPUB_OPENALEX_URL``), key, e-mail and timeout.
    progress : Progress, optional
        Where to report what was resolved and what was not (stderr by default).

    Returns
    -------
    PartnerGroups
        The same groups, with the ids found filled in.

    Examples
    --------
    >>> from copub.classify.groups import load_groups
    >>> offline = Settings(api_url="http://127.0.0.1:9", timeout=0.5)
    >>> quiet = Progress(enabled=False)
    >>> resolve_members(load_groups(), offline, progress=quiet).keys()[-1]
    'infrastructure'
    """
    report = progress or Progress()
    import urllib3  # here, not at the top: with ssl it is slow to import

    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=min(settings.timeout, 10.0), read=settings.timeout),
        retries=urllib3.Retry(total=2, connect=0, backoff_factor=settings.backoff, redirect=2),
        headers={"User-Agent": "copub (partner-group resolution)"},
    )
    offline: str | None = None
    resolved: list[str] = []
    missing: list[str] = []
    new_groups: list[Group] = []
    for group in groups:
        members: list[Member] = []
        for member in group.members:
            if group.kind != "institution" or member.openalex_id:
                members.append(member)
                continue
            found = None
            if offline is None:
                try:
                    found = _lookup(http, settings, member)
                except _Offline as exc:
                    offline = str(exc)
            label = f"{group.key}: {member.name or member.code}"
            (resolved if found else missing).append(label)
            members.append(found or member)
        new_groups.append(dataclasses.replace(group, members=tuple(members)))
    if resolved:
        report.note(
            f"resolved {len(resolved)} partner id(s) through OpenAlex: {'; '.join(resolved)}"
        )
    if missing:
        why = f"no network: {offline}" if offline else "no exact match in OpenAlex"
        report.note(
            f"{len(missing)} partner(s) without an OpenAlex id ({why}): {'; '.join(missing)}"
        )
    return PartnerGroups(tuple(new_groups), groups.home_country)
