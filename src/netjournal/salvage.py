"""What a person note that cannot be loaded seems to say of whom it is about, read leniently line by line:
an audience must hide a hidden person's names and contacts even when YAML cannot read their note."""
from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from .contacts import CONTACT_FIELDS, SALVAGED, bare_value, salvaged, sure_contacts, without_properties
from .keys import CONTACT_KEYS, close_to, contact_synonym, key_reading, looks_like_contact, said_as
from .notes import ODD_BLANKS, ODD_BREAKS, parse_front_matter
from .paths import note_id
from .profiles import PROFILE_KEYS
from .unlisted import contacts_outside, labelled_contacts

#: How much of a note salvaged_names reads, and how many names it keeps
_SALVAGE_LINES, _SALVAGE_NAMES, _LONGEST_NAME = 1000, 200, 200
#: The first lines are read in the first MiB: a note too big to load (over 8 MiB) may be one line, and each
#: line is searched for contacts (contacts.sure_contacts, 0.2 s a MiB)
_SALVAGE_BYTES = 1 << 20
#: A full-width colon and the blanks after it (salvaged_names reads it as a key's `: `)
_FULL_WIDTH_COLON = re.compile(f"\uff1a[ \t{ODD_BLANKS}]*+")
_BLOCK_SCALAR = ("|", ">", "|-", ">-", "|+", ">+")
#: What str.splitlines ends a line at but `\n` and `\r`, as spaces
_BREAKS_AS_SPACES = str.maketrans(dict.fromkeys(ODD_BREAKS, " "))


def _salvaged_field(written: str) -> str | None:
    """The field a key of a note that cannot be loaded reads as (`name`, `aliases` or a contact's, also
    under a key that says one: `mobile`, `twiter`); None for any other key."""
    key = close_to(written, ("name", "aliases", "email", "phone", "links"))
    if key is None:
        found = contact_synonym(written)
        key = found[0] if found is not None else None
    return key


def salvaged_names(path: str, data: bytes) -> tuple[str, ...]:
    """What a person note that could not be loaded seems to say of whom it is about, read leniently: its id, and
    under each key of its first lines (1,000, in its first MiB; body too: fail closed) that reads as `name` or
    `aliases` (or `email`, `phone` or `links`: an audience hides a hidden person's contacts too, marked as such
    by contacts.salvaged), what follows it on its line and on the lines it continues on (list items, a flow
    list's next lines, a block scalar's lines; comment and blank lines between them), comments cut off, aliases
    split at commas, brackets and quotes dropped, escapes in double quotes and YAML aliases of anchors read. The
    note may be private and its person hidden: an audience hides these names (fail closed)."""
    names = [note_id(path, "people")]
    texts = _salvage_texts(_head(data))
    # and with a full-width colon read as a key's (`email：zq@example.org`, `  github：zq`, as a CJK input method
    # types it): its value was read as a text's, no contact's (helper-s54-c)
    texts += [_FULL_WIDTH_COLON.sub(": ", text) for text in texts if "\uff1a" in text]
    # and with the line breaks that are no `\n` read as spaces: a quoted value over them is one to YAML, which
    # folds it (`phone: "030\u20281234567"`, privacy-s55), and no key ends a line there to an editor
    texts += [spaced for text in texts if (spaced := text.translate(_BREAKS_AS_SPACES)) != text]
    for text in texts:  # each reading's names kept, however many the other gives
        # and what YAML reads in its parts that is not read line by line, however many are
        read, parsed = _names_in(text)
        seen = set(read)
        names += read[:_SALVAGE_NAMES] + _first_contacts([name for name in dict.fromkeys(parsed) if name not in seen])
    return tuple(dict.fromkeys(names))


def _first_contacts(contacts: list[str]) -> list[str]:
    """The first _SALVAGE_NAMES of CONTACTS, a number's readings with zeros after it (unlisted._dialled_whole:
    up to eight of a decimal) counted as one: 30 decimals filled the cap before a handle (helper-s53-c)."""
    phone = salvaged("phone", "")
    kept: list[str] = []
    counted: set[str] = set()
    for contact in contacts:
        family = contact.rstrip("0") if contact.startswith(phone) else contact
        if family not in counted:
            if len(counted) >= _SALVAGE_NAMES:
                continue
            counted.add(family)
        kept.append(contact)
    return kept


