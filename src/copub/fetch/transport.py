"""HTTP transport to OpenAlex: urllib3 for the wire, tenacity for the retries.

Only this module talks to the network. It adds the API key, decides which
failures are worth another try (403, 5xx, timeouts, dropped connections, cut-off
or unparsable bodies) and which stop the run (429: the daily budget is spent).

The key goes in the ``api_key`` query parameter, the way the OpenAlex
documentation (developers.openalex.org, "Authentication") asks for it. It is
stripped from every URL that is logged, stored or shown, and every message goes
through :func:`copub.secrets.redact` (masking first, cutting after), so an error
body that echoes the request cannot show it either. Redirects are followed here,
not by urllib3, and only on the configured host: a ``Location`` on another host
or with another scheme than http(s) stops the request with one line, so the key
is never sent anywhere else (a server could copy it into the ``Location``).

Every body is read as a stream and its decoded size capped
(``Settings.max_body_mb``), so a gzip bomb or an endless body stops at the cap
with one line instead of filling the memory.

Every request has one deadline (``Settings.timeout``) from the first byte sent
to the last byte received, however slowly a server trickles: a watchdog thread
shuts the socket of a request that passes it. :meth:`Transport.cancel` (another
year failed, or Ctrl-C) shuts every socket in flight at once, so no thread waits
on the network after a stop. ``Settings.max_run_time`` bounds the whole run.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import SplitResult, urlencode, urljoin, urlsplit

import orjson
import urllib3
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    DecodeError,
    IncompleteRead,
    LocationValueError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
)
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from copub.errors import BudgetExhaustedError, NetworkError, UsageError
from copub.fetch.query import strip_secrets
from copub.secrets import redact, strip_userinfo
from copub.settings import Settings

__all__ = [
    "BodyTooLargeError",
    "CancelledError",
    "HTTPStatusError",
    "PerPageRefusedError",
    "RedirectRefusedError",
    "RetryCounter",
    "RunDeadlineError",
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


class RunDeadlineError(NetworkError):
    """The run reached ``Settings.max_run_time``; everything stored so far is kept."""


class RedirectRefusedError(NetworkError):
    """A redirect to another host, another scheme, a malformed URL, or one too many."""


class BodyTooLargeError(NetworkError):
    """An answer larger than ``Settings.max_body_mb`` once decoded."""


_WATCH_TICK = 0.05
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Redirects followed for one request (a merged work answers one 301).
_MAX_REDIRECTS = 5
_CHUNK = 1 << 16
_DEFAULT_PORTS = {"http": 80, "https": 443}


class _Watch:
    """Requests in flight: their connection and deadline, per thread.

    A daemon thread shuts the socket of a request past its deadline; the
    blocked read then fails at once and :meth:`expired` tells why.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: dict[int, tuple[float, HTTPConnection | None]] = {}
        self._expired: set[int] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def begin(self, deadline: float) -> None:
        with self._lock:
            self._active[threading.get_ident()] = (deadline, None)
            self._expired.discard(threading.get_ident())
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="copub-deadline", daemon=True
                )
                self._thread.start()

    def bind(self, conn: HTTPConnection) -> None:
        ident = threading.get_ident()
        with self._lock:
            if ident in self._active:
                self._active[ident] = (self._active[ident][0], conn)

    def end(self) -> bool:
        """Forget this thread's request; True if its deadline had passed."""
        ident = threading.get_ident()
        with self._lock:
            self._active.pop(ident, None)
            expired = ident in self._expired
            self._expired.discard(ident)
        return expired

    def shut_all(self) -> None:
        with self._lock:
            conns = [conn for _, conn in self._active.values() if conn is not None]
        for conn in conns:
            _shut(conn)

    def close(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(_WATCH_TICK):
            now = time.monotonic()
            late = []
            with self._lock:
                for ident, (deadline, conn) in self._active.items():
                    if now >= deadline and ident not in self._expired:
                        self._expired.add(ident)
                        late.append(conn)
            for conn in late:
                if conn is not None:
                    _shut(conn)


def _shut(conn: HTTPConnection) -> None:
    sock = getattr(conn, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _pool_classes(watch: _Watch) -> dict[str, type[HTTPConnectionPool]]:
    """urllib3 pools whose connections tell the watch which thread uses them."""

    class _Conn(HTTPConnection):
        def request(self, *args: Any, **kwargs: Any) -> None:
            watch.bind(self)
            super().request(*args, **kwargs)

    class _SConn(HTTPSConnection):
        def request(self, *args: Any, **kwargs: Any) -> None:
            watch.bind(self)
            super().request(*args, **kwargs)

    class _Pool(HTTPConnectionPool):
        ConnectionCls = _Conn

    class _SPool(HTTPSConnectionPool):
        ConnectionCls = _SConn

    return {"http": _Pool, "https": _SPool}


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


def _patience(settings: Settings) -> float:
    """The longest ``Retry-After`` worth waiting out (capped) rather than stopping."""
    return max(10 * settings.backoff_max, 60.0)


def _rate_info(headers: Mapping[str, str]) -> str:
    found = [f"{name}={headers[name]}" for name in _RATE_HEADERS if headers.get(name)]
    return ", ".join(found) if found else "no rate-limit headers"


def _looks_html(body: bytes) -> bool:
    start = body[:512].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml"))


def _cut(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, masked first: no piece of a key survives."""
    return " ".join(redact(text).split())[:limit]


def _message_of(body: bytes) -> str:
    """The ``message`` (or ``error``) of an OpenAlex error body, else its start; masked."""
    if _looks_html(body):
        return "an HTML page, not an OpenAlex JSON answer (is the API URL right?)"
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        # The whole body is masked before it is cut (it is bounded by max_body_mb).
        return _cut(body.decode("utf-8", "replace"), 200) or "no message"
    text = str(data)
    if isinstance(data, dict):
        text = str(data.get("message") or data.get("error") or data)
    return _cut(text, 300)


def _origin(parts: SplitResult) -> tuple[str, str, int | None]:
    """Scheme, host and port of a URL (the port filled in from the scheme)."""
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def _classify(exc: BaseException, timeout: float) -> _TransientError:
    """Turn a urllib3 failure into a retry kind; the detail never holds the keyed URL."""
    while isinstance(exc, MaxRetryError) and exc.reason is not None:
        exc = exc.reason
    if isinstance(exc, LocationValueError):
        # The configured URL was checked by Settings: this one came from the data.
        raise NetworkError(f"not a URL copub can request: {redact(exc)}")
    if isinstance(exc, NewConnectionError):
        # urllib3 makes it a ConnectTimeoutError subclass; a refusal is no timeout.
        return _TransientError("connection", f"connection failed ({_reason(exc)})")
    if isinstance(exc, Urllib3Timeout):
        return _TransientError(
            "timeout", f"timed out: no answer within {timeout:g} s (COPUB_TIMEOUT)"
        )
    incomplete = (IncompleteRead, http.client.IncompleteRead)
    cut = isinstance(exc, (*incomplete, DecodeError)) or (
        isinstance(exc, ProtocolError) and any(isinstance(a, incomplete) for a in exc.args)
    )
    if cut:
        return _TransientError("cut_body", "body cut off")
    return _TransientError("connection", f"connection failed ({_reason(exc)})")


def _reason(exc: BaseException) -> str:
    """The OS's words for a failed connection (urllib3's own text carries the URL)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    return redact(text.split(": ", 1)[-1] if ": " in text else text)[:200]


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
        self._watch = _Watch()
        self._run_deadline = (
            time.monotonic() + settings.max_run_time if settings.max_run_time else None
        )
        self._pool = urllib3.PoolManager(
            num_pools=4,
            maxsize=max(2, settings.concurrency),
            timeout=urllib3.Timeout(connect=min(10.0, settings.timeout), read=settings.timeout),
            # copub's own loop does the retrying and follows redirects (merged works
            # answer 301 to their new id) after checking where they lead.
            retries=urllib3.Retry(total=None, connect=0, read=0, status=0, other=0, redirect=False),
        )
        self._home = _origin(urlsplit(settings.api_url))
        self._pool.pool_classes_by_scheme = _pool_classes(self._watch)

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def cancel(self, *, now: bool = False) -> None:
        """Wake every backoff wait and refuse further requests, so threads end promptly.

        With ``now`` (Ctrl-C) the sockets in flight are shut too; without it a
        request already sent may finish (and its page be kept), within its deadline.
        """
        self._cancelled.set()
        if now:
            self._watch.shut_all()

    def _check_run_deadline(self, wait: float = 0.0) -> None:
        if self._run_deadline is not None and time.monotonic() + wait >= self._run_deadline:
            raise RunDeadlineError(
                f"the fetch reached its time limit (COPUB_MAX_RUN_TIME="
                f"{self.settings.max_run_time:g} s); every page fetched so far is kept, "
                "run the same command again to resume"
            )

    def _sleep(self, seconds: float) -> None:
        self._check_run_deadline(seconds)
        if self._cancelled.wait(seconds):
            raise CancelledError("fetch cancelled")

    def close(self) -> None:
        """Close the pooled connections and stop the deadline watch."""
        self._watch.close()
        self._pool.clear()

    def _with_key(self, url: str) -> str:
        if not self.settings.api_key:
            return url
        joiner = "&" if "?" in url else "?"
        return f"{url}{joiner}{urlencode({'api_key': self.settings.api_key})}"

    def _redirect(self, current: str, location: str | None, shown: str) -> str:
        """Where a redirect leads, without secrets; refused off the configured host.

        The key is added again by :meth:`_with_key`, only for a URL on the
        configured host (scheme, host, port; http to https on it is an upgrade).
        """
        if not location:
            raise RedirectRefusedError(f"{shown}: a redirect without a Location; not followed")
        try:
            target = urljoin(current, location.strip())
            parts = urlsplit(target)
            origin = _origin(parts)
        except ValueError:
            raise RedirectRefusedError(
                f"{shown}: the server redirected to {_cut(location, 80)!r}, which is not a "
                "valid URL; not followed"
            ) from None
        if origin[0] not in _DEFAULT_PORTS:
            raise RedirectRefusedError(
                f"{shown}: the server redirected to a {origin[0] or 'relative'}: URL, not "
                "http(s); not followed"
            )
        scheme, host, port = self._home
        upgrade = scheme == "http" and origin[0] == "https" and origin[1] == host
        if origin != self._home and not upgrade:
            where = strip_userinfo(f"{parts.scheme}://{parts.netloc}")
            raise RedirectRefusedError(
                f"{shown}: the server redirected to {_cut(where, 120)}, another host or scheme "
                f"than {scheme}://{host}:{port}; not followed, so the API key goes nowhere else"
            )
        return strip_secrets(target)

    def _read_body(self, response: urllib3.BaseHTTPResponse, shown: str) -> bytes:
        """The decoded body, read as a stream and refused past ``max_body_mb``."""
        cap = self.settings.max_body_mb << 20
        too_large = BodyTooLargeError(
            f"{shown}: the answer is larger than {self.settings.max_body_mb} MB once decoded "
            "(COPUB_MAX_BODY_MB); an OpenAlex page is far smaller, so it is not read"
        )
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        for chunk in response.stream(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > cap:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)

    def _exchange(self, url: str, shown: str, deadline: float) -> tuple[int, Any, bytes]:
        """One GET of ``url`` (no redirect followed): status, headers and decoded body."""
        self._watch.begin(deadline)
        failure: BaseException | None = None
        response: urllib3.BaseHTTPResponse | None = None
        complete = False
        try:
            response = self._pool.request(
                "GET", self._with_key(url), headers=self._headers, preload_content=False,
                redirect=False,
            )  # fmt: skip
            body = self._read_body(response, shown)
            complete = True
        except (Urllib3Error, OSError) as exc:
            failure = exc
        except ValueError as exc:  # http.client refuses a URL with a control character
            raise NetworkError(f"{shown}: not a URL copub can request ({redact(exc)})") from None
        except MemoryError:
            raise BodyTooLargeError(
                f"{shown}: the answer does not fit in memory; lower COPUB_MAX_BODY_MB"
            ) from None
        finally:
            # A deadline that passed makes this a timeout, whatever the shut socket
            # looked like to the reader (an error, or a body cut to nothing).
            expired = self._watch.end()
            if response is not None:
                if not complete:
                    with contextlib.suppress(Exception):
                        response.close()
                response.release_conn()
        if expired:
            if self._cancelled.is_set():
                raise CancelledError("fetch cancelled")
            self._check_run_deadline()
            raise _TransientError(
                "timeout", f"no complete answer within {self.settings.timeout:g} s (COPUB_TIMEOUT)"
            )
        if failure is not None:
            if self._cancelled.is_set():
                raise CancelledError("fetch cancelled") from None
            try:
                raise _classify(failure, self.settings.timeout) from None
            except (NetworkError, UsageError) as exc:
                raise type(exc)(f"{shown}: {exc}") from None
        assert response is not None
        return response.status, response.headers, body

    def _attempt(self, url: str, shape: ShapeCheck | None) -> tuple[bytes, Any]:
        shown = redact(strip_secrets(url))
        if self._cancelled.is_set():
            raise CancelledError("fetch cancelled")
        self._check_run_deadline()
        deadline = time.monotonic() + self.settings.timeout
        if self._run_deadline is not None:
            deadline = min(deadline, self._run_deadline)
        target = url
        for _ in range(_MAX_REDIRECTS + 1):
            status, headers, body = self._exchange(target, shown, deadline)
            if status not in _REDIRECTS:
                break
            target = self._redirect(target, headers.get("Location"), shown)
        else:
            raise RedirectRefusedError(
                f"{shown}: the server redirected more than {_MAX_REDIRECTS} times "
                "(a redirect loop?)"
            )
        if status == 200:
            try:
                data = orjson.loads(body)
                if shape is not None:
                    shape(data)
            except MemoryError:
                raise BodyTooLargeError(
                    f"{shown}: the answer does not fit in memory; lower COPUB_MAX_BODY_MB"
                ) from None
            except (orjson.JSONDecodeError, ValueError) as exc:
                what = "an HTML page, not JSON" if _looks_html(body) else f"unusable JSON ({exc})"
                raise _TransientError("invalid_json", f"the body is {what}") from None
            return body, data
        if status == 429:
            raise BudgetExhaustedError(
                f"OpenAlex answered 429 Too Many Requests for {shown}: the daily request budget "
                f"is spent ({_rate_info(headers)}); everything fetched so far is kept, "
                "run the same command again later to resume"
            )
        if status == 403 or status >= 500:
            wait = _retry_after(headers)
            if wait is not None and wait > _patience(self.settings):
                raise NetworkError(
                    f"{shown}: HTTP {status} asking to wait {wait:.0f} s (Retry-After), far "
                    f"longer than COPUB_BACKOFF_MAX ({self.settings.backoff_max:g} s); "
                    "everything fetched so far is kept, run the same command again later"
                )
            raise _TransientError(str(status), f"HTTP {status}: {_message_of(body)}", wait)
        message = _message_of(body)
        if status == 400:
            # "per-page parameter must be …", not an echo of "per-page=200" in the URL.
            if re.search(r"per[-_]page(?!=)", message, re.IGNORECASE):
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
                f"{redact(strip_secrets(url))}: still failing after "
                f"{self.settings.max_retries + 1} attempts ({redact(exc)}); "
                "run the same command again to resume"
            ) from None
        return result
