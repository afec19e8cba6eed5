"""The shared HTTP layer: one GET with pacing, retries (tenacity) and classified failures.

- 429: waits ``Retry-After`` (seconds or HTTP date), or backs off when absent;
- 5xx, timeouts, dropped connections and cut-off bodies: exponential back-off with jitter;
- after ``attempts`` tries, or on any other status, it returns the response or raises a
  one-line ``SourceError`` naming source, request and cause (``OfflineError`` when the host
  cannot be reached at all).

Bounds (``Config``): a body may take at most ``max_wire_bytes`` on the wire and
``max_bytes`` once decompressed (gzip/deflate are inflated here, chunk by chunk, never past the
limit), and a whole request at most ``deadline`` seconds however slowly the bytes trickle in
(a watchdog shuts the socket down). A response over a limit is discarded whole, never kept.
Redirects are followed here, not by ``requests``: a call that carries a key in a header is
never sent to another host (the redirect is refused and reported).

There is no HTTP cache here on purpose: the snapshot store is the cache (immutable files
plus a manifest, read by the parsers), and the IMF answers ``no-store`` anyway.
Secrets travel only in headers and are scrubbed from every message.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import socket
import threading
import time
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from urllib.parse import urljoin, urlsplit

import requests
import tenacity
import urllib3.exceptions as u3
from urllib3.exceptions import NameResolutionError, NewConnectionError

from ...errors import OfflineError, SourceError
from .config import USER_AGENT, Config
from .request import Request


class _Transient(Exception):
    """A response worth retrying (429, 5xx); carries the response and any Retry-After."""

    def __init__(self, response: requests.Response, retry_after: float | None):
        super().__init__(f"HTTP {response.status_code}")
        self.response = response
        self.retry_after = retry_after


_NETWORK = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
CHUNK = 65536
MAX_REDIRECTS = 5


class _Refused(Exception):
    """A response that must not be used or retried (too big, too slow, redirected away with a key)."""


class _Watch(threading.local):
    """The sockets the current request of this thread reads from, for the deadline watchdog."""

    def __init__(self):
        self.sockets: list[socket.socket] = []


_WATCH = _Watch()


def _watched(base):
    class Conn(base):
        def getresponse(self, *a, **kw):  # the status line and headers are read from here on
            if self.sock is not None:
                _WATCH.sockets.append(self.sock)
            return super().getresponse(*a, **kw)

    return Conn


class _Adapter(requests.adapters.HTTPAdapter):
    """An adapter whose connections register their socket, so a deadline can shut it down."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        pools = {}
        for scheme, pool in self.poolmanager.pool_classes_by_scheme.items():
            pools[scheme] = type(f"Watched{pool.__name__}", (pool,), {"ConnectionCls": _watched(pool.ConnectionCls)})
        self.poolmanager.pool_classes_by_scheme = pools


class _Deadline:
    """A watchdog: at ``deadline`` it shuts down every socket the request has used, which ends
    any blocked read (a server trickling bytes never lets a socket read time out by itself)."""

    def __init__(self, deadline: float):
        self.expired = threading.Event()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.expired.set()
        for sock in list(self._sockets):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> "_Deadline":
        _WATCH.sockets = self._sockets = []
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        _WATCH.sockets = []


def _inflater(encoding: str):
    """A decompressor for a Content-Encoding (None for identity); we ask for gzip/deflate only."""
    enc = (encoding or "identity").strip().lower()
    if enc in ("", "identity"):
        return None
    if enc in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if enc == "deflate":
        return zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header, auto-detected
    raise _Refused(f"unsupported Content-Encoding {encoding!r}")


def _inflate(d, data: bytes, room: int) -> list[bytes]:
    """Decompress ``data`` without ever producing more than ``room`` + 1 bytes."""
    out, total = [], 0
    while data:
        piece = d.decompress(data, room + 1 - total)
        out.append(piece)
        total += len(piece)
        if total > room:
            break
        data = d.unconsumed_tail
    return out


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None if absent/unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _forms(ch: str) -> list[str]:
    """Regex alternatives for one character of a secret in every encoding a body or message may
    carry it in: itself (any case: the pattern ignores case), JSON ``\\uXXXX`` (and ``\\/``), URL
    percent-encoding (also double-encoded ``%25XX``), HTML character references."""
    data = ch.encode("utf-8")
    forms = [re.escape(ch)]
    if ord(ch) <= 0xFFFF:
        forms.append(re.escape(f"\\u{ord(ch):04x}"))
    if ch == "/":
        forms.append(re.escape("\\/"))
    forms.append("".join(re.escape(f"%{b:02x}") for b in data))
    forms.append("".join(re.escape(f"%25{b:02x}") for b in data))
    forms.append(f"&#0*{ord(ch)};")
    forms.append(f"&#x0*{ord(ch):x};")
    return forms


