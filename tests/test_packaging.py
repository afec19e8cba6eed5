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


# import name of each declared runtime dependency, or why nothing imports it
IMPORTS = {"pyyaml": "yaml", "pymannkendall": "pymannkendall", "ruptures": "ruptures",
           "markupsafe": "markupsafe", "nbformat": "nbformat", "nbclient": "nbclient",
           "markdown-it-py": "markdown_it"}
NOT_IMPORTED = {
    "ipykernel": "the kernel the notebooks are executed on",
    "jupyterlab": "make lab",
    "pyarrow": "pandas' parquet engine (panel.parquet)",
}


def test_every_runtime_dependency_is_used():
    root = project_root()
    deps = {_name(d) for d in tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]}
    code = "\n".join(p.read_text(encoding="utf-8") for d in ("src", "notebooks") for p in (root / d).rglob("*.py"))
    unused = []
    for dep in sorted(deps - set(NOT_IMPORTED)):
        mod = IMPORTS.get(dep, dep.replace("-", "_"))
        if not re.search(rf"^\s*(import|from)\s+{re.escape(mod)}\b", code, flags=re.M):
            unused.append(dep)
    assert unused == [], f"declared but never imported: {unused} (drop them, or say why in NOT_IMPORTED)"


def test_constraints_pin_every_declared_package_within_its_range():
    from packaging.requirements import Requirement

    root = project_root()
    pins = {}
    for line in (root / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not name==version"
            pins[_name(name)] = version.strip()
    py = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    for spec in py["dependencies"] + py["optional-dependencies"]["dev"]:
        req = Requirement(spec)
        name = _name(req.name)
        assert name in pins, f"{name} is not pinned in constraints.txt (run make lock)"
        assert req.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} outside {req.specifier}"
    makefile = (root / "Makefile").read_text()
    assert makefile.count("-c $(LOCK)") == 2 and "LOCK   := constraints.txt" in makefile
    assert "\nlock:" in makefile and "pip freeze" in makefile


def test_make_refresh_installs_runtime_only_and_lab_allows_root_only_as_root():
    import os

    out = subprocess.run(["make", "-n", "-B", "refresh", "lab"], cwd=project_root(), capture_output=True,
                         text=True, check=True).stdout
    installs = [line for line in out.splitlines() if "pip" in line and " install " in line and "-e " in line]
    assert installs and all("[dev]" not in line for line in installs), installs
    lab = [line for line in out.splitlines() if "jupyter lab" in line]
    assert lab and (("--allow-root" in lab[0]) == (os.geteuid() == 0)), lab


def test_the_readme_is_a_front_door_whose_links_and_paths_exist():
    root = project_root()
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    docs = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    missing = []
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):  # relative Markdown links
            if not (doc.parent / target).exists():
                missing.append(f"{doc.name}: {target}")
    for path in re.findall(r"`(src/turnover/[\w/]+(?:\.py)?)`", readme):  # the rooms the map names
        if not (root / path).exists():
            missing.append(f"README.md: {path}")
    assert missing == []
