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
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import platformdirs

from copub.errors import UsageError
from copub.secrets import redact, register_secret

__all__ = ["DEFAULT_API_URL", "DEFAULT_INSTITUTION", "RANGES", "Settings"]

DEFAULT_API_URL = "https://api.openalex.org"
#: NTNU, the default subject; every function takes another institution.
DEFAULT_INSTITUTION = "I204778367"


#: The range of every numeric setting: variable, lowest, highest, unit. The bounds are
#: far beyond any sensible value but keep every wait, pool and buffer finite:
#: a timeout of a day, a backoff of an hour, 64 threads, a body of 4 GB.
RANGES: dict[str, tuple[str, float, float, str]] = {
    "max_retries": ("COPUB_MAX_RETRIES", 0, 100, "retries"),
    "backoff": ("COPUB_BACKOFF", 0, 3600, "seconds"),
    "backoff_max": ("COPUB_BACKOFF_MAX", 0, 86_400, "seconds"),
    "timeout": ("COPUB_TIMEOUT", 0, 86_400, "seconds"),
    "max_run_time": ("COPUB_MAX_RUN_TIME", 0, 10_000_000, "seconds"),
    "concurrency": ("COPUB_CONCURRENCY", 1, 64, "threads"),
    "per_page": ("COPUB_PER_PAGE", 1, 200, "works"),
    "max_pages": ("COPUB_MAX_PAGES", 1, 100_000_000, "pages"),
    "max_body_mb": ("COPUB_MAX_BODY_MB", 1, 4096, "MB"),
}
#: Settings whose range starts above 0 (a zero timeout would fail every request).
_ABOVE_ZERO = frozenset({"timeout", "max_run_time"})


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
        Deadline of one whole request in seconds, from connecting to the last
        byte of the body, however slowly it trickles (``COPUB_TIMEOUT``).
    max_run_time : float or None
        Deadline of one whole fetch in seconds; None for no limit
        (``COPUB_MAX_RUN_TIME``). Pages fetched before it are kept.
    concurrency : int
        Year chains fetched at once (``COPUB_CONCURRENCY``).
    per_page : int
        Page size asked for; 200 is OpenAlex's maximum, and copub falls back
        to 100 when a server refuses it (``COPUB_PER_PAGE``).
    register : Path or None
        Default Norwegian channel register file (``COPUB_REGISTER``).
    max_pages : int
        Most pages of one cursor chain, whatever ``meta.count`` claims
        (``COPUB_MAX_PAGES``); 10,000 pages hold 2 million works at 200 a page.
    max_body_mb : int
        Largest answer accepted, in MB once decoded (``COPUB_MAX_BODY_MB``);
        a page of 200 works is a few MB.

    Every number has a range (:data:`RANGES`), checked here: a value outside
    it is a :class:`~copub.errors.UsageError` naming the variable.
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
    max_run_time: float | None = None
    concurrency: int = 4
    per_page: int = 200
    register: Path | None = None
    max_pages: int = 10_000
    max_body_mb: int = 100

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={'***' if f.name == 'api_key' and self.api_key else getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)
        )
        return redact(f"Settings({shown})")

    def __post_init__(self) -> None:
        register_secret(self.api_key)
        _check_url(self.api_url)
        object.__setattr__(self, "api_url", self.api_url.rstrip("/"))
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        object.__setattr__(self, "cache_dir", Path(self.cache_dir))
        if self.register is not None:
            object.__setattr__(self, "register", Path(self.register))
        for name in RANGES:
            value = getattr(self, name)
            if value is not None or name != "max_run_time":
                _check_range(name, value)
        _check_email(self.email)

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
            "max_run_time": ("COPUB_MAX_RUN_TIME", float),
            "concurrency": ("COPUB_CONCURRENCY", int),
            "per_page": ("COPUB_PER_PAGE", int),
            "max_pages": ("COPUB_MAX_PAGES", int),
            "max_body_mb": ("COPUB_MAX_BODY_MB", int),
        }
        for field, var in text.items():
            if env.get(var):
                values[field] = env[var]
        for field, (var, kind) in numbers.items():
            if env.get(var):
                try:
                    values[field] = kind(env[var])
                except ValueError:
                    shown = redact(env[var])
                    raise UsageError(f"{var}={shown!r} is not a valid {kind.__name__}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)


def _check_url(url: str) -> None:
    """An http(s) URL with a host and a valid port, or :class:`UsageError` (key masked)."""
    shown = redact(url)
    try:
        parsed = urlparse(url)
        parsed.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError as exc:
        raise UsageError(f"API URL {shown!r} is not a valid URL ({redact(exc)})") from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise UsageError(f"API URL {shown!r} is not an http(s) URL")


def _check_range(name: str, value: object) -> None:
    """``value`` of setting ``name`` within :data:`RANGES`, or :class:`UsageError`."""
    var, low, high, unit = RANGES[name]
    whole = unit != "seconds"
    kind = "a whole number" if whole else "a number of seconds"
    top = f"{int(high):,}"
    bounds = f"more than 0, at most {top}" if name in _ABOVE_ZERO else f"{int(low)} to {top}"
    wrong = UsageError(f"{name} ({var}) must be {kind}, {bounds}; not {value!r}")
    if isinstance(value, bool):
        raise wrong
    if whole and not isinstance(value, int):
        raise wrong
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise wrong from None
    if not math.isfinite(number) or not low <= number <= high:
        raise wrong
    if name in _ABOVE_ZERO and number == 0:
        raise wrong


def _check_email(email: str | None) -> None:
    """An address fit for a ``From`` header: no line break or control character, not too long."""
    if email is None:
        return
    if len(email) > 254 or any(ord(c) < 32 or ord(c) == 127 for c in email):
        raise UsageError(
            "email (COPUB_EMAIL) must be one e-mail address of at most 254 characters, "
            "with no line break or control character"
        )
