"""A fake of the three live APIs on 127.0.0.1, for the loader tests and ``make bench`` (P3).

Bodies are built from the hand-made fixtures in ``fixtures/`` beside this file (real formats;
every number a TEST FIXTURE, see ``fixtures/README.md``), answering
whatever reporters, partners, flows and periods a request asks for with deterministic TEST
FIXTURE values (``value_for``). Faults can be scripted per URL fragment (``fault``):

- ``429`` (with Retry-After: 1), ``429-bare`` (no Retry-After), ``500``, ``503``;
- ``drop`` (close the connection without answering), ``reset`` (abort it: TCP RST);
- ``slow`` (answer only after ``slow_seconds``, past any sane client timeout);
- ``truncate`` (announce the whole body, send half of it, close);
- ``html200`` (an HTML error page with status 200 and ``Content-Type: text/html``);
- ``fixture:NAME`` (status 200 with ``fixtures/<source>/NAME`` as the body, e.g. a schema change);
- ``nodata``: the source's documented "no data" answer (Comtrade HTTP 200 ``count: 0``, IMF a
  data set without series, WITS HTTP 404 "Not Found - NoRecordsFound"), counted as served.

Like the real APIs: a Comtrade call without ``partnerCode`` answers every partner (here a fixed
list, including the World and "Areas, nes"), as does WITS ``partner/all``; the Comtrade preview
refuses more than one period (HTTP 400); the IMF time filter is read the way a server decodes a
query string, so a literal '+' becomes a space and only the lower bound applies.

``hold_after`` holds every request after that many answers (never answers; used to kill a
client mid-pull).
"""

from __future__ import annotations

import copy
import json
import socket
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote

FIXTURES = Path(__file__).parent / "fixtures"
M49 = {"112": "BLR", "398": "KAZ", "643": "RUS", "804": "UKR", "0": "WLD",
       "156": "CHN", "276": "DEU", "842": "USA", "899": "CT899"}
ISO_TO_M49 = {v: k for k, v in M49.items()}
# every partner of an all-partner answer (Comtrade ids; WITS codes)
COMTRADE_ALL = ["0", "112", "398", "643", "804", "156", "276", "842", "899"]
WITS_ALL = ["WLD", "BLR", "KAZ", "RUS", "UKR", "CHN", "DEU", "USA"]
IMF = {"BLR": "BLR", "KAZ": "KAZ", "RUS": "RUS", "UKR": "UKR", "G001": "WLD"}
COMTRADE_FLOW = {"X": "export", "M": "import"}
IMF_FLOW = {"XG_FOB_USD": "export", "MG_CIF_USD": "import"}
WITS_FLOW = {"XPRT-TRD-VL": "export", "MPRT-TRD-VL": "import"}


def value_for(source: str, reporter: str, partner: str, flow: str, period: str) -> float:
    """A deterministic TEST FIXTURE value in US dollars (a whole number of thousands)."""
    return float(1000 * (1 + zlib.crc32(f"{source}|{reporter}|{partner}|{flow}|{period}".encode()) % 999_999))


def _query(raw: str) -> dict[str, str]:
    out = {}
    for part in raw.split("&"):
        if "=" in part:
            k, v = part.split("=", 1)
            out[unquote(k)] = unquote(v)  # not unquote_plus: '+' separates IMF time operators
    return out


def comtrade_body(q: dict[str, str], freq: str) -> bytes:
    template = json.loads((FIXTURES / "comtrade/success.json").read_text())
    row0 = template["data"][1]
    rows = []
    partners = q["partnerCode"].split(",") if "partnerCode" in q else COMTRADE_ALL
    for r in q["reporterCode"].split(","):
        for p in partners:
            if r == p:
                continue
            for f in q["flowCode"].split(","):
                for per in q["period"].split(","):
                    row = copy.deepcopy(row0)
                    label = per if freq == "A" else f"{per[:4]}-{per[4:]}"
                    v = value_for("comtrade", M49[r], M49[p], COMTRADE_FLOW[f], label)
                    row.update(freqCode=freq, reporterCode=int(r), reporterISO=M49[r], partnerCode=int(p),
                               partnerISO=M49[p], flowCode=f, period=per, refYear=int(per[:4]),
                               refMonth=52 if freq == "A" else int(per[4:]),
                               refPeriodId=int(per + ("0101" if freq == "A" else "01")), primaryValue=v,
                               fobvalue=v if f == "X" else None, cifvalue=v if f == "M" else None)
                    rows.append(row)
    return json.dumps({"elapsedTime": "0.01 secs", "count": len(rows), "data": rows, "error": ""}).encode()


