"""The secret filter: every string that leaves copub passes through :func:`redact`.

It removes, wherever they stand in a text:

- the value of ``api_key=`` (and ``mailto=``) in any URL or query string;
- the user and password of a URL (``http://user:pass@host`` -> ``http://***@host``);
- every secret copub was given (the API key of any :class:`~copub.settings.Settings`
  and ``OPENALEX_API_KEY``), raw or URL-encoded, so a server that echoes the
  request in its error body cannot show the key either.

Errors, ``--debug`` tracebacks, progress lines, provenance and ``repr`` all use it.

Examples
--------
>>> redact("GET http://h/works?filter=x&api_key=s3cr3t&per-page=2 failed")
'GET http://h/works?filter=x&api_key=***&per-page=2 failed'
>>> redact("http://ann:pw@mirror.example/works")
'http://***@mirror.example/works'
>>> register_secret("hunter2-key")
>>> redact('{"error": "bad key hunter2-key"}')
'{"error": "bad key ***"}'
"""

from __future__ import annotations

import os
import re
import threading
from urllib.parse import quote, quote_plus

__all__ = ["MASK", "redact", "register_secret"]

MASK = "***"
_PARAM = re.compile(r"(?i)\b(api[_-]?key|mailto|access[_-]?token|password)=([^&\s'\"<>#]*)")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@'\"<>]+@")
_MIN_SECRET = 4
_lock = threading.Lock()
_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember ``value`` so that :func:`redact` hides it wherever it appears.

    Values shorter than four characters are not registered (they would mask
    ordinary text); the ``api_key=`` and URL-credential rules still apply.
    """
    if value and len(value) >= _MIN_SECRET:
        with _lock:
            _secrets.add(value)


def _known() -> list[str]:
    found = set()
    env = os.environ.get("OPENALEX_API_KEY")
    if env and len(env) >= _MIN_SECRET:
        found.add(env)
    with _lock:
        found |= _secrets
    forms = {form for value in found for form in (value, quote(value, safe=""), quote_plus(value))}
    # Longest first, so a secret that contains another is masked whole.
    return sorted(forms, key=len, reverse=True)


def redact(text: object) -> str:
    """``str(text)`` with every API key, URL credential and known secret masked.

    Examples
    --------
    >>> redact("no secret here")
    'no secret here'
    """
    out = str(text)
    for secret in _known():
        out = out.replace(secret, MASK)
    out = _PARAM.sub(lambda m: f"{m.group(1)}={MASK}" if m.group(2) else m.group(0), out)
    return _USERINFO.sub(lambda m: f"{m.group(1)}{MASK}@", out)
