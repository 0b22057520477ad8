"""The whole read side in one call: load the notes, build the model, run the checks."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .checks import run_checks
from .config import OWNER, Audience, Config
from .findings import Finding, sort_findings
from .load import PRIVATE_FOLDER, JournalFiles, NoteLoad, load_journal
from .model import Journal, build_journal


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

    @property
    def for_owner(self) -> bool:
        return self.audience.is_owner


def without_private_folder(root: Path) -> bool:
    """True in a clone that lacks the git-ignored private/ folder its owner keeps."""
    if (root / PRIVATE_FOLDER).exists():
        return False
    try:
        ignore = (root / ".gitignore").read_text(encoding="utf-8", errors="replace")
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
    if not audience.is_owner:
        from .audience import audience_records

        records = audience_records(records, audience)
    journal, model_findings = build_journal(records)
    findings: list[Finding] = []
    if audience.is_owner:
        if without_private_folder(root):
            # A mentor's clone: private/ is git-ignored and absent, so references into it cannot resolve.
            # They are dropped quietly here; the owner, who has the folder, still gets them checked.
            model_findings = [f for f in model_findings if f.code not in ("unknown-person", "unresolved-link")]
        from .checks.tracked import check_private_tracked

        findings = loaded.findings + model_findings + check_private_tracked(root, loaded.records)
    findings += run_checks(journal, loaded.config, today)
    return Analysis(root, today, loaded.config, journal, sort_findings(findings), loaded.note_count, loaded.files,
                    audience)
