"""The ``turnover`` command: ``turnover refresh …`` and ``turnover new …`` (installed as a console
script, so ``.venv/bin/turnover`` works without activating the environment; ``python -m
turnover.refresh``, ``python -m turnover.new`` and ``turnover-refresh`` keep working)."""

from __future__ import annotations

import sys

COMMANDS = {
    "refresh": "check the claims against the data and write the report (python -m turnover.refresh)",
    "new": "write claims.yaml and article.yaml for a new statement (python -m turnover.new)",
}


def _usage() -> str:
    lines = ["usage: turnover COMMAND [options]", "", "commands:"]
    lines += [f"  {k:<8} {v}" for k, v in COMMANDS.items()]
    lines += ["", "turnover COMMAND --help shows a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(_usage())
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "refresh":
        import gc

        gc.disable()  # as python -m turnover.refresh: no cyclic gc during the imports (refresh._tune_gc)
        from . import refresh

        return refresh.main(rest, prog="turnover refresh")
    if cmd == "new":
        from . import new

        return new.main(rest, prog="turnover new")
    print(f"turnover: error: unknown command {cmd!r}\n{_usage()}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
