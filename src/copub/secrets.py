"""The secret filter: every string that leaves copub passes through :func:`redact`.

It removes, wherever they stand in a text:

- the value of ``api_key=`` (and ``mailto=``) in any URL or query string;
- the user and password of a URL (``http://user:pass@host`` -> ``http://***@host``);
- every secret copub was given (the API key of any :class:`~copub.settings.Settings`
  and ``OPENALEX_API_KEY``), raw or URL-encoded, so a server that echoes the
  request in its error body cannot show the key either.

Errors, ``--debug`` tracebacks, progress lines, provenance and ``repr`` all use it.
It always works on the raw text: a caller that shortens or reflows a text
(collapsing whitespace, cutting it to a length) does so after masking, so no
part of a key survives a cut or a newline inside it.

:func:`for_terminal` is what reaches a terminal: the masked text without
ANSI escape sequences or other control characters, so a server's error body or
an institution's name cannot set the window title or clear the screen.

Examples
--------
>>> redact("GET http://h/works?filter=x&api_key=s3cr3t&per-page=2 failed")
'GET http://h/works?filter=x&api_key=***&per-page=2 failed'
>>> redact("http://ann:pw@mirror.example/works")
'http://***@mirror.example/works'
>>> register_secret("hunter2-key")
>>> redact('{"error": "bad key hunter2-key"}')
'{"error": "bad key ***"}'
>>> for_terminal("NTNU\x1b]0;owned\x07\x1b[2J ok")
'NTNU ok'
"""

from __future__ import annotations

import json
import os
import re
import threading
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

__all__ = ["MASK", "for_terminal", "redact", "register_secret", "strip_userinfo"]

MASK = "***"
_PARAM = re.compile(r"(?i)\b(api[_-]?key|mailto|access[_-]?token|password)=([^&\s'\"<>#]*)")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@'\"<>]+@")
_MIN_SECRET = 4
#: ANSI escape sequences: CSI (``ESC [ … final``), OSC (``ESC ] … BEL/ST``) and two-byte ones.
_ANSI = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?"  # CSI
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (window title …)
    r"|[ -/]*[0-~]?)"  # two-byte and character-set sequences
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # the one-byte CSI
)
#: Other control characters (C0, DEL, C1) and the bidirectional overrides that reorder text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile("[\t\n\r]")
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
    # Raw, URL-encoded, and escaped as JSON or a Python repr shows it (a body's dict printed).
    forms = {
        form
        for value in found
        for form in (
            value,
            quote(value, safe=""),
            quote_plus(value),
            json.dumps(value)[1:-1],
            json.dumps(value, ensure_ascii=False)[1:-1],
            repr(value)[1:-1],
        )
    }
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


def for_terminal(text: object, *, one_line: bool = True) -> str:
    """``redact(text)`` without ANSI escape sequences and control characters.

    Masking comes first, on the raw text; then escape sequences are dropped
    and any other control character is shown as ``?``. With ``one_line`` a
    tab, newline or carriage return becomes a space, so a text from outside
    cannot start a line of its own (a forged ``copub: error:``); without it
    they are kept (a ``--debug`` traceback).

    Examples
    --------
    >>> for_terminal("bad\\nline\\x07")
    'bad line?'
    """
    # Masked again once the sequences are gone: a key split by one is whole again.
    out = redact(_ANSI.sub("", redact(text)))
    if one_line:
        out = _LINE_BREAK.sub(" ", out)
    return _CONTROL.sub("?", out)


def strip_userinfo(url: str) -> str:
    """``url`` without ``user:password@``: what is stored or shown of a URL.

    Examples
    --------
    >>> strip_userinfo("http://ann:pw@mirror.example:8080/works?x=1")
    'http://mirror.example:8080/works?x=1'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
