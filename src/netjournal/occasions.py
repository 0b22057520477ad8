"""Occasions to get in touch: a new role or job to congratulate someone on, and the days that come back every
year (a birthday, a work anniversary).

A change comes from the person's `changes:` entries or from the git history of their note (career_history.py).
Congratulations must not misfire: a change of case, spacing or punctuation, or a small spelling fix, is no
change (`same_text`); a role or org filled in where there was none, or emptied, is no change either; a
commit whose new value is not the person's value any more is not congratulated (it was undone or
changed again); only the latest change counts, and only of the kinds the config names (promotions and
new jobs by default: not someone who left). A congratulation is owed until an interaction on or after the
day of the change, and for at most `[congratulations] within` days.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .career_history import FieldChange
from .records import ChangeRecord, PersonRecord
from .values import next_yearly

#: Words in a new role or org that say the person left their job rather than took one
_LEFT = re.compile(r"\b(former(ly)?|retired|unemployed|between (jobs|roles)|looking for|open to work|laid off|"
                   r"left|leaving|on leave|sabbatical|ex)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class RoleChange:
    """On DATE the person's role and/or org changed: ROLE and ORG are (before, after), before "" when not
    known, None when that one did not change. KIND: promotion, new-job, left or other. LINE is the line
    of the `changes:` entry it comes from (None: from a commit)."""

    date: dt.date
    role: tuple[str, str] | None
    org: tuple[str, str] | None
    kind: str
    line: int | None = None

    @property
    def from_git(self) -> bool:
        return self.line is None

    def describe(self) -> str:
        """`role Senior PM → Director of Product`, `org Acme → Globex` (what changed from what)."""
        parts = []
        for name, pair in (("role", self.role), ("org", self.org)):
            if pair is not None:
                before, after = pair
                parts.append(f"{name} {before} → {after}" if before else f"{name} now {after}")
        return "; ".join(parts) or "left their job"


@dataclass(frozen=True)
class Congratulation:
    """PERSON's CHANGE, which no interaction has followed yet."""

    person: str
    change: RoleChange

    def reason(self) -> str:
        """`promotion on 2026-10-01: role Senior PM → Director of Product`."""
        source = "git" if self.change.from_git else "changes"
        return f"{self.change.kind.replace('-', ' ')} on {self.change.date} ({source}): {self.change.describe()}"


@dataclass(frozen=True)
class ImportantDate:
    """A day coming up: ON is its next occurrence, WHAT says what it is, YEARS how many years it marks
    (an anniversary's, when its first year is known)."""

    on: dt.date
    person: str
    what: str
    years: int | None = None
    line: int | None = None  # of the `dates:` entry (None: the `birthday` field)

    def describe(self, name: str | None) -> str:
        """`Lena's birthday`, `Lena: work anniversary (7 years)`; without NAME, `birthday`."""
        years = f" ({self.years} year{'s' if self.years != 1 else ''})" if self.years else ""
        if name is None:
            return f"{self.what}{years}"
        return f"{name}'s {self.what}{years}" if self.what == "birthday" else f"{name}: {self.what}{years}"


@dataclass(frozen=True)
class Occasion:
    """Something to do for PERSON on ON, as plain data for `due`, the dashboard and the calendar (which
    order them): CODE is the finding code that says what (`congratulate`, `important-date`), REASON the
    text that says why, TITLE a few words for a calendar entry's summary."""

    code: str
    person: str
    on: dt.date
    reason: str
    title: str


# --- when is a change a change ---------------------------------------------------------------------------------

def name_words(text: str) -> list[str]:
    """TEXT's words, case folded and accents dropped (`Garcia, José` -> garcia, jose)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))


def _distance(a: str, b: str, limit: int) -> int:
    """The edit distance of A and B, a swap of two neighbours counting as one (more than LIMIT: LIMIT + 1)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


def _spelling_fix(a: str, b: str) -> bool:
    """Are words A and B one word spelled two ways: a letter off in a word of 5 letters or more, two in
    one of 9 or more? (`Enginer`/`Engineer`; not `Lead`/`Head`, `Junior`/`Senior` or `II`/`III`.)"""
    shortest = min(len(a), len(b))
    if shortest < 5:
        return False
    limit = 1 if shortest < 9 else 2
    return _distance(a, b, limit) <= limit


def same_text(a: str, b: str) -> bool:
    """Do A and B name the same role or org, told apart only by case, accents, spacing, punctuation or a
    small spelling fix?"""
    wa, wb = name_words(a), name_words(b)
    if wa == wb or "".join(wa) == "".join(wb):
        return True
    return len(wa) == len(wb) and all(x == y or _spelling_fix(x, y) for x, y in zip(wa, wb, strict=True))


def infer_kind(role: str | None, org: str | None) -> str:
    """The kind of a change that does not say: left when the new role or org says so (`Former CTO`,
    `Open to work`), a new job when the org changed, else a promotion (a new role)."""
    if any(_LEFT.search(text) for text in (role, org) if text):
        return "left"
    return "new-job" if org else "promotion"


