"""Opening a notebook in JupyterLab and saving it leaves the tracked .py file byte-identical."""

from __future__ import annotations

import shutil

import pytest

from turnover.paths import notebooks_dir


@pytest.mark.slow
def test_saving_in_lab_does_not_change_the_tracked_notebooks(tmp_path):
    sync = pytest.importorskip("jupytext.sync_contentsmanager")
    from jupyter_server.services.contents.largefilemanager import LargeFileManager

    shutil.copytree(notebooks_dir(), tmp_path / "notebooks")
    cm = sync.build_sync_jupytext_contents_manager_class(LargeFileManager)(root_dir=str(tmp_path))
    names = sorted(p.name for p in notebooks_dir().glob("[0-9][0-9]_*.py"))
    assert len(names) == 7
    for name in names:
        model = cm.get(f"notebooks/{name}")
        # what a kernel adds on save; none of it may reach the tracked text file
        model["content"].metadata["language_info"] = {"name": "python", "version": "3.11.7"}
        cm.save(model, f"notebooks/{name}")
        assert (tmp_path / "notebooks" / name).read_text(encoding="utf-8") == \
            (notebooks_dir() / name).read_text(encoding="utf-8"), name
        assert (tmp_path / "notebooks" / name).with_suffix(".ipynb").exists()  # the paired, git-ignored notebook
