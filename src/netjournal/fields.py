"""One note's front matter read as typed fields: each value that is not what its field needs becomes a
finding with its line (`invalid-value`, `missing-field`, `unknown-field`), never an exception."""
from __future__ import annotations

import datetime as dt
import sys
from typing import Any, TypeVar

from .findings import Finding, Source
from .keys import close_to, contact_synonym, key_reading, looks_like_contact, profile_said, said_as
from .notes import ParsedNote
from .records import (
    CHANGE_KINDS,
    ENGAGEMENT,
    LEVELS,
    Aim,
    ChangeRecord,
    DatedEntry,
    Ref,
    StakeholderPlan,
    YearlyDate,
    share,
)
from .values import ValueProblem, parse_date, parse_yearly

AIM_KEYS = ("of", "to", "from")  # `{what: …, of: lena}`: whom an entry of gave, asked or received names
#: The keys of a stakeholder map entry (`stakeholders: [{who: tomas, role: gatekeeper, …}]`)
PLAN_KEYS = ("who", "role", "influence", "interest", "engagement", "desired", "wants")
_AIM_WORD = {"gave": "to", "asked": "of", "received": "from"}  # the one that reads best, for messages
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


_OneLine = TypeVar("_OneLine", int, None)  # the line given to a single value: a line, or none


