"""Benchmarks: the figures users care about, each as a ratio measured in this run on this machine.

``python -m turnover.bench`` (or ``make bench``) prints one table:
  P1 offline refresh end to end vs the bare import of pandas+statsmodels+plotly  (target <= 3x)
  P2 a re-run with nothing changed vs the same floor                              (target <= 1.2x)
  P3 live fetch 2010-2025 against a local mock server: requests vs the API minimum (target: equal)
  P4 HTML report size (target <= 5 MB, plotly.js once) and first paint in headless Chromium
  P5 screening N synthetic monthly series (``model.screen``: STL per series, trend tests
     vectorised across series): series/s, growth with N, where the time goes, and what fewer
     STL robustness passes buy and change
Nothing here is a test: targets are printed beside the figures, never asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR_CODE = "import pandas, statsmodels.api, plotly.graph_objects"


def _time_cmd(args: list[str], repeat: int = 1, env: dict | None = None) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, **(env or {})})
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def import_floor(repeat: int = 3) -> float:
    """Seconds to start Python and import pandas, statsmodels and plotly (median)."""
    return _time_cmd([sys.executable, "-c", FLOOR_CODE], repeat)


def p1_p2(out: Path, floor: float, repeat: int = 3) -> list[dict]:
    """P1: median of ``repeat`` full refreshes, each into an empty folder (as the floor, a median:
    one run swings by 10 % on a shared machine); P2: median of ``repeat`` re-runs of the last."""
    firsts = [_time_cmd(_refresh(target)) for target in [*(out / f"p1-{i}" for i in range(repeat - 1)), out]]
    first = statistics.median(firsts)
    again = _time_cmd(_refresh(out), repeat=repeat)
    runs = ", ".join(f"{t:.2f}" for t in firsts)
    return [
        {"id": "P1", "what": f"offline refresh, end to end (median of {repeat}: {runs} s)", "value": f"{first:.2f} s",
         "ratio": f"{first / floor:.2f}x floor", "target": "<= 3x"},
        {"id": "P2", "what": "re-run, nothing changed", "value": f"{again:.2f} s",
         "ratio": f"{again / floor:.2f}x floor", "target": "<= 1.2x"},
    ]


def _refresh(out: Path) -> list[str]:
    return [sys.executable, "-m", "turnover.refresh", "--offline", "--quiet", "--out", str(out)]


def p4(report: Path) -> list[dict]:
    size = report.stat().st_size
    text = report.read_text(encoding="utf-8", errors="replace")
    # the licence header each plotly.js bundle starts with: "plotly.js v4.1.1" (full) or
    # "plotly.js (basic - minified) v4.1.1" (the partial bundle export.py prefers)
    bundles = re.findall(r"\* plotly\.js (\([a-z -]+\) )?v\d", text)
    kinds = ", ".join(sorted({(b.strip("() ").split(" ")[0] if b else "full") for b in bundles})) or "none"
    rows = [{"id": "P4a", "what": "HTML report size", "value": f"{size / 1e6:.2f} MB",
             "ratio": f"plotly.js bundles: {len(bundles)} ({kinds})", "target": "<= 1.5 MB, 1 bundle"}]
    chromium = shutil.which("chromium")
    if not chromium:
        rows.append({"id": "P4b", "what": "first paint", "value": "n/a", "ratio": "chromium not installed",
                     "target": "-"})
        return rows
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.goto(report.as_uri(), wait_until="load")
        fcp = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
        load = page.evaluate("() => performance.timing.loadEventEnd - performance.timing.navigationStart")
        browser.close()
    rows.append({"id": "P4b", "what": "first contentful paint (headless Chromium)",
                 "value": f"{fcp:.0f} ms" if fcp else "n/a", "ratio": f"load event {load} ms", "target": "-"})
    return rows


def p3() -> list[dict]:
    """Live fetch 2010-2025 (both reporters, both flows, monthly) against the local fake APIs."""
    import datetime as dt
    import math

    from .ingest.live import Config, collect
    from .ingest.live.fake import FakeAPIs
    from .ingest.live.fetch import Fetcher

    rows = []
    today = dt.date(2026, 1, 20)  # scope 2010-01 .. 2025-12: 192 months, 16 years
    months_, years = 16 * 12, 16
    reporters, flows = 2, 2
    for keyed in (True, False):
        with tempfile.TemporaryDirectory(prefix="turnover-bench-raw-") as raw, FakeAPIs(key="bench-key" if keyed else None) as api:
            cfg = Config(raw_dir=Path(raw), today=today, comtrade_url=api.url, imf_url=api.url, wits_url=api.url,
                         comtrade_key="bench-key" if keyed else None, start_year=2010,
                         pace={"comtrade": 0.0, "imf": 0.0, "wits": 0.0}, attempts=3, backoff=0.001,
                         backoff_max=0.01, timeout=10.0)
            t0 = time.perf_counter()
            collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=lambda s: None))
            secs = time.perf_counter() - t0
            made = {"comtrade": 0, "comtrade all-partner": 0, "imf": 0, "wits": 0}
            for path in api.served:
                src = "imf" if "/IMTS/" in path else "wits" if "tradestats" in path else "comtrade"
                made[src] += 1
                if src == "comtrade" and "/C/A/" in path:
                    made["comtrade all-partner"] += 1
            again = len(api.requests)
            collect(online=True, progress=False, config=cfg, fetcher=Fetcher(cfg, sleep=lambda s: None))
            rerun = len(api.requests) - again
        # documented minimum. Comtrade: keyed 12 periods per call, preview ONE period per call (two give
        # HTTP 400) and 500 rows, so the annual all-partner totals (about 2 x 230 rows per reporter-year)
        # take one call per reporter-year on preview and one per 12 years for both reporters keyed.
        # IMF documents no period cap (1 call would do; 5-year blocks by design keep settled years final).
        # WITS: partner=all needs a single reporter; one call per reporter-year (by design, as for the
        # IMF: a settled year stays final and a year WITS has not yet got answers 404 NoRecordsFound alone).
        annual_min = reporters * years if not keyed else math.ceil(years / 12)
        minimum = {"comtrade": (math.ceil(months_ / 12) if keyed else months_) + annual_min,
                   "comtrade all-partner": annual_min, "imf": 1, "wits": reporters * years}
        naive = {"comtrade": months_ * reporters * flows, "imf": months_ * reporters * flows,
                 "wits": years * reporters * flows}
        label = "keyed" if keyed else "preview"
        for src in ("comtrade", "comtrade all-partner", "imf", "wits"):
            if not src.startswith("comtrade") and not keyed:
                continue
            what = f"{src}{' ' + label if src.startswith('comtrade') else ''}: requests made"
            extra = f", one-per-period {naive[src]}" if src in naive else " (of the above)"
            note = " (5-year blocks by design)" if src == "imf" else ""
            rows.append({"id": "P3", "what": what, "value": str(made[src]),
                         "ratio": f"min {minimum[src]}{note}{extra}", "target": "= min"})
        rows.append({"id": "P3", "what": f"all sources ({label} Comtrade): time; re-run requests",
                     "value": f"{secs:.1f} s", "ratio": f"re-run: {rerun} requests", "target": "0"})
    return rows


def p5(sizes: list[int], workers: int = 2) -> list[dict]:
    """Screen N synthetic monthly series with ``model.screen`` on ``workers`` processes."""
    from concurrent.futures import ProcessPoolExecutor

    from .model.decompose import STL_OUTER_ITER

    rows, first = [], None
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_screen_chunk, [(0, 8, STL_OUTER_ITER), (1, 8, STL_OUTER_ITER)]))  # warm: imports are not screening
        for passes in (STL_OUTER_ITER, 0):
            for n in sizes if passes == STL_OUTER_ITER else sizes[-1:]:
                t0 = time.perf_counter()
                parts = list(pool.map(_screen_chunk, [(seed, min(500, n - seed), passes) for seed in range(0, n, 500)]))
                secs = time.perf_counter() - t0
                done = sum(p["n"] for p in parts)
                stl_s, tests_s = sum(p["stl"] for p in parts), sum(p["tests"] for p in parts)
                label = "robust STL (15 passes, as the verdicts)" if passes else "plain STL (0 passes)"
                if passes == STL_OUTER_ITER:
                    first = first or (n, secs)
                    growth = (f"{secs / first[1]:.1f}x time for {n / first[0]:.0f}x series" if n != first[0]
                              else "baseline")
                else:
                    growth = "vs robust: " + _robustness_effect(min(n, 2000))
                # CPU per series in the workers: what 2 idle cores could do, whatever else runs here
                ceiling = workers * done / (stl_s + tests_s)
                rows.append({"id": "P5", "what": f"screen {n:,} monthly series, {label}",
                             "value": f"{done / secs:.0f} series/s",
                             "ratio": f"{growth}; CPU per series: STL {1000 * stl_s / done:.1f} ms "
                                      f"({100 * stl_s / (stl_s + tests_s):.0f}%), tests {1000 * tests_s / done:.2f} ms; "
                                      f"ceiling on {workers} idle cores {ceiling:.0f} series/s",
                             "target": ">= 500/s, ~linear"})
    return rows


def _synthetic(seed: int, n: int):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    idx = pd.date_range("2010-01-31", periods=120, freq="ME")
    season = np.sin(np.arange(120) * 2 * np.pi / 12)
    values = (100 + rng.normal(0, 0.3, (n, 1)) * np.arange(120) + 10 * season + rng.normal(0, 3, (n, 120)))
    return values, idx


def _screen_chunk(args: tuple[int, int, int]) -> dict:
    from .model.screen import screen_matrix

    seed, n, passes = args
    values, idx = _synthetic(seed, n)
    timings: dict = {}
    screen_matrix(values, idx, 12, stl_outer_iter=passes, timings=timings)
    return {"n": n, **timings}


def _robustness_effect(n: int) -> str:
    """How the screening results change from 15 robustness passes to 0, on n synthetic series."""
    import numpy as np

    from .model.screen import screen_matrix

    values, idx = _synthetic(10_000, n)
    # one outlier month in every tenth series: what robustness is for
    values[::10, 60] *= 3
    a, b = (screen_matrix(values, idx, 12, stl_outer_iter=k) for k in (15, 0))
    flips = np.mean((a["hamed_rao_p_deseasonalized"] < 0.05) != (b["hamed_rao_p_deseasonalized"] < 0.05))
    hac_flips = np.mean((a["hac_p"] < 0.05) != (b["hac_p"] < 0.05))
    rel = np.median(np.abs(b["hac_slope"] - a["hac_slope"]) / np.abs(a["hac_slope"]))
    return (f"Hamed-Rao 5% calls differ {100 * flips:.1f}%, HAC 5% calls {100 * hac_flips:.1f}%, "
            f"median HAC slope change {100 * rel:.2f}% (seasonal MK, Sen unchanged)")


def _print(rows: list[dict]) -> None:
    widths = {k: max(len(k), *(len(str(r[k])) for r in rows)) for k in rows[0]}
    line = "  ".join(f"{k:<{widths[k]}}" for k in widths)
    print(line)
    print("  ".join("-" * widths[k] for k in widths))
    for r in rows:
        print("  ".join(f"{str(r[k]):<{widths[k]}}" for k in widths))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m turnover.bench", description=__doc__.splitlines()[0],
                                 epilog="\n".join(__doc__.splitlines()[2:]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", metavar="P", help="run only these (P1 P2 P3 P4 P5)")
    ap.add_argument("--sizes", nargs="*", type=int, default=[1000, 10000], help="P5 panel sizes")
    args = ap.parse_args(argv)
    want = {p.upper() for p in (args.only or ["P1", "P2", "P3", "P4", "P5"])}
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="turnover-bench-") as tmp:
        out = Path(tmp)
        floor = import_floor()
        rows.append({"id": "floor", "what": "python + import pandas, statsmodels, plotly",
                     "value": f"{floor:.2f} s", "ratio": "1.00x", "target": "-"})
        if want & {"P1", "P2"}:
            rows += [r for r in p1_p2(out, floor) if r["id"] in want]
        if "P4" in want:
            if not (out / "reports").exists():
                _time_cmd([sys.executable, "-m", "turnover.refresh", "--offline", "--quiet", "--out", str(out)])
            rows += p4(out / "reports" / "turnover-report.html")
        if "P3" in want:
            rows += p3()
        if "P5" in want:
            rows += p5(args.sizes)
    _print(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