# --- a person's changes ------------------------------------------------------------------------------------------

def _entry_changes(entries: Iterable[ChangeRecord]) -> list[RoleChange]:
    """The `changes:` entries as changes, oldest first; what each field was before is the previous entry's
    value of it (unknown for the first)."""
    last: dict[str, str] = {}
    found = []
    for entry in sorted(entries, key=lambda e: (e.date, e.line)):
        pairs: dict[str, tuple[str, str] | None] = {}
        for name in ("role", "org"):
            value = getattr(entry, name)
            pairs[name] = None if value is None else (last.get(name, ""), value)
            if value is not None:
                last[name] = value
        if not entry.kind and all(pair is None or (pair[0] and same_text(*pair)) for pair in pairs.values()):
            continue  # an entry repeating what the last one said, unless it says what kind it is
        found.append(RoleChange(entry.date, pairs["role"], pairs["org"], entry.kind or infer_kind(
            entry.role, entry.org), entry.line))
    return found


def real_commits(commits: Iterable[FieldChange]) -> list[FieldChange]:
    """Of COMMITS (one note's, oldest first), those that change something: not a spelling fix (same_text),
    not a commit undoing an earlier one of the same field."""
    changes = [commit for commit in commits if not same_text(commit.before, commit.after)]
    return [commit for index, commit in enumerate(changes) if not any(
        e.field == commit.field and same_text(e.before, commit.after) and same_text(e.after, commit.before)
        for e in changes[:index])]  # in the order given, as the note's history has them


def _git_changes(person: PersonRecord, commits: Iterable[FieldChange], entries: list[RoleChange]) -> list[RoleChange]:
    """The commits' changes of PERSON's role and org that are changes: not a spelling fix, not undone by
    a later commit, still the person's value, and not one a `changes:` entry already tells (that one
    learns what the value was before, when it does not know)."""
    by_field: dict[str, list[FieldChange]] = {}
    for commit in real_commits(commits):
        by_field.setdefault(commit.field, []).append(commit)
    kept: dict[dt.date, dict[str, tuple[str, str]]] = {}
    for name, found in by_field.items():
        current = getattr(person, name)
        for commit in found:
            if not current or not same_text(commit.after, current):
                continue  # not what they are now
            told = next((e for e in entries if getattr(e, name) is not None
                         and same_text(getattr(e, name)[1], commit.after)), None)
            if told is not None:
                if not getattr(told, name)[0]:  # the entry learns what it was before
                    entries[entries.index(told)] = _with_before(told, name, commit.before)
                continue
            kept.setdefault(commit.date, {})[name] = (commit.before, commit.after)
    return [RoleChange(date, pairs.get("role"), pairs.get("org"),
                       infer_kind(pairs["role"][1] if "role" in pairs else None,
                                  pairs["org"][1] if "org" in pairs else None))
            for date, pairs in sorted(kept.items())]


def _with_before(change: RoleChange, name: str, before: str) -> RoleChange:
    from dataclasses import replace

    pair = getattr(change, name)
    return replace(change, role=(before, pair[1])) if name == "role" else replace(change, org=(before, pair[1]))


def role_changes(person: PersonRecord, commits: Iterable[FieldChange] = ()) -> list[RoleChange]:
    """PERSON's changes of role and org, from their `changes:` and the commits of their note, oldest first
    (of one day, the entry last: it says what kind the change was)."""
    entries = _entry_changes(person.changes)
    found = _git_changes(person, commits, entries) + entries
    return sorted(found, key=lambda c: (c.date, not c.from_git, c.line or 0))


def congratulation(person: PersonRecord, commits: Iterable[FieldChange], contacts: Iterable[dt.date],
                   today: dt.date, kinds: frozenset[str], within: int) -> Congratulation | None:
    """What PERSON is owed congratulations on as of TODAY: their latest change, when it is of KINDS, at
    most WITHIN days old, and no contact (CONTACTS: the dates of your interactions with them) is on or
    after its day (and not after TODAY)."""
    changes = [c for c in role_changes(person, commits) if c.date <= today]
    if not changes:
        return None
    latest = changes[-1]
    if latest.kind not in kinds or (today - latest.date).days > within:
        return None
    if any(latest.date <= day <= today for day in contacts):
        return None
    return Congratulation(person.id, latest)


# --- days that come back every year -------------------------------------------------------------------------

def important_dates(person: PersonRecord, today: dt.date) -> list[ImportantDate]:
    """PERSON's birthday and `dates:` entries, each on its next day on or after TODAY."""
    found = []
    if person.birthday is not None:
        found.append(ImportantDate(next_yearly(person.birthday.month, person.birthday.day, today), person.id,
                                   "birthday"))
    for entry in person.dates:
        on = next_yearly(entry.date.month, entry.date.day, today)
        years = on.year - entry.date.year if entry.date.year and on.year > entry.date.year else None
        found.append(ImportantDate(on, person.id, entry.what, years, entry.line))
    return found
