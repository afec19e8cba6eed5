"""Attacks on the HTTP layer from hostile servers on 127.0.0.1 (issue 13, items 1, 3, 4 and 8).

- a redirect never carries the Comtrade key to another host (the keyed call is refused);
- a gzip bomb and an oversized body are cut off at the byte limits, in bounded memory;
- a body trickling a byte at a time ends at the per-request deadline, not never;
- a partial or refused body is never kept; failed bodies are not kept for ever;
- the exit code and the message name every source that failed (exit 5 hides nothing).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import threading
import time
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from turnover.ingest.live.fake import FakeAPIs
from turnover import refresh
from turnover.errors import OfflineError, SourceError
from turnover.ingest.live import comtrade
from turnover.ingest.live.config import Config
from turnover.ingest.live.fetch import Fetcher
from turnover.ingest.live.pull import failures, fetch_one, pull
from turnover.ingest.live.snapshots import SnapshotStore

KEY = "k3y-5ECRET-0123456789abcdef"


class Hostile:
    """A local server whose answer is a function of (handler, path); records every request."""

    def __init__(self, answer, host: str = "127.0.0.1"):
        self.answer, self.host = answer, host
        self.requests: list[tuple[str, dict]] = []
        self.stop = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                outer.requests.append((self.path, dict(self.headers)))
                try:
                    outer.answer(self, self.path)
                except OSError:  # the client gave up
                    pass
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.server.server_address[1]}"

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


def _send(h, status: int, body: bytes, headers: dict | None = None) -> None:
    h.send_response(status)
    # the handler closes every connection: say so, or a client may reuse it, meet the close and retry
    # (a third request in the redirect test when the machine is loaded)
    base = {"Content-Type": "application/json", "Content-Length": str(len(body)), "Connection": "close"}
    for k, v in {**base, **(headers or {})}.items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)


def _cfg(tmp_path, url: str, **kw) -> Config:
    args = dict(raw_dir=tmp_path / "raw", today=dt.date(2026, 11, 25), start_year=2025, comtrade_url=url,
                imf_url=url, wits_url=url, pace={}, attempts=2, backoff=0.001, backoff_max=0.01, timeout=5.0)
    return Config(**{**args, **kw})


def _files(root) -> dict[str, bytes]:
    """Every file under ``root`` (the refresh lock file aside: it is created empty and left)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".turnover.lock"}


def _first_request(cfg: Config, source=comtrade):
    return source.plan(cfg)[0]


# --- 1. the key never goes to another host ---------------------------------------------------

def test_a_keyed_call_redirected_to_another_host_is_refused_and_the_key_stays_home(tmp_path, monkeypatch, capsys):
    other = Hostile(lambda h, p: _send(h, 200, b'{"data": []}'), host="localhost")  # another host:port
    home = Hostile(lambda h, p: _send(h, 302, b"", {"Location": other.url + "/steal" + p}))
    try:
        out, raw = tmp_path / "out", tmp_path / "raw"
        (out / "reports").mkdir(parents=True)
        (out / "reports/verdicts.json").write_text('{"previous": true}')
        before = _files(out)
        for k, v in {"TURNOVER_RAW_DIR": str(raw), "TURNOVER_COMTRADE_URL": home.url,
                     "TURNOVER_IMF_URL": home.url, "TURNOVER_WITS_URL": home.url, "TURNOVER_PACE": "0",
                     "TURNOVER_START_YEAR": "2025", "TURNOVER_HTTP_ATTEMPTS": "1",
                     "COMTRADE_API_KEY": KEY}.items():
            monkeypatch.setenv(k, v)
        code = refresh.main(["--online", "--quiet", "--out", str(out)])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 4
        assert len(err) == 1 and err[0].startswith("turnover: error: ")
        assert "comtrade: GET " in err[0] and "redirected to another host (localhost:" in err[0]
        assert "is not followed there" in err[0] and KEY not in err[0]
        # the keyed calls reached the home host only; what went elsewhere carried no key
        assert home.requests and all(h.get("Ocp-Apim-Subscription-Key") == KEY
                                     for p, h in home.requests if p.startswith("/data/v1/"))
        assert not any(p.startswith("/steal/data/v1/") for p, _ in other.requests)
        assert all(KEY not in p and KEY not in str(h) for p, h in other.requests)
        assert _files(out) == before and not any(p.suffix != ".jsonl" and "comtrade" in str(p)
                                                 for p in raw.rglob("*") if p.is_file())
    finally:
        home.close()
        other.close()


