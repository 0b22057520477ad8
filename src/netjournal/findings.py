"""Findings: what netjournal has to say about a journal, each with a stable code, a severity and a place.

Every stage (config, load, model, checks) returns findings instead of raising, the way Beancount's loader
returns entries *and* errors. The table of codes below is the single source of their documentation.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import takewhile
from operator import attrgetter

from .tuplestate import tuple_state
from .values import json_text


class Severity(enum.IntEnum):
    """How bad a finding is; the order sorts errors first."""

    ERROR = 0
    WARNING = 1
    INFO = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@tuple_state
@dataclass(frozen=True, order=True, slots=True)
class Source:
    """Where a finding points: a path relative to the journal (posix slashes) and a 1-based line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class CodeDoc:
    severity: Severity
    summary: str
    tune: str


#: Every finding code, its default severity, a one-line explanation and how to silence or tune it.
#: tests/test_docs.py fails when a code is used in the code base but missing here or in docs/checks.md.
CODES: dict[str, CodeDoc] = {
    "invalid-front-matter": CodeDoc(
        Severity.ERROR,
        "The YAML front matter does not parse, is not a mapping, is too large or too deep, or repeats a key.",
        "Fix the YAML at the line given; the note is skipped until then."),
    "missing-field": CodeDoc(
        Severity.ERROR,
        "A required field is absent or empty (`name: null`, `name: \"\"`): `name` for people, `date` and "
        "`with` for interactions, `title` and `stakeholders` for goals. A person or goal without one is "
        "still loaded, under its file name.",
        "Add the field, or fill it in."),
    "invalid-value": CodeDoc(
        Severity.ERROR,
        "A field has the wrong type or a value that cannot be read: a bad date, a bad cadence, "
        "`private: yes` instead of `true`.",
        "Fix the value at the line given."),
    "unknown-person": CodeDoc(
        Severity.ERROR,
        "A reference (`with`, `stakeholders`, `introduced_by`, a comment's `about`) names nobody in people/.",
        "Create the person note, or fix the spelling (the message suggests the closest id, name or alias); "
        "ids, names and aliases match case-insensitively."),
    "ambiguous-person": CodeDoc(
        Severity.ERROR,
        "A reference matches the name or alias of more than one person.",
        "Refer to the person by id (the file name without .md)."),
    "duplicate-id": CodeDoc(
        Severity.ERROR,
        "Two notes of the same kind share a file name (the id); the second is ignored.",
        "Rename one of the files."),
    "unreadable-file": CodeDoc(
        Severity.ERROR,
        "A note cannot be read: not UTF-8, too large, or an I/O error.",
        "Re-save the file as UTF-8, or move it out of the journal."),
    "skipped-path": CodeDoc(
        Severity.WARNING,
        "A symlink that leaves the journal, loops, or points at a folder was not followed; or a note's name "
        "is on something that is not a regular file (a FIFO, socket or device, or a link to one), which is "
        "not read.",
        "Replace the link with the file itself, or remove it."),
    "config-invalid": CodeDoc(
        Severity.ERROR,
        "netjournal.toml does not parse, or a setting has a bad value; the default is used instead.",
        "Fix the setting named in the message."),
    "config-unknown-key": CodeDoc(
        Severity.WARNING,
        "netjournal.toml has a key netjournal does not know (often a typo).",
        "Remove or correct the key (the message suggests the closest known one)."),
    "unresolved-link": CodeDoc(
        Severity.INFO,
        "A [[wikilink]] in a body names no person, goal or interaction.",
        "Create the note, or add the name to someone's `aliases`; "
        "or `[checks] ignore = [\"unresolved-link\"]`."),
    "private-note-tracked": CodeDoc(
        Severity.WARNING,
        "A private note, or the private/ folder, is tracked by git, or git holds a private note's text under "
        "another name (a note staged, then moved under private/), so whoever clones the journal can read it.",
        "Move the note under private/ (which `netjournal init` puts in .gitignore) and `git rm --cached` it."),
    "private-passage-tracked": CodeDoc(
        Severity.WARNING,
        "A note git tracks has a `<!-- private -->` passage: shared sites leave it out, but whoever clones the "
        "journal reads it in the file.",
        "Move the passage into the person's private annex (`private/people/<id>.md`, which git never sees), or "
        "accept that the repository's readers see it."),
    "private-name-in-path": CodeDoc(
        Severity.WARNING,
        "A file git tracks has a private person's id or name in its name, which whoever clones the journal "
        "reads in the list of files.",
        "Rename the file (`git mv`), or move it under private/."),
    "private-marker": CodeDoc(
        Severity.WARNING,
        "A comment looks like a private marker but is not exactly `<!-- private -->` or `<!-- /private -->` "
        "(it opens a private passage all the same), or a closing marker closes nothing.",
        "Write the markers exactly `<!-- private -->` and `<!-- /private -->`."),
    "ambiguous-alias": CodeDoc(
        Severity.WARNING,
        "A name, alias or id of a person hidden from shared views is shorter than 3 characters or is also a "
        "visible person's name: shared views replace it with 'someone' wherever it stands in a visible note.",
        "Give the person a longer alias; or `ignore: [ambiguous-alias]` in their front matter."),
    "unknown-field": CodeDoc(
        Severity.WARNING,
        "A front-matter key is not one netjournal knows for this kind of note but is close to one (a typo, "
        "such as `privat:` for `private:`); the message suggests it.",
        "Correct the key. Keys far from every known one (your own fields) are left alone."),
    "stale-contact": CodeDoc(
        Severity.WARNING,
        "The person is due for contact: their last contact (else `met`, else the day their note first "
        "appeared in git's history or, outside git, the file's date) plus their cadence is before today. "
        "Information (a contact due, listed by `netjournal due`) until they are late by more than a quarter "
        "of their cadence, a warning after: 46 days since the last contact on a 30-day cadence is a warning, "
        "35 days is not.",
        "Log an interaction; or set `cadence` (e.g. `6m` or `none`), `snooze_until` or `paused: true` "
        "on the person; or tune `[cadence]` in netjournal.toml."),
    "welcome-back": CodeDoc(
        Severity.INFO,
        "A person paused with `paused: {until: YYYY-MM-DD}` is back on that day and not contacted since: "
        "welcome them back. Before that day they get no reminders.",
        "Log an interaction with them; or remove `paused`."),
    "follow-up-overdue": CodeDoc(
        Severity.WARNING,
        "A follow-up is not done and its due date is before today.",
        "Do it and mark it done (`done: true`, or `- [x]`), or move its due date."),
    "follow-up-due": CodeDoc(
        Severity.INFO,
        "A follow-up is due today or within the next days (`[follow_ups] soon`, default 7d); or a follow-up "
        "without a due date has been open `[follow_ups] undated_due` (default 14d): a promise ages. A goal's "
        "`- [ ]` tasks are follow-ups of the goal; a follow-up that names a person (`[[Raj]]`, or their name, "
        "alias or first name) is for that person.",
        "Tune `[follow_ups] soon` and `undated_due` in netjournal.toml; or give the follow-up a due date."),
    "reciprocity-imbalance": CodeDoc(
        Severity.WARNING,
        "Within the window (default 180 days) you asked this person for clearly more than you gave them. "
        "Counted are the entries of one-to-one interactions and, in a group, the entries aimed at them "
        "(`{what: …, of: them}`); a group's plain entries count for no one. People with a tag in "
        "`[reciprocity] exempt_tags` (default `[\"manager\"]`: with a manager the work is the give) are exempt.",
        "Give first; or tune `[reciprocity] window`, `threshold` (asks minus gives, default 3) and "
        "`exempt_tags`."),
    "cold-ask": CodeDoc(
        Severity.WARNING,
        "Your very first logged interaction with someone opens the relationship with an ask (one of "
        "`asked:` that concerns them alone: in a group interaction only an ask aimed at them). Not when you "
        "knew them before (`met` earlier than that interaction, or `introduced_by` someone), not when that "
        "interaction's kind is in `[reciprocity] cold_ask_exempt_kinds` (default `[\"onboarding\"]`) or the "
        "person has a tag in `cold_ask_exempt_tags` (default `[\"manager\", \"team\"]`): a new job's first "
        "1:1s may ask. It expires `cold_ask_expires` (default 60d) after that interaction.",
        "Set those lists in netjournal.toml (`[]` to exempt nothing); add `ignore: [cold-ask]` to the "
        "person's front matter; or `[checks] ignore`."),
    "thanks-owed": CodeDoc(
        Severity.WARNING,
        "Someone gave you an introduction, a referral or interview help (a `received:` entry that says so, "
        "or a person with `introduced_by: them`), `[reciprocity] thanks_grace` (default 7d) has passed and "
        "no thank-you (an interaction of kind `thanks`) or give to them is logged since. The message names "
        "what it led to when the notes say (a later interaction linking it; the person introduced now your "
        "manager or a goal's stakeholder). Listed by `netjournal due`.",
        "Thank them and log it; or tune `[reciprocity] thanks_grace`."),
    "unreturned-favour": CodeDoc(
        Severity.INFO,
        "Give back: they gave you something (other than the introductions, referrals and interview help of "
        "`thanks-owed`) and nothing has gone back since, after the grace period (default 90 days). Each give "
        "answers one favour, oldest first. A mentor's (tag `mentor`) advice is answered by any later "
        "interaction with them: telling them what you did with it. Exempt tags as for reciprocity-imbalance.",
        "Give something back (a `gave:` entry); or tune `[reciprocity] grace`."),
    "narrow-topics": CodeDoc(
        Severity.INFO,
        "Your last several conversations with someone were all asks, or all on one topic.",
        "Vary the conversation; or tune `[reciprocity] narrow_after` (default 4 conversations)."),
    "goal-stakeholder-cold": CodeDoc(
        Severity.WARNING,
        "A stakeholder of an active goal is stale or was never contacted; the goal's coverage is reported.",
        "Reach out to the stakeholder, or set the goal's `status` to achieved or dropped."),
    "goal-decider-cold": CodeDoc(
        Severity.WARNING,
        "A stakeholder whose map entry gives them a key role (`decider` or `gatekeeper`) of an active goal was "
        "never contacted or has gone cold: said instead of `goal-stakeholder-cold` for them.",
        "Reach out (the goal page and `netjournal intro PERSON` say who can introduce you); or choose the key "
        "roles with `[goals] key_roles` in netjournal.toml (`[]` for none)."),
    "goal-engagement-gap": CodeDoc(
        Severity.WARNING,
        "A mapped stakeholder of an active goal is below their `desired` engagement and you have not been in "
        "touch with them since the goal `started:` (a goal without `started:` is not checked for this).",
        "Meet them; or update their `engagement` when it has moved; or `ignore: [goal-engagement-gap]` in their "
        "front matter."),
    "goal-resistant-ungiven": CodeDoc(
        Severity.WARNING,
        "A stakeholder mapped `engagement: resistant` of an active goal has never been given anything by you "
        "(no `gave:` entry that concerns them).",
        "Give first, preferably what their entry says they `wants`; or `ignore: [goal-resistant-ungiven]` in "
        "their front matter."),
    "goal-lobbying": CodeDoc(
        Severity.INFO,
        "You first contacted a stakeholder of an active goal (their `met:` or first interaction) on or after "
        "the goal `started:`, and have given them nothing: lobbying rather than networking.",
        "Give them something (a `gave:` entry); or `ignore: [goal-lobbying]` in their front matter; goals "
        "without `started:` are not checked for this."),
    "vague-ask": CodeDoc(
        Severity.INFO,
        "An ask within the reciprocity window is a blank check: one of the vague phrases (\"help\", \"any "
        "advice\", \"support\", \"anything you can do\" …), or fewer words than `[asks] min_words` (default 2) "
        "once filler words are left out. Reported once, under the first person it concerns.",
        "Ask for one specific thing; or tune `[asks] vague` (the phrases) and `[asks] min_words` in "
        "netjournal.toml; or `[checks] ignore = [\"vague-ask\"]`."),
    "congratulate": CodeDoc(
        Severity.INFO,
        "Someone's role or org changed (a dated `changes:` entry, or a commit of their note when the journal "
        "is a git repository, dated by the commit) and no interaction with them is on or after that day: "
        "congratulate them. Only the latest change counts, and only a promotion or a new job by default; a "
        "change of case, spacing or punctuation, a small spelling fix, a role filled in or emptied, and a "
        "commit undone since are no change. A commit's change is taken for a new job when the org changed, "
        "for someone leaving when the new value says so (`Former …`, `Open to work`), else for a promotion.",
        "Log the interaction in which you congratulated them; or write the change's `kind` in a `changes:` "
        "entry with the same new value (`kind: other` is not congratulated); or set `[congratulations] kinds` "
        "(default `[\"promotion\", \"new-job\"]`) and `within` (how long after the change, default 90d); or "
        "`ignore: [congratulate]` on the person."),
    "important-date": CodeDoc(
        Severity.INFO,
        "A person's `birthday` or an entry of their `dates:` (a work anniversary) comes within `[follow_ups] "
        "soon` (default 7d); it is listed by `due` and on the dashboard, and the calendar feed has every such "
        "day of the coming year. Only the owner sees them: no shared site or export shows a birthday or a date.",
        "`ignore: [important-date]` on the person; `[checks] ignore = [\"important-date\"]` for everyone."),
    "likely-duplicate": CodeDoc(
        Severity.WARNING,
        "Two people are probably one: they share an e-mail address, or their names differ only by accents, "
        "case, punctuation, word order or a middle initial (`José García` and `Garcia, Jose`, `Ana M. Silva` "
        "and `Ana Silva`; not `Ana M. Silva` and `Ana P. Silva`). The message says which note to merge into "
        "which.",
        "Merge the two notes as the message says (the other's details and name as an alias into the one "
        "kept, its interactions' `with:` pointed at it); or, when they are two people, add "
        "`ignore: [likely-duplicate]` to either of them."),
}


