"""Context facts (model.facts) read from hand-written CSV files; country names from hand-made code tables."""

from __future__ import annotations

import math

import pytest

from turnover.errors import DataValidationError
from turnover.ingest import facts as facts_mod
from turnover.text import names

HEADER = "fact_id,topic,date,country,subject,value,unit,definition,statement,source_url,source_date\n"


def _csv(tmp_path, body: str, header: str = HEADER):
    p = tmp_path / "context_facts.csv"
    p.write_text(header + body, encoding="utf-8")
    return p


def test_a_valid_file_reads_values_as_floats_and_blank_as_nan(tmp_path):
    p = _csv(tmp_path, "f-1,currency,2015-08-20,KAZ,KZT,26.2,pct_devaluation,loss_of_value,s,https://x.org/a,2015-08\n"
                       "f.2,programme,2017-11-29,BLR,KAZ,,event,,signed,http://x.org,2017-11-29\n")
    df = facts_mod.load(p)
    assert list(df["fact_id"]) == ["f-1", "f.2"] and df["value"].iloc[0] == 26.2 and math.isnan(df["value"].iloc[1])
    assert df["value"].dtype == float and list(df["definition"]) == ["loss_of_value", ""]
    assert list(df.columns) == HEADER.strip().split(",")


def test_a_missing_file_is_an_empty_table_with_the_columns(tmp_path):
    df = facts_mod.load(tmp_path / "none.csv")
    assert df.empty and list(df.columns) == facts_mod.REQUIRED


def test_missing_columns_are_named(tmp_path):
    p = _csv(tmp_path, "f1,currency,2015-08-20,KAZ,KZT,1,u,s,https://x.org,2015\n",
             header="fact_id,topic,date,country,subject,value,unit,statement,source_url,source_date_x\n")
    with pytest.raises(DataValidationError) as err:
        facts_mod.load(p)
    assert str(err.value) == f"{p}: missing column(s) source_date"


@pytest.mark.parametrize("line, column, value", [
    ("_f,currency,2015-08-20,KAZ,KZT,1,u,,s,https://x.org,2015", "fact_id", "'_f'"),
    ("f1,,2015-08-20,KAZ,KZT,1,u,,s,https://x.org,2015", "topic", "''"),
    ("f1,currency,2015-02-30,KAZ,KZT,1,u,,s,https://x.org,2015", "date", "'2015-02-30'"),
    ("f1,currency,2015-08-20,,KZT,1,u,,s,https://x.org,2015", "country", "''"),
    ("f1,currency,2015-08-20,KAZ,,1,u,,s,https://x.org,2015", "subject", "''"),
    ("f1,currency,2015-08-20,KAZ,KZT,inf,u,,s,https://x.org,2015", "value", "'inf'"),
    ("f1,currency,2015-08-20,KAZ,KZT,1,,,s,https://x.org,2015", "unit", "''"),
    ("f1,currency,2015-08-20,KAZ,KZT,1,u,rate_fall,s,https://x.org,2015", "definition", "'rate_fall'"),
    ("f1,currency,2015-08-20,KAZ,KZT,1,u,,s,ftp://x.org,2015", "source_url", "'ftp://x.org'"),
])
def test_each_bad_cell_is_named_with_its_line_and_row(tmp_path, line, column, value):
    p = _csv(tmp_path, "ok,currency,2015-08-20,KAZ,KZT,1,u,,s,https://x.org,2015\n" + line + "\n")
    with pytest.raises(DataValidationError) as err:
        facts_mod.load(p)
    rid = "_f" if column == "fact_id" else "f1"
    assert str(err.value).startswith(f"{p} line 3 (row {rid}), column {column}: {value}: ")


