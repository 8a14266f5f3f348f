"""Stage 1: OpenAlex to raw pages on disk (query, transport, store, chains), then tables.

The public entry point is :func:`fetch_works`; the modules underneath are:

- :mod:`~copub.fetch.query`: pyalex builds the URLs, one function moves them to ``api_url``;
- :mod:`~copub.fetch.transport`: urllib3 + tenacity, retries and the 429 stop;
- :mod:`~copub.fetch.atomic`, :mod:`~copub.fetch.manifest`, :mod:`~copub.fetch.store`:
  atomic pages, the manifest, resumable chains;
- :mod:`~copub.fetch.chains`: one cursor chain per year, bounded concurrency;
- :mod:`~copub.fetch.vouch`: each answer read with the table builder's own reader
  before the manifest vouches for it;
- :mod:`~copub.fetch.fetcher`, :mod:`~copub.fetch.result`: the call and its result.
"""

from __future__ import annotations

from copub.fetch.fetcher import fetch_works
from copub.fetch.result import FetchResult, InstitutionResult, YearResult

__all__ = ["FetchResult", "InstitutionResult", "YearResult", "fetch_works"]
