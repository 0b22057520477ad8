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
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .career_history import History
from .config import Audience, Config
from .contacts import URL, Phones, contact_forms, link_numbers, phone_spans, salvaged_contact
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
from .redact import SOMEONE, NameMatcher, has_accent, has_markup, marks, reader_text, reading_of_name, tag_readings
from .tasks import _WIKILINK, find_wikilinks, private_lines, strip_private, wikilink_parts

__all__ = ["SOMEONE", "audience_config", "audience_history", "audience_key", "audience_records", "hidden_person"]

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


def hidden_person(person: PersonRecord, audience: Audience) -> bool:
    """Is PERSON kept from AUDIENCE: private (when it excludes private notes), or tagged with one of its
    `exclude_tags` (tags compared as `redact.tag_readings` reads them: a nested tag's parts too)?"""
    if audience.exclude_private and person.private:
        return True
    return bool(audience.exclude_tags) and not audience.exclude_tags.isdisjoint(tag_readings(person.tags))


#: Words before a name that name nobody (a hidden Dr Zelda Quokkason does not hide every "Dr", an alias
#: The Boss every "The")
_TITLES = frozenset({
    "dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "doctor", "sir", "dame", "rev", "fr", "lord",
    "lady", "st", "aunt", "uncle", "mme", "mlle", "herr", "frau", "the"})
#: Words inside or after a name that name nobody: particles (a hidden Maria de la Cruz hides "Cruz", not every
#: "La"; Van Morrison's first name is a name) and suffixes
_PARTICLES = frozenset({
    "de", "la", "le", "les", "du", "da", "di", "del", "della", "van", "von", "der", "den", "ter", "ten", "bin",
    "ibn", "el", "the", "of", "and", "jr", "sr", "phd", "md", "esq", "ii", "iii", "iv"})
#: The names salvaged from each person note that could not be loaded, its id first (load.salvaged_names)
Unread = Iterable[tuple[str, ...]]


def _hidden_people(records: list[Record], audience: Audience, unread: Unread) -> list[PersonRecord]:
    """The person notes (each with their annex) AUDIENCE may not see: of every id that one of its notes
    hides (by their note or their annex; another note of the id, such as `private/people/ada.md` beside
    `people/team/ada.md`, may hide it too) or whose note could not be loaded (its id is among UNREAD's:
    that note may say private)."""
    people = shared_people(records)
    hidden = {names[0] for names in unread} | {person.id for person in people if hidden_person(person, audience)}
    return [person for person in people if person.id in hidden]


def _hidden_names(hidden: list[PersonRecord], unread: list[tuple[str, ...]]) -> list[str]:
    """Every HIDDEN person's name, aliases and id (a duplicate id's ignored note's too), and every name
    salvaged from a person note that could not be loaded (UNREAD)."""
    return [text for person in hidden for text in (person.name, *person.aliases, person.id)] + \
        [name for names in unread for name in names]


def _words(text: str) -> list[str]:
    """The words of a name or id as the matcher reads them: `Quokkason, Zelda (Zed)` has three, `Núñez` one
    (read as `nunez`)."""
    return [word for _, word in _written_words(text)]


def _written_words(text: str) -> list[tuple[str, str]]:
    """The words of a name or id as written (NFKD, case folded: `núñez`) and as the matcher reads them
    (`nunez`); a lone mark is no word."""
    written = re.findall(rf"[\w'’{marks()}]+", unicodedata.normalize("NFKD", text).casefold())
    return [(word, read) for word in written if (read := reading_of_name(word).strip("'’"))]


#: Words of a name looked at (a name of thousands of words is no name: its words would cost minutes)
_WORDS_OF_A_NAME = 16


def _name_words(text: str) -> list[tuple[str, str]]:
    """The words of TEXT, a hidden person's name, alias or id, that name them: not a title before the name,
    nor a particle or suffix after its first word, nor one letter, a number or a word of over 64. Each as
    written and as the matcher reads it (_written_words)."""
    words = _written_words(text)[:_WORDS_OF_A_NAME]
    while words and words[0][1] in _TITLES:
        words.pop(0)
    return [(written, word) for index, (written, word) in enumerate(words) if 1 < len(word) <= 64
            and any(c.isalpha() for c in word) and (index == 0 or word not in _PARTICLES)]


#: A name or word of a name of at most this many letters, of a script that has ASCII's letters, and
#: written with accents, is found only written with some: without them `Tô`, `Hé`, `Lê`, `Bär` and `Hồng`
#: are `To`, `He`, `Le`, `Bar` and `Hong` (where accents are often left out, `Петр`, an unpointed `משה`, it
#: is found either way)
_ACCENTED_WORD_LETTERS = 4