#: Findings that can follow from another note's error (a person note that does not parse makes the
#: references to them unknown): listed after the others of their severity, so the root cause comes first.
KNOCK_ON_CODES = frozenset({"unknown-person", "ambiguous-person", "unresolved-link"})


@dataclass(frozen=True)
class Finding:
    """One thing netjournal noticed. `person` is the id of the person it is about, when there is one."""

    code: str
    message: str
    source: Source | None = None
    person: str | None = None
    level: Severity | None = None  # this finding's severity, when not its code's (`stale-contact` a day late)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"undocumented finding code {self.code!r}")

    @property
    def severity(self) -> Severity:
        return self.level if self.level is not None else CODES[self.code].severity

    @property
    def path(self) -> str | None:
        return self.source.path if self.source else None

    @property
    def line(self) -> int | None:
        return self.source.line if self.source else None

    @cached_property
    def sort_key(self) -> tuple:
        """Total over distinct findings, so their sorted order never depends on the order they were found
        in; a note that does not load comes before the references it leaves unresolved (KNOCK_ON_CODES).
        Kept once made: a build sorts every finding, most of them kept from the last build."""
        return (self.severity, self.code in KNOCK_ON_CODES, self.path or "", self.line or 0, self.code,
                self.message, self.person or "")

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity.label, "path": self.path, "line": self.line,
                "message": self.message, "person": self.person}


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; within each, unresolved references last (their cause may
    be another note's error, listed before them), and by file and line."""
    return sorted(findings, key=_sort_key)


_sort_key = attrgetter("sort_key")


def leading_errors(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The errors of FINDINGS sorted by sort_findings, where they come first."""
    return tuple(takewhile(lambda finding: finding.severity == Severity.ERROR, findings))


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    return counts


def summary_line(findings: list[Finding], notes: int) -> str:
    counts = count_by_severity(findings)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 or word == "info" else "s")

    parts = [plural(counts[Severity.ERROR], "error"), plural(counts[Severity.WARNING], "warning"),
             plural(counts[Severity.INFO], "info")]
    return f"{', '.join(parts)} in {plural(notes, 'note')}"


def format_text(findings: Iterable[Finding]) -> str:
    """One line per finding, `path:line: severity: message [code]`, the form editors and hooks parse."""
    lines = []
    for f in sort_findings(findings):
        where = str(f.source) if f.source else "netjournal"
        lines.append(f"{where}: {f.severity.label}: {f.message} [{f.code}]")
    return "\n".join(lines)


def format_json(findings: Iterable[Finding]) -> str:
    return json_text([f.as_dict() for f in sort_findings(findings)])


#: docs/checks.md after the table: the order `due`, the dashboard and the calendar share, and the settings
#: `netjournal init` writes, each with its reason
RANKING_AND_DEFAULTS = """
## What comes first

`netjournal due`, the dashboard's "This week" panel (its first seven lines) and the calendar feed share one
ranking (ranking.py). Each person gets one line, all their findings and promises merged, with the reason in
a few words:

1. **Stakeholders of an active goal** who are due for contact: the never-contacted ones first (they are due
   from the day the goal names them), then by how late they are for their cadence.
2. **People you owe**, by a weight in days: a promise counts the days it is overdue (one without a due date,
   the days it has been open beyond `[follow_ups] undated_due`); thanks owed for an introduction, a referral
   or interview help (`thanks-owed`) count 30; a congratulation owed on a new role or org (`congratulate`)
   21; a give where you have only been asking (`reciprocity-imbalance`) 14. So a congratulation comes before
   a promise 7 days overdue, and after one 22 days overdue.
3. **People due for contact**, by relative lateness: days late divided by the cadence, so a week late on a
   14-day cadence comes before two weeks late on a 180-day one; then those due soon, and welcome-backs. A
   birthday or a date from `dates:` within `[follow_ups] soon` (`important-date`) ranks here as if half a
   cadence late.
4. **The rest**: a favour to give back, a cold ask, conversations all alike.

Someone never contacted and never met is due a cadence after their note first appeared: the day git's
history first has it (following renames), or outside git the file's modification date.

## Defaults a coach would choose

`netjournal init` writes these into netjournal.toml; change any of them there. Without a setting (a journal
made before them) the built-in values apply: a 90-day default cadence and no tag cadences; the give-and-take
and promise settings below are built in as shown.

"""


#: The settings `netjournal init` writes, with why a coach would choose each
DEFAULTS = (
    ("[cadence] default", "180d", "Twice a year keeps a weak tie alive; more often for everyone becomes a chore "
     "and gets ignored."),
    ("[cadence.tags] stakeholder", "30d", "People who decide your goals should hear from you monthly, before the "
     "decision, not at it."),
    ("[cadence.tags] mentor", "45d", "Every six weeks leaves time to act on their advice and come back with what "
     "you did."),
    ("[cadence.tags] hub", "60d", "Connectors open doors; every two months keeps you in mind without asking each "
     "time."),
    ("[cadence.tags] peer, team", "60d", "You see them at work; a deliberate conversation every two months is "
     "enough."),
    ("[cadence.tags] manager", "none", "You meet every week; a reminder would be noise."),
    ("[reciprocity] window", "180d", "Six months is how long a favour is remembered; a year counts asks long "
     "settled."),
    ("[reciprocity] thanks_grace", "7d", "An introduction, referral or interview help deserves thanks within a "
     "week, and news of what it led to."),
    ("[reciprocity] grace", "90d", "Other favours are given back when a chance comes, within about three months."),
    ("[reciprocity] cold_ask_expires", "60d", "An ask on first contact is worth a warning while it can be "
     "repaired; after two months it is history."),
    ("[reciprocity] exempt_tags", "manager", "With a manager the work is the give; asks in 1:1s are the job."),
    ("[reciprocity] cold_ask_exempt_kinds, cold_ask_exempt_tags", "onboarding; manager, team",
     "A new job's first 1:1s ask by design (built in, not written by init)."),
    ("[follow_ups] soon", "7d", "A week ahead is what \"this week\" means."),
    ("[follow_ups] undated_due", "14d", "A promise without a date is due in two weeks: after that it is late in "
     "the other person's mind."),
)


def codes_markdown() -> str:
    """docs/checks.md, generated from CODES: `python -m netjournal.findings > docs/checks.md`."""
    lines = ["# Finding codes", "",
             "Every finding `netjournal check` reports has a stable code. Severity decides the exit status:",
             "errors exit 1; warnings exit 1 only under `--strict`; info never does.", "",
             "Silence a code everywhere with `[checks] ignore = [\"code\"]` in netjournal.toml, or for one person "
             "with", "`ignore: [code]` in their front matter. The table below says how to tune each one.", "",
             "| code | severity | what it means | how to silence or tune it |", "|---|---|---|---|"]
    lines += [f"| `{code}` | {doc.severity.label} | {doc.summary} | {doc.tune} |" for code, doc in CODES.items()]
    lines += [RANKING_AND_DEFAULTS, "| setting | init writes | why |", "|---|---|---|"]
    lines += [f"| `{setting}` | {value} | {why} |" for setting, value, why in DEFAULTS]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(codes_markdown(), end="")
