"""Country codes in a claims file are checked against the country table (issue 22): a code the
table does not know stops the run with exit 2 and one line naming the nearest match."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from turnover import refresh
from turnover.claims import load_claims
from turnover.countries.codes import country_problem, nearest
from turnover.errors import ConfigError

PAIRS = Path(__file__).resolve().parents[1] / "fixtures" / "pairs"


@pytest.mark.parametrize("code, message", [
    ("KZ", "KZ: not an ISO3 code — did you mean KAZ?"),
    ("kaz", "kaz: not an ISO3 code — did you mean KAZ?"),
    ("Germany", "Germany: not an ISO3 code — did you mean DEU?"),
    ("KZA", "KZA: not an ISO3 country code in countries.csv — did you mean KAZ?"),
    ("XYZ", "XYZ: not an ISO3 country code in countries.csv"),
    ("WLD", "WLD: an aggregate (World), not a country"),
])
def test_an_unknown_code_names_the_nearest_match(code, message):
    assert country_problem(code) == message


@pytest.mark.parametrize("code", ["KAZ", "BLR", "DEU", "TWN", "XKX", "SUN"])
def test_countries_and_dots_reporters_pass(code):
    assert country_problem(code) is None and nearest(code) == code


def _copy(tmp_path: Path, edit) -> Path:
    d = tmp_path / "c"
    shutil.copytree(PAIRS / "chn-aus", d)
    doc = yaml.safe_load((d / "claims.yaml").read_text(encoding="utf-8"))
    edit(doc)
    (d / "claims.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return d / "claims.yaml"


@pytest.mark.parametrize("edit, line", [
    (lambda d: d.update(pair=["KZ", "RU"]), "claims.yaml: pair: KZ: not an ISO3 code — did you mean KAZ?"),
    (lambda d: d.update(pair=["KAZ", "XYZ"]), "claims.yaml: pair: XYZ: not an ISO3 country code in countries.csv"),
    (lambda d: d.update(pair=["AUS", "AUS"]), "claims.yaml: pair: AUS twice (a pair is two different countries)"),
    (lambda d: d["claims"][1]["rule"].update(partners=["CN"]),
     "claims.yaml: claim largest-partner, field rule.partners.0: CN: not an ISO3 code — did you mean CHN?"),
])
def test_a_bad_code_is_exit_2_in_one_line(tmp_path, capsys, edit, line):
    path = _copy(tmp_path, edit)
    with pytest.raises(ConfigError) as err:
        load_claims(path)
    assert str(err.value) == line
    assert refresh.main(["--claims", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [f"turnover: error: {line}"]
    assert refresh.main(["--plan", "--claims", str(path)]) == 2  # the plan refuses it too
    assert capsys.readouterr().err.strip().splitlines() == [f"turnover: error: {line}"]
    assert not (tmp_path / "out" / "reports").exists()
