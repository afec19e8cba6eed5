"""Settings for the live loaders: scope, endpoints, key, politeness, refresh rule.

Everything can be set from the environment (see ``Config.from_env``) so that tests point
the loaders at 127.0.0.1 with tiny back-offs, and users can narrow the years or slow the pace.

Refresh rule (what "nothing new" means):
- a snapshot is *final* when it was retrieved at least ``settle_months`` after the end of the
  last period it covers (statistics are revised for about two years, then stay put); final
  snapshots are never fetched again;
- any other snapshot is fetched again by ``--online`` once it is older than ``ttl_days``;
- offline runs never fetch.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ...errors import ConfigError
from ...paths import raw_dir
from ...run import today_for

COMTRADE_URL = "https://comtradeapi.un.org"
IMF_URL = "https://api.imf.org/external/sdmx/3.0"
WITS_URL = "https://wits.worldbank.org/API/V1/SDMX/V21"
USER_AGENT = "turnover/0.1 (trade-claims checker; python-requests)"


def _env(name: str, cast, default, lo: float | None = None, hi: float | None = None):
    """``name`` from the environment as ``cast``, within [lo, hi] and finite; ``ConfigError`` otherwise."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = cast(raw.strip() if isinstance(raw, str) else raw)
    except ValueError:
        raise ConfigError(f"environment variable {name}={raw!r} is not a valid {cast.__name__}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"environment variable {name}={raw!r} must be a finite number")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ConfigError(f"environment variable {name}={raw!r} is out of range ({lo:g}..{hi:g})")
    return value


def _url(name: str, default: str) -> str:
    """An http(s) URL with a host (and a valid port, if any); ``ConfigError`` at once otherwise,
    before any call (``http://[::1`` used to fail only when requested, as exit 4 after retries)."""
    value = _env(name, str, default).rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"environment variable {name}={value!r} must be an http(s) URL")
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ConfigError(f"environment variable {name}={value!r} is not a valid URL (space or control character)")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as err:
        raise ConfigError(f"environment variable {name}={value!r} is not a valid URL ({err})") from None
    if not parts.hostname:
        raise ConfigError(f"environment variable {name}={value!r} is not a valid URL (no host)")
    return value


