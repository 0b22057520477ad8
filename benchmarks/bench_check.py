#!/usr/bin/env python3
"""Time `netjournal check` and `netjournal build` on make-journal corpora (whole processes, as a user runs them).

    python3 benchmarks/bench_check.py [--people 500] [--interactions 5000] [--runs 5]

Prints min / median / max wall-clock seconds per command. Corpora go to benchmarks/out/ (git-ignored).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MAKE_JOURNAL = Path(os.environ.get("MAKE_JOURNAL", REPO.parent / "shared" / "tools" / "make-journal"))


def corpus(people: int, interactions: int) -> Path:
    out = HERE / "out" / f"journal-{people}-{interactions}"
    if not out.exists():
        subprocess.run([sys.executable, str(MAKE_JOURNAL), str(out), "--people", str(people),
                        "--interactions", str(interactions)], check=True, stdout=subprocess.DEVNULL)
    return out


def corpus_arguments(doc: str, people: int, interactions: int, runs: int) -> argparse.Namespace:
    """--people, --interactions and --runs with these defaults, the script's first line of DOC its help."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--people", type=int, default=people)
    parser.add_argument("--interactions", type=int, default=interactions)
    parser.add_argument("--runs", type=int, default=runs)
    return parser.parse_args()


def timed(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    args = corpus_arguments(__doc__, 500, 5000, 5)
    journal = corpus(args.people, args.interactions)
    site = HERE / "out" / "site"
    commands = {
        "netjournal --help": [sys.executable, "-m", "netjournal.cli", "--help"],
        "check example-journal": [sys.executable, "-m", "netjournal.cli", "check", str(REPO / "example-journal"),
                                  "--today", "2026-11-22"],
        f"check {args.people}p/{args.interactions}i": [sys.executable, "-m", "netjournal.cli", "check", str(journal),
                                                       "--today", "2026-11-22"],
        "build example-journal": [sys.executable, "-m", "netjournal.cli", "build", str(REPO / "example-journal"),
                                  "-o", str(site / "example"), "--today", "2026-11-22"],
        f"build {args.people}p/{args.interactions}i": [sys.executable, "-m", "netjournal.cli", "build", str(journal),
                                                       "-o", str(site / "large"), "--today", "2026-11-22"],
    }
    print(f"{'command':32} {'min':>8} {'median':>8} {'max':>8}   ({args.runs} runs, {os.cpu_count()} cores)")
    for name, command in commands.items():
        times = timed(command, args.runs)
        print(f"{name:32} {min(times):8.3f} {statistics.median(times):8.3f} {max(times):8.3f}")


if __name__ == "__main__":
    main()
