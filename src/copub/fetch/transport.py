"""HTTP transport to OpenAlex: urllib3 for the wire, tenacity for the retries.

Only this module talks to the network. It adds the API key, decides which
failures are worth another try (403, 5xx, timeouts, dropped connections, cut-off
or unparsable bodies) and which stop the run (429: the daily budget is spent).

The key goes in the ``api_key`` query parameter, the way the OpenAlex
documentation (developers.openalex.org, "Authentication") asks for it. It is
stripped from every URL that is logged, stored or shown.
"""

from __future__ import annotations

import email.utils
import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import orjson
import urllib3
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)
from urllib3.exceptions import (
    DecodeError,
    IncompleteRead,
    MaxRetryError,
    ProtocolError,
)
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from copub.errors import BudgetExhaustedError, NetworkError, UsageError
from copub.fetch.query import strip_secrets
from copub.settings import Settings

__all__ = [
    "CancelledError",
    "HTTPStatusError",
    "PerPageRefusedError",
    "RetryCounter",
    "Transport",
]

#: Called before each retry sleep with (kind, url without secrets, seconds to wait).
RetryHook = Callable[[str, str, float], None]
#: Checks a decoded body; raises ValueError when it is not the expected shape.
ShapeCheck = Callable[[Any], None]

_RATE_HEADERS = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Credits-Used",
    "X-RateLimit-Reset",
    "Retry-After",
)


class HTTPStatusError(NetworkError):
    """The server answered with a status copub does not retry (401, 404, …)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class CancelledError(NetworkError):
    """The transport was cancelled (another year failed, or Ctrl-C) while waiting."""


class PerPageRefusedError(NetworkError):
    """The server answered 400 to the ``per-page`` asked for."""


class _TransientError(Exception):
    """A failure worth another try; ``kind`` names it in the retry counts."""

    def __init__(self, kind: str, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.kind = kind
        self.retry_after = retry_after


@dataclass
class RetryCounter:
    """Retries by kind (``"403"``, ``"503"``, ``"timeout"``, ``"cut_body"``, …), thread-safe."""

    _counts: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str) -> None:
        """Count one retry of ``kind``."""
        with self._lock:
            self._counts[kind] += 1

    def snapshot(self) -> dict[str, int]:
        """The counts so far, sorted by kind."""
        with self._lock:
            return dict(sorted(self._counts.items()))


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """``Retry-After`` in seconds: either a number or an HTTP date."""
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _rate_info(headers: Mapping[str, str]) -> str:
    found = [f"{name}={headers[name]}" for name in _RATE_HEADERS if headers.get(name)]
    return ", ".join(found) if found else "no rate-limit headers"


def _message_of(body: bytes) -> str:
    """The ``message`` (or ``error``) of an OpenAlex error body, else its start."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body[:200].decode("utf-8", "replace").strip() or "no message"
    if isinstance(data, dict):
        return str(data.get("message") or data.get("error") or data)[:300]
    return str(data)[:300]


def _classify(exc: BaseException) -> _TransientError:
    """Turn a urllib3 failure into a retry kind."""
    while isinstance(exc, MaxRetryError) and exc.reason is not None:
        exc = exc.reason
    if isinstance(exc, Urllib3Timeout):
        return _TransientError("timeout", f"timed out ({exc})")
    incomplete = (IncompleteRead, http.client.IncompleteRead)
    cut = isinstance(exc, (*incomplete, DecodeError)) or (
        isinstance(exc, ProtocolError) and any(isinstance(a, incomplete) for a in exc.args)
    )
    if cut:
        return _TransientError("cut_body", f"body cut off ({exc})")
    return _TransientError("connection", f"connection failed ({exc})")


