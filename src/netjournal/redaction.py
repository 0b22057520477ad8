"""How an audience's views say what could name a hidden person (`Redaction`): their names, aliases and ids
as a reader reads them (`redact`), each word of those written with a capital, an address or id holding
one, and their e-mail addresses, phone numbers and links however a visible note writes them (`contacts`).
audience.py decides which records an audience sees and runs what they say through a Redaction.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache

from .config import Audience
from .contacts import (
    Phones,
    contact_forms,
    email_addresses,
    link_numbers,
    phone_spans,
    salvaged_contact,
    spelt_addresses,
)
from .keys import contact_synonym, key_reading
from .profiles import URL, ShortHandles, link_forms, link_handles
from .records import PersonRecord, Record, shared_people
from .redact import (
    SOMEONE,
    NameMatcher,
    Reading,
    has_accent,
    marks,
    reader_text,
    reading_of_name,
    readings,
    tag_readings,
)
from .unlisted import KIND_KEYS


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
        short: list[tuple[str, str]] = []  # links that may give a short handle, whose profiles are looked for
        for person in hidden:
            fields["email"] += person.email
            fields["phone"] += person.phone
            # not a mapping's kind (`links: [{type: github, value: zq}]`: `github` is no link; its value is
            # read with it, PersonRecord.unlisted)
            links = [(label, url) for label, url in person.links
                     if not (key_reading(label) in KIND_KEYS and contact_synonym(url) is not None)]
            fields["links"] += [url for _, url in links]
            fields["phone"] += [text for label, url in links for text in link_numbers(label, url)]
            names += [handle for label, url in links for handle in link_handles(label, url)]
            short += links
        # what spares a word is what the audience reads: a shown person's name, their aliases unless it
        # redacts them; never a note whose id another note has too (which of them the audience sees is the
        # model's to say)
        people = [person for person in shared_people(records) if person.id not in self.hidden_ids]
        ids = Counter(person.id for person in people)
        once = {person.id for person in people if ids[person.id] == 1}
        shown_by_person = [(person.name, *(() if "aliases" in audience.redact else person.aliases))
                           for person in people if person.id in once]
        shown_texts = [text for texts in shown_by_person for text in texts]
        shown_names = [{word for text in texts for word in _words(text)} for texts in shown_by_person]
        # the shared notes of shown people, one note an id (not an annex: the audience sees none): what they
        # give as their own contacts spares a hidden note's mention of it, unless the audience redacts it
        shown_notes = [person for person in records if isinstance(person, PersonRecord) and person.id in once
                       and not person.path.startswith("private/")]
        names += self._mentioned(hidden, shown_notes, audience, fields, shown_names)
        for name in [*_hidden_names(hidden, unread), *(text for person in hidden for text in person.unlisted)]:
            contact = salvaged_contact(name)
            if contact is None:
                names.append(name)
            elif contact[0] == "links":  # `github: https://…` as written: its label is what is not the link
                fields["links"].append(contact[1])
                label, _, url = contact[1].partition(": ")  # `github: zqcodes` as written
                label, url = (label.strip("'\" "), url.strip("'\" ")) if url else ("", label)
                fields["phone"] += link_numbers(URL.sub("", contact[1]), contact[1])
                names += link_handles(label, url)
                short.append((label, url))
            else:
                fields[contact[0]].append(contact[1])
        # the profiles shown people give (a hidden body's `github.com/pat/tool` hides no shown Pat's profile)
        # (their links as written, not the profiles above them: a page of a hidden person's that a shown one
        # links to is no profile of theirs, helper-89)
        shown_profiles = set() if "links" in audience.redact else {
            form.casefold() for person in shown_notes for _, url in person.links for form in link_forms(url)}
        contacts = contact_forms(fields["email"], fields["phone"], fields["links"], shown_profiles)
        # and spelt out anywhere (`zq (at) example (dot) org`), found by the address it spells
        self._addresses = {address.casefold() for address in contacts if "@" in address}
        # what such an address spelt out holds as written: texts without any are not searched (35 ns a
        # character, 2 s of a mentor's build of L)
        # (its longest part: a dot in it may be spelt out too, `jo dot q at …`)
        self._local_parts = {max(address.partition("@")[0].split("."), key=len) for address in self._addresses}
        # a number in an e-mail field is a phone's (`email: {home: 030 1234567}`: only `home: 030 1234567` was
        # hidden, as written whole, and the number reached the mentor, helper-s54-b); not an address's digits
        self._phones = Phones([*fields["phone"], *(text for text in fields["email"] if "@" not in text)])
        self._short_handles = ShortHandles(short)
        plain, accented = _by_accents([*names, *contacts])
        self.names = NameMatcher(plain, accented=accented)
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

    def _mentioned(self, hidden: list[PersonRecord], shown_notes: list[PersonRecord], audience: Audience,
                   fields: dict[str, list[str]], shown_names: list[set[str]]) -> list[str]:
        """What the bodies of HIDDEN people surely give as contacts (PersonRecord.mentioned), added to FIELDS
        whole; the handles their links give, returned as names. A body speaks of others too: a handle whose
        words are all one shown person's name's (SHOWN_NAMES, their words: `github.com/pat-public` of a shown
        Pat Public) and an address SHOWN_NOTES give (none when AUDIENCE redacts addresses) are theirs."""
        shown = set() if "email" in audience.redact else {
            address for person in shown_notes for address in email_addresses(person.email)}
        names: list[str] = []
        for field, text in (contact for person in hidden for mention in person.mentioned
                            if (contact := salvaged_contact(mention)) is not None):
            if field == "email" and email_addresses([text]) <= shown:
                continue
            fields[field].append(text)
            if field == "links":
                fields["phone"] += link_numbers("", text)
                names += [handle for handle in link_handles("", text)
                          if not any(set(_words(handle)) <= words for words in shown_names)]
        return names

    def text(self, value: str) -> str:
        """VALUE with what names a hidden person as "someone" (see the class)."""
        if not value:
            return value
        # names, their words and numbers found in the text as written, and replaced at once: one after the
        # other, a number written whole (a name's too: contact_forms) would leave its `+45`, a name glued to
        # a number (`Zelda+45…`) or an address holding one (`zee.4520123456@…`) would be no name
        names = [*self.names.spans(value), *self.name_words.spans(value), *self._short_handle_spans(value)]
        numbers = self._phone_spans(value)
        if names and self._phones:  # and with the names out of the way (`ZQ7-20123456` holds no `7-2012…`)
            numbers += self._phone_spans(_blanked(value, names))
        spelt = [(start, end) for start, end, address in spelt_addresses(value) if address.casefold() in
                 self._addresses] if self._spells_address(value) else []
        value = _someone_at(value, [*names, *numbers, *spelt])
        if self._in_address(value):  # some name or word of one, in any case: in an address?
            value = self._without_addresses(value)
        return value

    def _spells_address(self, value: str) -> bool:
        """May VALUE spell out a hidden address (`zq [at] example [dot] org`)? It holds its local part."""
        if not self._local_parts:
            return False
        folded = (html.unescape(value) if "&" in value else value).casefold()  # `ad&#97;` holds `ada`
        return any(part in folded for part in self._local_parts)

    def _short_handle_spans(self, value: str) -> list[tuple[int, int]]:
        """The spans of VALUE that are a short handle's profile (profiles.ShortHandles), found as read, with the
        marks a reading leaves (markup, invisible characters) read through wherever they are (`x.com/**zx**`,
        `x.com&#47;zx`, `github.com/z*q*`, `z&shy;q`: helper-94), but a `_` inside a word, which is no emphasis
        but the handle's own (`x.com/z_x` is another's, helper-95)."""
        if not self._short_handles:
            return []
        found = []
        for reading in readings(value):
            compact, kept = _marks_read_through(reading, value)
            for start, end in self._short_handles.spans(compact):
                if kept is not None:  # with the marks after it: a `_` it ends with, read as emphasis (`z_`)
                    start, end = kept[start], kept[end - 1] + 1
                    while end < len(reading.text) and reading.text[end] in "\x00\x01":
                        end += 1
                found.append(reading.span(start, end))
        return found

    def _phone_spans(self, value: str) -> list[tuple[int, int]]:
        """The spans of VALUE that are a hidden person's phone number (contacts.Phones), found as written
        and as read (`07700 **900123**`, `９&#48;0123`)."""
        if not self._phones or not (_DIGIT.search(value) or not value.isascii()):  # `⁰⁷⁷⁰⁰` reads as digits
            return []
        # read, markup too: a link's or an image's markup between its groups, `[07700](…) 900123`
        return [to_value(*span) if to_value is not None else span
                for text, to_value in ((value, None), *((reading.text, reading.span) for reading in readings(value)))
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
                    or self._phone_spans(value) or self._short_handle_spans(value))

    def in_contact(self, value: str) -> bool:
        """Does VALUE, a visible person's e-mail, phone or link, name a hidden person (see the class)?"""
        return self.in_ids(value) or self._in_address(value)


