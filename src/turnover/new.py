"""Write a claims file and an article file for a new statement, ready to run.

    turnover new --pair DEU RUS --date 2016-05-31 --quote "trade with Russia has fallen sharply" --out claims/deu-rus
    turnover refresh --claims claims/deu-rus/claims.yaml --out out/deu-rus

(``python -m turnover.new`` does the same.) Writes ``claims.yaml`` (one declining-turnover
statement for the quote, its rule spelled out with every parameter commented, and commented
templates of the other rule kinds) and ``article.yaml`` (outlet, title, date, URL, speaker: edit
them; the run works as written). The codes are checked against the country table (exit 2 with
the nearest match); an existing file is never overwritten unless ``--force``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from .errors import ConfigError, OutputError, TurnoverError

CLAIMS = "claims.yaml"
ARTICLE = "article.yaml"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def article_yaml(date: dt.date, outlet: str, title: str, url: str | None, speaker: str, language: str) -> str:
    url_line = f"url: {_q(url)}" if url else "url: null              # the article's http(s) address; null when there is none"
    note = "" if url else '\nurl_note: "no URL given yet: add the article\'s address above"'
    return f"""# The article the statements come from (read by claims.yaml beside it). Edit the fields.
# Required: outlet, title_en, date, url (http/https, or null with url_note), language, speaker.
# Optional: title_ru (the title as printed in Russian, Kazakh or Belarusian), text_file (a stored
# copy of the article's text, beside this file), id (a label of your own).
outlet: {_q(outlet)}
title_en: {_q(title)}
date: {date.isoformat()}
{url_line}{note}
language: {language}                # ru, en, kk or be
speaker: {_q(speaker)}   # before the first comma: who said it
"""


def claims_yaml(a: str, b: str, date: dt.date, quote: str, claim_id: str) -> str:
    start = date.year - 4
    return f"""# Statements under test, one entry per statement (README: "Another article or country pair").
# Write each rule before looking at any result; `turnover refresh --claims <this file>` runs it.
article: article.yaml
pair: [{a}, {b}]                 # ISO 3166-1 alpha-3 codes (src/turnover/countries/countries.csv)
vintages:
  as_of_article: {date.isoformat()}   # what was public when the statement was made
  today: today                  # everything known at the run date
claims:
  - id: {claim_id}             # lower case and hyphens; the report's anchor
    quote_en: {_q(quote)}
    # quote_ru: "..."           # the words as printed, when the article is in Russian (optional)
    claim: >-
      Goods turnover between {a} and {b} had declined: the latest full year known at the date
      was at least 10% below its peak since {start}, and the latest comparable period known then
      was still below a year earlier.
    metric: bilateral_turnover
    data_needed: [bilateral_turnover]
    window: {{start: {start}, end: {date.year}}}   # the years the statement speaks about
    vintages: [as_of_article, today]
    rule:
      kind: declining_trend
      min_decline_pct: 10       # (a) the latest full year at least this far below the window's peak
      recency_months: 15        # (b) the latest comparable period must be public within this many months
      exact_only: true          # rounded ("about") and bound figures never decide
      ratings:                  # (a, b) -> rating for each reporter's figures
        both: true
        decline_only: half_true
        latest_only: mostly_false
        neither: false
        decline_no_latest: mostly_true
        no_decline_no_latest: mostly_false
      trend_downgrade: 1        # one step down when the trend slope's whole 95% interval is above zero
      combine: mean             # both reporters' ratings -> the statement's rating
      publication_lag_days: {{annual: 60, half-year: 45, quarter: 45, month: 40, year-to-date: 40}}

  # More statements: copy a template below, uncomment it and fill it in.
  #
  # - id: mirror-gap          # do both countries' statistics agree on the flows?
  #   quote_en: "..."
  #   claim: Each side's exports and the other side's imports agree within the usual CIF/FOB margin.
  #   metric: mirror_gap
  #   data_needed: [bilateral_flows]
  #   window: {{start: {start}, end: {date.year}}}
  #   vintages: [as_of_article, today]
  #   rule: {{kind: mirror_gap, band_pct: [0, 10]}}
  #
  # - id: main-partners       # is a partner among a country's top N?
  #   quote_en: "..."
  #   claim: XXX is among {a}'s three largest trade partners.
  #   metric: partner_rank
  #   data_needed: [partner_turnover]
  #   window: {{start: {date.year - 2}, end: {date.year}}}
  #   vintages: [as_of_article, today]
  #   rule: {{kind: partner_rank, countries: [{a}], partners: [XXX], top_n: 3}}
  #
  # - id: recovery            # did turnover return to its earlier level after an event?
  #   quote_en: "..."
  #   claim: After the agreement turnover returned to its {start} level.
  #   metric: bilateral_turnover
  #   data_needed: [bilateral_turnover]
  #   window: {{start: {start}, end: {date.year + 5}}}
  #   vintages: [as_of_article, today]
  #   rule: {{kind: recovery, event_date: {date.isoformat()}, trough_year: {date.year}, reference_year: {start}}}