class Fields:
    """Reads typed fields from front matter, turning each problem into an `invalid-value` finding."""

    def __init__(self, parsed: ParsedNote, path: str) -> None:
        self.data = parsed.data
        self.parsed = parsed
        self.path = path
        self.findings: list[Finding] = []
        self._said: dict[Any, tuple[str, str] | None] | None = None
        self._mistyped: dict[str, list[str]] = {}  # KEY -> its mistypings: a contact's are read twice

    def contact_keys(self) -> dict[Any, tuple[str, str] | None]:
        """Each key that is no field, with the contact field it says (`mobile`, `twiter`), if any: read once
        for the three contact fields."""
        if self._said is None:
            self._said = {other: contact_synonym(other) for other in self.data if other not in _EVERY_FIELD}
        return self._said

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
        if is_text(value):
            return str(value).strip()
        self.problem(key, f"expected text, got {describe(value)}")
        return ""

    def _each(self, key: str, line_of_one: _OneLine) -> list[tuple[Any, int | _OneLine]]:
        """KEY's items with their lines: a list's, or a single value as a list of one at LINE_OF_ONE."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return [(item, self.item_line(key, index)) for index, item in enumerate(value)]
        return [(value, line_of_one)]

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of short texts; a single text counts as a list of one."""
        return tuple(text for item, line in self._each(key, None) if (text := self._text(key, item, line)))

    def contacts(self, key: str) -> tuple[tuple[str, str], ...]:
        """`email`, `phone` or `links` (KEY) as (label, text) pairs, the label "" where none is given: a text,
        a list of texts, or labelled texts (`{mobile: +44 …, work: …}`, `- work: zq@example.org`). A value
        shaped otherwise (nested deeper, a yes/no) is a problem, and the texts inside it are kept all the same,
        labelled by the keys above them: an audience must find a hidden person's contacts however their note
        writes them (fail closed), and the owner loses nothing they wrote."""
        value = self.data.get(key)
        labelled = value if isinstance(value, dict) else None
        items = ([({label: text}, self.line(key)) for label, text in labelled.items()] if labelled is not None
                 else self._each(key, self.line(key)))
        for item, line in items:
            shaped = list(item.values()) if isinstance(item, dict) else [item]
            bad = next((text for text in shaped if text is not None and not is_text(text)), None)
            if bad is not None or item is None:
                self.problem(key, f"expected text, a list of texts or labelled texts, got {describe(bad)}", line)
            elif labelled is not None and (shaped[0] is None or key == "links" and not isinstance(shaped[0], str)):
                what = "a link" if key == "links" else "a text"
                self.problem(key, f"expected {what} for {next(iter(item))!r}, got {describe(shaped[0])}", line)
        if labelled is not None and key == "links":  # `github:` with no link is none (a label is no link)
            value = {label: url for label, url in labelled.items() if url is not None}
        # and what looks like KEY's (not `linkedin: unknown`) under keys that are mistypings of KEY (`Phone:`,
        # `e-mail:`; `check` reports them as unknown) or say the same (`mobile:`, `website:`), as `words`
        # reads them: an audience must find a hidden person's contacts (fail closed)
        # (a mistyped synonym reads as the synonym, `twiter: zq` as `twitter: zq`: a handle)
        said = self.contact_keys()
        others = [*self.mistyped(key), *(other for other, found in said.items() if found and found[0] == key)]
        alike = []
        for other in dict.fromkeys(others):
            under, exact = said_as(other, key)
            label = other if other.casefold() == under or exact else under
            alike += [(text_label, text) for _, text_label, text in said_contacts(
                key, under, exact, self.data[other], label if key == "links" else "")]
        return (*labelled_texts(value, ""), *alike)

    def words(self, key: str) -> tuple[str, ...]:
        """Tags, topics or aliases: KEY's texts, a text of comma-separated words counting as a list (`tags: a,
        b`), with those of keys that are mistypings of KEY (`Tags:`, `tag:`; `check` reports them as unknown):
        what they hold was meant as KEY's, and an audience's excluded tags and hidden aliases must find it
        (fail closed)."""
        keys = [key, *self.mistyped(key)]
        found = []
        for name in keys:
            value = self.data.get(name)
            if isinstance(value, str):
                found += [part.strip() for part in value.split(",") if part.strip()]
                continue
            found += self.texts(name)  # and a finding for what is not text
            # the texts inside what is not (`[[confidential]]`, `{confidential: true}`) count too: fail closed
            items = value if isinstance(value, list) else [value]
            shaped = [item for item in items if isinstance(item, (list, tuple, set, dict))]
            found += [text for text in _texts_inside(shaped) if text not in found]
        return tuple(found)

    def mistyped(self, key: str) -> list[str]:
        """The keys of the front matter that are mistypings of KEY, a known field (`Tags:`, `tag:`)."""
        # a known field is never a mistyping of another (none is close to `tags`, `topics`, `aliases` or a
        # contact's key: a test pins it), and skipping them spares difflib on every note
        if key not in self._mistyped:
            self._mistyped[key] = [other for other in self.data
                                   if other not in _EVERY_FIELD and close_to(other, (key,)) == key]
        return self._mistyped[key]

    def _text(self, key: str, item: Any, line: int | None) -> str | None:
        if is_text(item):
            return str(item).strip()
        if isinstance(item, dict) and len(item) == 1:
            # `- shared a deck: about X` reads as a mapping in YAML; keep what the user wrote.
            ((k, v),) = item.items()
            return f"{k}: {v}" if v is not None else str(k)
        self.problem(key, f"expected text or a list of texts, got {describe(item)}", line)
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
            if key_reading(key) == "private":
                self.problem(key, "the key is spelled 'private' (lower case, nothing else); the note counts as "
                             "private until then")
                private = True
            elif close_to(key, ("private",)) and self.data[key] is not False:
                private = True  # and unknown_fields says which key was meant
        return private

    def unknown_fields(self, kind: str) -> None:
        """An `unknown-field` warning for each key that is not one of KIND's but is close to one."""
        known = KNOWN_FIELDS[kind]
        for key in self.data:
            if key in known or key_reading(key) == "private":  # that one is an invalid-value already
                continue
            meant = close_to(key, known)
            if meant:
                self.findings.append(Finding("unknown-field", f"unknown field {key!r} in a note of {kind}; did "
                                             f"you mean {meant!r}?", Source(self.path, self.line(key))))

    def flag(self, key: str, when_unclear: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        self.problem(key, f"expected true or false, got {describe(value)}")
        return when_unclear

    def refs(self, key: str) -> tuple[Ref, ...]:
        return tuple(ref for item, line in self._each(key, self.line(key))
                     if (ref := self._ref(key, item, line)) is not None)

    def _ref(self, key: str, item: Any, line: int) -> Ref | None:
        # `with: [[Ada Lovelace]]` unquoted is a list inside a list in YAML: read it as the wikilink it is.
        if isinstance(item, list) and len(item) == 1 and isinstance(item[0], str):
            item = item[0]
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)
        if isinstance(item, str) and item.strip():
            return Ref(_strip_wikilink(item), line)
        self.problem(key, f"expected a person (id, name or [[link]]), got {describe(item)}", line)
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
                close = close_to(str(key), PLAN_KEYS)
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
                             f"{describe(item[key])}", line)
        for key in ("role", "wants"):
            if item.get(key) is None:
                continue
            if is_text(item[key]):
                values[key] = str(item[key]).strip()
            else:
                self.problem("stakeholders", f"{key}: expected text, got {describe(item[key])}", line)
        if "role" in values:
            values["role"] = values["role"].casefold()
        return StakeholderPlan(who, line, **values)

    def key_lines(self) -> tuple[tuple[str, int], ...]:
        # the same few keys and lines in every note: one of each, shared by the notes a pickled shard holds
        return share(tuple(sorted((sys.intern(key), line) for key, line in self.parsed.key_lines.items())))

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
            self.problem(key, f"expected a list of {shape}, got {describe(value)}")
            return []
        found = []
        for index, item in enumerate(value):
            line = self.item_line(key, index)
            if isinstance(item, dict):
                found.append((item, line))
            else:
                self.problem(key, f"expected {shape}, got {describe(item)}", line)
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
                self.problem("changes", f"kind: expected one of {', '.join(CHANGE_KINDS)}, got {describe(kind)}",
                             line)
                continue
            values = {}
            for name in ("role", "org"):
                raw = item.get(name)
                if raw is not None and (not isinstance(raw, (str, int, float)) or isinstance(raw, bool)):
                    self.problem("changes", f"{name}: expected text, got {describe(raw)}", line)
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


