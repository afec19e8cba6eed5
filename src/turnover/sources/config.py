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
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from ..paths import raw_dir

COMTRADE_URL = "https://comtradeapi.un.org"
IMF_URL = "https://api.imf.org/external/sdmx/3.0"
WITS_URL = "https://wits.worldbank.org/API/V1/SDMX/V21"
USER_AGENT = "turnover/0.1 (trade-claims checker; python-requests)"


def _env(name: str, cast, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return cast(raw)
    except ValueError:
        raise ConfigError(f"environment variable {name}={raw!r} is not a valid {cast.__name__}") from None


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
    # politeness: seconds between the starts of two calls to the same source
    pace: dict = field(default_factory=lambda: {"comtrade": 6.0, "imf": 1.5, "wits": 1.0})
    # calls per rolling 24 hours (UN Comtrade free tier: 500); the pull stops there and resumes later
    daily_calls: dict = field(default_factory=lambda: {"comtrade": 500})
    attempts: int = 4            # per call, for 429, 5xx, timeouts and dropped connections
    backoff: float = 2.0         # first back-off in seconds; doubles, with jitter
    backoff_max: float = 60.0
    max_retry_after: float = 120.0  # a longer Retry-After is reported instead of waited for
    timeout: float = 60.0
    ttl_days: float = 7.0
    settle_months: int = 24
    comtrade_row_cap: int | None = None  # None: 500 (preview) or 100 000 (keyed free tier)

    @classmethod
    def from_env(cls, raw: Path | None = None, today: dt.date | None = None) -> "Config":
        """Defaults overridden by TURNOVER_* variables and COMTRADE_API_KEY."""
        pace = {"comtrade": 6.0, "imf": 1.5, "wits": 1.0}
        common = _env("TURNOVER_PACE", float, None)
        for src in pace:
            pace[src] = _env(f"TURNOVER_{src.upper()}_PACE", float, common if common is not None else pace[src])
        return cls(
            raw_dir=Path(raw or _env("TURNOVER_RAW_DIR", Path, raw_dir())),
            today=today or dt.datetime.now(dt.timezone.utc).date(),
            comtrade_url=_env("TURNOVER_COMTRADE_URL", str, COMTRADE_URL).rstrip("/"),
            imf_url=_env("TURNOVER_IMF_URL", str, IMF_URL).rstrip("/"),
            wits_url=_env("TURNOVER_WITS_URL", str, WITS_URL).rstrip("/"),
            comtrade_key=os.environ.get("COMTRADE_API_KEY") or None,
            start_year=_env("TURNOVER_START_YEAR", int, 2010),
            pace=pace,
            daily_calls={"comtrade": _env("TURNOVER_COMTRADE_DAILY_CALLS", int, 500)},
            attempts=max(1, _env("TURNOVER_HTTP_ATTEMPTS", int, 4)),
            backoff=_env("TURNOVER_HTTP_BACKOFF", float, 2.0),
            backoff_max=_env("TURNOVER_HTTP_BACKOFF_MAX", float, 60.0),
            max_retry_after=_env("TURNOVER_MAX_RETRY_AFTER", float, 120.0),
            timeout=_env("TURNOVER_HTTP_TIMEOUT", float, 60.0),
            ttl_days=_env("TURNOVER_TTL_DAYS", float, 7.0),
            settle_months=_env("TURNOVER_SETTLE_MONTHS", int, 24),
        )

    def secrets(self) -> list[str]:
        """Values that must never be written anywhere."""
        return [s for s in [self.comtrade_key] if s]

    def last_month(self) -> dt.date:
        """First day of the last complete month before ``today``."""
        first = self.today.replace(day=1)
        return (first - dt.timedelta(days=1)).replace(day=1)
