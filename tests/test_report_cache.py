"""The report cache key: any input change means a rebuild; a clean match means reuse."""

from __future__ import annotations

from turnover.report import cache


def test_key_changes_with_any_file_or_extra(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("1")
    b.write_text("2")
    k = cache.key([a, b], ["2026-11-25"])
    assert k == cache.key([a, b], ["2026-11-25"])
    assert k != cache.key([a, b], ["2026-11-26"])
    b.write_text("3")
    assert k != cache.key([a, b], ["2026-11-25"])
    assert cache.key([a, tmp_path / "missing"], []) != cache.key([a], [])


def test_previous_needs_the_same_key_and_every_notebook(tmp_path):
    k = "ab" * 32
    report = tmp_path / "r.html"
    report.write_text(f"<html><head>{cache.meta_tag(k)}</head></html>")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    (nbs / "00_a.ipynb").write_text("{}")
    assert cache.previous(report, nbs, ["00_a"], k) == (report.read_text(), {"00_a.ipynb": "{}"})
    assert cache.previous(report, nbs, ["00_a"], "cd" * 32) is None
    assert cache.previous(report, nbs, ["00_a", "01_b"], k) is None
    report.write_text("<html><head></head></html>")  # a report with warnings carries no key
    assert cache.previous(report, nbs, ["00_a"], k) is None
