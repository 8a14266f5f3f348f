"""Stage 1: OpenAlex to raw pages on disk (query, transport, store, chains), then tables.

The public entry point is :func:`fetch_works`; the modules underneath are:

- :mod:`~copub.fetch.query`: pyalex builds the URLs, one function moves them to ``api_url``;
- :mod:`~copub.fetch.transport`: urllib3 + tenacity, retries and the 429 stop;
- :mod:`~copub.fetch.atomic`, :mod:`~copub.fetch.manifest`, :mod:`~copub.fetch.store`:
  atomic pages, the manifest, resumable chains;
- :mod:`~copub.fetch.chains`: one cursor chain per year, bounded concurrency;
- :mod:`~copub.fetch.fetcher`, :mod:`~copub.fetch.result`: the call and its result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from copub._lazy import lazy_exports

if TYPE_CHECKING:  # for the type checker; at run time each name loads on first use
    from copub.fetch.fetcher import fetch_works
    from copub.fetch.result import FetchResult, InstitutionResult, YearResult

#: Where each public name lives (see copub._lazy): importing the package imports none.
_EXPORTS = {
    "fetch_works": "copub.fetch.fetcher",
    "FetchResult": "copub.fetch.result",
    "InstitutionResult": "copub.fetch.result",
    "YearResult": "copub.fetch.result",
}

__all__ = ["FetchResult", "InstitutionResult", "YearResult", "fetch_works"]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
