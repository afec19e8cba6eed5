"""SciPy's array-API docstring notes are skipped at import; everything else of SciPy is as it was."""

from __future__ import annotations

import json
import subprocess
import sys

from turnover.model import scipy_notes

PROBE = """
import json, sys
{first}
import scipy.stats, scipy._lib._array_api as xa
f = scipy.stats.kendalltau
print(json.dumps({{"patched": xa.FunctionDoc.__name__, "note": "Array API Standard Support" in (f.__doc__ or ""),
                  "recorded": f in xa.xp_capabilities_table, "tau": scipy.stats.kendalltau([1, 2, 3, 4], [1, 3, 2, 4])[0],
                  "doc_start": (f.__doc__ or "").lstrip()[:60]}}))
"""


def _probe(first: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE.format(first=first)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_models_import_scipy_without_the_notes_and_nothing_else_changes():
    plain = _probe("")
    ours = _probe("import turnover.model.rules  # the refresh's first import of scipy")
    assert plain["patched"] == "FunctionDoc" and plain["note"] is True
    assert ours["patched"] == "PlainDoc" and ours["note"] is False
    assert ours["recorded"] is plain["recorded"] is True  # SciPy's own capability table is still filled
    assert ours["tau"] == plain["tau"] and ours["doc_start"] == plain["doc_start"]


def test_plain_doc_keeps_the_docstring_and_drops_the_note():
    def f():
        """Summary line.

        Notes
        -----
        Old note.
        """

    doc = scipy_notes.PlainDoc(f)
    doc["Notes"].append("new note")
    doc["Notes"] = ["replaced"]
    assert str(doc).split("\n", 1)[1] == f.__doc__  # what the decorator keeps after the signature line
    assert str(scipy_notes.PlainDoc(len)).split("\n", 1)[1] == len.__doc__
    assert str(scipy_notes.PlainDoc(lambda: None)) == "\n"  # no docstring


def test_too_late_once_scipy_stats_is_loaded():
    import scipy.stats  # noqa: F401  (loaded in this test process by now anyway)

    assert "scipy.stats" in sys.modules and scipy_notes.skip_array_api_notes() is False