def _found_with_accents(written: str) -> bool:
    """Is WRITTEN, a name or a word of one, found only where written with accents (_ACCENTED_WORD_LETTERS)?"""
    read = reading_of_name(written).replace(" ", "")
    return len(read) <= _ACCENTED_WORD_LETTERS and read.isascii() and has_accent(written)


def _by_accents(names: list[str]) -> tuple[list[str], list[str]]:
    """NAMES as NameMatcher's names and accented names (_found_with_accents): `Ái`, an alias, hides no `AI`."""
    accented = [name for name in names if _found_with_accents(name)]
    return [name for name in names if name not in accented], accented


def _plural(word: str) -> str:
    """WORD as a family is named (`the Quokkasons`, `the Joneses`): -es only after s, x, z, ch and sh."""
    return f"{word}es" if word.endswith(("s", "x", "z", "ch", "sh")) else f"{word}s"


@cache
def _addresses() -> re.Pattern:
    """Addresses as written or as a reader reads them (redact.reader_text: entities and escapes decoded,
    width and case folded, invisible characters and accents as \x01): an e-mail,
    a URL (`Jane_(quokkason)`, `it's-quokkason` in its path), a domain. Each begins only where a run of its
    characters does (the lookbehinds), so finding them is linear on a run of any length."""
    word = rf"\w\x00\x01{marks()}"
    return re.compile(
        rf"(?P<email>(?<![{word}.+-])[{word}.+-]++@[{word}-]++(?:\.[{word}-]++)*+)"
        rf"|(?P<url>(?<![{word}+.-])(?:[a-zA-Z][a-zA-Z0-9+.-]*+://|[mM][aA][iI][lL][tT][oO]:|[wW]{{3}}\.)"
        rf"[^\s<>\"`\[\]]*+)"
        rf"|(?P<domain>(?<![{word}.-])[{word}-]++(?:\.[{word}-]++)++(?:/[^\s<>\"`()\[\]]*+)?)")


#: What ends a sentence or wraps an address rather than belonging to it
_AROUND_ADDRESS = ".,:;!?…'’\"”*_~)"


def _top_level(domain: str) -> bool:
    """Does DOMAIN (`quokkason.dev/cv`) end in a top-level domain (letters, or punycode), unlike `e.g` or `3.14`?"""
    last = domain.partition("/")[0].rsplit(".", 1)[-1].strip("_\x00\x01")
    return (len(last) >= 2 and last.isalpha()) or last.startswith("xn--")