def _texts_inside(value: Any) -> list[str]:
    """Every text and number inside VALUE, at any depth (a mapping's keys and values)."""
    if isinstance(value, (list, tuple, set)):  # a set, an ordered map's or pairs' tuples (!!set, !!omap, !!pairs)
        return [text for item in value for text in _texts_inside(item)]
    if isinstance(value, dict):
        return [text for pair in value.items() for text in _texts_inside(list(pair))]
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return []
    return [str(value).strip()] if str(value).strip() else []


def is_text(value: Any) -> bool:
    """Is VALUE a text as a field reads one: a string or a number YAML read (not a yes/no)?"""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


#: The longest label `labelled_texts` gives a text (`home mobile`): a longer key is a text of its own, so that a
#: long key over many values is not written once for each (quadratic)
_LONGEST_LABEL = 100


def _last_words(label: str) -> str:
    """The last whole words of LABEL that _LONGEST_LABEL holds."""
    return label[-_LONGEST_LABEL:].partition(" ")[2] if len(label) > _LONGEST_LABEL else label


def labelled_texts(value: Any, label: str, seen: set[int] | None = None) -> list[tuple[str, str]]:
    """Every text inside VALUE, at any depth, with the keys above it as its label (`home mobile`); a key
    with no text under it (`- zq@example.org:`, a text YAML reads as a mapping; `{07700 900123: true}`) is a
    text, and so is a long one. Given SEEN (ids), each list or mapping is read once: YAML's aliases share
    them, `&a [x, *a]` holds itself, and five levels of three aliases are 243 copies."""
    if isinstance(value, (dict, list, tuple, set)) and seen is not None:
        if id(value) in seen:
            return []
        seen.add(id(value))
    if isinstance(value, dict):
        pairs = []
        for key, inside in value.items():
            key_text = (key.isoformat() if isinstance(key, dt.date)
                        else " ".join(text for _, text in labelled_texts(key, "", seen)))
            below = f"{label} {key_text}".strip()
            if not (isinstance(inside, (dict, list, tuple, set)) or is_text(inside)) or len(below) > _LONGEST_LABEL:
                pairs += [(label, key_text)] if key_text else []
                # a short key below a long label is the label's last words (`phone` nested eighteen times, then
                # `telegram:`; helper-s54-c: the profile's key was dropped, and its handle reached the mentor)
                below = label if len(key_text) > _LONGEST_LABEL // 2 else _last_words(below)
            pairs += labelled_texts(inside, below, seen)
        return pairs
    if isinstance(value, (list, tuple, set)):
        return [pair for item in value for pair in labelled_texts(item, label, seen)]
    return [(label, str(value).strip())] if is_text(value) and str(value).strip() else []


def said_contacts(field: str, under: str, exact: bool, value: Any, label: str = "",
                  seen: set[int] | None = None) -> list[tuple[str | None, str, str]]:
    """The texts inside VALUE, held by the key UNDER that says FIELD (`keys.said_as`: EXACT if written so),
    that look like FIELD's (`keys.looks_like_contact`), as (the profile's key the text is said under, if
    any; its label, LABEL first; the text). SEEN as labelled_texts takes it."""
    found = []
    for text_label, text in labelled_texts(value, label, seen):
        profile = profile_said(f"{under} {text_label}")
        if looks_like_contact(field, profile or under, text, exact):
            found.append((profile, text_label, text))
    return found


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, dt.date):  # a date YAML read (`2019-03-01`)
        return f"a date ({value.isoformat()})"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _strip_wikilink(text: str) -> str:
    text = text.strip()
    if text.startswith("[[") and text.endswith("]]"):
        text = text[2:-2].split("|", 1)[0].split("#", 1)[0].strip()
    return text
