"""Disagreement beside a rating: the robustness checks whose variants point the other way, in one line.

``disagreement(v)`` reads the typed checks of a verdict (``Verdict.robustness``, ``agrees is False``)
and names what disagrees ("on Kazakhstan's figures WITS gives False, IMF DOTS True"); the report
shows it under the rating so a caveat is never only in a collapsed table.
"""

from __future__ import annotations

from ..model import rating as rating_mod
from ..model.result import same_side
from ..model.results import Phrase, Verdict
from .names import figures_of, name_of, possessive
from .phrases import label, render
from .sources import in_words as sources

LEAD = "Not every check agrees"


def _against(rating: str, others) -> list:
    """The variants rated on the other side of ``rating`` (unrated variants disagree with nothing)."""
    return [(k, x) for k, x in others if x in rating_mod.RATED and same_side(rating, x) is False]


def _one(p: Phrase, rating: str | None) -> str | None:
    """What disagrees in one reporter's check, or None when nothing names it."""
    a = p.args
    if p.key == "source_variants":
        bits = [f"{sources(k)} gives {label(x)}" for k, x in _against(a["rating"], a["others"])]
        return ", ".join(bits) + f" ({sources(a['primary'])}: {label(a['rating'])})" if bits else None
    if p.key == "source_ratings" and rating is not None:
        return ", ".join(f"{sources(k)} gives {label(x)}" for k, x in _against(rating, a["items"])) or None
    if p.key == "window_variants":
        return ", ".join(f"with the peak sought from {s}, {label(x)}" for s, x in _against(a["rating"], a["others"])) or None
    if p.key == "pre_pandemic_check":
        return f"{a['pre_year']}, before the pandemic, gives {label(a['pre_rating'])}"
    return render(p)


def disagreement(v: Verdict) -> str | None:
    """'Not every check agrees: on Kazakhstan's figures WITS gives False (IMF DOTS: True).' — or None."""
    bits = []
    for c in v.robustness:
        if c.agrees is not False:
            continue
        d = c.detail
        if d.key == "reporters_agree":
            bits.append(", ".join(f"{figures_of(r) if not i else possessive(name_of(r))} give {label(x)}"
                                  for i, (r, x, _) in enumerate(d.args["ratings"])))
        elif d.key == "per_reporter":
            for r, p in d.args["items"]:
                part = v.parts.get(r)
                said = _one(p, part.rating if part is not None else None)
                if said:
                    bits.append(f"on {figures_of(r)} {said}")
        else:
            said = _one(d, v.rating)
            if said:
                bits.append(f"on {figures_of(v.reporter)} {said}" if v.reporter != "all" else said)
    return f"{LEAD}: {'; '.join(bits)}." if bits else None
