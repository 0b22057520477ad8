"""Audiences: the records another reader (a mentor) may see, decided before the model is built.

Filtering happens on records, so everything downstream (counts, findings, coverage, links, exports) is
computed from what the audience may see and cannot reveal the rest. Privacy fails closed: a note that
could not be read cleanly never became a record; anything unclear about `private` counted as private in
the loader; references are resolved against the owner's whole journal first and rewritten to the ids the
audience sees (so redacting aliases loses no reference), and those that do not name a visible person are
dropped; wikilinks to anything not visible become "someone", and so does every stretch of text that reads
as a hidden person's name, alias or id (see `redact`); an id or file name that reads as containing one is
replaced by an opaque id.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import re
from collections.abc import Iterable
from pathlib import Path

from .career_history import History
from .config import Audience, Config
from .model import build_journal
from .occasions import real_commits
from .paths import CACHE_FOLDER
from .records import (
    ChangeRecord,
    CommentRecord,
    GoalRecord,
    InteractionRecord,
    PersonRecord,
    Record,
    Ref,
    StakeholderPlan,
    exchanges_seen,
    shared_people,
)
from .redact import SOMEONE, tag_readings
from .redaction import Redaction, Unread, hidden_person
from .tasks import _WIKILINK, find_wikilinks, private_lines, strip_private, wikilink_parts

__all__ = ["SOMEONE", "AudienceView", "audience_config", "audience_history", "audience_key", "audience_records",
           "audience_view", "hidden_person"]

_KEY_FILE = ("audience", "key")


def audience_key(root: Path) -> bytes:
    """The owner's secret for this journal's shared views (opaque ids, calendar UIDs): 32 random bytes kept
    in the journal's cache folder (`.netjournal-cache/audience/key`, readable by the owner only), made on
    first use. Keyed by it, an opaque id or UID stays the same from build to build and tells nobody who
    lacks the key what it was made from. Where it cannot be kept, a new one for this run."""
    from .fsutil import prepare_cache

    path = root.joinpath(CACHE_FOLDER, *_KEY_FILE)
    for _ in range(3):
        try:
            key = path.read_bytes()
            if len(key) == 32:
                return key
        except OSError:
            pass
        try:
            prepare_cache(path.parent)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another build made it meanwhile (or left it unfinished): read it again
            continue
        except OSError:
            break
        key = os.urandom(32)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return key
    return os.urandom(32)


def keyed_digest(key: bytes, *parts: str) -> str:
    """A hex digest of PARTS keyed by KEY (HMAC-SHA256): stable, and guessable only with the key."""
    return hmac.new(key, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()


@dataclasses.dataclass(frozen=True)
class AudienceView:
    """What AUDIENCE's view of a journal is made of (audience_view)."""
    records: list[Record]  # every record, those of the person notes a walk did not read too
    names: Unread  # the names it hides of person notes that gave no record
    redaction: Redaction | None  # of them, for the config, history and records; None: its settings are unread


def audience_view(records: list[Record], unread: tuple[list[Record], Unread], audience: Audience) -> AudienceView:
    """RECORDS, and UNREAD (load.unread_people: the records of person notes a walk did not read, and the names of
    those that gave none), as AUDIENCE's view is made of them, with one Redaction of them for audience_config,
    audience_history and audience_records (most of what making the view costs; none for an audience whose
    settings could not be read exactly: it sees nothing)."""
    unloaded, names = unread
    records = records + unloaded
    return AudienceView(records, names, None if audience.problems else Redaction(records, audience, names))


