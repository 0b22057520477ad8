#!/usr/bin/env python3
"""Time serve's builder on four kinds of one-note edit, interleaved, on a make-journal corpus (L by default).

    python3 benchmarks/bench_edit_kinds.py [--people 2000] [--interactions 100000] [--runs 6]

One builder writing in place (as serve and the daemon keep one), its first build made with worker processes;
then, RUNS times: a line added to an interaction's body, a give added to its front matter, a new interaction
note (a copy of it), and a title added to a note with tasks (its follow-ups move to other lines); each edit
undone and built again before the next. Prints seconds min / median / max of each kind (the first run of
each left out: the first edit of a kind after the first build is the slowest), the memo's size and the
process's peak RSS. At L the first build takes a minute or two and the whole run about five.
"""
from __future__ import annotations

import datetime as dt
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import corpus, corpus_arguments  # noqa: E402
from netjournal.engine import Builder  # noqa: E402
from netjournal.pool import build_workers  # noqa: E402

TODAY = dt.date(2026, 11, 22)


def main() -> None:
    args = corpus_arguments(__doc__, 2000, 100_000, 6)
    root = corpus(args.people, args.interactions)  # edited in place, each edit undone (the corpus is kept)
    notes = sorted((root / "interactions").rglob("*.md"))
    note = notes[-7]
    tasked = next(n for n in reversed(notes) if "- [ ]" in n.read_text(encoding="utf-8"))
    new = note.with_name("bench-new-note.md")
    original, tasked_text = note.read_text(encoding="utf-8"), tasked.read_text(encoding="utf-8")
    rel, tasked_rel, new_rel = (p.relative_to(root).as_posix() for p in (note, tasked, new))
    out = Path(tempfile.mkdtemp(prefix="nj-kinds-"))
    times: dict[str, list[float]] = {"body": [], "gave": [], "new note": [], "title added, tasks move": []}
    try:
        builder = Builder(root, out, in_place=True)
        with build_workers():
            builder.build(TODAY)
        for i in range(args.runs):
            note.write_text(original + f"\nedit {i}\n", encoding="utf-8")
            times["body"].append(builder.build(TODAY, {rel}).seconds)
            note.write_text(original.replace("---\n", f"---\ngave: [gift {i}]\n", 1), encoding="utf-8")
            times["gave"].append(builder.build(TODAY, {rel}).seconds)
            note.write_text(original, encoding="utf-8")
            builder.build(TODAY, {rel})
            new.write_text(original + f"\nnew note {i}\n", encoding="utf-8")
            times["new note"].append(builder.build(TODAY, {new_rel}).seconds)
            new.unlink()
            builder.build(TODAY, {new_rel})
            tasked.write_text(tasked_text.replace("---\n", f"---\ntitle: moved {i}\n", 1), encoding="utf-8")
            times["title added, tasks move"].append(builder.build(TODAY, {tasked_rel}).seconds)
            tasked.write_text(tasked_text, encoding="utf-8")
            builder.build(TODAY, {tasked_rel})
        print(f"corpus: {args.people} people, {args.interactions} interactions")
        print(f"{'serve builder, one-note edit (s)':32} {'min':>7} {'median':>7} {'max':>7}")
        for kind, values in times.items():
            kept = values[1:] or values
            print(f"{kind:32} {min(kept):7.3f} {statistics.median(kept):7.3f} {max(kept):7.3f}")
        print(f"memo values: {len(builder.memo.entries)}; peak RSS "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")
    finally:
        note.write_text(original, encoding="utf-8")
        tasked.write_text(tasked_text, encoding="utf-8")
        new.unlink(missing_ok=True)
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