def test_a_same_host_redirect_keeps_the_key_and_a_keyless_call_may_leave(tmp_path):
    other = Hostile(lambda h, p: _send(h, 200, b'{"ok": 1}'), host="localhost")
    home = Hostile(lambda h, p: _send(h, 301, b"", {"Location": "/moved" + p}) if not p.startswith("/moved")
                   else _send(h, 302, b"", {"Location": other.url + p}) if "IMF" in p
                   else _send(h, 200, b'{"ok": 1}'))
    try:
        cfg = _cfg(tmp_path, home.url, comtrade_key=KEY)
        fetcher = Fetcher(cfg, sleep=lambda s: None)
        req = _first_request(cfg)
        assert fetcher.get(req, comtrade.headers(cfg, req.endpoint)).body == b'{"ok": 1}'
        assert [h.get("Ocp-Apim-Subscription-Key") for _, h in home.requests] == [KEY, KEY]
        from turnover.ingest.live import imf
        assert fetcher.get(_first_request(cfg, imf), {}).body == b'{"ok": 1}'  # no key: followed
        assert len(other.requests) == 1 and "Ocp-Apim-Subscription-Key" not in other.requests[0][1]
    finally:
        home.close()
        other.close()


# --- 3. byte limits: gzip bomb, oversized bodies ---------------------------------------------

def _bomb(inflated: int) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz:
        block = bytes(1 << 20)
        for _ in range(inflated >> 20):
            gz.write(block)
    return buf.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _bomb(256 << 20)  # 256 MB of zeros in about a quarter of a megabyte


def test_a_gzip_bomb_is_cut_at_the_limit_in_bounded_memory_and_never_kept(tmp_path, bomb):
    assert len(bomb) < 1_000_000
    server = Hostile(lambda h, p: _send(h, 200, bomb, {"Content-Encoding": "gzip"}))
    try:
        cfg = _cfg(tmp_path, server.url, max_bytes=5_000_000)
        store = SnapshotStore(cfg.raw_dir)
        tracemalloc.start()
        t0 = time.monotonic()
        with pytest.raises(SourceError) as err:
            fetch_one(comtrade, _first_request(cfg), cfg, Fetcher(cfg, sleep=lambda s: None), store)
        elapsed = time.monotonic() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        msg = str(err.value)
        assert msg.startswith("comtrade: GET ") and "inflates to more than the limit of 5,000,000 bytes" in msg
        assert "\n" not in msg
        assert peak < 60_000_000, f"peak {peak:,} bytes"  # generous; unbounded was gigabytes
        assert elapsed < 30
        assert len(server.requests) == 1  # a refused body is not retried
        assert _files(tmp_path / "raw") == {} if (tmp_path / "raw").exists() else True
    finally:
        server.close()


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "identity"])
def test_an_ordinary_compressed_body_within_the_limits_is_decoded(tmp_path, encoding):
    body = b'{"data": [' + b",".join(b'{"v": %d}' % i for i in range(5000)) + b"]}"
    wire = {"gzip": gzip.compress, "deflate": zlib.compress, "identity": bytes}[encoding](body)
    server = Hostile(lambda h, p: _send(h, 200, wire, {"Content-Encoding": encoding}))
    try:
        cfg = _cfg(tmp_path, server.url, max_bytes=len(body))
        assert Fetcher(cfg, sleep=lambda s: None).get(_first_request(cfg)).body == body
    finally:
        server.close()


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_over_the_wire_limit_is_refused(tmp_path, declared):
    big = b"[" + b"1," * 1_000_000 + b"1]"

    def answer(h, p):
        if declared:
            return _send(h, 200, big)
        h.send_response(200)  # no length: read until the server closes, counted as it comes
        h.send_header("Content-Type", "application/json")
        h.end_headers()
        h.wfile.write(big)

    server = Hostile(answer)
    try:
        cfg = _cfg(tmp_path, server.url, max_wire_bytes=100_000)
        with pytest.raises(SourceError, match=r"^comtrade: GET .*(response of [0-9,]+ bytes exceeds|response "
                                              r"exceeds) the limit of 100,000"):
            Fetcher(cfg, sleep=lambda s: None).get(_first_request(cfg))
    finally:
        server.close()


