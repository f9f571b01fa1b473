"""`python -m bench [--quick] [--only NAME ...]`: run the figure groups, print a Markdown table,
write bench/results.json.

Groups, in order: render, domain, store, process (no server needed), then server (cold start, script
run per step, memory) and load (simulated users); each group's module is imported only when it
runs, so `--only render` needs nothing beyond the project's own dependencies.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

from bench.report import Run

GROUPS = ("render", "domain", "store", "process", "server", "load")
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="few samples, for a smoke test; the figures are not meaningful")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only these groups (repeat or comma-separate): "
                             + ", ".join(GROUPS))
    parser.add_argument("--output", "-o", type=Path, default=DEFAULT_OUTPUT,
                        help="JSON results file (default: bench/results.json)")
    args = parser.parse_args(argv)
    only = [name.strip() for item in args.only for name in item.split(",") if name.strip()]
    unknown = [name for name in only if name not in GROUPS]
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    args.only = only
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    groups = [g for g in GROUPS if not args.only or g in args.only]
    run = Run(quick=args.quick, only=args.only)
    for group in groups:
        print(f"bench: {group} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{group}")
            result = module.run(quick=args.quick)
            if isinstance(result, tuple):
                figures, notes = result
                run.notes.extend(notes)
            else:
                figures = result
            run.figures.extend(figures)
        except Exception as exc:
            traceback.print_exc()
            run.errors.append({"group": group, "error": f"{type(exc).__name__}: {exc}"})
        run.durations_s[group] = time.perf_counter() - start
        print(f"bench: {group} done in {run.durations_s[group]:.0f} s", file=sys.stderr,
              flush=True)
    run.finish()
    run.write_json(args.output)
    print(run.markdown())
    print(f"bench: results written to {args.output}", file=sys.stderr)
    return 1 if run.errors else 0


if __name__ == "__main__":
    sys.exit(main())
