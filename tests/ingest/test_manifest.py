"""Every bundled data file is listed with publisher, date and a checksum that matches."""

from __future__ import annotations

import shutil

import pytest
import yaml

from turnover.ingest import manifest
from turnover.errors import DataValidationError
from turnover.paths import data_dir


def test_every_bundled_file_is_in_the_manifest_and_verifies():
    listed = {e["path"] for e in manifest.entries()}
    on_disk = {p.relative_to(data_dir()).as_posix() for folder in ("official", "vendor")
               for p in (data_dir() / folder).rglob("*") if p.is_file()}
    # bundled raw series; the live loaders' snapshots under data/raw keep their own manifest.jsonl
    snapshots = {"manifest.jsonl", "comtrade", "imf", "wits"}
    on_disk |= {p.relative_to(data_dir()).as_posix() for p in (data_dir() / "raw").rglob("*")
                if p.is_file() and p.relative_to(data_dir() / "raw").parts[0] not in snapshots}
    assert on_disk == listed
    assert manifest.check() == len(listed)
    for e in manifest.entries():
        assert e["publisher"] and e["description"] and e["licence"]


def test_a_tampered_file_is_named(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(data_dir(), root, ignore=shutil.ignore_patterns("raw", "processed", "cache"))
    p = root / "official" / "official_figures.csv"
    p.write_text(p.read_text().replace("952.8", "999.9"))
    with pytest.raises(DataValidationError, match="official_figures.csv: sha256"):
        manifest.entry("official/official_figures.csv", root=root)


def test_broken_manifest_is_a_clear_error(tmp_path):
    (tmp_path / "manifest.yaml").write_text("files: [\n")
    with pytest.raises(DataValidationError, match="not valid YAML"):
        manifest.entries(tmp_path)
    (tmp_path / "m2").mkdir()
    (tmp_path / "m2" / "manifest.yaml").write_text(yaml.safe_dump({"files": [{"path": "x"}]}))
    with pytest.raises(DataValidationError, match="lacks publisher"):
        manifest.entries(tmp_path / "m2")


@pytest.mark.parametrize("rel", ["../../etc/hostname", "/etc/hostname", "official/../../x", "official//x", 5])
def test_a_manifest_path_outside_data_is_refused_exit_3(tmp_path, rel):
    entry = {k: "x" for k in manifest.REQUIRED}
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump({"files": [{**entry, "path": rel}]}))
    with pytest.raises(DataValidationError, match=r"files\[0\]\.path .* is not a plain relative path inside data/") as err:
        manifest.entries(tmp_path)
    assert err.value.exit_code == 3
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump({"files": ["official/x.csv"]}))
    with pytest.raises(DataValidationError, match=r"files\[0\] is not a mapping"):
        manifest._load(tmp_path)