"""


def write(out: Path, a: str, b: str, date: dt.date, quote: str, *, outlet: str, title: str, url: str | None,
          speaker: str, language: str, claim_id: str, force: bool = False) -> list[Path]:
    """Check the codes, write both files; returns their paths."""
    from .countries.codes import country_problem

    for code in (a, b):
        why = country_problem(code)
        if why:
            raise ConfigError(f"--pair: {why}")
    if a == b:
        raise ConfigError(f"--pair: {a} twice (a pair is two different countries)")
    if url is not None and not url.startswith(("http://", "https://")):
        raise ConfigError(f"--url {url!r}: must be an http(s) URL")
    files = {out / CLAIMS: claims_yaml(a, b, date, quote, claim_id),
             out / ARTICLE: article_yaml(date, outlet, title, url, speaker, language)}
    there = [p for p in files if p.exists()]
    if there and not force:
        raise OutputError(f"{there[0]} exists; --force overwrites it")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for p, text in files.items():
            p.write_text(text, encoding="utf-8")
    except OSError as err:
        raise OutputError(f"cannot write {out}: {err.strerror or type(err).__name__}") from None
    from .claims import load_claims  # what was written must load as written

    load_claims(out / CLAIMS)
    return list(files)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def main(argv: list[str] | None = None, prog: str = "python -m turnover.new") -> int:
    ap = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0],
                                 epilog="\n\n".join(__doc__.split("\n\n")[1:]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pair", nargs=2, required=True, metavar=("A", "B"), help="the two countries, ISO3 (e.g. DEU RUS)")
    ap.add_argument("--date", type=_date, required=True, help="the article's date, YYYY-MM-DD")
    ap.add_argument("--quote", required=True, help="the statement about the pair's trade, in English")
    ap.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for claims.yaml and article.yaml")
    ap.add_argument("--outlet", default="Unnamed outlet (edit article.yaml)")
    ap.add_argument("--title", default=None, help="the article's title in English (default: made from the pair)")
    ap.add_argument("--url", default=None, help="the article's http(s) address")
    ap.add_argument("--speaker", default="Unnamed speaker (edit article.yaml)")
    ap.add_argument("--language", default="en", choices=["en", "ru", "kk", "be"])
    ap.add_argument("--id", dest="claim_id", default="declining-turnover", help="the statement's id (lower case, hyphens)")
    ap.add_argument("--force", action="store_true", help="overwrite existing files")
    args = ap.parse_args(argv)
    a, b = args.pair
    from .text.names import name_of

    title = args.title or f"Statement on trade between {name_of(a)} and {name_of(b)}"
    try:
        paths = write(args.out, a, b, args.date, args.quote, outlet=args.outlet, title=title, url=args.url,
                      speaker=args.speaker, language=args.language, claim_id=args.claim_id, force=args.force)
    except TurnoverError as err:
        print(f"turnover: error: {err}", file=sys.stderr)
        return err.exit_code
    print(f"wrote {paths[0]} and {paths[1]}; next: turnover refresh --claims {paths[0]} --out <folder>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
