"""Walk a journal folder and turn every note into a record, collecting findings instead of raising.

`load_note` is a pure function of (kind, path, bytes): that is what a cache or a process pool wraps.
`load_journal` walks people/, interactions/, goals/ (and the same inside private/), never follows a
symlink out of the journal, and returns the records plus every finding.
"""
from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .files import NOT_REGULAR, read_regular_file
from .findings import Finding, Source
from .notes import ParsedNote, parse_note
from .paths import KINDS, PRIVATE_FOLDER, is_note_name, nfc
from .records import (
    CHANGE_KINDS,
    ENGAGEMENT,
    EXCHANGES,
    LEVELS,
    Aim,
    ChangeRecord,
    CommentRecord,
    DatedEntry,
    FollowUpRecord,
    GoalRecord,
    InteractionRecord,
    PersonRecord,
    Record,
    Ref,
    StakeholderPlan,
    YearlyDate,
    annex_paths,
)
from .redact import tag_key
from .tasks import find_tasks, find_wikilinks, marker_problems
from .values import ValueProblem, date_problem, parse_date, parse_duration, parse_yearly

AIM_KEYS = ("of", "to", "from")  # `{what: …, of: lena}`: whom an entry of gave, asked or received names
#: The keys of a stakeholder map entry (`stakeholders: [{who: tomas, role: gatekeeper, …}]`)
PLAN_KEYS = ("who", "role", "influence", "interest", "engagement", "desired", "wants")
_AIM_WORD = {"gave": "to", "asked": "of", "received": "from"}  # the one that reads best, for messages
GOAL_STATUSES = ("active", "achieved", "dropped")
#: The front-matter keys netjournal reads, per kind of note (docs/format.md describes each): a key close to
#: one of these but not it is an `unknown-field` warning with a suggestion
KNOWN_FIELDS: dict[str, tuple[str, ...]] = {
    "people": ("name", "aliases", "org", "role", "email", "phone", "links", "location", "tags", "cadence", "met",
               "introduced_by", "snooze_until", "paused", "private", "ignore", "changes", "birthday", "dates"),
    "interactions": ("date", "with", "kind", "title", "topics", "gave", "asked", "received", "follow_ups",
                     "private"),
    "goals": ("title", "stakeholders", "started", "target", "status", "private"),
    "comments": ("author", "date", "about", "private"),
}


@dataclass
class NoteLoad:
    """The outcome of loading one note: a record (None when the note is unusable) and its findings."""

    record: Record | None
    findings: list[Finding] = field(default_factory=list)


#: One note's load before a change and after it (None: the note was not there, or is gone)
NoteChange = tuple[NoteLoad | None, NoteLoad | None]


