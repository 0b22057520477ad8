"""The whole read side in one call: load the notes, build the model, run the checks."""
from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .checks import rerun_checks, run_checks
from .config import OWNER, Audience, Config
from .files import read_regular_file
from .findings import Finding, sort_findings
from .load import PRIVATE_FOLDER, JournalFiles, NoteChange, NoteLoad, load_journal
from .model import (
    Journal,
    build_journal,
    people_of_edits,
    with_interactions_edited,
    with_person_edited,
)
from .records import InteractionRecord, PersonRecord


@dataclass
class Analysis:
    root: Path
    today: dt.date
    config: Config
    journal: Journal
    findings: list[Finding]  # load, model and check findings, sorted
    note_count: int
    files: JournalFiles | None = None
    audience: Audience = Audience(OWNER, exclude_private=False)
    read_findings: list[Finding] = field(default_factory=list)  # those of FINDINGS not from the checks
    audience_key: bytes = b""  # another audience's: what its opaque ids and calendar UIDs are keyed by

    @property
    def for_owner(self) -> bool:
        return self.audience.is_owner


def without_private_folder(root: Path) -> bool:
    """True in a clone that lacks the git-ignored private/ folder its owner keeps."""
    if (root / PRIVATE_FOLDER).exists():
        return False
    try:
        ignore = read_regular_file(root / ".gitignore", 1024 * 1024).decode("utf-8", errors="replace")
    except OSError:
        return False
    return any(line.strip().strip("/") == PRIVATE_FOLDER for line in ignore.splitlines())


def analyze(root: Path, today: dt.date, loader: Callable[[str, str, Path], NoteLoad] | None = None,
            files: JournalFiles | None = None, audience: Audience | None = None,
            on_loaded: Callable[[int], None] | None = None) -> Analysis:
    """Load, model and check the journal at ROOT as of TODAY, as AUDIENCE sees it (default: the owner).

    For any other audience the model is built from the records it may see, and only the relationship
    findings computed from that model are kept: a broken or private note's findings (paths, values,
    names) stay with the owner.
    """
    loaded = load_journal(root, loader, files, on_loaded)
    audience = audience or Audience(OWNER, exclude_private=False)
    records = loaded.records
    key = b""
    if not audience.is_owner:
        from .audience import audience_key, audience_records

        key = audience_key(root)
        records = audience_records(records, audience, key)
    journal, model_findings = build_journal(records)
    read = []
    if audience.is_owner:
        from .checks.tracked import check_private_tracked

        read = _note_findings(root, loaded.findings, model_findings) + check_private_tracked(root, loaded.records)
    findings = read + run_checks(journal, loaded.config, today)
    return Analysis(root, today, loaded.config, journal, sort_findings(findings), loaded.note_count, loaded.files,
                    audience, read, key)


def _note_findings(root: Path, load_findings: list[Finding], model_findings: list[Finding]) -> list[Finding]:
    """What reading and resolving the notes found, which only the owner sees."""
    if without_private_folder(root):
        # A mentor's clone: private/ is git-ignored and absent, so references into it cannot resolve.
        # They are dropped quietly here; the owner, who has the folder, still gets them checked.
        model_findings = [f for f in model_findings if f.code not in ("unknown-person", "unresolved-link")]
    return load_findings + model_findings


