"""Imports: vCard (3.0, 4.0, and 2.1 quoted-printable), Google Contacts CSV (current and legacy layouts) and
LinkedIn's Connections.csv -> people notes.

Reading a file gives contacts or an ImportProblem (nothing written). Planning compares them with the
journal: a contact whose email or name matches a person is reported and skipped, or with --merge fills
only that person's empty fields. Applying is all-or-nothing per import: new notes are created
exclusively and rolled back if any step fails.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .authoring import create_exclusively
from .load import load_journal
from .model import Journal, build_journal, slugify


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


def read_vcards(path: Path) -> list[Contact]:
    import vobject

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
            name=name.strip(), emails=[str(l.value).strip() for l in contents.get("email", []) if l.value],
            phones=[str(l.value).strip() for l in contents.get("tel", []) if l.value],
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
    header = set(reader.fieldnames or [])
    missing = required - header
    if missing:
        raise ImportProblem(f"{path}: this is not the expected CSV (missing column(s): "
                            f"{', '.join(sorted(missing))})")
    try:
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

def _y(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def person_front_matter(contact: Contact) -> dict[str, str]:
    """The YAML value text of each field this contact fills (only fields it has)."""
    fields: dict[str, str] = {"name": _y(contact.name)}
    if contact.org:
        fields["org"] = _y(contact.org)
    if contact.role:
        fields["role"] = _y(contact.role)
    if contact.emails:
        fields["email"] = _y(list(dict.fromkeys(contact.emails)))
    if contact.phones:
        fields["phone"] = _y(list(dict.fromkeys(contact.phones)))
    if contact.links:
        fields["links"] = "{" + ", ".join(f"{_y(label)}: {_y(url)}" for label, url in contact.links) + "}" \
            if len({label for label, _ in contact.links}) == len(contact.links) \
            else _y([url for _, url in contact.links])
    if contact.tags:
        fields["tags"] = _y(contact.tags)
    if contact.met:
        fields["met"] = contact.met.isoformat()
    if contact.birthday:
        fields["birthday"] = _y(contact.birthday)
    return fields


def person_note(contact: Contact, source: str) -> str:
    lines = ["---", *(f"{key}: {value}" for key, value in person_front_matter(contact).items()), "---",
             f"Imported from {source}.", ""]
    if contact.note:
        lines += [contact.note, ""]
    return "\n".join(lines)


@dataclass
class ImportPlan:
    new: list[tuple[Path, str]] = field(default_factory=list)
    merges: list[tuple[Path, str, list[str]]] = field(default_factory=list)  # path, new text, fields filled
    skipped: list[tuple[str, str]] = field(default_factory=list)  # contact name, reason


def _matches(journal: Journal, contact: Contact) -> str | None:
    emails = {e.casefold() for e in contact.emails}
    for pid, person in journal.people.items():
        if emails.intersection(e.casefold() for e in person.email):
            return pid
    found = journal.resolve_person(contact.name)
    return found[0] if len(found) == 1 else None


def _merge_text(path: Path, contact: Contact) -> tuple[str, list[str]] | None:
    """The note with the contact's values put into fields that are absent or empty; None if nothing to add."""
    text = path.read_text(encoding="utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if not lines or lines[0].strip() != "---":
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        return None
    filled = []
    for key, value in person_front_matter(contact).items():
        pattern = re.compile(rf"^{re.escape(key)}\s*:(.*)$")
        found = next((i for i in range(1, end) if pattern.match(lines[i])), None)
        if found is None:
            lines.insert(end, f"{key}: {value}")
            end += 1
            filled.append(key)
        elif pattern.match(lines[found]).group(1).strip() in ("", "[]", "''", '""', "~", "null"):
            nested = found + 1 < end and lines[found + 1].startswith((" ", "\t", "-"))
            if not nested:  # `email:` followed by an indented list is not empty
                lines[found] = f"{key}: {value}"
                filled.append(key)
    return (newline.join(lines), filled) if filled else None


def plan_import(root: Path, contacts: list[Contact], source: str, merge: bool) -> ImportPlan:
    journal, _ = build_journal(load_journal(root).records)
    plan = ImportPlan()
    taken = set(journal.people)
    for contact in contacts:
        match = _matches(journal, contact)
        if match is not None:
            person = journal.people[match]
            if merge:
                merged = _merge_text(root / person.path, contact)
                if merged is not None:
                    plan.merges.append((root / person.path, merged[0], merged[1]))
                    continue
                plan.skipped.append((contact.name, f"matches {person.path}; nothing to merge"))
            else:
                plan.skipped.append((contact.name, f"matches {person.path} (use --merge to fill its empty fields)"))
            continue
        base = slugify(contact.name) or "person"
        pid, n = base, 2
        while pid in taken or (root / "people" / f"{pid}.md").exists():
            pid, n = f"{base}-{n}", n + 1
        taken.add(pid)
        plan.new.append((root / "people" / f"{pid}.md", person_note(contact, source)))
    return plan


def apply_plan(plan: ImportPlan) -> None:
    """Write the plan, all or nothing: on any failure, created notes are removed and no merge is kept."""
    created: list[Path] = []
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in plan.new:
            create_exclusively(path, text)
            created.append(path)
        for path, text, _ in plan.merges:
            fd, temp = tempfile.mkstemp(prefix=".import-", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            staged.append((temp, path))
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        for temp, _ in staged:
            os.unlink(temp)
        raise
    for temp, path in staged:
        os.replace(temp, path)