def _names_in(text: str) -> tuple[list[str], list[str]]:
    """The names and marked contacts TEXT, a note that could not be loaded, gives (salvaged_names): read line
    by line, and the contacts of its parts YAML reads."""
    names: list[str] = []
    found: list[tuple[str, str, str]] = []  # (key, text, the key as written) after the id
    every_line = text.splitlines()
    lines = every_line[:_SALVAGE_LINES]
    anchors = dict(_SALVAGE_ANCHOR.findall("\n".join(lines)))
    key: str | None = None
    under = ""  # the key as written
    block: list[str] = []
    # the key of the last line a key began at its start, or of the first contact's key below it: key, under;
    # and its line's indent, the flows open before it and the line's index (a label below it, more indented or
    # in a flow it opened, is inside it: `phone: {telegram: zq,` then `  home: 030 …}`; not `  notes: …` after
    # `  phone: {telegram: zq}` below `contact:`, helper-s54-b)
    outer: tuple[str | None, str] = (None, "")
    outer_at = key_at = (0, 0, -1)  # so KEY's: a label beside it, not below it, is no label of its (helper-s54-b)
    depth, line_at, indent = 0, -1, 0  # the flows open before the part's line, its line's index and its indent

    def flush() -> None:
        if key == "name":
            found.append((key, " ".join(block), under))  # a name over several lines (a block scalar's), as folded
        elif key is not None:
            found.extend((key, text, under) for text in block)
            if key in ("phone", "email") and len(block) > 1:  # a number or a spelt address over two lines, folded
                found.append((key, " ".join(block), under))

    for line, at in _flows_apart(lines):
        if at != line_at:
            depth = max(0, depth + _flows_opened(lines[line_at])) if line_at >= 0 else 0
            line_at, indent = at, _LINE_INDENT.match(lines[at]).end()  # type: ignore[union-attr]
            # where a key of this part is: its line's start, or (a part after the first) in the line's flow,
            # where an indent says nothing
            place = (indent, depth, at)
        else:
            place = (_NOWHERE, depth + 1, at)
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%")) or stripped == "---":
            continue  # a blank, comment, directive or fence line continues what came before it
        head, _, value = line.partition(":")
        explicit = stripped.startswith("? ")  # `? name` then `: Ada`
        is_key = explicit or _SALVAGE_KEY.match(line) is not None
        written_key = (stripped[2:] if explicit else head).strip().strip("'\"").lstrip("-?{ \t")
        # a key below a contact's or the aliases is a label (`work: zq@example.org`, `Zeddy: nick`), not one
        # that says a contact of its own (`phone:` then `skype:` below `contact:`)
        labels = (key == "aliases" and (stripped.startswith("-") or line[:2].isspace() or _written_as_name(written_key))
                  or key in CONTACT_FIELDS and _salvaged_field(written_key) is None)
        label = is_key and _salvaged_field(written_key) is None
        if label and outer[0] in CONTACT_FIELDS and outer[0] != key and _below(outer_at, at, indent, depth):
            # a label after another contact's key inside a contact field (`phone: {telegram: zq,` then
            # `  home: 030 …}`) may be the field's: its value read as the field's too (helper-s54-a), only
            # what looks like one (`via: Pat Public` below `email: {skype: zq,` hid the shown Pat, helper-s54-b)
            found += [(outer[0], part, outer[1])
                      for part in _in_flow(_value_text(stripped, "-:").partition(":")[2]).strip().split(",")
                      if _field_like(outer[0], part)]
        if key is not None and (not is_key or labels) and (line[:1].isspace() or stripped[:1] in "-:") and not (
                is_key and key in CONTACT_FIELDS and not _below(key_at, at, indent, depth)):
            # KEY's value goes on (a contact's label, `github: https://…`, `- work: zq@example.org`, with it), a
            # contact's up to a flow it is in closing (`  home: 030 …}, notes: …}`: the notes are no phone's)
            went_on = _value_text(stripped, "-:")
            block.append(_in_flow(went_on).strip() if key in CONTACT_FIELDS else went_on)
            continue
        flush()
        key, under, key_at = (_salvaged_field(written_key) if is_key else None), written_key, place
        if (not (line[:1].isspace() or stripped[:1] in "-:") or outer[0] not in CONTACT_FIELDS
                or at != outer_at[2] and not _below(outer_at, at, indent, depth)):
            # a key at a line's start, or the first contact's below it (`contact:`, `  phone:`), or one beside it
            outer, outer_at = (key, under), place
        block = []
        value = "" if explicit else _value_text(value)
        if key is not None and value not in _BLOCK_SCALAR:
            block.append(value)
    flush()
    names += _salvaged_values(found, anchors)
    # and what is surely a contact on any line (`fax: +45 …`, `write to zq@example.org`)
    names += [salvaged(field, text) for line in lines
              for part in dict.fromkeys((line, line.partition(": ")[2].strip("'\" ")))  # `home_line: 030 …`
              for field, text in sure_contacts(part)]
    # and a value YAML reads as a whole number of a phone's digits, its `+` lost (as unlisted._dialled_whole),
    # also behind more anchors and tags than _WHOLE_NUMBER reads (`kin: !a !b !c 4530123456`, privacy-s55)
    names += [salvaged("phone", f"+{number.replace('_', '')}") for line in lines
              for reading in dict.fromkeys((line, without_properties(line)))
              for number in _WHOLE_NUMBER.findall(reading)]
    # and what each key's part that YAML reads alone holds, as a note that loads is read (`socials: [{github:
    # zq}]`, `contacts: [{type: github, value: zr}]`, `kin: ['0301234567']`), in its contact fields too (`phone:
    # {telegram: zq,` then `  home: 030 1234567}`: each label's value is a phone's)
    parsed = [contact for part in _top_level_parts(lines) if isinstance(read := _parsed_part(part), tuple)
              for contact in contacts_outside(read[0], fields=True)]
    # and past the lines read so, each line's key and value as if YAML had read it, and what is surely a
    # contact (a broken note of more lines hid nothing after its thousandth: helper-s55-attack2)
    rest = "\n".join(every_line[_SALVAGE_LINES:])
    parsed += [*labelled_contacts([rest]), *(salvaged(field, found) for field, found in sure_contacts(rest))]
    return names, parsed


