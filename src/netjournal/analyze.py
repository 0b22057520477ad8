"""The whole read side in one call: load the notes, build the model, run the checks."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .checks import run_checks
from .config import Config
from .findings import Finding, sort_findings
from .load import JournalFiles, NoteLoad, load_journal, read_and_load
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


def analyze(root: Path, today: dt.date, loader: Callable[[str, str, Path], NoteLoad] = read_and_load,
            files: JournalFiles | None = None) -> Analysis:
    loaded = load_journal(root, loader, files)
    journal, model_findings = build_journal(loaded.records)
    findings = loaded.findings + model_findings + run_checks(journal, loaded.config, today)
    return Analysis(root, today, loaded.config, journal, sort_findings(findings), loaded.note_count, loaded.files)
