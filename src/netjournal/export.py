"""Exports of an analysed journal (already filtered for its audience): iCalendar, JSON, CSV, vCard 4.0.

Calendar entries are all-day VEVENTs, not VTODOs: Google Calendar ignores VTODO in imports and
subscriptions, Apple Calendar and Outlook show all-day events everywhere. Each has a stable UID made from
what it is about, so re-importing or a subscription refresh updates an entry instead of duplicating it,
and a VALARM at 09:00 on the day so the calendar actually reminds.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .audience import keyed_digest
from .records import EXCHANGES
from .site.markdown import is_address, legal_html
from .values import json_text

if TYPE_CHECKING:
    from .model import Interaction, Journal
    from .site.context import Site

SCHEMA_ID = "https://netjournal.example/schema/export-1.json"
SCHEMA_VERSION = 1


def _uid(*parts: str, key: bytes = b"") -> str:
    """A calendar entry's UID from what it is about. The owner's are plain digests (stable since the first
    feed, so subscriptions keep their entries; only the owner sees the feed). An audience's are keyed by
    the owner's secret (`audience.audience_key`): nobody can confirm a guess of what an entry is about (a
    hidden person's name in a file name, say) by computing its UID."""
    if key:
        return keyed_digest(key, "uid", *parts)[:32] + "@netjournal"
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32] + "@netjournal"


def audience_key_of(site: Site) -> bytes:
    """What SITE's UIDs are keyed by: nothing for the owner; for anyone else the owner's secret, or a new
    one for this run when the site lacks it (never the owner's plain digests)."""
    if site.for_owner:
        return b""
    return site.audience_key or os.urandom(32)


#: what ends a line for some reader of a calendar or card file: in a value, each is written as an escaped
#: newline, so that no value can end its event or card and start another
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _text(value: str) -> str:
    """A TEXT value of iCalendar (RFC 5545) or vCard (RFC 6350): backslash, semicolon, comma and line
    breaks escaped; the other control characters, which neither format allows in a value (a tab is
    allowed), and noncharacters as U+FFFD (legal_html)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return legal_html(_LINE_BREAK.sub(lambda _: "\\n", value))


def _ics_date(day: dt.date) -> str:
    """DAY as an iCalendar DATE, YYYYMMDD, with the year in four digits (strftime leaves year 1 as `1`)."""
    return day.isoformat().replace("-", "")


def fold(line: str) -> str:
    """A content line of iCalendar (RFC 5545) or vCard (RFC 6350) folded at 75 octets, never inside a UTF-8
    character: each continuation line starts with a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # back off to a character boundary
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(parts)


@functools.lru_cache(maxsize=65536)
def _event(uid_parts: tuple[str, ...], summary: str, day: dt.date, description: str, stamp: str,
           uid_key: bytes = b"") -> bytes:
    """One all-day event with an alarm at 09:00, encoded; kept by what it shows, since most are as they were
    (a feed of thousands of events is joined, not encoded again, at each build)."""
    summary = _text(summary)
    return "".join(fold(line) + "\r\n" for line in (
        "BEGIN:VEVENT", f"SUMMARY:{summary}", f"DTSTART;VALUE=DATE:{_ics_date(day)}",
        # an all-day event ends the next day; the calendar's last day has none (one day is meant)
        f"DTEND;VALUE=DATE:{_ics_date(day + dt.timedelta(days=1))}" if day < dt.date.max else "DURATION:P1D",
        f"DTSTAMP:{stamp}",
        f"UID:{_text(_uid(*uid_parts, key=uid_key))}", f"DESCRIPTION:{_text(description)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{summary}", "TRIGGER:PT9H", "END:VALARM", "END:VEVENT"
    )).encode("utf-8")


