"""The whole read side in one call: load the notes, build the model, run the checks."""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .career_history import History, people_history
from .checks import ALL_CHECKS, Check, run_checks
from .checks.congratulations import check_congratulations
from .config import OWNER, Audience, Config
from .files import read_regular_file
from .findings import Finding, sort_findings
from .first_seen import GitDates, first_seen
from .load import load_journal, unread_people
from .model import Journal, build_journal
from .paths import PRIVATE_FOLDER
from .walk import JournalFiles, person_notes


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
    audience_key: bytes = b""  # another audience's: what its opaque ids and calendar UIDs are keyed by
    history: History = field(default_factory=dict)  # the commits' changes of people's role and org (career_history.py)

    def site(self):
        """This analysis as pages and exports read it (site/context.py), its findings those found here."""
        from .derive import Memo
        from .site.context import Site

        site = Site(self.journal, Memo(), self.config, self.today, self.audience, note_count=self.note_count,
                    audience_key=self.audience_key, history=self.history)
        site.memo.record(("findings",), tuple(self.findings), ())
        return site


def without_private_folder(root: Path) -> bool:
    """True in a clone that lacks the git-ignored private/ folder its owner keeps."""
    if (root / PRIVATE_FOLDER).exists():
        return False
    try:
        ignore = read_regular_file(root / ".gitignore", 1024 * 1024).decode("utf-8", errors="replace")
    except OSError:
        return False
    return any(line.strip().strip("/") == PRIVATE_FOLDER for line in ignore.splitlines())


def analyze(root: Path, today: dt.date, files: JournalFiles | None = None, audience: Audience | None = None,
            on_loaded: Callable[[int], None] | None = None) -> Analysis:
    """Load, model and check the journal at ROOT as of TODAY, as AUDIENCE sees it (default: the owner).

    For any other audience the model is built from the records it may see, and only the relationship
    findings computed from that model are kept: a broken or private note's findings (paths, values,
    names) stay with the owner.
    """
    loaded = load_journal(root, files, on_loaded)
    audience = audience or Audience(OWNER, exclude_private=False)
    records, config = loaded.records, loaded.config
    key = b""
    history = people_history(root)
    if not audience.is_owner:
        from .audience import audience_config, audience_history, audience_key, audience_records, audience_view

        key = audience_key(root)
        view = audience_view(records, unread_people(loaded.files, loaded.unread_people, loaded.salvaged_names),
                             audience)
        history = audience_history(view.records, history, audience, view.names, view.redaction)
        config = audience_config(config, view.records, audience, view.names, view.redaction)
        records = audience_records(view.records, audience, key, view.names, view.redaction)
    journal, model_findings = build_journal(records)
    if loaded.files is not None:
        journal.set_first_seen(first_seen(person_notes(loaded.files.notes), GitDates(root).dates(None)))
    read = []
    if audience.is_owner:
        from .checks.tracked import check_private_tracked

        read = _note_findings(root, loaded.findings, model_findings) + check_private_tracked(root, loaded.records)
    checks: tuple[Check, ...] = (*ALL_CHECKS, functools.partial(check_congratulations, history=history))
    findings = read + run_checks(journal, config, today, checks)
    return Analysis(root, today, config, journal, sort_findings(findings), loaded.note_count, loaded.files,
                    audience, key, history)


def _note_findings(root: Path, load_findings: list[Finding], model_findings: list[Finding]) -> list[Finding]:
    """What reading and resolving the notes found, which only the owner sees."""
    if without_private_folder(root):
        # A mentor's clone: private/ is git-ignored and absent, so references into it cannot resolve.
        # They are dropped quietly here; the owner, who has the folder, still gets them checked.
        model_findings = [f for f in model_findings if f.code not in ("unknown-person", "unresolved-link")]
    return load_findings + model_findings