@dataclass(frozen=True)
class Config:
    raw_dir: Path
    today: dt.date
    comtrade_url: str = COMTRADE_URL
    imf_url: str = IMF_URL
    wits_url: str = WITS_URL
    comtrade_key: str | None = field(default=None, repr=False)  # never printed
    reporters: tuple[str, ...] = ("BLR", "KAZ")
    partners: tuple[str, ...] = ("BLR", "KAZ", "RUS", "UKR", "WLD")  # a reporter is never its own partner
    start_year: int = 2010
    ranked: tuple[str, ...] | None = None  # reporters asked for every partner (None: all reporters)
    start_year_set: bool = False  # TURNOVER_START_YEAR given: a claims file's windows do not move it
    # politeness: seconds between the starts of two calls to the same source
    pace: dict = field(default_factory=lambda: {"comtrade": 6.0, "imf": 1.5, "wits": 1.0})
    # calls per rolling 24 hours (UN Comtrade free tier: 500); the pull stops there and resumes later
    daily_calls: dict = field(default_factory=lambda: {"comtrade": 500})
    attempts: int = 4            # per call, for 429, 5xx, timeouts and dropped connections
    backoff: float = 2.0         # first back-off in seconds; doubles, with jitter
    backoff_max: float = 60.0
    max_retry_after: float = 120.0  # a longer Retry-After is reported instead of waited for
    timeout: float = 60.0           # per socket read
    deadline: float = 300.0         # per request, in total, however slowly the body arrives
    max_wire_bytes: int = 100_000_000   # body as sent (compressed)
    max_bytes: int = 250_000_000        # body once decompressed (keyed Comtrade: 100 000 rows ~ 60 MB)
    ttl_days: float = 7.0
    settle_months: int = 24
    comtrade_row_cap: int | None = None  # None: 500 (preview) or 100 000 (keyed free tier)

    @classmethod
    def from_env(cls, raw: Path | None = None, today: dt.date | None = None) -> "Config":
        """Defaults overridden by TURNOVER_* variables and COMTRADE_API_KEY."""
        day = 86_400.0
        pace = {"comtrade": 6.0, "imf": 1.5, "wits": 1.0}
        common = _env("TURNOVER_PACE", float, None, 0, 3600)
        for src in pace:
            pace[src] = _env(f"TURNOVER_{src.upper()}_PACE", float,
                             common if common is not None else pace[src], 0, 3600)
        today = today or today_for()  # the run's date; UTC's without a pair
        return cls(
            raw_dir=Path(raw or _env("TURNOVER_RAW_DIR", Path, raw_dir())),
            today=today,
            comtrade_url=_url("TURNOVER_COMTRADE_URL", COMTRADE_URL),
            imf_url=_url("TURNOVER_IMF_URL", IMF_URL),
            wits_url=_url("TURNOVER_WITS_URL", WITS_URL),
            comtrade_key=os.environ.get("COMTRADE_API_KEY") or None,
            start_year=_env("TURNOVER_START_YEAR", int, 2010, 1962, today.year),  # Comtrade starts 1962
            start_year_set=bool(os.environ.get("TURNOVER_START_YEAR")),
            pace=pace,
            daily_calls={"comtrade": _env("TURNOVER_COMTRADE_DAILY_CALLS", int, 500, 1, 1_000_000)},
            attempts=_env("TURNOVER_HTTP_ATTEMPTS", int, 4, 1, 20),
            backoff=_env("TURNOVER_HTTP_BACKOFF", float, 2.0, 0, 3600),
            backoff_max=_env("TURNOVER_HTTP_BACKOFF_MAX", float, 60.0, 0, day),
            max_retry_after=_env("TURNOVER_MAX_RETRY_AFTER", float, 120.0, 0, day),
            timeout=_env("TURNOVER_HTTP_TIMEOUT", float, 60.0, 0.01, 3600),
            deadline=_env("TURNOVER_HTTP_DEADLINE", float, 300.0, 0.01, day),
            max_wire_bytes=_env("TURNOVER_HTTP_MAX_WIRE_BYTES", int, 100_000_000, 1, 10**10),
            max_bytes=_env("TURNOVER_HTTP_MAX_BYTES", int, 250_000_000, 1, 10**10),
            ttl_days=_env("TURNOVER_TTL_DAYS", float, 7.0, -36_500, 36_500),  # < 0: always stale
            settle_months=_env("TURNOVER_SETTLE_MONTHS", int, 24, 0, 1200),
        )

    @property
    def all_partner_reporters(self) -> tuple[str, ...]:
        """The reporters whose trade with every partner is asked for (partner ranks)."""
        return self.reporters if self.ranked is None else tuple(r for r in self.reporters if r in self.ranked)

    def for_claims(self, claims) -> "Config":
        """The scope a claims file asks for: its reporters (the pair, then every country a rule
        names), as partners the pair, every partner a rule names and the World; every partner
        only for the countries a ``partner_rank`` rule ranks; from the earliest window start (never
        later than the default 2010, and ``TURNOVER_START_YEAR`` wins when set) to the last
        complete month. The bundled claims give exactly the defaults."""
        from dataclasses import replace

        reporters = tuple(claims.reporters())
        partners = tuple(dict.fromkeys([*claims.pair, *claims.partners(), "WLD"]))
        ranked = tuple(dict.fromkeys(c for cl in claims.claims if cl.rule.kind == "partner_rank"
                                     for c in (getattr(cl.rule, "countries", None) or [])))
        start = self.start_year if self.start_year_set else min(
            [self.start_year, *(c.window.start for c in claims.claims)])
        start = max(1962, min(start, self.today.year))
        return replace(self, reporters=reporters, partners=partners, ranked=ranked, start_year=start)

    def secrets(self) -> list[str]:
        """Values that must never be written anywhere."""
        return [s for s in [self.comtrade_key] if s]

    def last_month(self) -> dt.date:
        """First day of the last complete month before ``today``."""
        first = self.today.replace(day=1)
        return (first - dt.timedelta(days=1)).replace(day=1)