def _parsed_part(part: str) -> tuple | None:
    """PART of a note (_top_level_parts) as YAML reads it, or if YAML refuses it, without its anchors and tags
    (`kin: [&a\u00a00301234567]`, `- !a !b !c 0301234567`: contacts._YAML_PROPERTIES, privacy-s55); else None."""
    read = parse_front_matter(part)
    if not isinstance(read, tuple) and (bare := without_properties(part)) != part:
        read = parse_front_matter(bare)
    return read if isinstance(read, tuple) else None


#: How much of a note YAML reads in parts (200,000 characters of mappings take it half a second; a person's
#: front matter is far shorter, and the lines are read as above whatever their length)
_PARSED = 1 << 15


def _top_level_parts(lines: list[str]) -> list[str]:
    """LINES, of a note, in parts that each begin with a key at the line's start (a list's `-` there goes
    on, and a flow's next line: `socials: [{github: zq},` then `{x: zx}]`); a fence (`---`) ends one. Those
    of them that fit in _PARSED characters, in order (one longer is passed over: a long `bio:` first leaves
    the keys after it read). Of one such a line goes on, what comes before that line too: after a flow
    closed (`socials: [{github: zq}]` then `[oops`) the whole is no YAML (helper-s53-c)."""
    parts: list[list[str]] = []
    heads: list[int] = []  # each part's lines before the first that begins with `[]{},`
    for line in lines:
        if line.rstrip() in ("---", "..."):
            parts.append([])
            heads.append(0)
        elif not parts or line[:1] not in " \t-#[]{}," and line.strip():
            parts.append([line])
            heads.append(0)
        else:
            if line[:1] in "[]{}," and not heads[-1]:
                heads[-1] = len(parts[-1])
            parts[-1].append(line)
    kept: list[str] = []
    budget = _PARSED
    for part, head in zip(parts, heads, strict=True):
        size = sum(len(line) + 1 for line in part)
        if part and size <= budget:
            budget -= size
            kept += ["\n".join(part), *(["\n".join(part[:head])] if head else [])]
    return kept


