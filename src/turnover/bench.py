"""Benchmarks: the figures users care about, each as a ratio measured in this run on this machine.

``python -m turnover.bench`` (or ``make bench``) prints one table:
  P1 offline refresh end to end vs the bare import of pandas+statsmodels+plotly  (target <= 2x; median
     of 5 ratios, each run paired with a floor run beside it)
  P2 a re-run with nothing changed vs the same floor                              (target <= 1.2x; 3 pairs)
  P1s claims scaling: refreshes of generated claims files of 5, 20 and 80 distinct claims
     (the bundled file's rule kinds, parameters varied): the cost per added claim from 5 to 20
     and from 20 to 80 (target: constant, the second <= 1.3x the first, each < 0.5x floor)
  P1o outputs with the speed-ups switched off (BLAS threads, fit and input reuse, SciPy's
     docstring notes): verdicts.json, the report and the notebooks must be byte-identical
  P3 live fetch 2010-2025 against a local mock server: requests vs the API minimum (target: equal)
  P4 HTML report size (target <= 1.5 MB, plotly.js once) and first contentful paint in headless
     Chromium as a ratio to a minimal page (paired, alternating, median), beside the same report
     with plotly.js in the head as it was (target: half of that ratio or less)
  P5 screening N synthetic monthly series (``model.screen``: STL per series, trend tests
     vectorised across series): series/s, growth with N, where the time goes, and what fewer
     STL robustness passes buy and change
Nothing here is a test: targets are printed beside the figures, never asserted. The machine's
load average is printed with them: on a shared machine only the ratios mean anything.
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


def _pairs(cmd, repeat: int) -> list[tuple[float, float]]:
    """(floor, cmd) seconds, ``repeat`` times, the two run back to back in turns (floor first, then
    cmd first): each ratio compares runs made a moment apart, whatever else the machine is doing."""
    floor_cmd = [sys.executable, "-c", FLOOR_CODE]
    pairs = []
    for i in range(repeat):
        args = cmd(i)
        if i % 2 == 0:
            f = _time_cmd(floor_cmd)
            t = _time_cmd(args)
        else:
            t = _time_cmd(args)
            f = _time_cmd(floor_cmd)
        pairs.append((f, t))
    return pairs


def p1_p2(out: Path, repeat: int = 5, again_repeat: int = 3) -> tuple[list[dict], list[float]]:
    """P1: ``repeat`` full refreshes, each into an empty folder, P2: ``again_repeat`` re-runs of the
    last; each run paired with a floor run beside it (medians of the paired ratios: one run swings
    by 10 % on a quiet machine, far more on a shared one). Returns the rows and every floor time."""
    firsts = _pairs(lambda i: _refresh(out if i == repeat - 1 else out / f"p1-{i}"), repeat)
    again = _pairs(lambda i: _refresh(out), again_repeat)
    rows = []
    for pid, what, pairs, target in (("P1", "offline refresh, end to end", firsts, "<= 2x"),
                                     ("P2", "re-run, nothing changed", again, "<= 1.2x")):
        ratios = [t / f for f, t in pairs]
        runs = ", ".join(f"{t:.2f}/{f:.2f}" for f, t in pairs)
        rows.append({"id": pid, "what": f"{what} (median of {len(pairs)} paired runs, s run/floor: {runs})",
                     "value": f"{statistics.median(t for _, t in pairs):.2f} s",
                     "ratio": f"{statistics.median(ratios):.2f}x floor (paired; {min(ratios):.2f}-{max(ratios):.2f})",
                     "target": target})
    return rows, [f for f, _ in firsts + again]


def _refresh(out: Path, claims: Path | None = None) -> list[str]:
    return [sys.executable, "-m", "turnover.refresh", "--offline", "--quiet", "--out", str(out),
            *(["--claims", str(claims)] if claims else [])]


# ---- P1s: claims scaling ---------------------------------------------------------------------

# one threshold per rule kind, stepped per variant so that every generated claim is distinct
STEPPED = {"declining_trend": ("min_decline_pct", 1), "partner_rank": ("top_n", 1),
           "market_shock": ("min_devaluation_pct", 1), "recovery": ("tolerance_pct", 1)}


def claims_file(n: int, folder: Path) -> Path:
    """A claims file of ``n`` distinct claims written into ``folder`` (with the bundled article):
    the bundled claims in turn, the k-th copy of each with its window starting k mod 4 years
    earlier, its own id and one threshold k steps further (the mirror gap: its band's upper bound;
    a rule with no threshold, such as event_record: its window starting k years earlier)."""
    import yaml

    from .paths import seeds_dir

    seeds = seeds_dir()
    doc = yaml.safe_load((seeds / "claims.yaml").read_text(encoding="utf-8"))
    article = yaml.safe_load((seeds / doc["article"]).read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(seeds / doc["article"], folder / "article.yaml")
    shutil.copy(seeds / article["text_file"], folder / article["text_file"])
    base, claims = doc["claims"], []
    for i in range(n):
        c, k = base[i % len(base)], i // len(base)
        c = {**c, "id": f"{c['id']}-{k + 1:02d}", "rule": dict(c["rule"]),
             "window": {**c["window"], "start": c["window"]["start"] - k % 4}}
        kind = c["rule"]["kind"]
        if kind in STEPPED:
            key, step = STEPPED[kind]
            c["rule"][key] = c["rule"].get(key, 0) + k * step
        elif kind == "mirror_gap":
            lo, hi = c["rule"].get("band_pct", [0, 10])
            c["rule"]["band_pct"] = [lo, hi + k]
        else:  # nothing to step: the window alone makes each copy distinct
            c["window"] = {**c["window"], "start": base[i % len(base)]["window"]["start"] - k}
        claims.append(c)
    doc = {**doc, "article": "article.yaml", "claims": claims}
    path = folder / "claims.yaml"
    class Plain(yaml.SafeDumper):  # every claim written out in full: the claims reader allows few aliases
        def ignore_aliases(self, data):
            return True

    path.write_text(yaml.dump(doc, Dumper=Plain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def p1_scaling(out: Path, floor: float, sizes: tuple[int, ...] = (5, 20, 80), rounds: int = 2) -> list[dict]:
    """Refreshes of generated claims files of ``sizes`` claims, ``rounds`` times each (the order
    turned every round, the median kept): the cost per added claim between successive sizes."""
    files = {n: claims_file(n, out / f"claims-{n}") for n in sizes}
    times: dict[int, list[float]] = {n: [] for n in sizes}
    for r in range(rounds):
        order = sizes[r % len(sizes):] + sizes[:r % len(sizes)]
        for n in order:
            times[n].append(_time_cmd(_refresh(out / f"scale-{n}-{r}", files[n])))
    med = {n: statistics.median(t) for n, t in times.items()}
    rows, per = [], []
    for a, b in zip(sizes, sizes[1:]):
        cost = (med[b] - med[a]) / (b - a)
        per.append(cost)
        growth = f"; {cost / per[0]:.2f}x the cost per claim {sizes[0]}->{sizes[1]}" if len(per) > 1 else ""
        rows.append({"id": "P1s", "what": f"claims {a} -> {b}: cost per added claim ({a}: {med[a]:.1f} s, {b}: {med[b]:.1f} s; "
                                          f"median of {rounds})",
                     "value": f"{cost:.3f} s", "ratio": f"{cost / floor:.2f}x floor{growth}",
                     "target": "< 0.5x floor" + ("; <= 1.3x the first" if len(per) > 1 else "")})
    return rows


# ---- P1o: outputs with the speed-ups off -------------------------------------------------------

def refresh_without_speedups(out: Path, claims: Path | None = None) -> int:
    """``refresh --offline --quiet`` with each speed-up that must not change outputs switched off:
    BLAS threads left to OpenBLAS in the trend fits, the robustness windows assessed afresh,
    notebook inputs deep-copied, SciPy's docstring notes written (``--plain`` of this module)."""
    import contextlib
    import copy
    import json

    from .model import scipy_notes

    scipy_notes.skip_array_api_notes = lambda: False  # before structural imports scipy
    from .model import decline, structural
    from .report import inputs

    structural.one_blas_thread = contextlib.nullcontext
    fresh = decline.assess
    decline.assess = lambda *a, same_data=None, **k: fresh(*a, **k)
    inputs._copy = copy.deepcopy
    inputs._read_results = lambda path: json.loads(path.read_text(encoding="utf-8")).get("results", [])
    from . import refresh

    return refresh.main(["--offline", "--quiet", "--out", str(out), *(["--claims", str(claims)] if claims else [])])


