"""Explicit, frozen settings with environment overrides.

There is no global mutable state: every function that needs a setting takes a
:class:`Settings`. :meth:`Settings.from_env` reads ``COPUB_*`` variables and
``OPENALEX_API_KEY``; keyword overrides win over the environment.

Examples
--------
>>> s = Settings.from_env({"COPUB_OPENALEX_URL": "http://127.0.0.1:8080/"})
>>> s.api_url
'http://127.0.0.1:8080'
>>> s.with_(concurrency=2).concurrency
2
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import platformdirs

from copub.errors import UsageError

__all__ = ["DEFAULT_API_URL", "DEFAULT_INSTITUTION", "Settings"]

DEFAULT_API_URL = "https://api.openalex.org"
#: NTNU, the default subject; every function takes another institution.
DEFAULT_INSTITUTION = "I204778367"


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("copub", appauthor=False))


def _default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("copub", appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Where copub reads and writes, and how it talks to OpenAlex.

    Parameters
    ----------
    data_dir : Path
        Raw pages, manifest and tables (``COPUB_DATA_DIR``).
    cache_dir : Path
        Generated samples and other rebuildable files (``COPUB_CACHE_DIR``).
    api_url : str
        OpenAlex base URL; a mirror or a local replay server works the same
        (``COPUB_OPENALEX_URL``).
    api_key : str or None
        The OpenAlex API key (``OPENALEX_API_KEY``).
    email : str or None
        Sent as ``From`` for OpenAlex's polite pool (``COPUB_EMAIL``).
    max_retries : int
        Retries per request on 403, 5xx, timeouts, resets and broken bodies
        (``COPUB_MAX_RETRIES``).
    backoff : float
        First backoff in seconds; doubles per retry, with full jitter
        (``COPUB_BACKOFF``).
    backoff_max : float
        Longest single wait, also the cap on ``Retry-After`` (``COPUB_BACKOFF_MAX``).
    timeout : float
        Read timeout per request in seconds (``COPUB_TIMEOUT``).
    concurrency : int
        Year chains fetched at once (``COPUB_CONCURRENCY``).
    per_page : int
        Page size asked for; 200 is OpenAlex's maximum, and copub falls back
        to 100 when a server refuses it (``COPUB_PER_PAGE``).
    register : Path or None
        Default Norwegian channel register file (``COPUB_REGISTER``).
    """

    data_dir: Path = dataclasses.field(default_factory=_default_data_dir)
    cache_dir: Path = dataclasses.field(default_factory=_default_cache_dir)
    api_url: str = DEFAULT_API_URL
    api_key: str | None = None
    email: str | None = None
    max_retries: int = 8
    backoff: float = 0.5
    backoff_max: float = 60.0
    timeout: float = 60.0
    concurrency: int = 4
    per_page: int = 200
    register: Path | None = None

    def __post_init__(self) -> None:
        parsed = urlparse(self.api_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise UsageError(f"API URL {self.api_url!r} is not an http(s) URL")
        object.__setattr__(self, "api_url", self.api_url.rstrip("/"))
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        object.__setattr__(self, "cache_dir", Path(self.cache_dir))
        if self.register is not None:
            object.__setattr__(self, "register", Path(self.register))
        if not 1 <= self.per_page <= 200:
            raise UsageError(f"per_page must be between 1 and 200, not {self.per_page}")
        if self.concurrency < 1:
            raise UsageError(f"concurrency must be at least 1, not {self.concurrency}")
        if self.max_retries < 0:
            raise UsageError(f"max_retries must be 0 or more, not {self.max_retries}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``COPUB_*``/``OPENALEX_API_KEY``, then ``overrides``.

        ``None`` values in ``overrides`` are ignored, so CLI options that were
        not given fall through to the environment.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        text = {
            "data_dir": "COPUB_DATA_DIR",
            "cache_dir": "COPUB_CACHE_DIR",
            "api_url": "COPUB_OPENALEX_URL",
            "api_key": "OPENALEX_API_KEY",
            "email": "COPUB_EMAIL",
            "register": "COPUB_REGISTER",
        }
        numbers: dict[str, tuple[str, type]] = {
            "max_retries": ("COPUB_MAX_RETRIES", int),
            "backoff": ("COPUB_BACKOFF", float),
            "backoff_max": ("COPUB_BACKOFF_MAX", float),
            "timeout": ("COPUB_TIMEOUT", float),
            "concurrency": ("COPUB_CONCURRENCY", int),
            "per_page": ("COPUB_PER_PAGE", int),
        }
        for field, var in text.items():
            if env.get(var):
                values[field] = env[var]
        for field, (var, kind) in numbers.items():
            if env.get(var):
                try:
                    values[field] = kind(env[var])
                except ValueError:
                    raise UsageError(f"{var}={env[var]!r} is not a valid {kind.__name__}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)