@pytest.fixture
def tables(monkeypatch, tmp_path):
    from turnover.countries import codes
    from turnover.countries import partner_names

    table = {("imf_dots", "China, P.R.: Mainland"): ("CHN", "country"),
             ("imf_dots", "Korea, Rep. of"): ("KOR", "country"), ("en", "South Korea"): ("KOR", "country"),
             ("imf_dots", " Spaced Land , x"): ("SPL", "country"),
             ("imf_dots", "Euro Area"): ("EUROAREA", "aggregate"), ("en", "Euro zone"): ("EUROAREA", "aggregate"),
             ("ru", "Беларусь"): ("BLR", "country"), ("imf_dots", "Germany"): ("DEU", "country")}
    f = tmp_path / "countries.csv"
    f.write_text("iso3,kind,m49,imf,wits,name\nDEU,country,276,DEU,deu,Federal Germany\nXYZ,country,1,X,x,Xyzland\n"
                 "ABC,country,2,A,a,\n", encoding="utf-8")
    monkeypatch.setattr(partner_names, "table", lambda: table)
    monkeypatch.setattr(codes, "FILE", f)
    return names._names.__wrapped__()


def test_names_from_the_code_tables(tables):
    assert tables == {"CHN": "China", "KOR": "South Korea", "SPL": "Spaced Land", "DEU": "Federal Germany",
                      "XYZ": "Xyzland"}


def test_name_of_possessive_and_figures_of():
    assert names.name_of("unknown") == "unstated reporter" and names.name_of("all") == "all"
    assert names.name_of("BLR") == "Belarus" and names.name_of("QQQ") == "QQQ"
    assert names.possessive("Belarus") == "Belarus's" and names.possessive("United States") == "United States'"
    assert names.possessive("Kazakhstan") == "Kazakhstan's" and names.possessive("Cyprus") == "Cyprus's"
    assert names.figures_of("unknown") == "figures whose reporter is not stated"
    assert names.figures_of("USA") == "United States' figures" and names.figures_of("KAZ") == "Kazakhstan's figures"


def test_a_malformed_file_is_a_data_error(tmp_path):
    p = _csv(tmp_path, "", header="")
    with pytest.raises(DataValidationError) as err:
        facts_mod.load(p)
    assert type(err.value) is DataValidationError and str(err.value) == f"{p} is empty"


def test_the_bundled_facts_by_default():
    import csv

    from turnover.paths import official_dir

    with (official_dir() / "context_facts.csv").open(encoding="utf-8", newline="") as fh:
        raw = list(csv.DictReader(fh))
    df = facts_mod.load()
    assert list(df["fact_id"]) == [r["fact_id"] for r in raw] and len(raw) > 0
    assert [None if math.isnan(v) else v for v in df["value"]] == [float(r["value"]) if r["value"] else None for r in raw]


def test_one_table_short_english_names_for_sentences_and_charts():
    from turnover.text import labels

    assert labels.country is names.country and labels.pair is names.pair  # no second table
    for code, short in (("RUS", "Russia"), ("KOR", "South Korea"), ("IRN", "Iran"), ("VNM", "Vietnam"),
                        ("MDA", "Moldova"), ("BLR", "Belarus"), ("WLD", "World"), ("EAEU", "Eurasian Economic Union")):
        assert names.country(code) == names.name_of(code) == short
    assert names.figures_of("RUS") == "Russia's figures" and labels.reporter("RUS") == "Russia's figures"
    assert labels.reporter("USA") == names.figures_of("USA") == "United States' figures"
    assert names.country("XXQ") == "XXQ" and names.country(None) == "?"


def test_every_country_in_the_code_table_has_a_short_name():
    """No formal ISO name reaches a reader: no "Korea, Republic of", no "Holy See (Vatican City State)"."""
    import csv
    import re

    from turnover.countries import codes

    with codes.FILE.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kind"] == "country"]
    formal = re.compile(r"\(|, (the|The|Republic|State|Province|Islamic|Bolivarian|United|Federated|Plurinational|"
                        r"Democratic|British|U\.S\.)|Federation|Arab Republic|People's|Viet Nam")
    long_ = [(r["iso3"], names.country(r["iso3"])) for r in rows if formal.search(names.country(r["iso3"]))]
    assert long_ == [] and len(rows) > 200
    assert all(code in {r["iso3"] for r in rows} for code in names.SHORT)  # every override names a listed country
