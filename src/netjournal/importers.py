"""Imports: vCard (3.0, 4.0, and 2.1 quoted-printable), Google Contacts CSV (current and legacy layouts) and
LinkedIn's Connections.csv -> people notes.

Reading a file gives contacts or an ImportProblem (nothing written). Planning compares them with the
journal: a contact whose email or name matches a person is reported and skipped, or with --merge fills
only that person's empty fields, adding text to the note and changing none of it. Cards in one file that
are the same person are combined first, so importing a file twice changes nothing the second time.
Applying is all-or-nothing per import, through the note writer: new notes are created exclusively, every
note is read back, and whatever was written is removed again if any step fails.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .contacts import email_addresses
from .load import load_journal
from .model import Journal, build_journal, slugify
from .notes import ParsedNote, parse_note
from .notewriter import (
    NoteText,
    WriteRefused,
    Writes,
    check_file_name,
    field_lines,
    flow_items,
    note_text,
    read_back_problem,
)
from .values import printable


class ImportProblem(Exception):
    """The file cannot be imported; the message says why. Nothing has been written."""


@dataclass
class Contact:
    name: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    org: str = ""
    role: str = ""
    note: str = ""
    birthday: str = ""
    met: dt.date | None = None
    tags: list[str] = field(default_factory=list)


def _text(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(f"{path}: not UTF-8 text (byte {exc.start}); export it again as UTF-8") from None


# --- vCard ---------------------------------------------------------------------------------------------

_AB_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")


class _PrintableRecords(logging.Filter):
    """vobject logs each line it skips, quoting it, to the terminal: without control characters (a card's
    escape sequences would act on the terminal; see cli.say)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = printable(record.getMessage()), None
        return True


def read_vcards(path: Path) -> list[Contact]:
    import vobject

    logger = logging.getLogger("vobject.base")
    if not any(isinstance(found, _PrintableRecords) for found in logger.filters):
        logger.addFilter(_PrintableRecords())
    text = _text(path)
    if "BEGIN:VCARD" not in text.upper():
        raise ImportProblem(f"{path}: not a vCard file (no BEGIN:VCARD)")
    contacts = []
    try:
        cards = list(vobject.readComponents(text, ignoreUnreadable=True))
    except Exception as exc:  # vobject raises several types on malformed input
        raise ImportProblem(f"{path}: cannot read the vCard: {exc}") from None
    for number, card in enumerate(cards, 1):
        if card.name.upper() != "VCARD":
            continue
        contents = card.contents
        name = _first(contents, "fn")
        if not name and "n" in contents:
            n = contents["n"][0].value
            name = " ".join(part for part in (getattr(n, "given", ""), getattr(n, "additional", ""),
                                              getattr(n, "family", "")) if part).strip()
        if not name:
            name = _first(contents, "org") or _first(contents, "email")
        if not name:
            raise ImportProblem(f"{path}: card {number} has no name (FN, N, ORG or EMAIL)")
        labels = {line.group: _label(line.value) for line in contents.get("x-ablabel", []) if line.group}
        links = []
        for line in contents.get("url", []):
            label = labels.get(line.group) or _type_label(line.params) or "link"
            links.append((label, str(line.value).strip()))
        org = contents.get("org", [None])[0]
        org_text = "; ".join(p for p in org.value if p) if org is not None and isinstance(org.value, list) \
            else (str(org.value) if org is not None else "")
        contacts.append(Contact(
            name=name.strip(), emails=[str(line.value).strip() for line in contents.get("email", []) if line.value],
            phones=[str(line.value).strip() for line in contents.get("tel", []) if line.value],
            links=links, org=org_text.strip(), role=_first(contents, "title"), note=_first(contents, "note"),
            birthday=_first(contents, "bday")))
    if not contacts:
        raise ImportProblem(f"{path}: no vCards found")
    return contacts


def _first(contents: dict, key: str) -> str:
    lines = contents.get(key) or []
    if not lines:
        return ""
    value = lines[0].value
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value if v)
    return str(value).strip()