# --- 4. a total deadline per request -----------------------------------------------------------

@pytest.mark.parametrize("chunked", [False, True, "headers"])
def test_a_body_trickling_a_byte_at_a_time_ends_at_the_deadline(tmp_path, chunked):
    def answer(h, p):
        if chunked == "headers":  # even the header block trickles in
            h.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not server.stop.is_set():
                h.wfile.write(b"a")
                h.wfile.flush()
                time.sleep(0.05)
            return
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Transfer-Encoding" if chunked else "Content-Length", "chunked" if chunked else "100000")
        h.end_headers()
        while not server.stop.is_set():  # one byte every 50 ms: no socket read ever times out
            h.wfile.write(b"1\r\n \r\n" if chunked else b" ")
            h.wfile.flush()
            time.sleep(0.05)

    server = Hostile(answer)
    try:
        cfg = _cfg(tmp_path, server.url, timeout=5.0, deadline=1.5, attempts=3)
        store = SnapshotStore(cfg.raw_dir)
        t0 = time.monotonic()
        with pytest.raises(SourceError) as err:
            fetch_one(comtrade, _first_request(cfg), cfg, Fetcher(cfg, sleep=lambda s: None), store)
        elapsed = time.monotonic() - t0
        assert "no complete answer within 1.5 s (HTTP deadline)" in str(err.value)
        assert 1.4 < elapsed < 10, elapsed  # unbounded before: 200 s and more
        assert len(server.requests) == 1
        assert store.entries == []  # the partial body is discarded
    finally:
        server.close()


def test_the_deadline_and_limits_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TURNOVER_HTTP_DEADLINE", "12.5")
    monkeypatch.setenv("TURNOVER_HTTP_MAX_BYTES", "1000")
    monkeypatch.setenv("TURNOVER_HTTP_MAX_WIRE_BYTES", "500")
    cfg = Config.from_env(raw=tmp_path)
    assert (cfg.deadline, cfg.max_bytes, cfg.max_wire_bytes) == (12.5, 1000, 500)


# --- failed bodies are not kept for ever -------------------------------------------------------

def test_only_the_newest_failed_body_of_a_request_is_kept(tmp_path):
    server = Hostile(lambda h, p: _send(h, 400, b'{"error": "bad request"}'))
    try:
        cfg = _cfg(tmp_path, server.url)
        store, req = SnapshotStore(cfg.raw_dir), _first_request(cfg)
        fetcher = Fetcher(cfg, sleep=lambda s: None)
        for _ in range(4):
            with pytest.raises(SourceError, match="HTTP 400"):
                fetch_one(comtrade, req, cfg, fetcher, store)
        bodies = [p for p in (tmp_path / "raw").rglob("*") if p.is_file() and p.name != "manifest.jsonl"]
        lines = SnapshotStore(cfg.raw_dir).entries
        assert len(lines) == 4 and [bool(e.get("pruned")) for e in lines] == [True, True, True, False]
        assert [p.relative_to(tmp_path / "raw").as_posix() for p in bodies] == [lines[-1]["path"]]
    finally:
        server.close()