#: The indent of a key inside a flow: a line is below it only in a flow opened after it
_NOWHERE = 1 << 30


def _below(place: tuple[int, int, int], at: int, indent: int, depth: int) -> bool:
    """Is a part of the line AT (of INDENT, below DEPTH flows) inside the value of a key at PLACE (indent,
    flows, line): on its line, more indented, or in a flow opened after it?"""
    return at == place[2] or indent > place[0] or depth > place[1]


def _in_flow(text: str) -> str:
    """TEXT up to a bracket that closes a flow it did not open (`030 …}, notes: …}` is `030 …`)."""
    opened = 0
    for bracket in _BRACKET.finditer(text):
        opened += 1 if bracket.group(0) in "{[" else -1
        if opened < 0:
            return text[:bracket.start()]
    return text


_BRACKET = re.compile(r"[{}\[\]]")


def _flows_opened(line: str) -> int:
    """How many flows LINE opens (`{`, `[`) less those it closes, a comment cut off."""
    line = _SALVAGE_COMMENT.sub("", line)
    return line.count("{") + line.count("[") - line.count("}") - line.count("]")


#: A line's indent, a list's dashes with it (`  - phone:` is below `contacts:` as `    note:` after it is)
_LINE_INDENT = re.compile(r"[ \t]*+(?:-[ \t]++)*+")


def _field_like(field: str, text: str) -> bool:
    """Does TEXT, a part of a label's value (`home: 030 1234567`) inside FIELD's, look like one of FIELD, or
    under `email:` like a phone's number (seven digits or more: an e-mail field's number is hidden too)?"""
    value = text.rpartition(": ")[2].strip(" \t'\"{}[]")
    return looks_like_contact(field, field, value) or field == "email" and looks_like_contact("phone", "phone", value,
                                                                                               False)


def _salvaged_values(found: list[tuple[str, str, str]], anchors: dict[str, str]) -> list[str]:
    """The names and marked contacts of FOUND, (key, text, the key as written) as salvaged_names reads them."""
    names: list[str] = []
    for found_key, text, under in found:
        # under a key that says the field (`mobile:`), only what looks like one
        said, exact = said_as(under, found_key) if found_key in CONTACT_FIELDS else (found_key, True)
        for part in text.split(","):
            cleaned = _salvage_scalar(part.strip().strip("[]{}").strip(), anchors).replace(SALVAGED, "")[:_LONGEST_NAME]
            if not cleaned:
                continue
            if under.casefold() != found_key and found_key in CONTACT_FIELDS:
                cleaned = cleaned.rpartition(": ")[2].strip("'\" ")  # `{main: '@zeddy'}`: the value
                if not looks_like_contact(found_key, said, cleaned, exact):
                    continue
            if found_key == "links" and said in PROFILE_KEYS:
                cleaned = f"{said}: {cleaned}"  # a handle, said to be one (redaction.link_handles)
            if found_key == "aliases" and ": " in cleaned:  # `- Zeddy: nick`, `- nick: Zeddy`: a mapping to
                # YAML, its key an alias, and its value if written as a name (not `old friend`, a flow's `x: 1`)
                alias, _, said = (part.strip("'\" ") for part in cleaned.partition(": "))
                names += [alias, *([said] if _written_as_name(said) else [])]
            else:
                names.append(cleaned if found_key in ("name", "aliases") else salvaged(found_key, cleaned))
    return names


def _written_as_name(text: str) -> bool:
    """Does TEXT hold a capital or a letter of a script without case (`Zeddy`, `小泽`; not `old friend`)?"""
    return any(char.isupper() or char.isalpha() and char.lower() == char.upper() for char in text)


