"""Checks: plain functions from (journal, config, today) to findings, one module per family.

`run_checks` runs them all and applies the user's silencing (`[checks] ignore` in netjournal.toml, and a
person's `ignore:` list for findings about that person).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from ..config import Config
from ..findings import Finding
from ..model import Journal
from .asks import check_asks
from .congratulations import check_important_dates
from .duplicates import check_duplicates
from .followups import check_follow_ups
from .goals import check_goals
from .hidden import check_hidden_names
from .reciprocity import check_reciprocity
from .staleness import check_staleness

Check = Callable[[Journal, Config, dt.date], list[Finding]]

ALL_CHECKS: tuple[Check, ...] = (check_staleness, check_follow_ups, check_reciprocity, check_asks, check_goals,
                                 check_hidden_names, check_duplicates, check_important_dates)


def silence(findings: Iterable[Finding], journal: Journal, config: Config) -> list[Finding]:
    """Drop findings whose code the config ignores, or that the person's own `ignore:` list names."""
    kept = []
    for finding in findings:
        if finding.code in config.ignore_codes:
            continue
        person = journal.people.get(finding.person) if finding.person else None
        if person is not None and finding.code in person.ignore:
            continue
        kept.append(finding)
    return kept


def run_checks(journal: Journal, config: Config, today: dt.date,
               checks: Iterable[Check] = ALL_CHECKS) -> list[Finding]:
    findings: list[Finding] = []
    for check in checks:
        findings.extend(check(journal, config, today))
    return silence(findings, journal, config)