def audience_config(config: Config, records: list[Record], audience: Audience,
                    unread: Unread = (), redaction: Redaction | None = None) -> Config:
    """CONFIG as AUDIENCE's views show it: the journal's title and owner (on every page, the calendar's
    name, the JSON export) and the goals' roles (which findings quote) redacted as a note's text is
    (Redaction); the default title and no owner for an audience whose settings could not be read exactly.
    The owner's is CONFIG. REDACTION: `Redaction(records, audience, unread)`, if the caller made it (as for
    audience_history and audience_records: one redaction for the three)."""
    if audience.is_owner:
        return config
    if audience.problems:
        return dataclasses.replace(config, title=Config.title, owner="")
    redaction = redaction if redaction is not None else Redaction(records, audience, unread)
    title, owner = redaction.text(config.title), redaction.text(config.owner)
    if (title, owner) != (config.title, config.owner):
        # the owner's name's words are spared in these two (a redaction sparing more words hides a part of
        # what one sparing fewer does: if that hid nothing, so would this)
        text = Redaction(records, audience, unread, spared=config.owner).text
        title, owner = text(config.title), text(config.owner)
    # the stakeholder roles, which findings quote, read as a stakeholder's role is (_Visibility.plans)
    label = redaction.label
    return dataclasses.replace(config, title=title, owner=owner, extra_roles=tuple(map(label, config.extra_roles)),
                               key_roles=frozenset(map(label, config.key_roles)))


class _Visibility:
    def __init__(self, records: list[Record], audience: Audience, key: bytes, redaction: Redaction) -> None:
        self.audience = audience
        self.key = key
        self.full, _ = build_journal(records)  # the owner's view, to resolve references exactly
        self.redaction = redaction
        self.hidden_people = {pid for pid, person in self.full.people.items()
                              if hidden_person(person, audience) or pid in self.redaction.hidden_ids}
        self.text, self.label, self.in_ids = self.redaction.text, self.redaction.label, self.redaction.in_ids
        self.hidden_interactions = {
            i.id for i in self.full.interactions
            if (audience.exclude_private and i.private)
            or (audience.exclude_tags and not audience.exclude_tags.isdisjoint(tag_readings(i.topics)))
            or not [p for p in self.full.participants[i.id] if p not in self.hidden_people]}
        self.hidden_goals = {g.id for g in self.full.goals.values() if audience.exclude_private and g.private}
        self.resolve_target = self.full.resolve_target
        self.ids: dict[tuple[str, str], str] = {}  # (kind, id) -> the id the audience sees
        taken = {*self.full.people, *self.full.goals, *(i.id for i in self.full.interactions)}
        for kind, ids in (("person", self.full.people), ("goal", self.full.goals),
                          ("interaction", [i.id for i in self.full.interactions])):
            for item in ids:
                self.ids[kind, item] = self._opaque(kind, item, taken) if self.in_ids(item) else item

    def _opaque(self, kind: str, item: str, taken: set[str]) -> str:
        """An id for ITEM (an id that reads as naming a hidden person) that says nothing of it."""
        digest = keyed_digest(self.key, "id", kind, item)
        for length in range(12, len(digest) + 1):
            opaque = f"{kind}-{digest[:length]}"
            if opaque not in taken:
                taken.add(opaque)
                return opaque
        raise AssertionError("an HMAC digest repeated")  # pragma: no cover

    def person_id(self, text: str) -> str | None:
        """The audience's id of the one visible person TEXT names, else None."""
        found = self.full.resolve_person(text)
        return self.ids["person", found[0]] if len(found) == 1 and found[0] not in self.hidden_people else None

    def target(self, text: str) -> str | None:
        """What a link or a comment's `about:` naming TEXT should name for the audience (`people/<id>`,
        `goals/<id>` or `interactions/<id>`), or None when it names nothing the audience may see."""
        target = self.resolve_target(text)
        if target is None:
            return None
        hidden = {"person": self.hidden_people, "goal": self.hidden_goals,
                  "interaction": self.hidden_interactions}[target.kind]
        if target.id in hidden:
            return None
        folder = {"person": "people", "goal": "goals", "interaction": "interactions"}[target.kind]
        return f"{folder}/{self.ids[target.kind, target.id]}"

    def label_of(self, text: str) -> str:
        """What a link to the target TEXT names (a visible one) shows instead of TEXT: its name or title."""
        target = self.resolve_target(text)
        if target is None or target.kind == "interaction":
            return self.redaction.id_label(text)
        record = self.full.people[target.id] if target.kind == "person" else self.full.goals[target.id]
        return self.text(record.name if target.kind == "person" else record.title)  # type: ignore[union-attr]

    def texts(self, values: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.text(v) for v in values)

    def body(self, body: str) -> str:
        if self.audience.exclude_private:
            body = strip_private(body)

        def link(match: re.Match) -> str:
            parts = wikilink_parts(match.group(1))
            if parts is None:
                return match.group(0)  # not a link: its text is redacted as any other text
            text, explicit = parts
            target = self.target(text)
            if target is None:
                return SOMEONE
            label = (explicit or text).strip()
            if not explicit and self.in_ids(text):  # the label is an id that gives a name away
                label = self.label_of(text)
            return f"[[{target}|{label}]]"

        body = _WIKILINK.sub(link, body) if "[[" in body else body
        return self.text(body)

    def refs(self, refs: Iterable[Ref]) -> tuple[Ref, ...]:
        """REFS that name a visible person, each as the audience's id of that person."""
        found = ((self.person_id(ref.text), ref.line) for ref in refs)
        return tuple(Ref(pid, line) for pid, line in found if pid is not None)

    def plans(self, plans: Iterable[StakeholderPlan]) -> tuple[StakeholderPlan, ...]:
        """The stakeholder map entries of PLANS that name a visible person, as `refs` rewrites them, their
        texts redacted (an entry about someone hidden is left out whole: what they want included)."""
        kept = []
        for plan in plans:
            who = self.refs([plan.who])
            if who:
                kept.append(dataclasses.replace(plan, who=who[0], role=self.label(plan.role),
                                                wants=self.text(plan.wants)))
        return tuple(kept)

    def shown(self, values: Iterable[str]) -> tuple[str, ...]:
        """VALUES but those reading as naming a hidden person, even inside a word (addresses, numbers: not
        to be half-redacted)."""
        return tuple(v for v in values if not self.redaction.in_contact(v))