def _comparable_outputs(out: Path) -> dict[str, bytes]:
    """The published files that must not change, notebooks without their cell ids and timings."""
    import json

    files = {name: (out / name).read_bytes() for name in ("reports/verdicts.json", "reports/turnover-report.html",
                                                           "data/processed/panel.parquet")}
    for nb in sorted((out / "reports" / "notebooks").glob("*.ipynb")):
        doc = json.loads(nb.read_text(encoding="utf-8"))
        for cell in doc.get("cells", []):
            cell.pop("id", None)
            cell.get("metadata", {}).pop("execution", None)
        files[f"reports/notebooks/{nb.name}"] = json.dumps(doc, sort_keys=True).encode()
    return files


def p1_outputs(out: Path, plain: Path, claims: Path | None = None, label: str = "bundled claims") -> dict:
    done = subprocess.run([sys.executable, "-m", "turnover.bench", "--plain", str(plain),
                           *(["--claims", str(claims)] if claims else [])], capture_output=True, text=True)
    if done.returncode != 0:
        return {"id": "P1o", "what": f"outputs with the speed-ups off ({label})", "value": "FAILED",
                "ratio": (done.stderr.strip().splitlines() or ["no message"])[-1][:120], "target": "identical"}
    a, b = _comparable_outputs(out), _comparable_outputs(plain)
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    return {"id": "P1o", "what": f"outputs with the speed-ups off ({label})",
            "value": "identical" if not differ else "DIFFERENT",
            "ratio": f"{len(a)} files compared" + (f"; differ: {', '.join(differ)}" if differ else ""),
            "target": "identical"}