def _label(value: str) -> str:
    match = _AB_LABEL.match(value)
    return (match.group(1) if match else value).strip()


def _type_label(params: dict) -> str:
    types = [t for t in params.get("TYPE", []) if t.lower() not in ("pref", "internet")]
    return types[0].lower() if types else ""


# --- CSV: Google and LinkedIn --------------------------------------------------------------------------

def _rows(path: Path, text: str, required: set[str], skip_preamble: bool = False) -> list[dict[str, str]]:
    lines = text.splitlines(keepends=True)
    start = 0
    if skip_preamble:  # LinkedIn puts a few lines of notes before the header
        for index, line in enumerate(lines):
            if line.startswith("First Name,"):
                start = index
                break
    reader = csv.DictReader(io.StringIO("".join(lines[start:])))
    try:
        header = set(reader.fieldnames or [])  # read here: the header may be malformed too
        missing = required - header
        if missing:
            columns = "column" if len(missing) == 1 else "columns"
            raise ImportProblem(f"{path}: this is not the expected CSV (missing {columns}: "
                                f"{', '.join(sorted(missing))})")
        return [dict(row) for row in reader]
    except csv.Error as exc:
        raise ImportProblem(f"{path}: the CSV is malformed: {exc}") from None


def _multi(value: str | None) -> list[str]:
    """Google joins several values of one field with ' ::: '."""
    return [v.strip() for v in (value or "").split(":::") if v.strip()]


def _system_group(label: str) -> bool:
    """Google's own groups ("* myContacts", "* My Contacts", "* Starred") are not the user's tags."""
    return label.strip().startswith("*") and \
        label.replace(" ", "").strip("*").lower() in ("mycontacts", "starred", "friends", "family", "coworkers")


def read_google_csv(path: Path) -> list[Contact]:
    text = _text(path)
    header = text.splitlines()[0] if text else ""
    current = "First Name" in header and "E-mail 1 - Value" in header
    legacy = header.startswith("Name,") or ",Given Name," in header
    if not current and not legacy:
        raise ImportProblem(f"{path}: not a Google Contacts CSV (expected a header with 'First Name' and "
                            "'E-mail 1 - Value', or the legacy 'Name,Given Name,…')")
    rows = _rows(path, text, {"First Name", "Last Name"} if current else {"Name"})
    contacts = []
    for row in rows:
        if current:
            name = " ".join(p for p in (row.get("First Name"), row.get("Middle Name"), row.get("Last Name")) if p)
            org, role = row.get("Organization Name", ""), row.get("Organization Title", "")
            tags = [t.strip("* ").lower() for t in _multi(row.get("Labels")) if not _system_group(t)]
        else:
            name = row.get("Name") or " ".join(p for p in (row.get("Given Name"), row.get("Family Name")) if p)
            org, role = row.get("Organization 1 - Name", ""), row.get("Organization 1 - Title", "")
            tags = [t.strip("* ").lower() for t in _multi(row.get("Group Membership")) if not _system_group(t)]
        emails = [v for k, value in row.items() if k and k.startswith("E-mail") and k.endswith("Value")
                  for v in _multi(value)]
        phones = [v for k, value in row.items() if k and k.startswith("Phone") and k.endswith("Value")
                  for v in _multi(value)]
        links = [("website", v) for k, value in row.items() if k and k.startswith("Website") and k.endswith("Value")
                 for v in _multi(value)]
        name = (name or (emails[0] if emails else "") or org or "").strip()
        if not name:
            continue  # Google exports empty rows for contacts that only have a photo
        contacts.append(Contact(name=name, emails=emails, phones=phones, links=links, org=org.strip(),
                                role=role.strip(), note=(row.get("Notes") or "").strip(),
                                birthday=(row.get("Birthday") or "").strip(), tags=[t for t in tags if t]))
    return contacts


_LINKEDIN_DATES = ("%d %b %Y", "%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d")


