"""The rating scale's small pieces, each against answers written out here (killing the mutants
``make mutate MODULE=src/turnover/model/rating.py`` left alive on 2026-11-30)."""

from __future__ import annotations

import pytest

from turnover.model import rating


def test_yaml_booleans_name_the_true_and_false_ratings():
    assert rating.check(True) == "true" and rating.check(False) == "false"
    assert rating.check("half_true") == "half_true"


def test_unknown_names_are_refused_with_the_known_ones_listed():
    with pytest.raises(ValueError, match=r"unknown rating 'maybe' \(known: true, mostly_true, half_true, "
                                         r"mostly_false, false, cannot_be_checked, not_yet_testable\)"):
        rating.check("maybe")
    with pytest.raises(ValueError, match=r"unknown combine rule 'median' \(known: mean, min\)"):
        rating.combine_ratings(["true"], how="median")


@pytest.mark.parametrize("start,by,expected", [
    ("true", -1, "mostly_true"), ("mostly_true", 1, "true"), ("half_true", -2, "false"),
    ("false", -1, "false"), ("true", 2, "true"),          # clipped at both ends of the scale
    ("cannot_be_checked", -1, "cannot_be_checked"),        # unrated results are not moved
])
def test_a_step_moves_along_the_scale_and_stops_at_its_ends(start, by, expected):
    assert rating.step(start, by) == expected


@pytest.mark.parametrize("x,expected", [
    (4.2, 4), (4.8, 5), (1.6, 2), (2.4, 2),     # nearest value
    (4.5, 4), (3.5, 3), (2.5, 3), (1.5, 2),     # a half goes towards 3, Half true
    (3.0, 3), (0.6, 1),
])
def test_rounding_is_to_the_nearest_value_with_halves_towards_half_true(x, expected):
    assert rating.round_to_half_true(x) == expected


def test_combining_by_mean_and_min():
    assert rating.combine_ratings(["true", "false"]) == "half_true"              # (5 + 1) / 2 = 3
    assert rating.combine_ratings(["true", "mostly_true"]) == "mostly_true"     # 4.5 -> towards 3
    assert rating.combine_ratings(["true", "mostly_true"], how="min") == "mostly_true"
    assert rating.combine_ratings(["true", "cannot_be_checked"]) == "true"       # unrated results do not count
    assert rating.combine_ratings(["not_yet_testable", "not_yet_testable"]) == "not_yet_testable"
    assert rating.combine_ratings(["not_yet_testable", "cannot_be_checked"]) == "cannot_be_checked"
    assert rating.combine_ratings([]) == "cannot_be_checked"


def test_the_weakest_strength_wins_and_unknown_words_are_ignored():
    assert rating.weakest(["strong", "weak", "moderate"]) == "weak"
    assert rating.weakest(["strong", "moderate"]) == "moderate"
    assert rating.weakest(["strong", "shaky"]) == "strong"
    assert rating.weakest([]) == "none" and rating.weakest(["shaky"]) == "none"
