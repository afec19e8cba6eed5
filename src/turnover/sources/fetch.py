"""The shared HTTP layer: one GET with pacing, retries (tenacity) and classified failures.

- 429: waits ``Retry-After`` (seconds or HTTP date), or backs off when absent;
- 5xx, timeouts, dropped connections and cut-off bodies: exponential back-off with jitter;
- after ``attempts`` tries, or on any other status, it returns the response or raises a
  one-line ``SourceError`` naming source, request and cause (``OfflineError`` when the host
  cannot be reached at all).

There is no HTTP cache here on purpose: the snapshot store is the cache (immutable files
plus a manifest, read by the parsers), and the IMF answers ``no-store`` anyway.
Secrets travel only in headers and are scrubbed from every message.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from dataclasses import dataclass
from typing import Callable

import requests
import tenacity
from urllib3.exceptions import NameResolutionError, NewConnectionError

from ..errors import OfflineError, SourceError
from .config import USER_AGENT, Config
from .request import Request


class _Transient(Exception):
    """A response worth retrying (429, 5xx); carries the response and any Retry-After."""

    def __init__(self, response: requests.Response, retry_after: float | None):
        super().__init__(f"HTTP {response.status_code}")
        self.response = response
        self.retry_after = retry_after


_NETWORK = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


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


def scrub(text: str, secrets: list[str]) -> str:
    for s in secrets:
        text = text.replace(s, "***")
    return text


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

    def _once(self, request: Request, headers: dict) -> Response:
        self._pace(request.source)
        r = self.session.get(request.url, headers=headers, timeout=self.cfg.timeout)
        body = r.content  # reading the body here lets a cut-off body be retried
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