class Redaction:
    """How AUDIENCE's views say what could name a hidden person. In text (`text`): every stretch that reads
    as a hidden person's name, alias or id; each word of those written with a capital (`send Zelda the
    deck` is read as a promise to Zelda Quokkason by netjournal itself, contribute._named_in, and "Ask
    Quokkason" or "Quokkason, Zelda" by a reader); an address that names one in any case. A word is no name
    when it is also a word of a shown person's name or alias (`Lee` of Ann Lee, `Ann` of Mary-Ann): that
    would hide what the audience may see. SPARED (the owner's name, for the settings' title and owner
    only) spares its words too.

    Elsewhere case does not count: a name, an alias or a word of a name is looked for as a word (`help-zelda`),
    and inside a longer word as well: in an id (`in_ids`, made opaque), a name of three letters or more
    (`zeddys-assistant`); in a label (`label`: tags, topics, roles, kinds, a comment's author), a name of five
    or more; in an address, a name of five or more and a name's word of six or more that is inside no shown
    person's name (`zquokkason@example.org`, not `danielle@…` for a hidden Daniel). A visible person's e-mail,
    phone or link is left out on the id's terms too (`in_contact`). A hidden person's own e-mail, phone or
    link is hidden whole wherever it is repeated, also bare (contact_forms), and a phone number however it is
    grouped or prefixed (contacts.Phones)."""

    def __init__(self, records: list[Record], audience: Audience, unread: Unread, spared: str = "") -> None:
        unread = list(unread)
        hidden = _hidden_people(records, audience, unread)
        self.hidden_ids = {person.id for person in hidden}
        # their e-mail addresses, phone numbers and links too, wherever a visible note repeats them: whole
        # only (their words are no names: `gmail`, `com`), and a phone number however it is written; a note
        # that could not be loaded gives those among its names, marked (load.salvaged_names)
        names: list[str] = []
        fields: dict[str, list[str]] = {"email": [], "phone": [], "links": []}
        for person in hidden:
            fields["email"] += person.email
            fields["phone"] += person.phone
            fields["links"] += [url for _, url in person.links]
            fields["phone"] += [text for label, url in person.links for text in link_numbers(label, url)]
        for name in _hidden_names(hidden, unread):
            contact = salvaged_contact(name)
            if contact is None:
                names.append(name)
            elif contact[0] == "links":  # `github: https://…` as written: its label is what is not the link
                fields["links"].append(contact[1])
                fields["phone"] += link_numbers(URL.sub("", contact[1]), contact[1])
            else:
                fields[contact[0]].append(contact[1])
        contacts = contact_forms(fields["email"], fields["phone"], fields["links"])
        self._phones = Phones(fields["phone"])
        plain, accented = _by_accents([*names, *contacts])
        self.names = NameMatcher(plain, accented=accented)
        # what spares a word is what the audience reads: a shown person's name, their aliases unless it
        # redacts them; never a note whose id another note has too (which of them the audience sees is the
        # model's to say)
        people = [person for person in shared_people(records) if person.id not in self.hidden_ids]
        ids = Counter(person.id for person in people)
        shown_texts = [text for person in people if ids[person.id] == 1
                       for text in (person.name, *(() if "aliases" in audience.redact else person.aliases))]
        if not self.names.search(spared):
            shown_texts.append(spared)
        shown_words = [pair for text in shown_texts for pair in _written_words(text)]
        shown = {word for _, word in shown_words}
        pairs = {pair for text in names for pair in _name_words(text)}  # salvaged names' too
        # a short word with accents is found only written with some (_found_with_accents): only a shown word
        # written with some spares it (`Hong` of a shown Hong Kim is no `Hồng`); written without them in
        # another hidden name, it is found either way
        short_accented = {word for written, word in pairs if _found_with_accents(written)}
        short_accented -= {word for written, word in pairs if not _found_with_accents(written)}
        short_accented -= {word for written, word in shown_words if has_accent(written)}
        words = {word for _, word in pairs} - shown - short_accented
        forms = {form for word in words for form in (word, _plural(word))} - shown
        accented_forms = {form for word in short_accented for form in (word, _plural(word))}
        self.name_words = NameMatcher(forms, capitalised=True, accented=accented_forms)
        self._as_words = NameMatcher(forms, accented=accented_forms)  # in any case (redact._compiled keeps the pattern)
        plain, accented = _by_accents([name for name in names if len(reading_of_name(name)) >= 3])
        self._inside_ids = NameMatcher(plain, words=False, accented=accented)
        plain, accented = _by_accents([name for name in names if len(reading_of_name(name)) >= 5])
        self._inside_labels = NameMatcher(plain, words=False, accented=accented)
        self._inside_addresses = NameMatcher([word for word in words if len(word) >= 6 and not any(
            word in other for other in shown)], words=False)

    def text(self, value: str) -> str:
        """VALUE with what names a hidden person as "someone" (see the class)."""
        if not value:
            return value
        # names, their words and numbers found in the text as written, and replaced at once: one after the
        # other, a number written whole (a name's too: contact_forms) would leave its `+45`, a name glued to
        # a number (`Zelda+45…`) or an address holding one (`zee.4520123456@…`) would be no name
        names = [*self.names.spans(value), *self.name_words.spans(value)]
        numbers = self._phone_spans(value)
        if names and self._phones:  # and with the names out of the way (`ZQ7-20123456` holds no `7-2012…`)
            numbers += self._phone_spans(_blanked(value, names))
        value = _someone_at(value, [*names, *numbers])
        if self._in_address(value):  # some name or word of one, in any case: in an address?
            value = self._without_addresses(value)
        return value

    def _phone_spans(self, value: str) -> list[tuple[int, int]]:
        """The spans of VALUE that are a hidden person's phone number (contacts.Phones), found as written
        and as read (`07700 **900123**`, `９&#48;0123`)."""
        if not self._phones or not (_DIGIT.search(value) or not value.isascii()):  # `⁰⁷⁷⁰⁰` reads as digits
            return []
        readings = [reader_text(value)]
        if has_markup(value):  # a link's or an image's markup between its groups: `[07700](…) 900123`
            readings.append(reader_text(value, markup=False))
        return [to_value(*span) if to_value is not None else span
                for text, to_value in ((value, None), *((reading.text, reading.span) for reading in readings))
                for span in phone_spans(text, self._phones)]

    def _without_addresses(self, value: str) -> str:
        """VALUE with each address in it that names a hidden person as "someone": found as written (a
        `%20` in a URL's path is no end of it) and as read (`zquokkason&#64;example.org`)."""
        reading = reader_text(value)  # markup read as text: a link's destination is an address too
        found = []
        for text, span in ((value, None), (reading.text, reading.span)):
            for match in _addresses().finditer(text):
                if match.lastgroup == "domain" and not _top_level(match.group(0).rstrip(_AROUND_ADDRESS)):
                    continue
                start, end = span(*match.span()) if span is not None else match.span()
                address = value[start:end]
                start, end = start + len(address) - len(address.lstrip(_AROUND_ADDRESS)), start + len(
                    address.rstrip(_AROUND_ADDRESS))
                if start < end and self._in_address(value[start:end]):
                    found.append((start, end))
        return _someone_at(value, found)

    def _in_address(self, value: str) -> bool:
        """Does VALUE, an address, hold a name's word in any case, or inside a word a long name or word?
        (Its names are 'someone' already: `text` redacts them first; `in_contact` looks for them.)"""
        return bool(self._as_words.search(value) or self._inside_labels.search(value)
                    or self._inside_addresses.search(value))

    def label(self, value: str) -> str:
        """VALUE (a tag, a topic, a role, a kind, an author) with what names a hidden person as "someone"."""
        return self._inside_labels.redact(self._as_words.redact(self.text(value)))

    def id_label(self, value: str) -> str:
        """VALUE, an id shown as a link's text, with what names a hidden person as "someone"."""
        return self._inside_ids.redact(self._as_words.redact(self.names.redact(value)))

    def in_ids(self, value: str) -> bool:
        """Does VALUE, an id, name a hidden person (see the class)?"""
        return bool(self._inside_ids.search(value) or self._as_words.search(value) or self.names.search(value)
                    or bool(self._phone_spans(value)))

    def in_contact(self, value: str) -> bool:
        """Does VALUE, a visible person's e-mail, phone or link, name a hidden person (see the class)?"""
        return self.in_ids(value) or self._in_address(value)


