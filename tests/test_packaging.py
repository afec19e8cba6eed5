"""pyproject.toml and environment.yml list the same packages; the CLI documents itself."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from turnover.paths import project_root


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    root = project_root()
    py = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = {_name(d) for d in py["dependencies"]} | {_name(d) for d in py["optional-dependencies"]["dev"]}
    env = yaml.safe_load((root / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == wanted


def test_refresh_help_documents_modes_and_exit_codes():
    out = subprocess.run([sys.executable, "-m", "turnover.refresh", "--help"],
                         capture_output=True, text=True, check=True).stdout
    for word in ("--offline", "--online", "--plan", "--out", "Exit codes"):
        assert word in out


def test_ci_runs_the_readme_test_command():
    root = project_root()
    assert "make test" in (root / ".ci/run").read_text()
    readme = (root / "README.md").read_text()
    assert "make test" in readme and "make refresh" in readme