class Transport:
    """GET JSON from OpenAlex with retries; one connection pool shared by all threads.

    Parameters
    ----------
    settings : Settings
        ``api_key``, ``email``, ``timeout``, ``max_retries``, ``backoff``,
        ``backoff_max`` and ``concurrency`` (the pool size) are used.
    on_retry : callable, optional
        Told about every retry before its wait, e.g. to show progress.

    Examples
    --------
    >>> with Transport(Settings(max_retries=0)) as transport:
    ...     transport.retries.snapshot()
    {}
    """

    def __init__(self, settings: Settings, *, on_retry: RetryHook | None = None) -> None:
        self.settings = settings
        self.retries = RetryCounter()
        self._on_retry = on_retry
        self._cancelled = threading.Event()
        agent = "copub (https://github.com/copub)"
        self._headers = {"Accept": "application/json", "Accept-Encoding": "gzip"}
        if settings.email:
            agent += f" mailto:{settings.email}"
            self._headers["From"] = settings.email
        self._headers["User-Agent"] = agent
        self._pool = urllib3.PoolManager(
            num_pools=4,
            maxsize=max(2, settings.concurrency),
            timeout=urllib3.Timeout(connect=min(10.0, settings.timeout), read=settings.timeout),
            # copub's own loop does the retrying; urllib3 only follows redirects
            # (merged works answer 301 to their new id).
            retries=urllib3.Retry(total=None, connect=0, read=0, status=0, other=0, redirect=5),
        )

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def cancel(self) -> None:
        """Wake every backoff wait and refuse further requests, so threads end promptly."""
        self._cancelled.set()

    def _sleep(self, seconds: float) -> None:
        if self._cancelled.wait(seconds):
            raise CancelledError("fetch cancelled")

    def close(self) -> None:
        """Close the pooled connections."""
        self._pool.clear()

    def _with_key(self, url: str) -> str:
        if not self.settings.api_key:
            return url
        joiner = "&" if "?" in url else "?"
        return f"{url}{joiner}{urlencode({'api_key': self.settings.api_key})}"

    def _attempt(self, url: str, shape: ShapeCheck | None) -> tuple[bytes, Any]:
        shown = strip_secrets(url)
        if self._cancelled.is_set():
            raise CancelledError("fetch cancelled")
        try:
            response = self._pool.request(
                "GET", self._with_key(url), headers=self._headers, preload_content=True
            )
        except (Urllib3Error, OSError) as exc:
            raise _classify(exc) from exc
        status = response.status
        body = response.data
        headers = response.headers
        if status == 200:
            try:
                data = orjson.loads(body)
                if shape is not None:
                    shape(data)
            except (orjson.JSONDecodeError, ValueError) as exc:
                raise _TransientError("invalid_json", f"unusable JSON body ({exc})") from exc
            return body, data
        if status == 429:
            raise BudgetExhaustedError(
                f"OpenAlex answered 429 Too Many Requests for {shown}: the daily request budget "
                f"is spent ({_rate_info(headers)}); everything fetched so far is kept, "
                "run the same command again later to resume"
            )
        if status == 403 or status >= 500:
            raise _TransientError(
                str(status), f"HTTP {status}: {_message_of(body)}", _retry_after(headers)
            )
        message = _message_of(body)
        if status == 400:
            if "per-page" in message.lower() or "per_page" in message.lower():
                raise PerPageRefusedError(f"{shown}: per-page refused: {message}")
            raise UsageError(f"OpenAlex refused the query {shown}: {message}")
        if status == 401:
            raise HTTPStatusError(
                f"OpenAlex refused the API key (401: {message}); set OPENALEX_API_KEY "
                "to a valid key from openalex.org/settings/api",
                status,
            )
        raise HTTPStatusError(f"{shown}: HTTP {status}: {message}", status)

    def _wait(self, state: RetryCallState) -> float:
        """Full-jitter exponential backoff, but never shorter than ``Retry-After``."""
        cap = self.settings.backoff_max
        jitter = wait_random_exponential(multiplier=self.settings.backoff, max=cap)(state)
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _TransientError) and exc.retry_after is not None:
            return min(max(exc.retry_after, jitter), cap)
        return float(jitter)

    def _before_sleep(self, url: str, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        kind = exc.kind if isinstance(exc, _TransientError) else "other"
        self.retries.add(kind)
        if self._on_retry is not None:
            wait = state.next_action.sleep if state.next_action else 0.0
            self._on_retry(kind, strip_secrets(url), float(wait))

    def get_json(self, url: str, *, shape: ShapeCheck | None = None) -> tuple[bytes, Any]:
        """GET ``url`` and return the body bytes and the decoded JSON.

        Parameters
        ----------
        url : str
            The request URL, without the API key (it is added here).
        shape : callable, optional
            Raises ``ValueError`` when the decoded body is not what the caller
            expects; such a body is retried like invalid JSON.

        Raises
        ------
        BudgetExhaustedError
            On 429, at once: retrying cannot help before the budget resets.
        PerPageRefusedError
            On 400 about ``per-page``.
        NetworkError
            When every retry failed, or on another status (401, 404, …).
        UsageError
            On any other 400: the query itself is wrong.
        """
        retrying = Retrying(
            stop=stop_after_attempt(self.settings.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(_TransientError),
            before_sleep=lambda state: self._before_sleep(url, state),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            result: tuple[bytes, Any] = retrying(self._attempt, url, shape)
        except _TransientError as exc:
            raise NetworkError(
                f"{strip_secrets(url)}: still failing after {self.settings.max_retries + 1} "
                f"attempts ({exc}); run the same command again to resume"
            ) from exc
        return result