# --- 8. every failed source is named ------------------------------------------------------------

def _dead_url() -> str:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


def test_an_unreachable_source_does_not_hide_another_sources_failure(tmp_path, monkeypatch, capsys):
    bad = Hostile(lambda h, p: _send(h, 400, b'{"error": "no such reporter"}'))
    with FakeAPIs() as good:
        try:
            out, raw = tmp_path / "out", tmp_path / "raw"
            for k, v in {"TURNOVER_RAW_DIR": str(raw), "TURNOVER_COMTRADE_URL": bad.url,
                         "TURNOVER_IMF_URL": _dead_url(), "TURNOVER_WITS_URL": good.url, "TURNOVER_PACE": "0",
                         "TURNOVER_START_YEAR": "2025", "TURNOVER_HTTP_ATTEMPTS": "1"}.items():
                monkeypatch.setenv(k, v)
            monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
            code = refresh.main(["--online", "--quiet", "--out", str(out)])
            err = capsys.readouterr().err.strip().splitlines()
        finally:
            bad.close()
    assert code == 4  # not 5: a source answered badly, which no snapshot fallback excuses
    assert len(err) == 1
    assert err[0].startswith("turnover: error: 2 sources failed: comtrade: GET ")
    assert "HTTP 400 bad request" in err[0] and "; imf: GET " in err[0] and "network unreachable" in err[0]
    assert "wits" not in err[0].split("; imf:")[1]  # the source that worked is not blamed
    assert not (out / refresh.REPORT).exists()


def test_offline_only_when_every_failure_is_unreachable(tmp_path):
    dead = _dead_url()
    cfg = _cfg(tmp_path, dead, attempts=1)
    with pytest.raises(OfflineError, match=r"^3 sources failed: comtrade: .*; imf: .*; wits: .*") as err:
        pull(cfg, SnapshotStore(cfg.raw_dir), Fetcher(cfg, sleep=lambda s: None), progress=False)
    assert err.value.exit_code == 5
    assert failures([SourceError("a: x"), OfflineError("b: y")]).exit_code == 4


# --- issue 23 item 11: malformed URLs at once; redirects of unkeyed calls followed --------------------

@pytest.mark.parametrize("name, value", [("TURNOVER_COMTRADE_URL", "http://[::1"), ("TURNOVER_IMF_URL", "http://[::1"),
                                         ("TURNOVER_WITS_URL", "http://127.0.0.1:99999"),
                                         ("TURNOVER_IMF_URL", "http://:8080"), ("TURNOVER_IMF_URL", "http://a b")])
def test_a_malformed_source_url_is_exit_2_at_once_before_any_call(tmp_path, monkeypatch, capsys, name, value):
    server = Hostile(lambda h, p: _send(h, 200, b'{"data": []}'))
    try:
        for k in ("TURNOVER_COMTRADE_URL", "TURNOVER_IMF_URL", "TURNOVER_WITS_URL"):
            monkeypatch.setenv(k, server.url)
        monkeypatch.setenv(name, value)
        monkeypatch.setenv("TURNOVER_RAW_DIR", str(tmp_path / "raw"))
        t0 = time.monotonic()
        code = refresh.main(["--online", "--quiet", "--out", str(tmp_path / "out")])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1, err
        assert err[0].startswith(f"turnover: error: environment variable {name}={value!r} is not a valid URL (")
        assert time.monotonic() - t0 < 20 and server.requests == []
    finally:
        server.close()


