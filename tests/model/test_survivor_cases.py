"""Cases written against the survivors of the fresh mutation sample (make mutate SAMPLE=20 SEED=2):
each answer is written out here, not taken from the code under test."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from turnover.errors import DataValidationError
from turnover.report import inprocess
from turnover.text import labels as names


@pytest.mark.parametrize("code, long, short", [
    (None, "figures of unstated origin", "reporter not stated"),
    ("", "figures of unstated origin", "reporter not stated"),
    ("unknown", "figures of unstated origin", "reporter not stated"),
    ("all", "all reporters", "all reporters"),
    ("pooled", "all reporters pooled", "all reporters"),
    ("BLR", "Belarus's figures", "Belarus"),
])
def test_whose_figures_each_reporter_code_names(code, long, short):
    assert names.reporter(code) == long
    assert names.reporter_short(code) == short


def test_asking_for_a_claim_that_is_not_in_the_file_names_it(claims):
    with pytest.raises(KeyError) as exc:
        claims.claim("no-such-claim")
    assert exc.value.args == ("no-such-claim",)
    assert claims.claim(claims.claims[0].id) is claims.claims[0]


def test_a_context_facts_file_missing_columns_names_each_of_them(tmp_path):
    from turnover.ingest import facts

    path = tmp_path / "facts.csv"
    path.write_text("fact_id,topic,date,country,subject,value,unit,statement\nf1,t,2015-08-20,KAZ,s,1,%,x\n",
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        facts.load(path)
    assert str(exc.value) == f"{path}: missing column(s) source_url, source_date"


def test_cell_timings_are_utc_iso_timestamps_within_the_run(tmp_path):
    p = tmp_path / "01_t.py"
    p.write_text("# %%\n1 + 1\n", encoding="utf-8")
    before = dt.datetime.now(dt.timezone.utc)
    done = inprocess.execute_all([p], {})
    after = dt.datetime.now(dt.timezone.utc)
    timing = done[0].notebook.cells[0].metadata["execution"]
    assert set(timing) == {"iopub.status.busy", "iopub.execute_input", "shell.execute_reply", "iopub.status.idle"}
    for stamp in timing.values():
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", stamp), stamp
        when = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
        assert before <= when <= after
