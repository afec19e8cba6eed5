"""kill -9 (or SIGTERM) of a refresh at random points: afterwards the outputs are one complete version, never a mix."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from turnover.publish import atomic
from turnover import refresh

pytestmark = pytest.mark.slow


def _start(out):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "turnover.refresh", "--offline", "--force", "--quiet", "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def _assert_one_complete_version(out):
    run = json.loads((out / refresh.RUN).read_text())
    outputs = run["outputs"]
    assert {refresh.PANEL, refresh.VERDICTS, refresh.REPORT} <= set(outputs)
    for rel, digest in outputs.items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest, f"{rel} is from another run"
    assert not list(out.glob(f"{atomic.STAGING_PREFIX}*"))
    assert not (out / atomic.JOURNAL).exists()
    return run["finished_at"]


def test_kill_9_at_random_points_never_leaves_a_mix(tmp_path):
    out = tmp_path / "out"
    t0 = time.monotonic()
    first = _start(out)
    assert first.wait(timeout=600) == 0, first.stderr.read().decode()
    duration = time.monotonic() - t0
    versions = {_assert_one_complete_version(out)}

    rng = random.Random(20160531)
    killed = 0
    for i in range(4):
        sig = signal.SIGKILL if i % 2 == 0 else signal.SIGTERM  # SIGTERM: no handler, ends it as abruptly
        proc = _start(out)
        time.sleep(rng.uniform(0.05, duration))
        proc.send_signal(sig)
        killed += proc.wait(timeout=60) == -sig
        atomic.recover(out)  # what the next refresh does first
        versions.add(_assert_one_complete_version(out))

    last = _start(out)
    assert last.wait(timeout=600) == 0, last.stderr.read().decode()
    _assert_one_complete_version(out)
    assert killed >= 2, "the kills should land while refresh is still running"