class _Fields:
    """Reads typed fields from front matter, turning each problem into an `invalid-value` finding."""

    def __init__(self, parsed: ParsedNote, path: str) -> None:
        self.data = parsed.data
        self.parsed = parsed
        self.path = path
        self.findings: list[Finding] = []

    def line(self, key: str) -> int:
        return self.parsed.key_lines.get(key, 1)

    def item_line(self, key: str, index: int) -> int:
        return self.parsed.item_lines.get((key, index), self.line(key))

    def problem(self, key: str, message: str, line: int | None = None) -> None:
        self.findings.append(Finding("invalid-value", f"{key}: {message}", Source(self.path, line or self.line(key))))

    def missing(self, key: str, what: str) -> None:
        """WHAT needs KEY, which is absent, or there with nothing in it (`name:`, `name: null`, `name: ""`)."""
        if key in self.data:
            self.findings.append(Finding("missing-field", f"{what} needs a '{key}' field; this one is empty",
                                         Source(self.path, self.line(key))))
        else:
            self.findings.append(Finding("missing-field", f"{what} needs a '{key}' field", Source(self.path, 1)))

    def empty(self, key: str) -> bool:
        """KEY is absent, null, an empty list, or text of spaces only (a value of another kind is not
        empty: its reader reports it)."""
        value = self.data.get(key)
        return value is None or value == [] or (isinstance(value, str) and not value.strip())

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if value is None:
            return ""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value).strip()
        self.problem(key, f"expected text, got {_describe(value)}")
        return ""

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of short texts; a single text counts as a list of one."""
        value = self.data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        result = []
        for index, item in enumerate(items):
            text = self._text(key, item, self.item_line(key, index) if isinstance(value, list) else None)
            if text:
                result.append(text)
        return tuple(result)

    def words(self, key: str) -> tuple[str, ...]:
        """Tags or topics: KEY's texts, a text of comma-separated words counting as a list (`tags: a, b`), with
        those of keys that are mistypings of KEY (`Tags:`, `tag:`; `check` reports them as unknown): what they
        hold was meant as KEY's, and an audience's excluded tags must find it (fail closed)."""
        # a known field is never a mistyping of another (none is close to `tags` or `topics`: a test pins it),
        # and skipping them spares difflib on every note
        keys = [key, *(other for other in self.data
                       if other not in _EVERY_FIELD and _close_to(other, (key,)) == key)]
        found = []
        for name in keys:
            value = self.data.get(name)
            if isinstance(value, str):
                found += [part.strip() for part in value.split(",") if part.strip()]
            else:
                found += self.texts(name)
        return tuple(found)

    def _text(self, key: str, item: Any, line: int | None) -> str | None:
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            return str(item).strip()
        if isinstance(item, dict) and len(item) == 1:
            # `- shared a deck: about X` reads as a mapping in YAML; keep what the user wrote.
            ((k, v),) = item.items()
            return f"{k}: {v}" if v is not None else str(k)
        self.problem(key, f"expected text or a list of texts, got {_describe(item)}", line)
        return None

    def exchanges(self, key: str) -> tuple[tuple[str, ...], list[Aim]]:
        """`gave:`, `asked:` or `received:` (KEY): texts as `texts` reads them, any of which may name its
        people, `{what: an intro, of: lena}` (`of`, `to` or `from`, a person or a list): those come back
        as Aims too, by their index among the texts."""
        value = self.data.get(key)
        if not isinstance(value, list) or not any(isinstance(item, dict) and "what" in item for item in value):
            return self.texts(key), []
        texts: list[str] = []
        aims: list[Aim] = []
        for index, item in enumerate(value):
            line = self.item_line(key, index)
            if isinstance(item, dict) and "what" in item:
                entry = self._aimed(key, item, line)
                if entry is not None:
                    if entry[1]:
                        aims.append(Aim(key, len(texts), entry[1]))
                    texts.append(entry[0])
            elif text := self._text(key, item, line):
                texts.append(text)
        return tuple(texts), aims

    def _aimed(self, key: str, item: dict, line: int) -> tuple[str, tuple[Ref, ...]] | None:
        """An entry `{what: …, of: …}` of KEY at LINE: (its text, the people it names), else a problem."""
        unknown = [k for k in item if k != "what" and k not in AIM_KEYS]
        if unknown:
            self.problem(key, f"unknown key {unknown[0]!r}: an entry is {{what, of}}, {{what, to}} or "
                         "{what, from}", line)
            return None
        named = [k for k in AIM_KEYS if k in item]
        if len(named) > 1:
            self.problem(key, f"name the person with one of of, to or from, not {' and '.join(named)}", line)
            return None
        what = item["what"]
        if not isinstance(what, (str, int, float)) or isinstance(what, bool) or not str(what).strip():
            self.problem(key, f"each entry of the form {{what, {_AIM_WORD[key]}}} needs a 'what' text", line)
            return None
        people = item[named[0]] if named else None
        items = people if isinstance(people, list) else [] if people is None else [people]
        refs = (self._ref(key, person, line) for person in items)
        return str(what).strip(), tuple(ref for ref in refs if ref is not None)

    def date(self, key: str, required_for: str | None = None):
        value = self.data.get(key)
        if value is None:
            if required_for:
                self.missing(key, required_for)
            return None
        try:
            return parse_date(value)
        except ValueProblem as exc:
            self.problem(key, str(exc))
            return None

    def private(self, in_private_folder: bool) -> bool:
        """`private: true`, or the note sits in private/. Anything unclear counts as private (fail closed): a
        value that is not true or false, none at all (`private:`), the key spelled another way (`Private`,
        with a zero-width character in it) or nearly (`privat`, unless its value is false)."""
        private = in_private_folder or self.flag("private", when_unclear=True) or (
            "private" in self.data and self.data["private"] is None)
        for key in self.data:
            if key in _EVERY_FIELD:  # a field of some note kind (and `private` itself): no mistyping of it
                continue
            if _key_reading(key) == "private":
                self.problem(key, "the key is spelled 'private' (lower case, nothing else); the note counts as "
                             "private until then")
                private = True
            elif _close_to(key, ("private",)) and self.data[key] is not False:
                private = True  # and unknown_fields says which key was meant
        return private

    def unknown_fields(self, kind: str) -> None:
        """An `unknown-field` warning for each key that is not one of KIND's but is close to one."""
        known = KNOWN_FIELDS[kind]
        for key in self.data:
            if key in known or _key_reading(key) == "private":  # that one is an invalid-value already
                continue
            meant = _close_to(key, known)
            if meant:
                self.findings.append(Finding("unknown-field", f"unknown field {key!r} in a note of {kind}; did "
                                             f"you mean {meant!r}?", Source(self.path, self.line(key))))

    def flag(self, key: str, when_unclear: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        self.problem(key, f"expected true or false, got {_describe(value)}")
        return when_unclear

    def refs(self, key: str) -> tuple[Ref, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        result = []
        for index, item in enumerate(items):
            ref = self._ref(key, item, self.item_line(key, index) if isinstance(value, list) else self.line(key))
            if ref is not None:
                result.append(ref)
        return tuple(result)

    def _ref(self, key: str, item: Any, line: int) -> Ref | None:
        # `with: [[Ada Lovelace]]` unquoted is a list inside a list in YAML: read it as the wikilink it is.
        if isinstance(item, list) and len(item) == 1 and isinstance(item[0], str):
            item = item[0]
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)
        if isinstance(item, str) and item.strip():
            return Ref(_strip_wikilink(item), line)
        self.problem(key, f"expected a person (id, name or [[link]]), got {_describe(item)}", line)
        return None

    def stakeholders(self) -> tuple[tuple[Ref, ...], tuple[StakeholderPlan, ...]]:
        """`stakeholders:`: people as `refs` reads them, any of which may be a map entry `{who: tomas,
        role: gatekeeper, influence: high, interest: low, engagement: unaware, desired: supportive, wants:
        …}`: (every stakeholder's reference, in order; the map entries). A bad value in an entry is a
        finding at the entry's line, and that value is left out (the entry still counts)."""
        value = self.data.get("stakeholders")
        if not isinstance(value, list) or not any(isinstance(item, dict) for item in value):
            return self.refs("stakeholders"), ()
        refs: list[Ref] = []
        plans: list[StakeholderPlan] = []
        for index, item in enumerate(value):
            line = self.item_line("stakeholders", index)
            if isinstance(item, dict):
                plan = self._plan(item, line)
                if plan is not None:
                    refs.append(plan.who)
                    plans.append(plan)
            elif (ref := self._ref("stakeholders", item, line)) is not None:
                refs.append(ref)
        return tuple(refs), tuple(plans)

    def _plan(self, item: dict, line: int) -> StakeholderPlan | None:
        """A stakeholder map entry at LINE, or None (a finding says why) when it names nobody."""
        for key in item:
            if key not in PLAN_KEYS:
                close = _close_to(str(key), PLAN_KEYS)
                self.problem("stakeholders", f"unknown key {str(key)!r} in a stakeholder entry"
                             + (f"; did you mean {close!r}?" if close else f"; an entry has {', '.join(PLAN_KEYS)}"),
                             line)
        if item.get("who") is None:
            self.problem("stakeholders", "a stakeholder entry needs 'who' (a person: id, name or [[link]])", line)
            return None
        who = self._ref("stakeholders", item["who"], line)
        if who is None:
            return None
        values: dict[str, str] = {}
        for key, allowed in (("influence", LEVELS), ("interest", LEVELS), ("engagement", ENGAGEMENT),
                             ("desired", ENGAGEMENT)):
            if item.get(key) is None:
                continue
            word = str(item[key]).strip().casefold() if isinstance(item[key], str) else None
            if word is not None and word in allowed:
                values[key] = word
            else:
                self.problem("stakeholders", f"{key}: expected one of {', '.join(allowed)}, got "
                             f"{_describe(item[key])}", line)
        for key in ("role", "wants"):
            if item.get(key) is None:
                continue
            if isinstance(item[key], (str, int, float)) and not isinstance(item[key], bool):
                values[key] = str(item[key]).strip()
            else:
                self.problem("stakeholders", f"{key}: expected text, got {_describe(item[key])}", line)
        if "role" in values:
            values["role"] = values["role"].casefold()
        return StakeholderPlan(who, line, **values)

    def key_lines(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(self.parsed.key_lines.items()))

    def yearly(self, key: str, value: Any, line: int | None = None, prefix: str = "") -> YearlyDate | None:
        """A day that comes back every year (`parse_yearly`), or a problem at LINE."""
        try:
            year, month, day = parse_yearly(value)
        except ValueProblem as exc:
            self.problem(key, f"{prefix}{exc}", line)
            return None
        return YearlyDate(month, day, year)

    def entries(self, key: str, shape: str) -> list[tuple[dict, int]]:
        """The mappings listed under KEY, each with its line; anything else is a problem naming SHAPE."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, f"expected a list of {shape}, got {_describe(value)}")
            return []
        found = []
        for index, item in enumerate(value):
            line = self.item_line(key, index)
            if isinstance(item, dict):
                found.append((item, line))
            else:
                self.problem(key, f"expected {shape}, got {_describe(item)}", line)
        return found

    def changes(self) -> tuple[ChangeRecord, ...]:
        """`changes: [{date, role, org, kind}]`: what a person's role or org became, and when."""
        shape = "{date, role, org, kind}"
        result = []
        for item, line in self.entries("changes", shape):
            unknown = [k for k in item if k not in ("date", "role", "org", "kind")]
            if unknown:
                self.problem("changes", f"unknown key {str(unknown[0])!r}: an entry is {shape}", line)
                continue
            if item.get("date") is None:
                self.problem("changes", "each change needs a 'date'", line)
                continue
            try:
                date = parse_date(item["date"])
            except ValueProblem as exc:
                self.problem("changes", f"date: {exc}", line)
                continue
            kind = item.get("kind")
            kind = str(kind).strip().casefold() if isinstance(kind, str) else kind
            if kind is not None and kind not in CHANGE_KINDS:
                self.problem("changes", f"kind: expected one of {', '.join(CHANGE_KINDS)}, got {_describe(kind)}",
                             line)
                continue
            values = {}
            for name in ("role", "org"):
                raw = item.get(name)
                if raw is not None and (not isinstance(raw, (str, int, float)) or isinstance(raw, bool)):
                    self.problem("changes", f"{name}: expected text, got {_describe(raw)}", line)
                    raw = None
                values[name] = str(raw).strip() if raw is not None else None
            if not values["role"] and not values["org"] and kind != "left":
                self.problem("changes", "each change says the new 'role' or 'org' (or is of kind left)", line)
                continue
            result.append(ChangeRecord(date, values["role"] or None, values["org"] or None, kind or "", line))
        return tuple(result)

    def dates(self) -> tuple[DatedEntry, ...]:
        """`dates: [{date, what}]`: days to remember every year (a work anniversary)."""
        shape = "{date, what}"
        result = []
        for item, line in self.entries("dates", shape):
            what = item.get("what")
            unknown = [k for k in item if k not in ("date", "what")]
            if unknown:
                self.problem("dates", f"unknown key {str(unknown[0])!r}: an entry is {shape}", line)
            elif item.get("date") is None or not isinstance(what, (str, int, float)) or isinstance(what, bool) \
                    or not str(what).strip():
                self.problem("dates", f"each entry needs a 'date' and a 'what' text: {shape}", line)
            elif (day := self.yearly("dates", item["date"], line, "date: ")) is not None:
                result.append(DatedEntry(day, str(what).strip(), line))
        return tuple(result)


#: Every field of any kind of note: no key among them is read as a mistyped `private`
_EVERY_FIELD = frozenset(name for names in KNOWN_FIELDS.values() for name in names)


def _key_reading(key: str) -> str:
    """A front-matter key as a reader sees it: NFKC, invisible characters dropped, case folded."""
    return tag_key(key)


def _close_to(key: str, known: tuple[str, ...]) -> str | None:
    """The one of KNOWN that KEY looks like a mistyping of (another case, a letter off), or None."""
    reading = _key_reading(key).replace("-", "_").replace(" ", "_")
    for name in known:
        if reading == name:
            return name
    close = difflib.get_close_matches(reading, known, n=1, cutoff=0.8)
    return close[0] if close else None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _strip_wikilink(text: str) -> str:
    text = text.strip()
    if text.startswith("[[") and text.endswith("]]"):
        text = text[2:-2].split("|", 1)[0].split("#", 1)[0].strip()
    return text


def _body_links(parsed: ParsedNote) -> tuple[Ref, ...]:
    return tuple(Ref(link.target, link.line) for link in find_wikilinks(parsed.body, parsed.body_line))


def note_id(path: str, kind: str) -> str:
    """The id of a note: the file stem (people, goals) or the path below its folder (interactions)."""
    # string operations, not PurePosixPath: this runs for every note of every load
    if path.startswith(PRIVATE_FOLDER + "/"):
        path = path[len(PRIVATE_FOLDER) + 1:]
    if kind == "interactions":
        text = path.split("/", 1)[1] if "/" in path else path
    else:
        text = path.rsplit("/", 1)[-1]
    if text.endswith(".md"):  # always, for a note the walker found
        text = text[: -len(".md")]
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _person(fields: _Fields, path: str, in_private: bool) -> PersonRecord:
    pid = note_id(path, "people")
    name = fields.text("name")
    if not name:
        if fields.empty("name"):
            fields.missing("name", "a person note")
        name = pid
    cadence = None
    if fields.data.get("cadence") is not None:
        try:
            cadence = parse_duration(fields.data["cadence"], allow_none=True)
        except ValueProblem as exc:
            fields.problem("cadence", str(exc))
    introduced = fields.refs("introduced_by")
    links: list[tuple[str, str]] = []
    raw_links = fields.data.get("links")
    if isinstance(raw_links, dict):
        for label, url in raw_links.items():
            if isinstance(url, str):
                links.append((str(label), url.strip()))
            else:
                fields.problem("links", f"expected a link for {label!r}, got {_describe(url)}")
    else:
        links = [(url, url) for url in fields.texts("links")]
    ignore = frozenset(fields.texts("ignore"))
    return PersonRecord(
        id=pid, path=path, name=name, aliases=fields.texts("aliases"), org=fields.text("org"),
        role=fields.text("role"), email=fields.texts("email"), phone=fields.texts("phone"),
        links=tuple(links), location=fields.text("location"),
        tags=tuple(dict.fromkeys(key for key in map(tag_key, fields.words("tags")) if key)),
        cadence=cadence, met=fields.date("met"), introduced_by=introduced[0] if introduced else None,
        snooze_until=fields.date("snooze_until"), **_paused(fields),
        private=fields.private(in_private), ignore=ignore, changes=fields.changes(),
        birthday=fields.yearly("birthday", fields.data["birthday"]) if fields.data.get("birthday") is not None
        else None, dates=fields.dates(),
        body=fields.parsed.body, body_line=fields.parsed.body_line, body_links=_body_links(fields.parsed),
        key_lines=fields.key_lines())


def _paused(fields: _Fields) -> dict[str, Any]:
    """`paused: true` (no reminders at all) or `paused: {until: 2027-04-01}` (none before that day, and a
    welcome back on it)."""
    value = fields.data.get("paused")
    if not isinstance(value, dict):
        return {"paused": fields.flag("paused")}
    until = value.get("until")
    if set(value) != {"until"} or until is None:
        fields.problem("paused", f"expected true, false or {{until: YYYY-MM-DD}}, got {_describe(value)}")
        return {"paused": True}  # paused, as the note says; the finding says how to write until
    try:
        return {"paused": True, "paused_until": parse_date(until)}
    except ValueProblem as exc:
        fields.problem("paused", f"until: {exc}")
        return {"paused": True}


def _tasks(fields: _Fields) -> list[FollowUpRecord]:
    """The `- [ ]` tasks of the note's body as follow-ups; a due date that is no date is reported."""
    found = []
    for task in find_tasks(fields.parsed.body, fields.parsed.body_line):
        if task.bad_due:
            fields.problem("task", f"due: {date_problem(task.bad_due)}", task.line)
        found.append(FollowUpRecord(task.what, task.due, task.done, task.line, True))
    return found


def _follow_ups(fields: _Fields) -> list[FollowUpRecord]:
    value = fields.data.get("follow_ups")
    result: list[FollowUpRecord] = []
    if value is None:
        return result
    if not isinstance(value, list):
        fields.problem("follow_ups", "expected a list of {what, due, done}")
        return result
    for index, item in enumerate(value):
        line = fields.item_line("follow_ups", index)
        if isinstance(item, str):
            result.append(FollowUpRecord(item.strip(), None, False, line, False))
            continue
        if not isinstance(item, dict):
            fields.problem("follow_ups", f"expected {{what, due, done}}, got {_describe(item)}", line)
            continue
        what = item.get("what")
        if not isinstance(what, str) or not what.strip():
            fields.problem("follow_ups", "each follow-up needs a 'what' text", line)
            continue
        due = None
        if item.get("due") is not None:
            try:
                due = parse_date(item["due"])
            except ValueProblem as exc:
                fields.problem("follow_ups", f"due: {exc}", line)
        done = item.get("done", False)
        if not isinstance(done, bool):
            fields.problem("follow_ups", f"done: expected true or false, got {_describe(done)}", line)
            done = False
        result.append(FollowUpRecord(what.strip(), due, done, line, False))
    return result


def _interaction(fields: _Fields, path: str, in_private: bool) -> InteractionRecord | None:
    date = fields.date("date", required_for="an interaction note")
    with_refs = fields.refs("with")
    if fields.empty("with"):
        fields.missing("with", "an interaction note")
    follow_ups = _follow_ups(fields) + _tasks(fields)
    if date is None or not with_refs:
        return None  # cannot be placed in anyone's timeline; the findings say why
    exchanges = {}
    aims: list[Aim] = []
    for kind in EXCHANGES:
        exchanges[kind], kind_aims = fields.exchanges(kind)
        aims += kind_aims
    return InteractionRecord(
        id=note_id(path, "interactions"), path=path, date=date, with_refs=with_refs,
        kind=fields.text("kind").casefold(), title=fields.text("title"), topics=fields.words("topics"),
        **exchanges, aims=tuple(aims), follow_ups=tuple(follow_ups), private=fields.private(in_private),
        body=fields.parsed.body, body_line=fields.parsed.body_line, body_links=_body_links(fields.parsed),
        key_lines=fields.key_lines())


def _goal(fields: _Fields, path: str, in_private: bool) -> GoalRecord:
    gid = note_id(path, "goals")
    title = fields.text("title")
    if not title:
        if fields.empty("title"):
            fields.missing("title", "a goal note")
        title = gid
    if fields.data.get("stakeholders") is None:  # an empty list says: none yet
        fields.missing("stakeholders", "a goal note")
    status = fields.text("status").casefold() or "active"
    if status not in GOAL_STATUSES:
        fields.problem("status", f"expected one of {', '.join(GOAL_STATUSES)}, got {status!r}")
        status = "active"
    refs, plans = fields.stakeholders()
    return GoalRecord(
        id=gid, path=path, title=title, stakeholder_refs=refs, plans=plans, started=fields.date("started"),
        target=fields.date("target"), status=status, follow_ups=tuple(_tasks(fields)),
        private=fields.private(in_private), body=fields.parsed.body, body_line=fields.parsed.body_line,
        body_links=_body_links(fields.parsed),
        key_lines=fields.key_lines())


def _comment(fields: _Fields, path: str, in_private: bool) -> CommentRecord | None:
    author = fields.text("author")
    if not author:
        fields.missing("author", "a comment note")
    date = fields.date("date", required_for="a comment note")
    about = fields.refs("about")
    if fields.empty("about"):
        fields.missing("about", "a comment note")
    if not author or date is None or not about:
        return None
    return CommentRecord(
        id=note_id(path, "comments"), path=path, author=author, date=date, about=about[0],
        private=fields.private(in_private), body=fields.parsed.body, body_line=fields.parsed.body_line,
        body_links=_body_links(fields.parsed), key_lines=fields.key_lines())


_BUILDERS: dict[str, Callable[[_Fields, str, bool], Record | None]] = {
    "people": _person, "interactions": _interaction, "goals": _goal, "comments": _comment}


def load_note(kind: str, path: str, data: bytes) -> NoteLoad:
    """One note's kind, journal-relative path and bytes -> its record and findings. Pure; never raises."""
    parsed = parse_note(data)
    if not isinstance(parsed, ParsedNote):
        return NoteLoad(None, [Finding(parsed.code, parsed.message, Source(path, parsed.line))])
    fields = _Fields(parsed, path)
    in_private = path.startswith(PRIVATE_FOLDER + "/")
    try:
        record = _BUILDERS[kind](fields, path, in_private)
        fields.unknown_fields(kind)
        fields.findings += [Finding("private-marker", message, Source(path, line))
                            for line, message in marker_problems(parsed.body, parsed.body_line)]
    except RecursionError:  # pragma: no cover - guarded by the nesting limit; kept as a last line
        return NoteLoad(None, [Finding("invalid-front-matter", "the front matter nests too deeply", Source(path, 1))])
    return NoteLoad(record, fields.findings)


@dataclass
class JournalFiles:
    """The note files of a journal: (kind, relative path, absolute path), plus findings about skipped paths."""

    notes: list[tuple[str, str, str]]  # absolute paths as strings
    findings: list[Finding]


def find_note_files(root: Path, skip: tuple[Path, ...] = ()) -> JournalFiles:
    """Every note below the kind folders, sorted; symlinks are followed only to files inside the journal."""
    root_real = Path(os.path.realpath(root))
    skip_real = {os.path.realpath(p) for p in skip}
    notes: list[tuple[str, str, str]] = []
    findings: list[Finding] = []
    bases = [("", root)]
    if (root / PRIVATE_FOLDER).is_dir() and not (root / PRIVATE_FOLDER).is_symlink():
        bases.insert(0, (PRIVATE_FOLDER + "/", root / PRIVATE_FOLDER))  # first: its files' inodes are known then
    private: tuple[set[int], set[tuple[int, int]]] = (set(), set())  # the inodes and _file_ids of private notes
    for prefix, base in bases:
        for kind in KINDS:
            top = base / kind
            if top.is_symlink():
                findings.append(Finding("skipped-path", "folder is a symlink; not followed", Source(prefix + kind)))
                continue
            if top.is_dir():
                _walk(top, prefix + kind, kind, root_real, skip_real, notes, findings, private, bool(prefix))
    notes.sort(key=lambda item: item[1])
    return JournalFiles(notes, findings)


_INTO_PRIVATE = ("a link to a note under private/: that note is read from there, as private, and not through "
                 "this link")


def _walk(folder: Path, rel: str, kind: str, root_real: Path, skip: set[str],
          notes: list[tuple[str, str, str]], findings: list[Finding],
          private: tuple[set[int], set[tuple[int, int]]] | None = None, in_private: bool = False) -> None:
    """Add the notes below FOLDER to NOTES. A note reached through private/ by any path is private: in
    private/ (IN_PRIVATE) the inodes and _file_ids of its notes are added to PRIVATE, elsewhere a symlink
    into private/ or a hard link to one of those notes is skipped with a finding."""
    private_inodes, private_files = private if private is not None else (set(), set())
    private_real = root_real / PRIVATE_FOLDER
    # Plain strings rather than Path objects: this runs for every file on every rebuild.
    stack = [(str(folder), rel)]
    while stack:  # iterative: deep folder trees cannot exhaust the stack
        current, current_rel = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            findings.append(Finding("unreadable-file", f"cannot list folder: {exc.strerror}", Source(current_rel)))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            entry_rel = f"{current_rel}/{name}"
            if entry.is_symlink():
                followed = _symlinked_note(entry.path, name, root_real, private_real, private_files, in_private)
                if isinstance(followed, str):
                    findings.append(Finding("skipped-path", followed, Source(entry_rel)))
                elif followed:
                    notes.append((kind, nfc(entry_rel), entry.path))
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if entry.path not in skip and os.path.realpath(entry.path) not in skip:
                    stack.append((entry.path, entry_rel))
            elif is_note_name(name):
                if not entry.is_file(follow_symlinks=False):  # from the listing: no further system call
                    findings.append(Finding("skipped-path", f"{NOT_REGULAR}; not read", Source(entry_rel)))
                    continue  # a FIFO would block the read forever
                if in_private:
                    private_inodes.add(entry.inode())
                    private_files.add(_file_id(entry.path))
                elif entry.inode() in private_inodes and _hard_linked(entry.path, private_files):
                    findings.append(Finding("skipped-path", _INTO_PRIVATE, Source(entry_rel)))
                    continue
                notes.append((kind, nfc(entry_rel), entry.path))


def _symlinked_note(path: str, name: str, root_real: Path, private_real: Path, private_files: set[tuple[int, int]],
                    in_private: bool) -> bool | str:
    """Is the symlink at PATH a note to read? True, False (not a note: passed over), or why it is skipped."""
    target = Path(os.path.realpath(path))
    if not (target == root_real or root_real in target.parents):
        return "symlink points outside the journal; not followed"
    if target.is_dir() or not target.exists():
        return "symlink to a folder, or broken, or a loop; not followed" if is_note_name(name) or target.is_dir() \
            else False
    if not is_note_name(name):
        return False
    if not in_private and (private_real in target.parents or _hard_linked(target, private_files)):
        return _INTO_PRIVATE
    if not target.is_file():  # a FIFO, say: its read would block forever
        return f"symlink to something {NOT_REGULAR}; not read"
    return True


def _file_id(path: str | Path) -> tuple[int, int]:
    """What tells a file from any other whatever its name: its device and inode ((-1, -1) if it cannot be read)."""
    try:
        found = os.stat(path)
    except OSError:
        return -1, -1
    return found.st_dev, found.st_ino


def _hard_linked(path: str | Path, private_files: set[tuple[int, int]]) -> bool:
    """Is the file at PATH one of the notes under private/ (PRIVATE_FILES: their _file_id), by another name?"""
    found = _file_id(path)
    return found == (-1, -1) or found in private_files  # cannot tell: fail closed


def read_and_load(kind: str, rel: str, path: str | Path) -> NoteLoad:
    """Read one file and load it; I/O errors, and a file that is not a regular one, become an
    `unreadable-file` finding."""
    try:
        data = read_regular_file(path)
    except OSError as exc:
        return NoteLoad(None, [Finding("unreadable-file", f"cannot read the note: {exc.strerror or exc}",
                                       Source(rel))])
    return load_note(kind, rel, data)


@dataclass
class LoadResult:
    config: Config
    records: list[Record]
    findings: list[Finding]
    note_count: int
    files: JournalFiles | None = None


PARALLEL_FROM = 2000  # notes to read: from this many, worker processes read them
_CHUNK = 256  # notes a worker loads at a time


def _load_chunk(items: list[tuple[str, str, str]]) -> list[NoteLoad]:
    return [read_and_load(kind, rel, path) for kind, rel, path in items]


def without_annex_names(root: Path, records: list[Record], findings: list[Finding]) -> list[Finding]:
    """FINDINGS less the missing names of private annexes: an annex needs none, it is of the person its
    shared note names (model.annex_paths)."""
    if not findings or not (root / PRIVATE_FOLDER / "people").is_dir():
        return findings
    annexes = annex_paths(records)
    return [f for f in findings if not (f.code == "missing-field" and f.path in annexes)]


def load_journal(root: Path, files: JournalFiles | None = None,
                 on_loaded: Callable[[int], None] | None = None) -> LoadResult:
    """Load config and every note of the journal at ROOT (many notes in worker processes: a note's load
    is a pure function of its path and bytes). FILES is a listing from an earlier walk; ON_LOADED(n)
    reports progress."""
    from .pool import parallel_map

    config, findings = load_config(root)
    if files is None:
        files = find_note_files(root, skip=(root / config.site_output,))
    findings.extend(files.findings)
    chunks = [(files.notes[i:i + _CHUNK],) for i in range(0, len(files.notes), _CHUNK)]
    parts = parallel_map(_load_chunk, chunks, lambda chunk: len(chunk[0]), on_loaded) \
        if len(files.notes) >= PARALLEL_FROM else None
    if parts is None:
        parts = []
        for (chunk,) in chunks:
            parts.append(_load_chunk(chunk))
            if on_loaded is not None:
                on_loaded(len(chunk))
    outcomes = [outcome for part in parts for outcome in part]
    records: list[Record] = [outcome.record for outcome in outcomes if outcome.record is not None]
    for outcome in outcomes:
        findings.extend(without_annex_names(root, records, outcome.findings))
    return LoadResult(config, records, findings, len(files.notes), files)
