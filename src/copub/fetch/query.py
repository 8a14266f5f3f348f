"""OpenAlex query URLs: pyalex builds them, one function moves them to the configured host.

pyalex writes ``https://api.openalex.org`` into every ``.url``; :func:`rebase`
is the single place where copub swaps that for ``Settings.api_url``, so a
mirror or a local replay server gets exactly the query OpenAlex would.

Examples
--------
>>> url = year_query("I204778367", 2020, "http://127.0.0.1:8080")
>>> url
'http://127.0.0.1:8080/works?filter=authorships.institutions.lineage:I204778367,publication_year:2020'
>>> page_url(url, per_page=200, cursor="*").split("&")[1:]
['per-page=200', 'cursor=*']
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

__all__ = [
    "institution_filter",
    "institution_url",
    "page_url",
    "rebase",
    "strip_secrets",
    "work_url",
    "year_query",
]

_SECRET_PARAMS = ("api_key", "mailto")


def rebase(url: str, api_url: str) -> str:
    """Move a pyalex URL onto ``api_url``, keeping path and query.

    A base URL with a path (``https://mirror.example/openalex``) is kept as a
    prefix, so mirrors mounted below the root work too.

    Examples
    --------
    >>> rebase("https://api.openalex.org/works/W1", "http://localhost:9/oa/")
    'http://localhost:9/oa/works/W1'
    """
    base = urlsplit(api_url)
    parts = urlsplit(url)
    path = base.path.rstrip("/") + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))


def institution_filter(institution: str) -> str:
    """The OpenAlex filter of an institution's universe (lineage, so child units count).

    Examples
    --------
    >>> institution_filter("I204778367")
    'authorships.institutions.lineage:I204778367'
    """
    return f"authorships.institutions.lineage:{institution}"


def year_query(institution: str, year: int, api_url: str) -> str:
    """The ``/works`` list URL for one institution and publication year, without paging."""
    # pyalex is imported where a URL is built: with requests and urllib3 it is slow to import.
    import pyalex

    works = pyalex.Works().filter(
        authorships={"institutions": {"lineage": institution}}, publication_year=year
    )
    return rebase(str(works.url), api_url)


def work_url(work_id: str, api_url: str) -> str:
    """The single-work URL (``/works/W…``), which is never truncated.

    Examples
    --------
    >>> work_url("W42", "http://127.0.0.1:1")
    'http://127.0.0.1:1/works/W42'
    """
    import pyalex

    return rebase(str(pyalex.Works(work_id).url), api_url)


def institution_url(ror: str, api_url: str) -> str:
    """The single-institution URL of a ROR id (``/institutions/ror:…``).

    Examples
    --------
    >>> institution_url("05xg72x27", "http://127.0.0.1:1")
    'http://127.0.0.1:1/institutions/ror:05xg72x27'
    """
    import pyalex

    return rebase(str(pyalex.Institutions(f"ror:{ror}").url), api_url).replace("%3A", ":")


def page_url(query: str, *, per_page: int, cursor: str) -> str:
    """Add cursor paging to a list URL."""
    return f"{query}&{urlencode({'per-page': per_page, 'cursor': cursor}, safe='*')}"


def strip_secrets(url: str) -> str:
    """The URL without ``api_key``/``mailto``, for manifests, messages and provenance.

    Examples
    --------
    >>> strip_secrets("http://h/works?filter=x&api_key=secret")
    'http://h/works?filter=x'
    """
    parts = urlsplit(url)
    kept = [
        item
        for item in parts.query.split("&")
        if item and item.split("=", 1)[0] not in _SECRET_PARAMS
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), ""))