def to_ics(site: Site) -> bytes:
    """Written directly rather than through a calendar library: thousands of events in a large journal,
    and the format needed here (all-day events with an alarm) is a few lines of RFC 5545."""
    journal, today = site.journal, site.today
    stamp = f"{_ics_date(today)}T000000Z"  # deterministic for --today
    header = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//netjournal//follow-ups//EN", "CALSCALE:GREGORIAN",
              f"X-WR-CALNAME:{_text(site.config.title + ': follow-ups')}"]
    parts = [(fold(line) + "\r\n").encode("utf-8") for line in header]
    uid_key = audience_key_of(site)
    # the events in the order of importance (ranking.py): what `netjournal due` and the dashboard put first
    # comes first, with its reason; then the rest by day
    place, reasons, later = site.calendar_order(site.config.due_soon)

    def why(pid: str | None) -> str:
        return f" Why now: {reasons[pid]}." if pid in reasons else ""

    events: list[tuple[tuple, bytes]] = []
    # note by note, each note's events in the memo: an edit that moves a note's follow-ups to other lines
    # (which the feed does not show) leaves the feed as it was
    for concerns, order, uid_parts, summary, day, description, owed in site.per_note_with_follow_ups(
            "calendar follow-ups"):
        first = later
        for concerned in concerns:  # (a loop, not min(): most concern one person, and there are thousands)
            at = place.get(concerned, later)
            if at < first:
                first = at
        events.append(((first, day, 0, *order), _event(uid_parts, summary, day, description + why(owed),
                                                      stamp, uid_key)))
    for pid in sorted(journal.people):
        status = site.status(pid)
        day = status.due_on(today)
        if day is None:
            continue
        last = f"Last contact {status.last_contact}." if status.last_contact else "No contact logged yet."
        events.append(((place.get(pid, later), day, 1, pid), _event(
            ("contact", pid), f"Reach out to {journal.name(pid)[0]}", day, last + why(pid), stamp, uid_key)))
    parts += [event for _, event in sorted(events, key=lambda e: e[0])]
    for occasion in site.occasions(366):  # a year ahead: every birthday and anniversary once
        year = str(occasion.on.year) if occasion.code != "congratulate" else ""  # an event per year of a date
        parts.append(_event((occasion.code, occasion.person, occasion.title, year), occasion.title, occasion.on,
                            f"{occasion.reason}.", stamp, uid_key))
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def to_json(site: Site) -> str:
    """The whole model. For an audience other than the owner, interaction ids (file paths, which can name
    hidden people) become opaque numbers and findings carry no paths."""
    journal, today = site.journal, site.today
    statuses = {pid: site.status(pid) for pid in journal.people}
    owner = site.for_owner
    ids = {i.id: (i.id if owner else f"i{n}") for n, i in enumerate(journal.interactions, 1)}
    findings = [f.as_dict() if owner else {**f.as_dict(), "path": None, "line": None} for f in site.findings()]
    data = {
        "$schema": SCHEMA_ID, "schema_version": SCHEMA_VERSION, "today": today.isoformat(),
        "audience": site.audience.name, "title": site.config.title,
        "people": [{
            "id": pid, "name": p.name, "aliases": list(p.aliases), "org": p.org, "role": p.role,
            "email": list(p.email), "phone": list(p.phone),
            "links": [{"label": label, "url": url} for label, url in p.links],
            "location": p.location, "tags": list(p.tags), "met": _iso(p.met),
            "introduced_by": journal.introducer.get(pid), "private": p.private,
            "last_contact": _iso(statuses[pid].last_contact), "next_due": _iso(statuses[pid].next_due),
            "cadence_days": statuses[pid].cadence or None,
        } for pid, p in sorted(journal.people.items())],
        "interactions": [{
            "id": ids[i.id], "date": i.date.isoformat(), "with": list(journal.participants[i.id]), "kind": i.kind,
            "title": i.title, "topics": list(i.topics), "gave": list(i.gave), "asked": list(i.asked),
            "received": list(i.received), "aimed_at": aimed_at(journal, i), "private": i.private, "body": i.body,
        } for i in journal.interactions],
        "follow_ups": [{
            "what": f.what, "due": _iso(f.due), "done": f.done,
            "interaction": ids[f.interaction] if f.interaction else None, "goal": f.goal or None,
            "people": list(f.people),
        } for f in journal.follow_ups],
        "goals": [{
            "id": gid, "title": g.title, "target": _iso(g.target), "status": g.status,
            "stakeholders": list(journal.stakeholders.get(gid, ())), "private": g.private,
        } for gid, g in sorted(journal.goals.items())],
        "findings": findings,
    }
    return json_text(data) + "\n"


def aimed_at(journal: Journal, interaction: Interaction) -> dict[str, list[list[str]]]:
    """For each of gave, asked and received, whom each entry names (ids among the interaction's people;
    none: it concerns everyone there)."""
    named = journal.named_by(interaction)
    return {kind: [list(named.get((kind, index), ())) for index in range(len(getattr(interaction, kind)))]
            for kind in EXCHANGES}


