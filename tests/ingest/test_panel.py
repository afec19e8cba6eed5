"""The panel: built from the bundled CSV without hand transcription, and strict about bad rows."""

from __future__ import annotations

import pandas as pd
import pytest

from turnover.ingest import official, panel
from turnover.errors import DataValidationError


def test_every_csv_row_is_in_the_panel_with_its_value_and_source(official_csv, bundled_panel):
    by_id = bundled_panel.set_index("source_id")
    assert set(by_id.index) == set(official_csv["row_id"])
    for r in official_csv.itertuples(index=False):
        p = by_id.loc[r.row_id]
        assert p["source_url"] == r.source_url
        if pd.isna(p["attributed_by"]):
            assert p["reporter"] == official.REPORTERS[r.reporter]
        else:  # a figure of unstated origin matched one named reporter's figure (turnover.ingest.attribution)
            assert r.reporter == "unknown" and p["reporter"] in ("BLR", "KAZ")
        assert (p["country"], p["partner"], p["flow"]) == official.MEASURES[r.measure]
        assert p["period_start"] == pd.Timestamp(r.period_start + "-01")
        assert p["period_end"].strftime("%Y-%m") == r.period_end
        if r.value_musd:
            assert p["value_usd"] == pytest.approx(float(r.value_musd) * 1e6)
        else:
            assert pd.isna(p["value_usd"])
        if r.yoy_pct:
            assert p["yoy_pct"] == pytest.approx(float(r.yoy_pct))
        assert p["published_on"] == pd.Timestamp(r.published_on)


def test_every_number_has_a_source_url(bundled_panel):
    numbers = bundled_panel[bundled_panel["value_usd"].notna() | bundled_panel["yoy_pct"].notna()]
    assert len(numbers) == len(bundled_panel)
    assert numbers["source_url"].str.match(r"^https?://\S+$").all()


def test_reporters_are_kept_apart_not_merged(official_csv, bundled_panel):
    # one panel row per CSV row, even where two releases repeat the same figure
    assert len(bundled_panel) == len(official_csv)
    assert set(bundled_panel["reporter"]) <= {"BLR", "KAZ", "unknown"}


def test_year_to_date_figures_stay_year_to_date(bundled_panel):
    jan_aug_2013 = bundled_panel[(bundled_panel["period_start"] == "2013-01-01")
                                 & (bundled_panel["period_end"] == "2013-08-31")]
    assert list(jan_aug_2013["frequency"]) == ["year-to-date"]
    assert jan_aug_2013["value_usd"].iloc[0] == pytest.approx(600e6)  # not annualised


@pytest.mark.parametrize("start,end,expected", [
    ("2016-01-01", "2016-12-31", "annual"),
    ("2016-01-01", "2016-06-30", "half-year"),
    ("2019-04-01", "2019-06-30", "quarter"),
    ("2016-03-01", "2016-03-31", "month"),
    ("2017-01-01", "2017-09-30", "year-to-date"),
    ("2016-02-01", "2016-07-31", "other"),
])
def test_frequency_of(start, end, expected):
    assert panel.frequency_of(pd.Timestamp(start), pd.Timestamp(end)) == expected


def _one_good_row(bundled_panel) -> pd.DataFrame:
    return bundled_panel[bundled_panel["value_usd"].notna()].head(1).copy()


@pytest.mark.parametrize("mutate,fragment", [
    (lambda d: d.assign(value_usd=-5.0), "value_usd"),
    (lambda d: d.assign(reporter="XX"), "reporter"),
    (lambda d: d.assign(period_end=d["period_start"] - pd.Timedelta(days=1)), "period_end before period_start"),
    (lambda d: d.assign(source_url=""), "source_url"),
    (lambda d: d.assign(flow="transit"), "flow"),
])
def test_schema_rejects_bad_rows_with_a_clear_message(bundled_panel, mutate, fragment):
    bad = mutate(_one_good_row(bundled_panel))
    with pytest.raises(DataValidationError) as exc:
        panel.build_panel([bundled_panel, bad.assign(row_id="bad-row")])
    msg = str(exc.value)
    assert fragment in msg
    assert "\n" not in msg


def test_schema_rejects_duplicate_row_ids(bundled_panel):
    with pytest.raises(DataValidationError, match="row_id"):
        panel.build_panel([bundled_panel, _one_good_row(bundled_panel)])


def test_unknown_measure_in_the_csv_is_named(official_csv):
    broken = official_csv.head(2).copy()
    broken.loc[broken.index[1], "measure"] = "transit_via_russia"
    with pytest.raises(DataValidationError, match="transit_via_russia"):  # bundled data: exit 3
        official.to_panel_rows(broken, "2026-01-01")


def test_dossier_values_transcribed_faithfully(official_csv):
    """The bundled rows taken from the shared dossier carry its values and URLs unchanged."""
    from turnover.paths import shared_dir

    shared = shared_dir()
    if shared is None or not (shared / "data/dossier/official_figures.csv").exists():
        pytest.skip("../shared/data/dossier not present beside the checkout")
    dossier = pd.read_csv(shared / "data/dossier/official_figures.csv", dtype=str, keep_default_na=False)
    ours = official_csv[official_csv["row_id"].str.startswith("dossier-")].reset_index(drop=True)
    assert len(ours) == len(dossier)
    for col in ["period_start", "period_end", "measure", "value_musd", "yoy_pct", "reporter", "source_url"]:
        assert list(ours[col]) == list(dossier[col]), col