@lru_cache(maxsize=16)
def _secret_pattern(secrets: tuple[str, ...]) -> re.Pattern[str] | None:
    alts = ["".join(f"(?:{'|'.join(_forms(ch))})" for ch in s) for s in secrets if s]
    return re.compile("|".join(alts), re.IGNORECASE) if alts else None


def scrub(text: str, secrets: list[str]) -> str:
    """``text`` with every secret replaced by ``***``, in whatever encoding (see ``_forms``) or case."""
    pattern = _secret_pattern(tuple(secrets))
    return pattern.sub("***", text) if pattern else text


def redact(body: bytes, secrets: list[str]) -> tuple[bytes, bool]:
    """``body`` with every secret replaced by ``***`` as ``scrub`` does (the bytes are read as
    Latin-1, so any byte sequence round-trips); and whether anything was replaced."""
    if not secrets or not body:
        return body, False
    text = body.decode("latin-1")
    pattern = _secret_pattern(tuple(s.encode("utf-8").decode("latin-1") for s in secrets))
    out, n = pattern.subn("***", text) if pattern else (text, 0)
    return (out.encode("latin-1"), True) if n else (body, False)


def _unreachable(err: BaseException) -> bool:
    """True when no connection could be made at all (DNS failure, refused, connect timeout)."""
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, (NameResolutionError, NewConnectionError, requests.exceptions.ConnectTimeout)):
            return True
        nxt = getattr(err, "reason", None)
        err = nxt if isinstance(nxt, BaseException) else (err.__cause__ or err.__context__)
    return False


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str
    retrieved_at: dt.datetime