def _changes_seen(changes: tuple[ChangeRecord, ...], vis: _Visibility, audience: Audience) -> tuple[ChangeRecord, ...]:
    """A person's `changes:` as AUDIENCE sees them: a field it redacts left out (an entry left with none
    is left out, unless it says the person left), hidden people's names as "someone"."""
    seen = []
    for change in changes:
        role = None if "role" in audience.redact or change.role is None else vis.text(change.role)
        org = None if "org" in audience.redact or change.org is None else vis.text(change.org)
        if role is not None or org is not None or change.kind == "left" and change.role is change.org is None:
            seen.append(dataclasses.replace(change, role=role, org=org))
    return tuple(seen)


def audience_history(records: list[Record], history: History, audience: Audience, unread: Unread = (),
                     redaction: Redaction | None = None) -> History:
    """The commits' changes of role and org (career_history.py) AUDIENCE may see: none of a person it does not
    see or of a field it redacts, only real changes (occasions.real_commits, decided on the owner's text),
    hidden people's names in the new values as "someone", and never the old value: past text may name a
    hidden person by a name or alias they no longer have, which no redaction of today's names finds."""
    if audience.is_owner:
        return history
    if audience.problems or not history:
        return {}
    redaction = redaction if redaction is not None else Redaction(records, audience, unread)
    visible = {person.path for person in shared_people(records) if person.id not in redaction.hidden_ids}
    seen = {}
    for path, changes in history.items():
        kept = tuple(dataclasses.replace(change, before="", after=redaction.text(change.after))
                     for change in real_commits(changes) if change.field not in audience.redact)
        if path in visible and kept:
            seen[path] = kept
    return seen


def _follow_ups_seen(vis: _Visibility, record, audience: Audience) -> tuple:
    """An interaction's or a goal's follow-ups as AUDIENCE may see them: hidden names redacted, and none
    from a task inside a private passage."""
    secret_lines = private_lines(record.body, record.body_line) if audience.exclude_private else []
    return tuple(dataclasses.replace(f, what=vis.text(f.what)) for f in record.follow_ups
                 if not (f.from_task and any(a <= f.line <= b for a, b in secret_lines)))