def read_linkedin_csv(path: Path) -> list[Contact]:
    text = _text(path)
    rows = _rows(path, text, {"First Name", "Last Name", "Connected On"}, skip_preamble=True)
    contacts = []
    for row in rows:
        name = " ".join(p.strip() for p in (row.get("First Name"), row.get("Last Name")) if p and p.strip())
        if not name:
            continue
        met = None
        for fmt in _LINKEDIN_DATES:
            try:
                met = dt.datetime.strptime((row.get("Connected On") or "").strip(), fmt).date()
                break
            except ValueError:
                continue
        url = (row.get("URL") or "").strip()
        email = (row.get("Email Address") or "").strip()
        contacts.append(Contact(name=name, emails=[email] if email else [], links=[("LinkedIn", url)] if url else [],
                                org=(row.get("Company") or "").strip(), role=(row.get("Position") or "").strip(),
                                met=met))
    return contacts


READERS = {"vcard": read_vcards, "google": read_google_csv, "linkedin": read_linkedin_csv}


# --- planning and writing ------------------------------------------------------------------------------

def person_front_matter(contact: Contact) -> dict[str, Any]:
    """The fields this contact fills (only those it has), in the order docs/format.md lists them."""
    fields: dict[str, Any] = {"name": contact.name}
    if contact.org:
        fields["org"] = contact.org
    if contact.role:
        fields["role"] = contact.role
    if contact.emails:
        fields["email"] = list(dict.fromkeys(contact.emails))
    if contact.phones:
        fields["phone"] = list(dict.fromkeys(contact.phones))
    if contact.links:
        labels = [label for label, _ in contact.links]
        fields["links"] = dict(contact.links) if len(set(labels)) == len(labels) else [url for _, url in contact.links]
    if contact.tags:
        fields["tags"] = list(contact.tags)
    if contact.met:
        fields["met"] = contact.met
    if contact.birthday:
        fields["birthday"] = contact.birthday
    return fields


def person_note(contact: Contact, source: str, rel: str) -> NoteText:
    body = f"Imported from {source}.\n" + (f"\n{contact.note}\n" if contact.note else "")
    return note_text("people", rel, person_front_matter(contact), body)


# --- the same person twice in one file ------------------------------------------------------------------

def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _emails(contact: Contact) -> set[str]:
    return {e.casefold() for e in contact.emails}


def combine_duplicates(contacts: list[Contact]) -> tuple[list[Contact], int]:
    """CONTACTS with the cards that are one person combined, and how many cards were folded into others.

    Cards are one person when they share an email, or have the same name and no emails that tell them
    apart (one has none). Combined, a card keeps every email, phone, link and tag of each, and the first
    org, role, birthday and date met; different notes are kept one after the other."""
    kept: list[Contact] = []
    by_email: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for contact in contacts:
        emails = _emails(contact)
        same = {by_email[e] for e in emails if e in by_email}
        if not same:
            named = [i for i in by_name.get(_name_key(contact.name), ()) if not emails or not _emails(kept[i])]
            same = set(named) if len(named) == 1 else set()
        if len(same) != 1:  # a new person, or a card that would join two people: keep it apart
            kept.append(replace(contact, emails=list(contact.emails), phones=list(contact.phones),
                                links=list(contact.links), tags=list(contact.tags)))
            index = len(kept) - 1
            by_name.setdefault(_name_key(contact.name), []).append(index)
        else:
            index = same.pop()
            _absorb(kept[index], contact)
        for email in _emails(kept[index]):
            by_email.setdefault(email, index)
    return kept, len(contacts) - len(kept)


def _absorb(into: Contact, other: Contact) -> None:
    known = _emails(into)
    into.emails.extend(e for e in dict.fromkeys(other.emails) if e.casefold() not in known)
    for name in ("phones", "tags"):
        setattr(into, name, list(dict.fromkeys([*getattr(into, name), *getattr(other, name)])))
    urls = {url for _, url in into.links}
    into.links.extend(link for link in other.links if link[1] not in urls)
    for name in ("org", "role", "birthday", "met"):
        if not getattr(into, name):
            setattr(into, name, getattr(other, name))
    if other.note and other.note not in into.note:
        into.note = f"{into.note}\n\n{other.note}" if into.note else other.note