def _head(data: bytes) -> bytes:
    """DATA's first _SALVAGE_BYTES, not cut inside a UTF-8 character: cut there it is no UTF-8, and read as
    Latin-1 its names would be salvaged as mojibake, not hidden (helper-87)."""
    cut = _SALVAGE_BYTES
    if len(data) <= cut:
        return data
    while cut > _SALVAGE_BYTES - 3 and data[cut] & 0xC0 == 0x80:  # a continuation byte: back to its lead
        cut -= 1
    return data[:cut]


def _salvage_texts(data: bytes) -> list[str]:
    """DATA as text however it was saved: UTF-32 or UTF-16 (with its mark), UTF-16 or UTF-32 without one
    (NULs in it: the reading with the most ASCII in it), UTF-8, else Latin-1 and UTF-8 with what is none
    replaced (one stray byte, a Windows `\\x92`, made it all Latin-1: its names with accents mojibake, never
    hidden; helper-88)."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):  # UTF-32's mark begins as UTF-16's does
        return [data.decode("utf-32", errors="replace")]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return [data.decode("utf-16", errors="replace")]
    if b"\x00" in data:
        readings = []
        for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            readings.append((sum("\x00" < char < "\x80" for char in text[:4096]), text))
        if readings:
            return [max(readings)[1]]
    try:
        return [data.decode("utf-8").lstrip("\ufeff")]
    except UnicodeDecodeError:
        return [data.decode("latin-1"), data.decode("utf-8", errors="replace").lstrip("\ufeff")]


def _salvage_scalar(text: str, anchors: dict[str, str]) -> str:
    """TEXT of a YAML value, its quotes and escapes read (`"Ada\\x20L"`), or an anchor's text for an alias."""
    if text.startswith("*") and text[1:] in anchors:
        text = anchors[text[1:]].strip()
    text = bare_value(text)  # anchors and tags before its text, with any blank after them (privacy-s55)
    if text.startswith("&"):  # an anchor's name before its text
        text = text.partition(" ")[2].strip()
    if text[:1] == '"' and len(text) > 1:
        try:
            read = yaml.safe_load(text)
        except yaml.YAMLError:
            read = None
        if isinstance(read, str):
            return read.strip()
    return text.strip("'\"").strip()


# `name: &n Ada Lovelace`; an anchor's name holds no `&`, so a line of them is read in linear time
_SALVAGE_ANCHOR = re.compile(r"&([^\s,\[\]{}&]++)[ \t]++([^\n#,\]}]++)")


def _flows_apart(lines: list[str]) -> Iterator[tuple[str, int]]:
    """LINES, each flow's parts as lines of their own (_flow_parts): _SALVAGE_LINES parts at most beyond each
    line's first in all (each is read for a key as a line is, a close match looked for: a line of 20,000 of
    them took seconds, helper-s53-c); each with the index of its line."""
    more = _SALVAGE_LINES
    for at, written in enumerate(lines):
        if more > 0:
            parts = _flow_parts(written, more)
            more -= len(parts) - 1
            yield from ((part, at) for part in parts)
            continue
        # past them, a part whose key says a contact as written (a set lookup a part), and the parts without a
        # key that go on with its value (`github: zq, zr`): a flow of a thousand parts before left a broken
        # `socials: {github: …}` after it unread (helper-s53-d). A part left out ends the contact before it:
        # the next line goes on with the flow's key (`[{email: …, name: Pat` then `  Public}]`, helper-s53-e)
        # (A key's part the same as the one before it on its line says nothing new: `{github: a}, ` repeated is
        # read once; a part without a key is a piece of a value, `tel: 0301, 23, 23, 45`, helper-s53-f.)
        first, *rest = _flow_parts(written, len(written), names=False)
        yield first, at
        kept, last = False, first
        for part in rest:
            keyed = _SALVAGE_KEY.match(part) is not None
            kept = key_reading(_part_key(part)) in CONTACT_KEYS if keyed else kept
            if kept and not (keyed and part == last):
                yield part, at
                last = part
        if rest and not kept:
            yield first, at


def _part_key(part: str) -> str:
    """The key of a flow's PART as written (`github` of ` {"github": zq}`)."""
    return part.partition(":")[0].strip().strip("'\"").lstrip("-?{[ \t")


