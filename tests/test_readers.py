"""The one reader of input files: every bad path is the project's error in one line."""

from __future__ import annotations

import pytest

from turnover.errors import ConfigError
from turnover.readers import read_bytes


def test_a_path_with_a_nul_byte_is_a_config_error_not_a_value_error(tmp_path):
    with pytest.raises(ConfigError) as exc:
        read_bytes(tmp_path / "a\x00b.yaml", "claims")
    assert "\n" not in str(exc.value) and "NUL byte" in str(exc.value) and "claims" in str(exc.value)


def test_a_regular_file_is_read_whole(tmp_path):
    (tmp_path / "ok.txt").write_bytes(b"abc")
    assert read_bytes(tmp_path / "ok.txt") == b"abc"


def _aliases(n: int) -> str:
    return "a: &a x\nb: [" + ", ".join(["*a"] * n) + "]\n"


def test_a_hundred_aliases_load_and_the_hundred_and_first_is_refused():
    from turnover.readers import MAX_ALIASES, load_yaml

    assert MAX_ALIASES == 100
    assert load_yaml(_aliases(100), "f.yaml")["b"] == ["x"] * 100
    with pytest.raises(ConfigError, match=r"^f\.yaml: not valid YAML \(more than 100 aliases\)$"):
        load_yaml(_aliases(101), "f.yaml")


def test_a_document_that_contains_itself_is_refused():
    from turnover.readers import load_yaml

    with pytest.raises(ConfigError, match="alias bomb"):
        load_yaml("a: &a [1, *a]\n", "f.yaml")


def test_yaml_text_errors_name_the_file_in_one_line():
    from turnover.readers import load_yaml

    for bad in ("a: [1, 2\n", "a: b: c\n", "\x07: 1\n"):
        with pytest.raises(ConfigError) as exc:
            load_yaml(bad, "f.yaml")
        assert str(exc.value).startswith("f.yaml: not valid YAML (") and "\n" not in str(exc.value)
