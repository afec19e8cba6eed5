"""Summarise mutmut's results (``mutants/**/*.meta``) per module: score and surviving mutants.

Run from the repository root after ``mutmut run`` (``make mutate`` does both). Mutants listed in
``tests/mutation_equivalent.yaml`` (name, the mutated line, why no test can tell them apart) are
shown and left out of the score; an entry whose line no longer matches is reported as stale and
the mutant counts again. ``--prefix`` limits the table to modules whose dotted name starts with it.
Exit code 0 always: the score is a figure to read, not a gate.

``names --prefix P --sample N --seed S`` prints a fixed pseudo-random sample of N mutant names of
each module under P (generating the mutants first if needed), for ``make mutate SAMPLE=N`` where a
full run would take days on a small machine; ``--sample N --seed S`` on the summary restricts it to
that sample, and each folder's score is then estimated from it (``estimate``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import yaml

KILLED = {1, 3, 152, 255, 37}  # killed (a failing test), pytest internal error, type check
TIMEOUT = {36, 24, -24}  # stopped at the CPU limit: tests that never end catch the mutant, as mutmut counts it
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
    """Mutant names under ``prefix``; with ``sample``, a fixed pseudo-random ``sample`` of each
    module's mutants (stratified, so a module of 3,000 mutants cannot crowd out one of 70)."""
    if not any(Path("mutants").rglob("*.py.meta")):
        generate()
    found = sorted(k for k in results() if _module(k).startswith(prefix))
    if sample is None:
        return found
    import random

    by_mod: dict[str, list[str]] = defaultdict(list)
    for k in found:
        by_mod[_module(k)].append(k)
    # one generator per module, so a module's sample does not depend on which others are listed
    return sorted(k for mod in sorted(by_mod) for k in
                  (by_mod[mod] if sample >= len(by_mod[mod])
                   else random.Random(f"{seed}:{mod}").sample(by_mod[mod], sample)))


def estimate(groups: dict[str, dict[str, int]]) -> tuple[float, float, float] | None:
    """Share of killed mutants in a folder from per-module samples: (estimate, low, high), 95 %.

    ``groups`` maps each module to ``total`` (its mutants, equivalents left out), ``killed`` and
    ``tested`` (killed + survived + no tests, of those run). Stratified estimate weighted by each
    module's mutants; the variance uses the Agresti-Coull adjustment per module (a module whose
    30 sampled mutants were all killed still has an uncertain score) with the finite-population
    correction (a module run in full has none)."""
    rows = [g for g in groups.values() if g["total"] > 0]
    if not rows or any(g["tested"] == 0 for g in rows):
        return None
    n_all = sum(g["total"] for g in rows)
    est, var = 0.0, 0.0
    for g in rows:
        w, n = g["total"] / n_all, g["tested"]
        est += w * g["killed"] / n
        p = (g["killed"] + 2) / (n + 4)
        var += w * w * p * (1 - p) / (n + 4) * max(0.0, 1 - n / g["total"])
    half = 1.96 * var ** 0.5
    return est, max(0.0, est - half), min(1.0, est + half)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["names"]:
        ap = argparse.ArgumentParser(prog="mutation_summary.py names")
        ap.add_argument("--prefix", default="")
        ap.add_argument("--sample", type=int)
        ap.add_argument("--seed", type=int, default=15)
        a = ap.parse_args(argv[1:])
        print(" ".join(names(a.prefix, a.sample, a.seed)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prefix", default="", help="dotted module prefix, e.g. turnover.model")
    ap.add_argument("--no-diffs", action="store_true", help="list surviving mutants without their diffs")
    ap.add_argument("--sample", type=int, help="only the mutants of this per-module sample (as `names`)")
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args(argv)
    res = {k: v for k, v in results().items() if _module(k).startswith(args.prefix)}
    if args.sample is not None:
        picked = set(names(args.prefix, args.sample, args.seed))
        res = {k: (v if k in picked else None) for k, v in res.items()}  # the rest: "not run" here
    if not res:
        print(f"no mutation results under mutants/ for {args.prefix or 'any module'}: run `make mutate` first")
        return 0
    eq = equivalents()
    by_mod: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    stale = []
    for name, code in sorted(res.items()):
        kind = ("killed" if code in KILLED else "timeout" if code in TIMEOUT else "survived" if code in SURVIVED else
                "no tests" if code in NO_TESTS else "not run" if code is None else f"other ({code})")
        if kind in ("survived", "no tests") and name in eq:
            if eq[name].get("line", "") in _changed_lines(diff(name)):
                kind = "equivalent"
            else:
                stale.append(name)
        by_mod[_module(name)][kind].append(name)

    print(f"{'module':40} {'killed':>7} {'timeout':>7} {'surv.':>6} {'no test':>7} {'equiv.':>6} {'not run':>7} {'score':>7}")
    totals = defaultdict(int)
    for mod, kinds in sorted(by_mod.items()):
        n = {k: len(v) for k, v in kinds.items()}
        for k, v in n.items():
            totals[k] += v
        print(_row(mod, n))
    print(_row("TOTAL", totals))
    _print_estimates(by_mod)

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


FOLDERS = ["turnover.model", "turnover.report", "turnover.text", "turnover.publish.verdicts", "turnover.claims", "turnover.publish.runkey"]


def _print_estimates(by_mod: dict[str, dict[str, list[str]]]) -> None:
    """Per folder of the issue: the score of all its mutants, estimated from what was run."""
    print()
    for folder in FOLDERS:
        mods = {m: k for m, k in by_mod.items() if m == folder or m.startswith(folder + ".")}
        if not mods:
            continue
        groups = {m: {"total": sum(len(v) for kind, v in k.items() if kind != "equivalent"),
                      "killed": len(k.get("killed", [])) + len(k.get("timeout", [])),
                      "tested": sum(len(k.get(kind, [])) for kind in ("killed", "timeout", "survived", "no tests"))}
                  for m, k in mods.items()}
        run = sum(g["tested"] for g in groups.values())
        total = sum(g["total"] for g in groups.values())
        e = estimate(groups)
        if e is None:
            print(f"{folder:24} not estimated: some module has no mutant run ({run} of {total} run)")
        elif run == total:
            print(f"{folder:24} {100 * e[0]:5.1f}% killed (all {total} mutants run)")
        else:
            print(f"{folder:24} {100 * e[0]:5.1f}% killed, 95% interval {100 * e[1]:.1f}-{100 * e[2]:.1f}% "
                  f"(estimated from {run} of {total} mutants, sampled per module)")


def _row(mod: str, n) -> str:
    caught = n.get("killed", 0) + n.get("timeout", 0)
    tested = caught + n.get("survived", 0) + n.get("no tests", 0)
    score = f"{100 * caught / tested:6.1f}%" if tested else "     -"
    return (f"{mod:40} {n.get('killed', 0):7} {n.get('timeout', 0):7} {n.get('survived', 0):6} {n.get('no tests', 0):7} "
            f"{n.get('equivalent', 0):6} {n.get('not run', 0):7} {score:>7}")


if __name__ == "__main__":
    sys.exit(main())