# --- filling a hand-written note, adding text only -------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


@dataclass
class Merge:
    """A person's note with the fields a contact fills added: FILLED were added, LEFT (key, why) were empty
    but could not be filled without changing what the user wrote."""

    path: Path
    rel: str
    before: bytes
    after: bytes
    data: dict[str, Any]  # what the front matter reads as afterwards
    body: str
    filled: list[str] = field(default_factory=list)
    left: list[tuple[str, str]] = field(default_factory=list)

    def problem(self, content: bytes) -> str | None:
        return read_back_problem("people", self.rel, content, self.data, self.body)


def merge_into(path: Path, rel: str, before: bytes, current: bytes, contact: Contact) -> Merge:
    """The note CURRENT (at PATH, read as BEFORE) with the contact's values in its absent and empty fields.

    No byte of the note changes or goes: an absent field is added as new lines at the end of the front
    matter, an empty `key:` gets its value after the colon (or as lines below it), an empty `key: []` its
    items between the brackets; an empty value written otherwise (`~`, `null`, `""`) is left as it is."""
    merge = Merge(path, rel, before, current, {}, "")
    parsed = parse_note(current)
    if not isinstance(parsed, ParsedNote):
        merge.left.append(("*", f"the note does not read ({parsed.message}); fix it first"))
        return merge
    text = current.decode("utf-8")  # parse_note read it: UTF-8 (a byte-order mark stays, as U+FEFF)
    lines = _LINE.findall(text)
    newline = re.search(r"\r\n|\r|\n", lines[0]).group(0)  # type: ignore[union-attr]
    fence = parsed.body_line - 2  # the index of the closing fence's line
    added: list[str] = []
    data = dict(parsed.data)
    for key, value in person_front_matter(contact).items():
        if key not in parsed.data:
            added.append(field_lines(key, value))
            data[key] = value
            merge.filled.append(key)
            continue
        old = parsed.data[key]
        if old not in (None, "", [], {}):
            continue
        if key not in parsed.key_lines:  # it came from a YAML merge (`<<: *base`): no line of its own to fill
            merge.left.append((key, "it comes from a YAML merge key; fill it by hand"))
            continue
        index = parsed.key_lines[key] - 1
        filled = _fill_line(lines[index], key, old, value, newline)
        if filled is None:
            written = lines[index].rstrip("\r\n").split(":", 1)[-1].strip()
            merge.left.append((key, f"it is written `{key}: {written}`; fill it by hand"))
            continue
        lines[index] = filled
        data[key] = value
        merge.filled.append(key)
    if not merge.filled:
        return merge
    lines[fence:fence] = [chunk.replace("\n", newline) for chunk in added]
    merge.after = "".join(lines).encode("utf-8")
    merge.data, merge.body = data, parsed.body
    problem = merge.problem(merge.after)
    if problem is not None:  # never expected: the note is then left as it is
        merge.left.extend((key, f"it cannot be added without changing the note ({problem})") for key in merge.filled)
        merge.filled, merge.after = [], current
    return merge


def _fill_line(line: str, key: str, old: Any, value: Any, newline: str) -> str | None:
    """LINE (`key:` with an empty value, perhaps a comment) with VALUE put in, adding text only (new lines
    end with NEWLINE); None when that cannot be done."""
    ending = line[len(line.rstrip("\r\n")):]
    content = line[: len(line) - len(ending)]
    if old is None:
        match = re.match(rf"{re.escape(key)}[ \t]*:(?=[ \t]*(?:#.*)?$)", content)
        if match is None:
            return None
        written = field_lines(key, value)  # `key: value\n`, or `key:\n  - a\n  - b\n`
        head, _, rest = written.partition("\n")
        if not rest:
            return content[: match.end()] + head[len(key) + 1:] + content[match.end():] + ending
        return line + rest.replace("\n", newline)  # the value's lines go below the key's line
    if old == [] and isinstance(value, list):
        match = re.match(rf"{re.escape(key)}[ \t]*:[ \t]*\[(?=[ \t]*\][ \t]*(?:#.*)?$)", content)
        if match is None:
            return None
        return content[: match.end()] + flow_items(value) + content[match.end():] + ending
    return None