def _flow_parts(line: str, most: int, names: bool = True) -> list[str]:
    """A line of a flow mapping (`{name: Ada, aliases: [A]}`, `contact: {tel: …}`) as lines of its own: each
    part after the first indented, which continues a key's value unless it is a key. MOST parts after the
    first at most. NAMES: a name's left out of a flow list of mappings (False: not looked for, for a caller
    that keeps only contacts' parts)."""
    key, colon, value = line.partition(": ")
    if colon and value.lstrip().startswith("{"):  # `contact: {tel: …, github: …}`: the key, then its parts
        return [f"{key}:", *(" " + part.strip() for part in value.strip().strip("{}").split(",", most)[:most])]
    if colon and value.lstrip().lstrip("[ \t").startswith("{"):
        # so a flow list of them (`socials: [{github: …}, {x: …}]`, helper-s53-c), but for a name, left out: a
        # list of mappings is of others (`family: [{name: Pat, company: X}]`); as the list's key again, which
        # ends a key in it before (a blank line went on with it: `{email: …, name: "Public, Pat"}` read `Pat"}]`
        # as an address, helper-s53-d) and leaves the rest under the list's (`phones: [{name: Mum, number: …}]`)
        parts = (" " + part.strip() for part in value.strip().lstrip("[ \t").strip("{}").split(",", most)[:most])
        return [f"{key}:", *(f"{key}:" if names and _salvaged_field(_part_key(part)) in ("name", "aliases") else part
                             for part in parts)]
    if not line.lstrip().startswith("{"):
        return [line]
    first, *rest = line.strip().strip("{}").split(",", most)
    return [first, *(" " + part.strip() for part in rest[:most])]


# `key:`, `- key:`, `"key":`, and at a line's start words (`Phone Number:`; an alias `- Ada Lovelace: …` is none)
_SALVAGE_KEY = re.compile(r"[\s?{-]*+['\"]?[^\s:'\"]++['\"]?[ \t]*:(?:\s|$)"  # linear: `-----…` a line
                          r"|[^\s?{'\"#:-][^:'\"\n]{0,38}[^\s:'\"][ \t]*:(?:\s|$)")
#: A value YAML reads as a whole number of eight to fifteen digits: unquoted, under a key, a list's dash or
#: `?`, in a flow or alone on its line (`notes: +4530123456`, `-   30123456`, `{other: 4530123456}`, below
#: `next:`), behind a tag or an anchor (`!!int`, `&m`), or a mapping's key (`{30123456: dad}`); `'123456789'`
#: is an id. Its blanks may be spaces that are no ASCII ones, as an editor's no-break space (`dad:\u00a0…`)
#: meant them. A few tags at most, each of a few characters: each space after a start is read a few times, linear
_BLANK = f"[ \t{ODD_BLANKS}]"  # a space or tab, or a space that is no ASCII one
_WHOLE_NUMBER = re.compile(rf"(?:^{_BLANK}*+|[:?-]{_BLANK}++|[\[{{,]{_BLANK}*+)(?:[!&]\S{{0,40}}{_BLANK}++){{0,2}}"
                           r"\+?([1-9](?:_?\d){7,14})"  # YAML 1.1's `4_530_123_456` too
                           # then the value's end, or a comment
                           rf"(?={_BLANK}*+(?:[,\]}}]|:(?:{_BLANK}|$)|$)|{_BLANK}++#)")
def _value_text(text: str, lead: str = "") -> str:
    """TEXT, a line's value or a line that goes on with one, without a comment, LEAD characters before it
    (a list's dash, a colon) or a YAML tag."""
    return _SALVAGE_TAG.sub("", _SALVAGE_COMMENT.sub("", text).lstrip(lead).strip())


_SALVAGE_TAG = re.compile(r"^(?:!\S*\s*)+")  # a value's YAML tag: `!!str Ada`, `!!seq [A]`
_SALVAGE_COMMENT = re.compile(r"(?:^|\s)#.*$")  # a YAML comment (one inside quotes is cut too: names rarely hold #)