MINIMAL_PAGE = ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Minimal page</title></head>"
                "<body><h1>Minimal page</h1><p>One paragraph of text, nothing else.</p></body></html>\n")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def bundle_in_head(html: str) -> str:
    """The report as it was before plotly.js moved to the end of the body: the bundle run inline,
    the templates and the queue's flush in the head, so each figure is drawn as it is parsed."""
    from .report.export import BUNDLE_ID, DRAW_QUEUED, RUN_BUNDLE

    opening = f'<script type="text/plain" id="{BUNDLE_ID}">'
    start = html.rindex(opening)
    run_end = html.index("</script>", html.index("</script>", start) + 1) + len("</script>")
    scripts = html[start:run_end].replace(opening, '<script type="text/javascript">', 1).replace(RUN_BUNDLE, DRAW_QUEUED, 1)
    rest = html[:start] + html[run_end:]
    return rest.replace("</head>", scripts + "</head>", 1).replace("\n\n</body>", "\n</body>", 1)


def _paint(page_factory, path: Path, charts: bool) -> tuple[float, float, float | None]:
    """First contentful paint, load event and (``charts``) the moment every figure was drawn, in
    ms from navigation, for one fresh page."""
    page = page_factory()
    try:
        page.goto(path.as_uri(), wait_until="load")
        fcp = page.evaluate("""() => new Promise(done => {
            const seen = performance.getEntriesByName('first-contentful-paint')[0];
            if (seen) return done(seen.startTime);
            new PerformanceObserver(list => done(list.getEntries()[0].startTime)).observe({type: 'paint', buffered: true});
        })""")
        load = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventStart")
        drawn = None
        if charts:
            page.wait_for_function("""() => document.querySelectorAll('.plotly-graph-div').length ===
                document.querySelectorAll('.plotly-graph-div.js-plotly-plot').length""", polling="raf", timeout=60_000)
            drawn = page.evaluate("performance.now()")
        return fcp, load, drawn
    finally:
        page.close()