def _blanked(value: str, spans: list[tuple[int, int]]) -> str:
    """VALUE with the SPANS in it as spaces, the rest where it was."""
    pieces, last = [], 0
    for start, end in sorted(spans):
        if end > last:
            pieces += [value[last:max(start, last)], " " * (end - max(start, last))]
            last = end
    return "".join(pieces) + value[last:]


def _someone_at(value: str, found: list[tuple[int, int]]) -> str:
    """VALUE with the spans FOUND in it as "someone" (overlapping spans go as one)."""
    pieces, last = [], 0
    for start, end in sorted(found):
        if end > last:
            pieces += [value[last:max(start, last)], SOMEONE if start >= last else ""]
            last = end
    return "".join(pieces) + value[last:] if pieces else value


_DIGIT = re.compile(r"\d")


def audience_config(config: Config, records: list[Record], audience: Audience,
                    unread: Unread = ()) -> Config:
    """CONFIG as AUDIENCE's views show it: the journal's title and owner (on every page, the calendar's
    name, the JSON export) and the goals' roles (which findings quote) redacted as a note's text is
    (Redaction); the default title and no owner for an audience whose settings could not be read exactly.
    The owner's is CONFIG."""
    if audience.is_owner:
        return config
    if audience.problems:
        return dataclasses.replace(config, title=Config.title, owner="")
    text = Redaction(records, audience, unread, spared=config.owner).text
    # the stakeholder roles, which findings quote, read as a stakeholder's role is (_Visibility.plans)
    label = Redaction(records, audience, unread).label
    return dataclasses.replace(config, title=text(config.title), owner=text(config.owner),
                               extra_roles=tuple(map(label, config.extra_roles)),
                               key_roles=frozenset(map(label, config.key_roles)))


class _Visibility:
    def __init__(self, records: list[Record], audience: Audience, key: bytes, unread: Unread) -> None:
        self.audience = audience
        self.key = key
        self.full, _ = build_journal(records)  # the owner's view, to resolve references exactly
        self.redaction = Redaction(records, audience, unread)
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


def audience_history(records: list[Record], history: History, audience: Audience, unread: Unread = ()) -> History:
    """The commits' changes of role and org (career_history.py) AUDIENCE may see: none of a person it does not
    see or of a field it redacts, only real changes (occasions.real_commits, decided on the owner's text),
    hidden people's names in the new values as "someone", and never the old value: past text may name a
    hidden person by a name or alias they no longer have, which no redaction of today's names finds."""
    if audience.is_owner:
        return history
    if audience.problems or not history:
        return {}
    redaction = Redaction(records, audience, unread)
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
                     unread: Unread = ()) -> list[Record]:
    """The records AUDIENCE may see, redacted, with ids that read as naming a hidden person made opaque
    with KEY (see audience_key; default: a new key, so such ids change from call to call). The owner sees
    all records unchanged. An audience whose settings could not be read exactly sees nothing. UNREAD_NAMES
    are those found in person notes that could not be loaded: hidden as a hidden person's are, since such a
    note may be private."""
    if audience.is_owner:
        return records
    if audience.problems:
        return []
    vis = _Visibility(records, audience, key if key is not None else os.urandom(32), unread)
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