def test_an_imf_call_redirected_to_another_host_is_followed_it_carries_no_key(tmp_path):
    """The IMF's calls send an Accept header and no key: a redirect elsewhere (a documented 3xx of an
    unkeyed call, within the 5-hop, http(s)-only policy) is followed, not refused "as a call carrying a key"."""
    from turnover.ingest.live import imf

    other = Hostile(lambda h, p: _send(h, 200, b'{"ok": 1}'), host="localhost")
    home = Hostile(lambda h, p: _send(h, 302, b"", {"Location": other.url + p}))
    try:
        cfg = _cfg(tmp_path, home.url, comtrade_key=KEY)  # a key is configured, but not for this call
        req = _first_request(cfg, imf)
        body = Fetcher(cfg, sleep=lambda s: None).get(req, imf.headers(cfg, req.endpoint)).body
        assert body == b'{"ok": 1}' and len(other.requests) == 1
        assert other.requests[0][1].get("Accept") == "application/json"
        assert all(KEY not in str(h) for _, h in other.requests)
    finally:
        home.close()
        other.close()


# --- issue 23 item 10: the key is redacted in every encoding a body may hold ---------------------------

def _echo_forms(key: str) -> dict[str, str]:
    from urllib.parse import quote

    return {
        "literal": key, "lower": key.lower(), "upper": key.upper(),
        "json-escaped": "".join(f"\\u{ord(c):04x}" for c in key),
        "json-escaped-upper-hex": "".join(f"\\u{ord(c):04X}" for c in key),
        "percent": quote(key, safe=""), "percent-all": "".join(f"%{ord(c):02x}" for c in key),
        "percent-twice": quote(quote(key, safe=""), safe=""),
        "html-entities": "".join(f"&#{ord(c)};" for c in key), "html-hex": "".join(f"&#x{ord(c):x};" for c in key),
        "mixed": "".join(f"\\u{ord(c):04x}" if i % 2 else c.lower() for i, c in enumerate(key)),
    }


def _decodings(text: str, key: str) -> list[str]:
    """Every way a reader could turn ``text`` back into the key; [] when none gives it."""
    import html
    import json
    from urllib.parse import unquote

    variants = {text, text.lower(), unquote(text), unquote(unquote(text)), html.unescape(text)}
    try:
        variants.add(json.loads(f'"{text}"'))
    except ValueError:
        pass
    try:
        variants.add(json.loads(text)["message"])
    except (ValueError, KeyError, TypeError):
        pass
    return [v for v in variants if key.lower() in v.lower()]


@pytest.mark.parametrize("form", sorted(_echo_forms(KEY)))
def test_a_key_echoed_in_any_encoding_is_redacted_in_the_snapshot_and_the_message(tmp_path, form):
    echoed = _echo_forms(KEY)[form]
    body = ('{"message": "Access denied due to invalid subscription key ' + echoed + '"}').encode()
    server = Hostile(lambda h, p: _send(h, 401, body))
    try:
        cfg = _cfg(tmp_path, server.url, comtrade_key=KEY)
        store = SnapshotStore(cfg.raw_dir)
        with pytest.raises(SourceError, match="HTTP 401") as err:
            fetch_one(comtrade, _first_request(cfg), cfg, Fetcher(cfg, sleep=lambda s: None), store)
        assert not _decodings(str(err.value), KEY), str(err.value)
        assert "***" in str(err.value)
        (entry,) = SnapshotStore(cfg.raw_dir).entries
        kept = (cfg.raw_dir / entry["path"]).read_bytes().decode()
        assert not _decodings(kept, KEY), kept
        assert "***" in kept and entry["redacted"]
        assert not _decodings(json.dumps(entry), KEY)
    finally:
        server.close()


def test_redaction_leaves_a_body_without_the_key_byte_identical():
    from turnover.ingest.live.fetch import redact, scrub

    body = 'données {"v": "k3y", "u": "\\u006b3y-"} %6B3 &#107;'.encode()
    assert redact(body, [KEY]) == (body, False)
    assert scrub("nothing here", [KEY]) == "nothing here" and scrub("x", []) == "x"