def after_interaction_edits(previous: Analysis, changes: list[NoteChange]) -> Analysis | None:
    """The owner's PREVIOUS analysis after interaction notes were edited, added or removed, broken or
    mended (CHANGES: each changed note's (before, after) load, None where there was or is no note), as
    analyze() would find it, without loading or resolving the other notes: the model patched
    (`model.with_interactions_edited`), those notes' read findings swapped, the checks run again for what
    the edits touch (`rerun_checks`). The caller keeps `files` and `note_count` up to date. None for any
    other change: analyze anew."""
    if not previous.for_owner or not changes:
        return None
    edits: list[tuple[InteractionRecord | None, InteractionRecord | None]] = []
    for before, after in changes:
        # a broken note loads to no record: one that breaks leaves the model, one mended joins it
        old, new = (load.record if load is not None else None for load in (before, after))
        if old is None and new is None:
            continue  # broken before and after (or broken, then gone): only its read findings change
        if not isinstance(old, (InteractionRecord, type(None))) or not isinstance(new, (InteractionRecord, type(None))):
            return None
        edits.append((old, new))
    patched = with_interactions_edited(previous.journal, edits)
    if patched is None:
        return None
    journal, old_model_findings, new_model_findings = patched
    touched = people_of_edits(previous.journal, journal, edits)
    interactions = [old or new for old, new in edits]  # a removed one's follow-ups' findings go
    return _patched(previous, changes, journal, old_model_findings, new_model_findings, touched,
                    interactions)  # type: ignore[arg-type]


def after_person_edit(previous: Analysis, changes: list[NoteChange]) -> Analysis | None:
    """The owner's PREVIOUS analysis after one person's note was edited in place (CHANGES: its (before,
    after) load), keeping all that other notes resolve them by or show of them (model.person_identity:
    name, aliases, tags, introducer, privacy), as analyze() would find it: the model patched
    (`model.with_person_edited`), the note's read findings swapped, the checks run again for that person
    (their history, their interactions' follow-ups, which their `ignore:` may silence) and the goals.
    None for any other change: analyze anew."""
    if not previous.for_owner or len(changes) != 1:
        return None
    before, after = changes[0]
    if (before is None or after is None or not isinstance(before.record, PersonRecord)
            or not isinstance(after.record, PersonRecord)):
        return None
    patched = with_person_edited(previous.journal, before.record, after.record)
    if patched is None:
        return None
    journal, old_model_findings, new_model_findings = patched
    pid = after.record.id
    return _patched(previous, changes, journal, old_model_findings, new_model_findings, {pid},
                    journal.interactions_with(pid))


def _patched(previous: Analysis, changes: list[NoteChange], journal: Journal, old_model_findings: list[Finding],
             new_model_findings: list[Finding], people: set[str], interactions: list[InteractionRecord]
             ) -> Analysis:
    """PREVIOUS with JOURNAL, patched after CHANGES (the changed notes' (before, after) loads) with the
    resolution findings given, and the read findings of those notes and the findings of the checks about
    PEOPLE, INTERACTIONS and the goals made again."""
    paths = {load.record.path for change in changes for load in change if load is not None and load.record}

    from .checks.tracked import NOTE_CODES, check_private_tracked

    def tracked(findings: list[Finding]) -> list[Finding]:  # git's index is as it was: only these notes'
        return [f for f in findings if f.code in NOTE_CODES and f.source and f.source.path in paths]

    gone = Counter(_note_findings(previous.root, [f for before, _ in changes if before for f in before.findings],
                                  old_model_findings) + tracked(previous.read_findings))
    read, leaving = [], []
    for finding in previous.read_findings:
        (leaving if _take(gone, finding) else read).append(finding)
    arriving = _note_findings(previous.root, [f for _, after in changes if after for f in after.findings],
                              new_model_findings)
    notes = {r.path: r for r in [*journal.people.values(),  # whose names a file's name may hold
                                 *(after.record for _, after in changes if after is not None and after.record)]}
    arriving += tracked(check_private_tracked(previous.root, list(notes.values())))
    read += arriving
    unfound, found = rerun_checks(previous.findings, journal, previous.config, previous.today, people, interactions)
    # the findings stay sorted: PREVIOUS's less those that go (the same objects), the few new ones put in place
    going = {id(f) for f in leaving + unfound}
    findings = [f for f in previous.findings if id(f) not in going]
    for finding in arriving + found:
        bisect.insort(findings, finding, key=Finding.sort_key)
    return replace(previous, journal=journal, findings=findings, read_findings=read)


def _take(counts: Counter, item: object) -> bool:
    """Take one ITEM out of COUNTS if it holds one."""
    if counts[item] > 0:
        counts[item] -= 1
        return True
    return False