CSV_COLUMNS = ("id", "name", "org", "role", "tags", "email", "last_contact", "next_due", "overdue_days",
               "gave", "asked", "received", "open_follow_ups")


#: what makes a spreadsheet read a cell as a formula (OWASP's list), when it starts the cell
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\n")  # a CR is a line break by then (_cell)


def _cell(text: str) -> str:
    """TEXT from a note as a CSV cell that no spreadsheet runs as a formula: with a leading apostrophe,
    which spreadsheets show as text, when it starts like one; each line break as `\\n`, which the cell is
    quoted for (a lone `\\r` was not: it began a row, and a formula, of its own)."""
    text = _LINE_BREAK.sub("\n", text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def to_csv(site: Site) -> str:
    """One row per person. Text from the notes that a spreadsheet would run as a formula is written with a
    leading apostrophe (_cell)."""
    journal = site.journal
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for pid, person in sorted(journal.people.items()):
        status, totals = site.status(pid), site.ledger(pid)
        writer.writerow([*map(_cell, (pid, person.name, person.org, person.role, "; ".join(person.tags),
                                      "; ".join(person.email))),
                         status.last_contact or "", status.next_due or "", status.overdue_days,
                         totals.gave, totals.asked, totals.received, len(journal.open_follow_ups(pid))])
    return out.getvalue()


def to_vcard(site: Site) -> str:
    """People as vCard 4.0, for a phone's address book."""
    cards = []
    key = audience_key_of(site)
    for pid, person in sorted(site.journal.people.items()):
        uuid = _uuid(keyed_digest(key, "vcard", pid) if key else pid)
        lines = ["BEGIN:VCARD", "VERSION:4.0", f"UID:urn:uuid:{uuid}", f"FN:{_text(person.name)}"]
        parts = person.name.rsplit(" ", 1)
        family, given = (parts[1], parts[0]) if len(parts) == 2 else (person.name, "")
        lines.append(f"N:{_text(family)};{_text(given)};;;")
        if person.org:
            lines.append(f"ORG:{_text(person.org)}")
        if person.role:
            lines.append(f"TITLE:{_text(person.role)}")
        lines += [_typed("EMAIL", e) for e in person.email]
        lines += [_typed("TEL", t) for t in person.phone]
        lines += [f"URL:{url}" for _, url in person.links  # a handle is no URL
                  if not _LINE_BREAK.search(url) and legal_html(url) == url and is_address(url)]
        if person.tags:
            lines.append("CATEGORIES:" + ",".join(_text(t) for t in person.tags))
        lines.append("END:VCARD")
        cards.append("\r\n".join(fold(line) for line in lines))
    return "\r\n".join(cards) + ("\r\n" if cards else "")


#: What the label of a labelled contact (`mobile: +44 …`, `work: zq@example.org`) says as vCard's TYPE
_VCARD_TYPES = {"TEL": {"mobile": "cell", "cell": "cell", "cellphone": "cell", "work": "work", "office": "work",
                        "business": "work", "home": "home", "personal": "home", "private": "home", "fax": "fax",
                        "pager": "pager", "voice": "voice", "text": "text", "video": "video"},
                "EMAIL": {"work": "work", "office": "work", "business": "work", "home": "home", "personal": "home",
                          "private": "home"}}
_LABELLED = re.compile(r"([A-Za-z][A-Za-z ]{0,40}): +(\S.*)", re.DOTALL)


def _typed(name: str, contact: str) -> str:
    """A vCard line NAME (EMAIL, TEL) for CONTACT, its label as TYPE where vCard has one for each of its words
    (`home mobile: …` is TYPE=home,cell); another label stays in the value (`signal: +44 …`)."""
    labelled = _LABELLED.fullmatch(contact)
    if labelled:
        types = [_VCARD_TYPES[name].get(word) for word in labelled.group(1).lower().split()]
        if types and all(types):
            return f"{name};TYPE={','.join(dict.fromkeys(t for t in types if t))}:{_text(labelled.group(2))}"
    return f"{name}:{_text(contact)}"


def _uuid(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"


EXPORTERS: dict[str, Callable[[Site], str | bytes]] = {"ics": to_ics, "json": to_json, "csv": to_csv, "vcard": to_vcard}