# --- the plan --------------------------------------------------------------------------------------------

@dataclass
class ImportPlan:
    root: Path  # the journal
    new: list[tuple[Path, NoteText]] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # contact name, reason
    combined: int = 0  # cards folded into another card of the same person


def _matches(journal: Journal, contact: Contact) -> tuple[str, ...]:
    """The people CONTACT is: by email, else by name (several when the name is ambiguous), else none."""
    emails = _emails(contact)
    for pid, person in journal.people.items():
        if emails.intersection(email_addresses(person.email)):  # `work: zq@example.org` too
            return (pid,)
    return journal.resolve_person(contact.name)


def plan_import(root: Path, contacts: list[Contact], source: str, merge: bool) -> ImportPlan:
    """What importing CONTACTS would write, every note checked to read back; nothing is written.

    Raises ImportProblem when a contact cannot be written (a name too long for a file name, text no note
    can hold)."""
    journal, _ = build_journal(load_journal(root).records)
    contacts, combined = combine_duplicates(contacts)
    plan = ImportPlan(root, combined=combined)
    taken = set(journal.people)
    merges: dict[Path, Merge] = {}
    try:
        for contact in contacts:
            found = _matches(journal, contact)
            if len(found) > 1:
                paths = ", ".join(journal.people[pid].path for pid in found)
                why = f"matches {len(found)} people by name ({paths}); give the card an email that tells them apart"
                plan.skipped.append((contact.name, why))
            elif found:
                _plan_match(root, journal.people[found[0]].path, contact, merge, merges, plan)
            else:
                base = slugify(contact.name) or "person"
                pid, n = base, 2
                while pid in taken or os.path.lexists(root / "people" / f"{pid}.md"):
                    pid, n = f"{base}-{n}", n + 1
                taken.add(pid)
                path = root / "people" / f"{pid}.md"
                check_file_name(path, f"the name {contact.name[:40]!r}")
                plan.new.append((path, person_note(contact, source, f"people/{pid}.md")))
    except WriteRefused as exc:
        raise ImportProblem(f"{source}: {exc}") from None
    plan.merges = [m for m in merges.values() if m.filled]
    return plan


def _plan_match(root: Path, rel: str, contact: Contact, merge: bool, merges: dict[Path, Merge],
                plan: ImportPlan) -> None:
    if not merge:
        plan.skipped.append((contact.name, f"matches {rel} (use --merge to fill its empty fields)"))
        return
    path = root / rel
    earlier = merges.get(path)
    current = earlier.after if earlier else path.read_bytes()
    result = merge_into(path, rel, earlier.before if earlier else current, current, contact)
    if earlier:  # a second card for the same person: its fields go on top of the first card's
        result.filled[:0] = earlier.filled
        result.left[:0] = earlier.left
        if not result.data:  # it filled nothing more
            result.data, result.body = earlier.data, earlier.body
    merges[path] = result
    if not result.filled and not earlier:
        why = "; ".join(f"{key}: {reason}" for key, reason in result.left)
        plan.skipped.append((contact.name, f"matches {rel}; nothing to merge" + (f" ({why})" if why else "")))


def apply_plan(plan: ImportPlan) -> None:
    """Write the plan, all or nothing: on any failure, created notes are removed and merged ones restored."""
    with Writes(inside=plan.root) as writes:
        for path, note in plan.new:
            writes.create_note(path, note)
        for merge in plan.merges:
            writes.replace(merge.path, merge.before, merge.after, merge.problem)
        writes.finish()
