#!/usr/bin/env python3
"""Time serve's rebuild after a one-note edit on a make-journal corpus.

    python3 benchmarks/bench_rebuild.py [--people 500] [--interactions 5000] [--runs 15]

Measures two things: the builder's own time for a rebuild (what serve prints as "rebuilt N pages in X ms")
for a body edit, a give/ask edit (front matter), a new note and a title added to a note with
follow-ups (which move to other lines), and the end-to-end time from saving a note
to the rebuilt site being ready in a running server (which includes serve's 150 ms quiet period for
editors' multi-step saves).
"""
from __future__ import annotations

import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import corpus, corpus_arguments  # noqa: E402
from netjournal.engine import Builder  # noqa: E402
from netjournal.serve import Server  # noqa: E402

TODAY = dt.date(2026, 11, 22)


def row(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{name:44} {min(ms):7.0f} {statistics.median(ms):7.0f} {max(ms):7.0f}"


def main() -> None:
    args = corpus_arguments(__doc__, 500, 5000, 15)
    work = Path(tempfile.mkdtemp(prefix="nj-bench-"))
    try:
        root = work / "journal"
        shutil.copytree(corpus(args.people, args.interactions), root)
        note = sorted((root / "interactions").rglob("*.md"))[-7]
        original = note.read_text(encoding="utf-8")
        out = work / "site"
        out.mkdir()
        builder = Builder(root, out, in_place=True)
        started = time.perf_counter()
        first = builder.build(TODAY)
        cold = time.perf_counter() - started
        rel = note.relative_to(root).as_posix()
        new = note.with_name("bench-new-note.md")  # a new interaction, as the note edited has it
        new_rel = new.relative_to(root).as_posix()
        body, hinted, gave, gave_hinted, added, nothing, moved = [], [], [], [], [], [], []
        # a note with follow-ups that gains a title and loses it again: its follow-ups move to other lines,
        # so the findings about them, the list of follow-ups and the calendar feed change too
        tasked = next(n for n in reversed(sorted((root / "interactions").rglob("*.md")))
                      if "- [ ]" in n.read_text(encoding="utf-8"))
        tasked_text, tasked_rel = tasked.read_text(encoding="utf-8"), tasked.relative_to(root).as_posix()
        for i in range(args.runs):
            note.write_text(original + f"\nedit {i}\n", encoding="utf-8")
            body.append(builder.build(TODAY).seconds)
            note.write_text(original + f"\nhinted edit {i}\n", encoding="utf-8")
            hinted.append(builder.build(TODAY, {rel}).seconds)
            note.write_text(original.replace("---\n", f"---\ngave: [bench gift {i}]\n", 1), encoding="utf-8")
            gave.append(builder.build(TODAY).seconds)
            note.write_text(original.replace("---\n", f"---\ngave: [hinted gift {i}]\n", 1), encoding="utf-8")
            gave_hinted.append(builder.build(TODAY, {rel}).seconds)
            new.write_text(original + f"\nnew note {i}\n", encoding="utf-8")
            added.append(builder.build(TODAY, {new_rel}).seconds)
            new.unlink()
            builder.build(TODAY, {new_rel})
            nothing.append(builder.build(TODAY).seconds)
            tasked.write_text(tasked_text.replace("---\n", f"---\ntitle: moved {i}\n", 1), encoding="utf-8")
            moved.append(builder.build(TODAY, {tasked_rel}).seconds)
            tasked.write_text(tasked_text, encoding="utf-8")
            builder.build(TODAY, {tasked_rel})
        note.write_text(original, encoding="utf-8")

        logs: list[str] = []
        server = Server(root, lambda: TODAY, port=0, log=logs.append)
        server.start()
        end_to_end, reported = [], []
        try:
            for i in range(max(5, args.runs // 2)):
                version = server.site.version
                started = time.perf_counter()
                note.write_text(original + f"\nserved edit {i}\n", encoding="utf-8")
                while server.site.version == version:
                    server.site.wait_for_change(version, 0.05)
                end_to_end.append(time.perf_counter() - started)
                reported.append(float(logs[-1].split(" in ")[1].split(" ms")[0]) / 1000)
                time.sleep(0.3)
        finally:
            server.stop()
        print(f"corpus: {args.people} people, {args.interactions} interactions; first build {first.pages} pages "
              f"in {cold * 1000:.0f} ms")
        print(f"{'one-note rebuild (ms)':44} {'min':>7} {'median':>7} {'max':>7}")
        print(row("builder: body edit (stat every note)", body))
        print(row("builder: body edit (watcher's path hint)", hinted))
        print(row("builder: gave edit", gave))
        print(row("builder: gave edit (watcher's path hint)", gave_hinted))
        print(row("builder: new note (watcher's path hint)", added))
        print(row("builder: nothing changed", nothing))
        print(row("builder: title added, tasks move (hint)", moved))
        print(row("serve: rebuild time it reports", reported))
        print(row("serve: save -> site ready (incl. 150 ms quiet)", end_to_end))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