def _body_fields(vis: _Visibility, record) -> dict:
    body = vis.body(record.body)
    return {"body": body, "body_links": tuple(Ref(link.target, link.line)
                                              for link in find_wikilinks(body, record.body_line))}


def audience_records(records: list[Record], audience: Audience, key: bytes | None = None,
                     unread: Unread = (), redaction: Redaction | None = None) -> list[Record]:
    """The records AUDIENCE may see, redacted, with ids that read as naming a hidden person made opaque
    with KEY (see audience_key; default: a new key, so such ids change from call to call). The owner sees
    all records unchanged. An audience whose settings could not be read exactly sees nothing. UNREAD_NAMES
    are those found in person notes that could not be loaded: hidden as a hidden person's are, since such a
    note may be private."""
    if audience.is_owner:
        return records
    if audience.problems:
        return []
    vis = _Visibility(records, audience, key if key is not None else os.urandom(32),
                      redaction if redaction is not None else Redaction(records, audience, unread))
    shown: list[Record] = []
    people = {p.path: p.id for p in vis.full.people.values() if p.id not in vis.hidden_people}
    for record in records:
        if isinstance(record, PersonRecord):
            if people.get(record.path) != record.id:  # hidden, a duplicate id, or a private annex
                continue
            changes = {field: () if field in ("aliases", "email", "phone", "links") else
                       (None if field == "met" else "") for field in audience.redact if field != "body"}
            intro = vis.person_id(record.introduced_by.text) if record.introduced_by else None
            fields = {"body": "", "body_links": ()} if "body" in audience.redact else _body_fields(vis, record)
            links = tuple((vis.text(label), url) for label, url in record.links
                          if not vis.redaction.in_contact(url))
            shown.append(dataclasses.replace(
                record, changes=_changes_seen(record.changes, vis, audience),
                birthday=None, dates=(),  # personal days are the owner's: no audience sees them
                **{"id": vis.ids["person", record.id], "name": vis.text(record.name),
                           "org": vis.text(record.org), "role": vis.text(record.role),
                           "location": vis.text(record.location), "aliases": vis.texts(record.aliases),
                           "email": vis.shown(record.email), "phone": vis.shown(record.phone), "links": links,
                           # a tag names a page of its own, like an id: a name inside a word counts
                           "tags": tuple(dict.fromkeys(map(vis.label, record.tags))), **changes, **fields},
                introduced_by=Ref(intro, record.introduced_by.line) if intro else None))  # type: ignore[union-attr]
        elif isinstance(record, InteractionRecord):
            if record.id in vis.hidden_interactions or record.private and audience.exclude_private:
                continue
            with_refs = vis.refs(record.with_refs)
            if not with_refs or ("interaction", record.id) not in vis.ids:
                continue
            shown.append(dataclasses.replace(
                record, id=vis.ids["interaction", record.id], with_refs=with_refs, title=vis.text(record.title),
                kind=vis.label(record.kind), topics=tuple(map(vis.label, record.topics)),
                **exchanges_seen(record, vis.refs, vis.text), follow_ups=_follow_ups_seen(vis, record, audience),
                **_body_fields(vis, record)))
        elif isinstance(record, GoalRecord):
            if (record.id in vis.hidden_goals or record.private and audience.exclude_private
                    or vis.full.goals.get(record.id) is not record):
                continue
            shown.append(dataclasses.replace(record, id=vis.ids["goal", record.id], title=vis.text(record.title),
                                             stakeholder_refs=vis.refs(record.stakeholder_refs),
                                             plans=vis.plans(record.plans),
                                             follow_ups=_follow_ups_seen(vis, record, audience),
                                             **_body_fields(vis, record)))
        elif isinstance(record, CommentRecord):
            about = vis.target(record.about.text)
            if record.private and audience.exclude_private or about is None:
                continue
            shown.append(dataclasses.replace(
                record, id=keyed_digest(vis.key, "comment", record.id)[:16], author=vis.label(record.author),
                about=Ref(about, record.about.line),
                **_body_fields(vis, record)))
    return shown

