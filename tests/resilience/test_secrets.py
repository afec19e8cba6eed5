"""Secrets: with ``COMTRADE_API_KEY`` set, the key never appears in any file written or any line logged.

One sweep over a whole session of ``python -m turnover.refresh`` (through ``refresh.main``) against
the fake APIs on 127.0.0.1, keyed: a 401 whose body echoes the key, persistent 429 and 500, a
``--plan``, then transient 429 + 500 and a complete online run with the real report (notebooks
executed). Logging is captured at DEBUG (urllib3 logs every request there) together with the
process's stdout and stderr (fd level, so kernels' output too). Afterwards every file under
tmp_path (raw snapshots, manifest, panel parquet -- also decoded, since parquet pages are
compressed --, verdicts, report, executed notebooks, run.json) and every captured line is searched
for the key in its raw and URL-encoded forms and for its alphanumeric core (which survives any
escaping of the key's '/', '+' and '=').
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from urllib.parse import quote, quote_plus

import pandas as pd
import pytest

from turnover.ingest.live.fake import FakeAPIs
from turnover import refresh
from turnover.ingest import live as sources
from turnover.ingest.live.config import Config
from turnover.ingest.live.fetch import Fetcher

pytestmark = pytest.mark.slow  # one run executes the notebooks

CORE = "ZQX7secretTOKEN9f8e7d6c5b4a"
KEY = f"{CORE}/+=k"  # '/', '+' and '=' make the URL-encoded forms differ from the key
FORMS = sorted({KEY, quote(KEY, safe=""), quote(KEY), quote_plus(KEY), CORE})
GET = "/data/v1/get/"  # the keyed UN Comtrade endpoint


def _leaks(text: str) -> list[str]:
    return [f for f in FORMS if f in text]


def _setenv(mp: pytest.MonkeyPatch, raw, url: str) -> None:
    env = {"COMTRADE_API_KEY": KEY, "TURNOVER_RAW_DIR": str(raw), "TURNOVER_COMTRADE_URL": url,
           "TURNOVER_IMF_URL": url, "TURNOVER_WITS_URL": url, "TURNOVER_START_YEAR": str(dt.date.today().year - 1),
           "TURNOVER_PACE": "0", "TURNOVER_HTTP_ATTEMPTS": "3", "TURNOVER_HTTP_BACKOFF": "0.001",
           "TURNOVER_HTTP_BACKOFF_MAX": "0.01", "TURNOVER_HTTP_TIMEOUT": "10"}
    for k, v in env.items():
        mp.setenv(k, v)
    mp.delenv("TURNOVER_TTL_DAYS", raising=False)


def test_the_key_never_appears_in_any_file_or_log_line(tmp_path, monkeypatch, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    raw, out = tmp_path / "raw", tmp_path / "out"
    sleeps: list[float] = []  # Retry-After and back-off are recorded, not slept
    monkeypatch.setattr(sources, "Fetcher", lambda cfg: Fetcher(cfg, sleep=sleeps.append))
    captured: list[str] = []

    def cli(*args: str) -> int:
        code = refresh.main([*args, "--out", str(out)])
        o = capfd.readouterr()
        captured.extend([o.out, o.err])
        return code

    with FakeAPIs(key="the-server-expects-another-key") as api:
        _setenv(monkeypatch, raw, api.url)
        assert KEY not in repr(Config.from_env())

        # 401: the server's answer echoes the key we sent; the error and the snapshot must not
        assert cli("--online") == 4
        assert "comtrade: GET" in captured[-1] and "HTTP 401 bad or missing key" in captured[-1]
        assert "Access denied due to invalid subscription key ***" in captured[-1]

        api.key = KEY
        api.fault(GET, "429", times=100)
        assert cli("--online") == 4
        assert "rate limited (HTTP 429) after 3 attempt(s)" in captured[-1]

        api.faults.clear()
        api.fault(GET, "500", times=100)
        assert cli("--online") == 4
        assert "server error HTTP 500 after 3 attempt(s)" in captured[-1]

        api.faults.clear()
        assert cli("--plan") == 0
        assert "[key in header]" in captured[-2]

        # transient 429 and 500, then a complete keyed run with the real report
        api.fault(GET, "429", times=1)
        api.fault(GET, "500", times=1)
        assert cli("--online") == 0, captured[-1]

        keyed = [(u, h) for u, h in api.requests if u.startswith(GET)]
        assert keyed and all(h.get("Ocp-Apim-Subscription-Key") == KEY for _, h in keyed)  # the key was used
        assert not [u for u, _ in api.requests if _leaks(u)]                              # in headers only

    # the sweep is not vacuous: the files and records it must see are there
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    rel = {p.relative_to(tmp_path).as_posix() for p in files}
    for must in ("raw/manifest.jsonl", f"out/{refresh.PANEL}", f"out/{refresh.VERDICTS}", f"out/{refresh.REPORT}",
                 f"out/{refresh.RUN}"):
        assert must in rel, must
    assert any(r.startswith("raw/comtrade/") for r in rel)
    assert any(r.startswith(f"out/{refresh.NOTEBOOKS}/") and r.endswith(".ipynb") for r in rel)
    assert any("urllib3" in r.name for r in caplog.records)                         # DEBUG lines captured
    assert 1.0 in sleeps                                                              # the 429s were met

    leaks = []
    for p in files:
        leaks += [(p.relative_to(tmp_path).as_posix(), f) for f in _leaks(p.relative_to(tmp_path).as_posix())]
        leaks += [(p.name, f) for f in _leaks(p.read_bytes().decode("latin-1"))]
        if p.suffix == ".parquet":
            text = pd.read_parquet(p).astype(str).to_csv()
            leaks += [(p.name + " (decoded)", f) for f in _leaks(text)]
    for rec in caplog.records:
        leaks += [(f"log {rec.name}", f) for f in _leaks(rec.getMessage())]
    leaks += [("log text", f) for f in _leaks(caplog.text)]
    leaks += [("stdout/stderr", f) for f in _leaks("\n".join(captured))]
    assert leaks == []

    manifest = [json.loads(x) for x in (raw / "manifest.jsonl").read_text().splitlines()]
    assert any(e["outcome"] == "http_error" and e.get("redacted") for e in manifest)  # the echo was scrubbed
    assert any(e["source"] == "comtrade" and e["outcome"] == "ok" for e in manifest)