def p4(report: Path, runs: int = 7) -> list[dict]:
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

    folder = report.parent
    pages = {"minimal": folder / "bench-minimal.html", "report": report, "head": folder / "bench-bundle-in-head.html"}
    pages["minimal"].write_text(MINIMAL_PAGE, encoding="utf-8")
    pages["head"].write_text(bundle_in_head(text), encoding="utf-8")
    got: dict[str, list] = {"report": [], "head": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        new_page = lambda: browser.new_page(viewport={"width": 1366, "height": 768})  # noqa: E731
        for name in ("minimal", "report", "head"):  # warm the browser and the file cache
            _paint(new_page, pages[name], name != "minimal")
        for i in range(runs):
            for name in ("report", "head"):  # each against the minimal page just before or after it
                order = [("minimal", False), (name, True)][:: 1 if i % 2 == 0 else -1]
                seen = {k: _paint(new_page, pages[k], charts) for k, charts in order}
                (m, _, _), (f, load, drawn) = seen["minimal"], seen[name]
                got[name].append((f / m, f, m, load, drawn))
        browser.close()
    med = {name: [statistics.median(r[k] for r in rs) for k in range(5)] for name, rs in got.items()}
    (ratio, fcp, minimal, load, drawn), head = med["report"], med["head"]
    rows.append({"id": "P4b", "what": f"first contentful paint / a minimal page's (paired, median of {runs})",
                 "value": f"{ratio:.2f}x", "ratio": f"{fcp:.0f} ms vs {minimal:.0f} ms; plotly.js in the head: {head[0]:.2f}x "
                                                    f"({head[1]:.0f} ms): {ratio / head[0]:.2f} of it",
                 "target": "<= 0.5 of the head's"})
    rows.append({"id": "P4c", "what": "load event; every chart drawn (median)", "value": f"{load:.0f} ms",
                 "ratio": f"charts {drawn:.0f} ms; plotly.js in the head: load {head[3]:.0f} ms, charts {head[4]:.0f} ms",
                 "target": "-"})
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


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m turnover.bench", description=__doc__.splitlines()[0],
                                 epilog="\n".join(__doc__.splitlines()[2:]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", metavar="P", help="run only these (P1 P2 P1s P1o P3 P4 P5)")
    ap.add_argument("--sizes", nargs="*", type=int, default=[1000, 10000], help="P5 panel sizes")
    ap.add_argument("--claims-sizes", nargs="*", type=int, default=[5, 20, 80], help="P1s claims file sizes")
    ap.add_argument("--rounds", type=int, default=2, help="P1s refreshes of each claims file (median)")
    ap.add_argument("--paint-runs", type=int, default=7, help="P4 paired page loads (median)")
    ap.add_argument("--plain", type=Path, metavar="DIR", help=argparse.SUPPRESS)  # P1o's run with the speed-ups off
    ap.add_argument("--claims", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.plain:
        return refresh_without_speedups(args.plain, args.claims)
    want = {p.upper() for p in (args.only or ["P1", "P2", "P1S", "P1O", "P3", "P4", "P5"])}
    rows: list[dict] = [{"id": "load", "what": "load average (1, 5, 15 min) at the start", "value": _load(),
                         "ratio": f"{os.cpu_count()} cores", "target": "-"}]
    with tempfile.TemporaryDirectory(prefix="turnover-bench-") as tmp:
        out = Path(tmp)
        main_out = out / "main"
        floors: list[float] = []
        if want & {"P1", "P2"}:
            p12, floors = p1_p2(main_out)
            rows += [r for r in p12 if r["id"] in want]
        floors = floors or [import_floor(1) for _ in range(5)]
        floor = statistics.median(floors)
        rows.insert(1, {"id": "floor", "what": f"python + import pandas, statsmodels, plotly (median of {len(floors)})",
                        "value": f"{floor:.2f} s", "ratio": f"1.00x ({min(floors):.2f}-{max(floors):.2f} s)", "target": "-"})
        if want & {"P1O", "P4"} and not (main_out / "reports").exists():
            _time_cmd(_refresh(main_out))
        if "P1O" in want:
            rows.append(p1_outputs(main_out, out / "plain"))
        if "P1S" in want:
            rows += p1_scaling(out / "scaling", floor, tuple(args.claims_sizes), args.rounds)
            if "P1O" in want:
                big = max(args.claims_sizes)
                rows.append(p1_outputs(out / "scaling" / f"scale-{big}-0", out / f"plain-{big}",
                                       out / "scaling" / f"claims-{big}" / "claims.yaml", f"{big} generated claims"))
        if "P4" in want:
            rows += p4(main_out / "reports" / "turnover-report.html", args.paint_runs)
        if "P3" in want:
            rows += p3()
        if "P5" in want:
            rows += p5(args.sizes)
    rows.append({"id": "load", "what": "load average (1, 5, 15 min) at the end", "value": _load(),
                 "ratio": f"{os.cpu_count()} cores", "target": "-"})
    _print(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
