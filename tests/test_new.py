"""A claims file in one command (issue 22): `turnover new` writes files that run as written, and
README's new-pair path works exactly as printed there."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from turnover import cli, new
from turnover.claims import load_claims
from turnover.paths import project_root

TURNOVER = Path(sys.executable).parent / "turnover"


def test_new_writes_a_commented_claims_file_and_an_article_that_load(tmp_path, capsys):
    out = tmp_path / "claims" / "jpn-kor"
    assert new.main(["--pair", "JPN", "KOR", "--date", "2019-12-20", "--quote", "trade with Korea is falling",
                     "--out", str(out), "--url", "https://example.org/a"]) == 0
    assert "next: turnover refresh --claims" in capsys.readouterr().out
    claims = load_claims(out / "claims.yaml")
    assert claims.pair == ("JPN", "KOR") and claims.vintages["as_of_article"].isoformat() == "2019-12-20"
    c = claims.claims[0]
    assert c.quote_en == "trade with Korea is falling" and c.quote_ru is None and c.rule.kind == "declining_trend"
    assert (c.window.start, c.window.end) == (2015, 2019)
    assert claims.article.url == "https://example.org/a" and claims.article.language == "en"
    assert claims.article.title_en == "Statement on trade between Japan and South Korea"  # the short name
    text = (out / "claims.yaml").read_text(encoding="utf-8")
    assert text.count("\n#") + text.count("  #") > 20 and "# - id: mirror-gap" in text  # commented


@pytest.mark.parametrize("args, line", [
    (["--pair", "DE", "RUS"], "turnover: error: --pair: DE: not an ISO3 code — did you mean DEU?"),
    (["--pair", "RUS", "RUS"], "turnover: error: --pair: RUS twice (a pair is two different countries)"),
])
def test_bad_codes_are_exit_2_in_one_line(tmp_path, capsys, args, line):
    assert new.main([*args, "--date", "2016-05-31", "--quote", "x", "--out", str(tmp_path / "c")]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [line]
    assert not (tmp_path / "c").exists()


def test_an_existing_file_is_kept_unless_forced(tmp_path, capsys):
    argv = ["--pair", "DEU", "RUS", "--date", "2016-05-31", "--quote", "x", "--out", str(tmp_path)]
    assert new.main(argv) == 0
    (tmp_path / "article.yaml").write_text((tmp_path / "article.yaml").read_text().replace("Unnamed outlet", "Mine"))
    assert new.main(argv) == 2 and "exists; --force overwrites it" in capsys.readouterr().err
    assert "Mine" in (tmp_path / "article.yaml").read_text()
    assert new.main([*argv, "--force"]) == 0 and "Mine" not in (tmp_path / "article.yaml").read_text()


def test_the_turnover_command_lists_its_subcommands(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "refresh" in out and "new" in out
    assert cli.main(["frobnicate"]) == 2
    assert cli.main([]) == 2
    assert (project_root() / "pyproject.toml").read_text().count('turnover = "turnover.cli:main"') == 1


def _readme_commands() -> list[str]:
    readme = (project_root() / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Check another statement", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.startswith(".venv/bin/turnover")]


@pytest.mark.slow
@pytest.mark.skipif(not TURNOVER.exists(), reason="the turnover console script is not installed")
def test_readmes_new_pair_path_runs_as_written(tmp_path):
    cmds = _readme_commands()
    assert [c.split()[1] for c in cmds] == ["new", "refresh", "refresh"]
    outs = []
    for cmd in cmds:
        argv = [str(TURNOVER), *shlex.split(cmd)[1:]]
        done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (cmd, done.stderr[-2000:])
        outs.append(done.stdout)
    verdicts = json.loads((tmp_path / "out/deu-rus/reports/verdicts.json").read_text(encoding="utf-8"))["results"]
    rated = {(r["vintage"], r["reporter"]): r["rating"] for r in verdicts}
    for reporter in ("DEU", "RUS"):  # both reporters' own figures, offline
        assert rated[("as_of_article", reporter)] in ("true", "mostly_true", "half_true", "mostly_false", "false")
    plan = outs[2].splitlines()
    assert plan[-1].startswith("plan: ") and "reporterCode=276,643&partnerCode=276,643,0" in outs[2]
    assert set(re.findall(r"reporterCode=([\d,]+)", outs[2])) == {"276,643"}  # Germany and Russia only
    assert not re.search(r"BLR|KAZ|\b112\b|\b398\b", " ".join(re.findall(r"Code=[\d,]+", outs[2]) + plan[:-1]))