_MARKED = re.compile("[\x00\x01]")  # what a reading leaves of markup and invisible characters


def _marks_read_through(reading: Reading, value: str) -> tuple[str, list[int] | None]:
    """READING's text (of VALUE) without the marks it leaves, and where each character left was in it (None:
    it had none); a `_` that is no emphasis stays: a run of them between two letters or digits of VALUE
    (CommonMark's emphasis is not inside a word: `z_x`, `z__x`), escaped or written as an entity or a
    percent-escape (`z\\_`, `z&#95;x`, `z%5Fx`)."""
    text = reading.text
    if not _MARKED.search(text):
        return text, None
    literal = {at for found in _LITERAL_UNDERSCORE.finditer(value) for at in range(*found.span(found.lastindex or 0))}
    literal.update(found.start() for found in _WRITTEN_UNDERSCORE.finditer(value))
    kept: list[int] = []
    chars: list[str] = []
    for at, char in enumerate(text):
        if char in "\x00\x01":
            if reading.span(at, at + 1)[0] not in literal:
                continue
            char = "_"
        kept.append(at)
        chars.append(char)
    return "".join(chars), kept


#: A run of `_` between letters or digits, and a `_` escaped: what CommonMark reads as no emphasis
_LITERAL_UNDERSCORE = re.compile(r"(?<=[^\W_])(_++)(?=[^\W_])|\\(_)")
#: A `_` written as an entity or a percent-escape (the start of its escape, where a reading maps it)
_WRITTEN_UNDERSCORE = re.compile(r"&(?:#0*95|#[xX]0*5[fF]|lowbar|UnderBar);|%5[fF]")


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
