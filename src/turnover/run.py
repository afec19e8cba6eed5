"""One run: the claims, the dates, where the outputs go and whether to fetch, resolved once.

``build`` is called by the command line (``python -m turnover.refresh``) and hands the same
``Run`` to every stage; the notebooks get it through ``turnover.report.inputs.load(run_file)``,
where ``run_file`` is the parameter the refresh injects (a notebook opened by hand in
JupyterLab has ``run_file = None`` and gets ``build()``'s defaults: the bundled claims, the
published outputs of the project folder, today).

"Today" has one owner, ``today_for``: the date in the reporters' calendar, i.e. the earliest
date it is at this moment anywhere in the two reporting countries (a day counts once it has
begun in all of their time zones), so a run near midnight never sees a day one country has not
reached, and every stage of one run uses the same date.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError

# where a run's outputs go, relative to its output folder (the report's links and the docs use these)
PANEL = "data/processed/panel.parquet"
VERDICTS = "reports/verdicts.json"
REPORT = "reports/turnover-report.html"
NOTEBOOKS = "reports/notebooks"  # the executed notebooks behind the report
RUN_RECORD = "reports/run.json"
RUN_FILE_PARAMETER = "run_file"  # the notebooks' parameter that names the run


@lru_cache(maxsize=1)
def _zones() -> dict[str, tuple[str, ...]]:
    """ISO alpha-2 -> IANA time zones, from the tz database's zone1970.tab (the tzdata package)."""
    from importlib.resources import files

    try:
        text = files("tzdata").joinpath("zoneinfo", "zone1970.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            codes, _, zone = line.split("\t")[:3]
            for cc in codes.split(","):
                out.setdefault(cc, []).append(zone)
    return {k: tuple(v) for k, v in out.items()}


def today_for(pair: tuple[str, ...] | list[str] | None = None, now: dt.datetime | None = None) -> dt.date:
    """Today in the reporters' calendar: the earliest local date across every time zone of the
    pair's countries (ISO3 codes); UTC's date when a country's zones are not known."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is None:
        raise ValueError("today_for: 'now' must carry a time zone")
    dates = []
    for iso3 in pair or ():
        from .countries import codes

        alpha2 = codes.alpha2(iso3)
        for zone in _zones().get(alpha2 or "", ()):
            try:
                dates.append(now.astimezone(ZoneInfo(zone)).date())
            except ZoneInfoNotFoundError:
                continue
    return min(dates) if dates else now.astimezone(dt.timezone.utc).date()


def as_of(vintage_date: dt.date, today: dt.date | None) -> dt.date:
    """A vintage's date capped at today: nothing can be known after today."""
    return vintage_date if today is None else min(vintage_date, today)


@dataclass(frozen=True)
class Run:
    """What every stage of one run reads: never recomputed downstream."""

    claims: "ClaimsFile"  # noqa: F821  (claims imports pydantic: kept out of this module's import)
    claims_path: Path
    today: dt.date
    out: Path
    online: bool = False
    panel_path: Path = field(default=None)  # default: out / PANEL
    verdicts_path: Path = field(default=None)  # default: out / VERDICTS

    def __post_init__(self):
        if self.panel_path is None:
            object.__setattr__(self, "panel_path", self.out / PANEL)
        if self.verdicts_path is None:
            object.__setattr__(self, "verdicts_path", self.out / VERDICTS)

    def as_of(self, vintage: str) -> dt.date:
        """The date a vintage judges with: its date in the claims file, never after today."""
        return as_of(self.claims.vintages[vintage], self.today)

    @property
    def article_date(self) -> dt.date:
        """The ``as_of_article`` vintage, else the article's own date."""
        return self.claims.vintages.get("as_of_article", self.claims.article.date)

    def source_files(self) -> list[Path]:
        from .claims import source_files

        return source_files(self.claims, self.claims_path)

    def staged(self, panel_path: Path, verdicts_path: Path) -> "Run":
        """The same run reading a staged panel and verdicts (the report stage, before publishing)."""
        return replace(self, panel_path=Path(panel_path), verdicts_path=Path(verdicts_path))

    def to_json(self) -> dict:
        return {"claims_path": str(self.claims_path), "today": self.today.isoformat(), "out": str(self.out),
                "online": self.online, "panel_path": str(self.panel_path), "verdicts_path": str(self.verdicts_path)}

    def save(self, path: Path) -> Path:
        """Write the run file a notebook's ``run_file`` parameter names; this process keeps the
        object itself, so notebooks run in it read the claims parsed once, not the file again."""
        path = Path(path)
        path.write_text(json.dumps(self.to_json(), indent=1), encoding="utf-8")
        _LIVE[str(path.resolve())] = self
        return path


_LIVE: dict[str, Run] = {}  # run files written by this process -> their Run (no re-parsing)


def build(claims_path: Path | str | None = None, out: Path | str | None = None, today: dt.date | None = None,
          online: bool = False, panel_path: Path | str | None = None,
          verdicts_path: Path | str | None = None) -> Run:
    """The run for these settings; the defaults are the bundled claims, the project folder, today."""
    from .claims import load_claims
    from .paths import project_root, seeds_dir

    path = Path(claims_path) if claims_path else seeds_dir() / "claims.yaml"
    claims = load_claims(path, today=today)
    when = today or claims.resolved_today
    out = Path(out).resolve() if out else project_root()
    return Run(claims=claims, claims_path=path, today=when, out=out, online=online,
               panel_path=Path(panel_path) if panel_path else None,
               verdicts_path=Path(verdicts_path) if verdicts_path else None)


def load(run_file: Path | str) -> Run:
    """The run a run file names (the same object when this process wrote it)."""
    path = Path(run_file)
    live = _LIVE.get(str(path.resolve()))
    if live is not None:
        return live
    from .readers import read_text

    try:
        doc = json.loads(read_text(path, "run file"))
        today = dt.date.fromisoformat(doc["today"])
        keys = ("claims_path", "out", "panel_path", "verdicts_path")
        paths = {k: Path(doc[k]) for k in keys}
        online = bool(doc.get("online", False))
    except (ValueError, KeyError, TypeError) as err:
        raise ConfigError(f"{path}: run file: not a run ({type(err).__name__}: {err})") from None
    return build(paths["claims_path"], paths["out"], today=today, online=online,
                 panel_path=paths["panel_path"], verdicts_path=paths["verdicts_path"])