def _months(start: str, end: str) -> list[str]:
    """'YYYY-MM' from ``start`` to ``end`` (SDMX codes '2016-M01' are accepted too)."""
    start, end = start.replace("-M", "-"), end.replace("-M", "-")
    y, m = int(start[:4]), int(start[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def imf_body(path: str, q: dict[str, str]) -> bytes:
    doc = json.loads((FIXTURES / "imf/success.json").read_text())
    key = path.rsplit("/", 1)[1]
    countries, indicators, partners, freq = (part.split("+") for part in key.split("."))
    bounds = q["c[TIME_PERIOD]"]  # decoded as a server does: a literal '+' is a space by now
    if "+" in bounds:
        ge, le = bounds.split("+")
        times = _months(ge[3:], le[3:])
    else:  # seen on the real service: only the lower bound applies
        ge = bounds.split(" ")[0]
        times = _months(ge[3:], f"{int(ge[3:7]) + 1}-12")
    dims = doc["data"]["structures"][0]["dimensions"]
    for dim, values in zip(dims["series"], (countries, indicators, partners, freq)):
        dim["values"] = [{"id": v} for v in values]
    dims["observation"][0]["values"] = [{"value": t.replace("-", "-M")} for t in times]
    series = {}
    for i, c in enumerate(countries):
        for j, ind in enumerate(indicators):
            for k, p in enumerate(partners):
                if c == p:
                    continue
                obs = {str(t): [str(value_for("imf", IMF[c], IMF[p], IMF_FLOW[ind], per)), 0]
                       for t, per in enumerate(times)}
                series[f"{i}:{j}:{k}:0"] = {"attributes": [0, 0], "observations": obs}
    doc["data"]["dataSets"][0]["series"] = series
    return json.dumps(doc).encode()


def wits_body(path: str) -> bytes:
    doc = json.loads((FIXTURES / "wits/success.json").read_text())
    parts = path.split("/")
    seg = {parts[i]: parts[i + 1] for i in range(len(parts) - 1)}
    reporters = [r.upper() for r in seg["reporter"].split(";")]
    partners = WITS_ALL if seg["partner"].lower() == "all" else [p.upper() for p in seg["partner"].split(";")]
    years = seg["year"].split(";")
    indicators = seg["indicator"].split(";")
    dims = doc["structure"]["dimensions"]
    dims["series"][1]["values"] = [{"id": r, "name": r} for r in reporters]
    dims["series"][2]["values"] = [{"id": p, "name": p} for p in partners]
    dims["series"][4]["values"] = [{"id": i, "name": i} for i in indicators]
    dims["observation"][0]["values"] = [{"id": y, "name": y} for y in years]
    series = {}
    for i, r in enumerate(reporters):
        for j, p in enumerate(partners):
            if r == p:
                continue
            for k, ind in enumerate(indicators):
                obs = {str(t): [value_for("wits", r, p, WITS_FLOW[ind], y) / 1000, 0] for t, y in enumerate(years)}
                series[f"0:{i}:{j}:0:{k}"] = {"attributes": [], "annotations": [], "observations": obs}
    doc["dataSets"][0]["series"] = series
    return json.dumps(doc).encode()


class FakeAPIs:
    """Serves all three APIs; records every request line and headers."""

    def __init__(self, key: str | None = None):
        self.key = key
        self.requests: list[tuple[str, dict]] = []
        self.served: list[str] = []          # URLs answered with 200
        self.faults: list[list] = []         # [fragment, kind, remaining]
        self.hold_after: int | None = None   # answer this many 200s, then hold every request
        self.slow_seconds = 30.0             # how long a ``slow`` fault waits (cut short on exit)
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def fault(self, fragment: str, kind: str, times: int = 1) -> None:
        self.faults.append([fragment, kind, times])

    def __enter__(self) -> "FakeAPIs":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def _take_fault(self, url: str) -> str | None:
        for f in self.faults:
            if f[0] in url and f[2] > 0:
                f[2] -= 1
                return f[1]
        return None

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        url = h.path
        with self._lock:
            self.requests.append((url, dict(h.headers)))
            fault = self._take_fault(url)
            hold = self.hold_after is not None and len(self.served) >= self.hold_after
        if hold:
            self.holding.set()
            self.release.wait(30)
            h.close_connection = True
            return
        if fault == "drop":
            h.close_connection = True  # no status line at all: the client sees a dropped connection
            return
        if fault == "reset":  # abort: close with SO_LINGER 0 so the client gets a TCP RST
            h.close_connection = True
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
            return
        late = fault == "slow"
        if late:
            self.release.wait(self.slow_seconds)
            fault = None  # then answer normally, to a client that has long given up
        if fault in ("503", "500"):
            return self._send(h, int(fault), b"<html><body>Service Unavailable</body></html>", "text/html")
        if fault == "429":
            return self._send(h, 429, b"Rate limit is exceeded. Try again in 1 seconds.", "text/plain",
                              {"Retry-After": "1"})
        if fault == "429-bare":
            return self._send(h, 429, b"Too Many Requests", "text/plain")
        if fault == "html200":
            return self._send(h, 200, b"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>"
                                      b"The service is temporarily unavailable</h1></body></html>", "text/html")
        path, _, raw = url.partition("?")
        if fault and fault.startswith("fixture:"):
            source = "comtrade" if "/v1/" in path else "imf" if "/IMF.STA/" in path else "wits"
            body = (FIXTURES / source / fault.split(":", 1)[1]).read_bytes()
            return self._send(h, 200, body, "application/json; charset=utf-8")
        q = _query(raw)
        status, ctype = 200, "application/json; charset=utf-8"
        if path.startswith(("/public/v1/preview/", "/data/v1/get/")):
            if path.startswith("/data/") and h.headers.get("Ocp-Apim-Subscription-Key") != self.key:
                body = json.dumps({"statusCode": 401, "message": "Access denied due to invalid subscription "
                                   f"key {h.headers.get('Ocp-Apim-Subscription-Key')}."}).encode()
                return self._send(h, 401, body, "application/json")
            if path.startswith("/public/") and "," in q.get("period", ""):
                return self._send(h, 400, (FIXTURES / "comtrade/error_400.json").read_bytes(), "application/json")
            if fault == "nodata":
                body = (FIXTURES / "comtrade/empty.json").read_bytes()
            else:
                body = comtrade_body(q, path.split("/")[-2])
        elif "/IMF.STA/IMTS/" in path:
            q = dict(parse_qsl(raw))  # server-side decoding: '+' -> ' ', '%2B' -> '+'
            body = (FIXTURES / "imf/empty.json").read_bytes() if fault == "nodata" else imf_body(path, q)
        elif "/tradestats-trade/" in path:
            if fault == "nodata":
                body, status, ctype = (FIXTURES / "wits/no_records_404.txt").read_bytes(), 404, "text/plain"
            else:
                body = wits_body(path)
        else:
            return self._send(h, 404, b"not found", "text/plain")
        if fault == "truncate":
            h.close_connection = True
            return self._send(h, 200, body, "application/json; charset=utf-8", cut=len(body) // 2)
        if not late:
            with self._lock:
                self.served.append(url)
        self._send(h, status, body, ctype)

    @staticmethod
    def _send(h, status, body, ctype, headers=None, cut: int | None = None) -> None:
        """Answer; ``cut`` sends only that many bytes of the announced body."""
        try:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(body if cut is None else body[:cut])
        except OSError:  # the client gave up (timed out) before the answer came
            h.close_connection = True
