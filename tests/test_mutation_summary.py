"""The mutation summary's stratified estimate (``make mutate SAMPLE=n``) against hand-worked answers."""

from __future__ import annotations

import pytest

from mutation_summary import estimate


def test_modules_run_in_full_give_the_exact_share_with_no_interval():
    est, low, high = estimate({"a": {"total": 100, "killed": 90, "tested": 100},
                               "b": {"total": 300, "killed": 240, "tested": 300}})
    assert est == pytest.approx(330 / 400) and low == high == pytest.approx(330 / 400)


def test_samples_are_weighted_by_module_size_not_by_sample_size():
    # a: 20 of 1000 sampled, all killed; b: 20 of 20 run, 10 killed -> (1000*1 + 20*0.5) / 1020
    est, low, high = estimate({"a": {"total": 1000, "killed": 20, "tested": 20},
                               "b": {"total": 20, "killed": 10, "tested": 20}})
    assert est == pytest.approx(1010 / 1020)
    # all 20 killed still leaves doubt: p~ = 22/24, var = p~(1-p~)/24 * (1 - 20/1000), weight ~0.98
    half = 1.96 * ((1000 / 1020) ** 2 * (22 / 24) * (2 / 24) / 24 * (1 - 20 / 1000)) ** 0.5
    assert high == pytest.approx(1.0) and low == pytest.approx(est - half)


def test_a_module_with_nothing_run_gives_no_estimate():
    assert estimate({"a": {"total": 10, "killed": 0, "tested": 0}, "b": {"total": 5, "killed": 5, "tested": 5}}) is None
