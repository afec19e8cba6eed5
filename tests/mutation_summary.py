"""Summarise mutmut's results (``mutants/**/*.meta``) per module: score and surviving mutants.

Run from the repository root after ``mutmut run`` (``make mutate`` does both). Mutants listed in
``tests/mutation_equivalent.yaml`` (name, the mutated line, why no test can tell them apart) are
shown and left out of the score; an entry whose line no longer matches is reported as stale and
the mutant counts again. ``--prefix`` limits the table to modules whose dotted name starts with it.
Exit code 0 always: the score is a figure to read, not a gate.

``names --prefix P --sample N`` prints a fixed pseudo-random sample of N mutant names under P
(generating the mutants first if needed), for ``make mutate SAMPLE=N`` where a full run of a
large module would take hours on a small machine; the score is then that of the sample.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import yaml

KILLED = {1, 3, 36, 24, -24, 152, 255, 37}  # killed, pytest internal error, timeouts, type check
SURVIVED = {0}
NO_TESTS = {5, 33}
EQUIVALENT_FILE = Path("tests/mutation_equivalent.yaml")


def _module(mutant: str) -> str:
    head = mutant.split("__mutmut_")[0]
    parts = head.split(".")
    while parts and not parts[-1].startswith(("x_", "xǁ")):
        parts.pop()
    return ".".join(parts[:-1])


def results(root: Path = Path("mutants")) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for meta in sorted(root.rglob("*.py.meta")):
        out.update(json.loads(meta.read_text()).get("exit_code_by_key", {}))
    return out


def equivalents() -> dict[str, dict]:
    if not EQUIVALENT_FILE.exists():
        return {}
    return {e["mutant"]: e for e in yaml.safe_load(EQUIVALENT_FILE.read_text(encoding="utf-8")) or []}


def diff(mutant: str) -> str:
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    try:
        return get_diff_for_mutant(mutant)
    except Exception as err:  # an old mutants/ folder: say so rather than stop the summary
        return f"(no diff: {type(err).__name__}: {err})"


def _changed_lines(d: str) -> str:
    return "\n".join(line for line in d.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def generate() -> None:
    """Write mutants/ (mutmut's own first step of ``run``) so that their names can be listed."""
    import os

    from mutmut import __main__ as mm

    Path("mutants").mkdir(exist_ok=True)
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)  # mutmut prints each file it mutates (also from its workers): keep stdout for the names
    try:
        mm.copy_src_dir()
        mm.copy_also_copy_files()
        mm.create_mutants(1)
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def names(prefix: str, sample: int | None, seed: int = 15) -> list[str]:
    if not any(Path("mutants").rglob("*.py.meta")):
        generate()
    found = sorted(k for k in results() if _module(k).startswith(prefix))
    if sample is None or sample >= len(found):
        return found
    import random

    return sorted(random.Random(seed).sample(found, sample))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["names"]:
        ap = argparse.ArgumentParser(prog="mutation_summary.py names")
        ap.add_argument("--prefix", default="")
        ap.add_argument("--sample", type=int)
        a = ap.parse_args(argv[1:])
        print(" ".join(names(a.prefix, a.sample)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prefix", default="", help="dotted module prefix, e.g. turnover.model")
    ap.add_argument("--no-diffs", action="store_true", help="list surviving mutants without their diffs")
    args = ap.parse_args(argv)
    res = {k: v for k, v in results().items() if _module(k).startswith(args.prefix)}
    if not res:
        print(f"no mutation results under mutants/ for {args.prefix or 'any module'}: run `make mutate` first")
        return 0
    eq = equivalents()
    by_mod: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    stale = []
    for name, code in sorted(res.items()):
        kind = ("killed" if code in KILLED else "survived" if code in SURVIVED else
                "no tests" if code in NO_TESTS else "not run" if code is None else f"other ({code})")
        if kind in ("survived", "no tests") and name in eq:
            if eq[name].get("line", "") in _changed_lines(diff(name)):
                kind = "equivalent"
            else:
                stale.append(name)
        by_mod[_module(name)][kind].append(name)

    print(f"{'module':40} {'killed':>7} {'surv.':>6} {'no test':>7} {'equiv.':>6} {'not run':>7} {'score':>7}")
    totals = defaultdict(int)
    for mod, kinds in sorted(by_mod.items()):
        n = {k: len(v) for k, v in kinds.items()}
        for k, v in n.items():
            totals[k] += v
        print(_row(mod, n))
    print(_row("TOTAL", totals))

    for mod, kinds in sorted(by_mod.items()):
        for kind in ("survived", "no tests"):
            for name in kinds.get(kind, []):
                print(f"\n{kind.upper()}: {name}")
                if not args.no_diffs:
                    print(_changed_lines(diff(name)))
    for mod, kinds in sorted(by_mod.items()):
        for name in kinds.get("equivalent", []):
            print(f"\nEQUIVALENT: {name}: {eq[name]['why']}")
    for name in stale:
        print(f"\nSTALE equivalence entry (mutated line changed; counted as a survivor): {name}")
    return 0


def _row(mod: str, n) -> str:
    tested = n.get("killed", 0) + n.get("survived", 0) + n.get("no tests", 0)
    score = f"{100 * n.get('killed', 0) / tested:6.1f}%" if tested else "     -"
    return (f"{mod:40} {n.get('killed', 0):7} {n.get('survived', 0):6} {n.get('no tests', 0):7} "
            f"{n.get('equivalent', 0):6} {n.get('not run', 0):7} {score:>7}")


if __name__ == "__main__":
    sys.exit(main())