class Fetcher:
    """GETs for one run: a session, per-source pacing, and the retry policy from ``Config``."""

    def __init__(self, cfg: Config, sleep: Callable[[float], None] = time.sleep):
        self.cfg = cfg
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept-Encoding"] = "gzip, deflate"  # what _inflater can bound
        self.session.max_redirects = MAX_REDIRECTS
        for prefix in ("http://", "https://"):
            self.session.mount(prefix, _Adapter())
        self._last_start: dict[str, float] = {}
        self._backoff = (tenacity.wait_exponential(multiplier=cfg.backoff, max=cfg.backoff_max)
                         + tenacity.wait_random(0, cfg.backoff))  # jitter

    def _pace(self, source: str) -> None:
        gap = self.cfg.pace.get(source, 0.0)
        last = self._last_start.get(source)
        if last is not None and gap > 0:
            remaining = gap - (time.monotonic() - last)
            if remaining > 0:
                self.sleep(remaining)
        self._last_start[source] = time.monotonic()

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception()
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            return exc.retry_after
        return self._backoff(state)

    def _open(self, request: Request, headers: dict, deadline: float) -> requests.Response:
        """GET with redirects followed by hand: a keyed call never leaves its host."""
        url = request.url
        for _ in range(MAX_REDIRECTS + 1):
            read_timeout = max(0.1, min(self.cfg.timeout, deadline - time.monotonic()))
            r = self.session.get(url, headers=headers, timeout=(self.cfg.timeout, read_timeout),
                                 stream=True, allow_redirects=False)
            if not r.is_redirect:
                return r
            target = urljoin(url, r.headers["Location"])
            r.close()  # its body is never read
            if urlsplit(target).scheme not in ("http", "https"):
                raise _Refused(f"redirected to a non-HTTP URL ({urlsplit(target).scheme}:)")
            if self._keyed(headers) and self.session.should_strip_auth(url, target):
                host = urlsplit(target).netloc
                raise _Refused(f"redirected to another host ({host}); a call carrying a key is not "
                               "followed there (the key is never sent to another host)")
            url = target
        raise _Refused(f"more than {MAX_REDIRECTS} redirects")

    def _keyed(self, headers: dict) -> bool:
        """True when a header carries a secret (the Comtrade key): such a call never changes host."""
        secrets = self.cfg.secrets()
        return any(s and s in str(v) for v in headers.values() for s in secrets)

    def _read(self, r: requests.Response, deadline: float, watch: _Deadline) -> bytes:
        """The whole body within the byte limits and the deadline, or ``_Refused``/a network error."""
        cfg = self.cfg
        declared = r.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cfg.max_wire_bytes:
            raise _Refused(f"response of {int(declared):,} bytes exceeds the limit of {cfg.max_wire_bytes:,}")
        inflater = _inflater(r.headers.get("Content-Encoding", ""))
        parts, wire, size = [], 0, 0
        while True:
            if watch.expired.is_set() or time.monotonic() > deadline:
                raise _Refused(f"no complete answer within {cfg.deadline:g} s (HTTP deadline)")
            data = r.raw.read1(CHUNK, decode_content=False)
            if not data:
                break
            wire += len(data)
            if wire > cfg.max_wire_bytes:
                raise _Refused(f"response exceeds the limit of {cfg.max_wire_bytes:,} bytes")
            pieces = [data] if inflater is None else _inflate(inflater, data, cfg.max_bytes - size)
            for piece in pieces:
                size += len(piece)
                parts.append(piece)
            if size > cfg.max_bytes:
                raise _Refused(f"response inflates to more than the limit of {cfg.max_bytes:,} bytes")
        if inflater is not None:
            tail = inflater.flush()
            size += len(tail)
            if size > cfg.max_bytes:
                raise _Refused(f"response inflates to more than the limit of {cfg.max_bytes:,} bytes")
            parts.append(tail)
        if watch.expired.is_set():  # the watchdog cut the body short: what was read is partial
            raise _Refused(f"no complete answer within {cfg.deadline:g} s (HTTP deadline)")
        return b"".join(parts)

    def _once(self, request: Request, headers: dict) -> Response:
        self._pace(request.source)
        deadline = time.monotonic() + self.cfg.deadline
        with _Deadline(deadline) as watch:
            try:
                r = self._open(request, headers, deadline)
                try:
                    body = self._read(r, deadline, watch)  # reading here lets a cut-off body be retried
                finally:
                    r.close()
            except (u3.ReadTimeoutError, socket.timeout, requests.Timeout) as err:
                if watch.expired.is_set():
                    raise _Refused(f"no complete answer within {self.cfg.deadline:g} s (HTTP deadline)") from None
                raise err if isinstance(err, requests.Timeout) else requests.exceptions.ReadTimeout(str(err)) from None
            except (u3.ProtocolError, u3.DecodeError, requests.ConnectionError, OSError) as err:
                if watch.expired.is_set():
                    raise _Refused(f"no complete answer within {self.cfg.deadline:g} s (HTTP deadline)") from None
                if isinstance(err, requests.RequestException):
                    raise
                raise requests.exceptions.ChunkedEncodingError(str(err)) from None
            except zlib.error:
                raise _Refused("the body cannot be decompressed (corrupt gzip/deflate)") from None
        if r.status_code == 429 or r.status_code >= 500:
            ra = retry_after_seconds(r.headers.get("Retry-After"))
            if ra is not None and ra > self.cfg.max_retry_after:
                raise self._error(request, f"rate limited (HTTP {r.status_code}), server asks to wait "
                                           f"{ra:.0f} s; run again later (the pull resumes)")
            raise _Transient(r, ra)
        return Response(r.status_code, body, r.headers.get("Content-Type", ""),
                        dt.datetime.now(dt.timezone.utc))

    def _error(self, request: Request, cause: str, cls=SourceError) -> SourceError:
        return cls(scrub(f"{request.source}: GET {request.url}: {cause}", self.cfg.secrets()))

    def get(self, request: Request, headers: dict | None = None) -> Response:
        """The final response (any status below 500 except 429), or a one-line error."""
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type((_Transient,) + _NETWORK),
            wait=self._wait,
            stop=tenacity.stop_after_attempt(self.cfg.attempts),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            return retrying(self._once, request, headers or {})
        except _Transient as err:
            r = err.response
            cause = "rate limited (HTTP 429)" if r.status_code == 429 else f"server error HTTP {r.status_code}"
            raise self._error(request, f"{cause} after {self.cfg.attempts} attempt(s)") from None
        except _Refused as err:
            raise self._error(request, str(err)) from None
        except _NETWORK as err:
            kind = type(err).__name__
            if _unreachable(err):
                raise self._error(request, f"network unreachable ({kind}) after {self.cfg.attempts} "
                                           "attempt(s)", OfflineError) from None
            how = "timed out" if isinstance(err, requests.Timeout) else "dropped or cut off"
            raise self._error(request, f"connection failed ({kind}: {how}) after "
                                       f"{self.cfg.attempts} attempt(s)") from None
        except requests.RequestException as err:
            raise self._error(request, f"request failed ({type(err).__name__})") from None
