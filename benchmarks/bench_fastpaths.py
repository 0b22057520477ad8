#!/usr/bin/env python3
"""What each hand-written fast path saves: cold builds with and without it, at scale.

    python3 benchmarks/bench_fastpaths.py [--people 2000] [--interactions 100000] [--runs 3]

netjournal has two hand-written plain paths, each a shortcut that gives the same values or bytes as the
library it imitates (tests/test_notes.py, tests/test_hostile_front_matter.py and tests/test_markdown.py
compare them on generated input): `notes._plain_front_matter` (front matter of plain `key: value` lines,
instead of PyYAML's C loader) and `site.markdown._plain_html` (bodies of prose, headings, lists, tasks,
plain emphasis and wikilinks, instead of markdown-it-py). The project keeps such a path only if it saves
at least 10% of a cold build at scale. Each run here is a cold `netjournal build` (no cache, empty output)
in a fresh process, with neither, one or both paths turned off (the function made to answer "not plain",
so every note takes the library's way); runs of the four variants are interleaved.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_check import corpus  # noqa: E402  (one place that makes the corpora)

TODAY = "2026-11-22"
# Worker processes are forked from this one, so they inherit the switched-off functions.
BUILD = r"""
import sys
from netjournal import notes
from netjournal.site import markdown
from netjournal.cli import run
if "yaml" in sys.argv[1]:
    notes._plain_front_matter = lambda front: None
if "markdown" in sys.argv[1]:
    markdown._plain_html = lambda text, holes: None
sys.argv = ["netjournal", "build", *sys.argv[2:]]
run()
"""
VARIANTS = ("both paths", "no plain yaml", "no plain markdown", "no plain yaml, no plain markdown")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--interactions", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    journal = corpus(args.people, args.interactions)
    times: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    outputs: dict[str, bytes] = {}
    work = Path(tempfile.mkdtemp(prefix="nj-fastpaths-"))
    try:
        for _ in range(args.runs):
            for variant in VARIANTS:
                out = work / "site"
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(work / ".netjournal-cache", ignore_errors=True)  # beside the output
                started = time.perf_counter()
                subprocess.run([sys.executable, "-c", BUILD, variant, str(journal), "--today", TODAY, "-o",
                                str(out)], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[variant].append(time.perf_counter() - started)
                outputs[variant] = (out / "index.html").read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    same = len(set(outputs.values())) == 1
    base = statistics.median(times["both paths"])
    print(f"cold build of {args.people} people / {args.interactions} interactions, {args.runs} runs each "
          f"(index.html identical in all variants: {same})")
    for variant, values in times.items():
        median = statistics.median(values)
        print(f"{variant:34} min {min(values):7.2f}  median {median:7.2f}  max {max(values):7.2f} s   "
              f"{(median - base) / median * 100:+5.1f}% of its build saved by the paths it lacks")


if __name__ == "__main__":
    main()
