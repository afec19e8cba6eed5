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
