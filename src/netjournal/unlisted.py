"""The contacts a person note writes outside its contact fields: under a key that says one inside another
(`contact: {phone: …}`), and what is surely one under any other key or in the body. Never shown: an
audience hides them with a hidden person (fail closed)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from .contacts import (
    CONTACT_FIELDS,
    FEWEST_PHONE_DIGITS,
    MOST_PHONE_DIGITS,
    is_trunk_number,
    labelled_lines,
    link_numbers,
    phone_digits,
    salvaged,
    sure_contacts,
    unicode_keyed_values,
)
from .fields import Fields, labelled_texts, said_contacts
from .keys import contact_synonym, key_reading, looks_like_contact, said_as, says_no_handle
from .profiles import PROFILE_KEYS, link_handles


def unlisted_contacts(fields: Fields) -> tuple[str, ...]:
    """The contacts the note writes outside its contact fields and the keys that say one, each marked as
    contacts.salvaged marks one: under such a key inside another (`contact: {phone: …}`, `socials:
    [{github: zq}]`, `[{type: phone, value: …}]`), and what is surely one under any other key (`notes:
    write to zq@example.org`; contacts.sure_contacts). Not shown: an audience hides them with their person
    (fail closed)."""
    return contacts_outside(fields.data)


def contacts_outside(data: dict[str, Any], fields: bool = False, lines: bool = True) -> tuple[str, ...]:
    """The contacts DATA, front matter, writes outside its contact fields (unlisted_contacts; and of a note
    that cannot be loaded, what a part of it YAML reads does: salvage), and given FIELDS what looks like one
    under an `email:` or `phone:` key (or one that says it: `mobile:`) too, each label's value its field's
    (salvage: read line by line, a label after another contact's key in the field was read as that one's,
    `phone: {telegram: zq,` then `  home: 030 …}`, helper-s54-a; the links are read line by line as a note
    that loads reads them, `links: [{type: github, …}]` giving no link `github`; but a number under `links:`
    as its phone's, contacts.link_numbers). Given LINES, each line of a text that reads as a key and its
    value (contacts.labelled_lines) too, as if YAML had read it so."""
    found: list[str] = []
    for key, value in data.items() if fields else ():
        said = contact_synonym(key) if isinstance(key, str) else None
        if said is None:
            continue
        if said[0] == "links":
            # a number under a `links:` key, as a hidden person's links give them (`links: {telegram: zq,` then
            # `  home: 030 …}`, its label read as telegram's line by line: helper-s54-b)
            found += [salvaged("phone", number) for label, text in labelled_texts(value, "", set())
                      for number in link_numbers(label, text) if phone_digits(number)]
        else:
            found += [salvaged("links", f"{profile}: {text}") if profile else salvaged(said[0], text)
                      for profile, _, text in said_contacts(said[0], *said_as(key, said[0]), value, "", set())]
    nested: set[int] = set()  # each list or mapping read once (see fields.labelled_texts)
    texts: set[int] = set()
    # and what is surely one in a mapping's key, at any depth (`kin: {0301234567: dad}`, privacy-s55)
    found += [salvaged(field, text) for written in _keys_inside(data, set()) for field, text in sure_contacts(written)]
    numbers: set[int] = set()
    kinds: set[int] = set()  # each mapping read once for the kind it says (_kind_contacts)
    for key, value in data.items():
        # under a key read as contacts too: a mapping there may say its kind (`links: [{type: github, value:
        # zq}]`, also below another contact's key: `contact: {phone: [{type: telegram, value: zq}]}`), and the
        # key may be one mistyped (`links2:`), whose texts are read as written
        found += _kind_contacts(value, kinds) + _nested_contacts(value, nested)
        if key not in CONTACT_FIELDS:  # also under a key that says one what it is not read as (`line: +45 …`)
            found += [salvaged(field, text) for _, written in labelled_texts(value, "", texts)
                      for field, text in sure_contacts(written)]
        # its `+` lost, such a number is a phone's digits: no amount (`+30123456` is none in a sentence); under
        # `phone:` too, a decimal's trailing zeros lost
        found += [salvaged("phone", f"+{number}") for number in _dialled_whole(value, numbers, _says_phone(key))]
    if lines:
        found += labelled_contacts(_texts_holding_contacts(data, set(), set()))
    return tuple(dict.fromkeys(found))


def _texts_holding_contacts(value: Any, seen: set[int], read: set[int]) -> list[str]:
    """The texts under each key inside VALUE, at any depth, that holds contacts (_holds_contacts: `contact:`,
    `people: [{contact: …}]`); each list or mapping looked through once (SEEN: their ids) and read for texts
    once (READ: YAML's aliases share them, and a thousand keys of one alias were a thousand readings)."""
    if not isinstance(value, (dict, list, tuple)) or id(value) in seen:
        return []
    seen.add(id(value))
    if not isinstance(value, dict):
        return [text for item in value for text in _texts_holding_contacts(item, seen, read)]
    return [text for key, inside in value.items()
            for text in ([written for _, written in labelled_texts(inside, "", read)] if _holds_contacts(key)
                         else _texts_holding_contacts(inside, seen, read))]


#: What a key that holds contacts says, besides a contact's own key, anywhere in it (`contact`, `ContactInfo`,
#: `socials2`, `reachme`, `Kontaktdaten`)
_HOLDS_CONTACTS = re.compile(r"contact|kontakt|social|profile|handle|account|online|reach|number|connect|channel")


def _holds_contacts(key: Any) -> bool:
    """Does KEY say it holds contacts: a contact's key or its synonym (`phone`, `links`, `github`), or one
    that says so (_HOLDS_CONTACTS)? Fail closed: `contactless:` too."""
    return isinstance(key, str) and (contact_synonym(key) is not None
                                     or _HOLDS_CONTACTS.search(key_reading(key).casefold()) is not None)


def labelled_contacts(texts: Iterable[str]) -> list[str]:
    """The contacts each line of TEXTS that reads as a key and its value (contacts.labelled_lines) gives, as
    if YAML had read that key: texts under a key that holds contacts (_holds_contacts), where a hidden
    person's note that writes `contact: |` then `  phone: 030 1234567`, or `contact: 'github: zq'`, means
    its contacts (privacy-s55-b; they reached the mentor). A text under another key is read as a text
    (`about: |` then `  github: pat`, of a shown Pat, helper-s54-b; `kin: ['dad: 030…']`, helper-s54-a)."""
    keyed: dict[str, dict[Any, None]] = {}  # each label's values, each once
    past: list[str] = []  # the values past _MOST_LABELS labels: read as one text's
    for text in texts:
        for label, value in labelled_lines(text):
            # each label's key is matched against the contacts' with one edit (28 us a label): past
            # _MOST_LABELS labels, a value is read as a text's, for what is surely a contact
            if label not in keyed and len(keyed) >= _MOST_LABELS:
                past.append(value)
                continue
            values = keyed.setdefault(label, {})
            values[value] = None
            # as YAML reads `dad: 4530123456`: a whole number
            if len(value) <= 2 * MOST_PHONE_DIGITS and _YAML_INT.fullmatch(value):
                values[int(value.replace("_", ""))] = None
    # a profile's handle under its key (`github: zq`, `GitHub handle: zq`), as a note's own `github:` is read;
    # and what is surely one in more words (_handles_in: `github: zq_1 (main)`, a folded text's one line), as
    # many of those keys in values as _MOST_LABELS (helper-s55-attack4: 75,000 took 18 s)
    found: list[str] = []
    inner = _MOST_LABELS
    for label, values in keyed.items():
        said = contact_synonym(label)
        for value in values:
            if not isinstance(value, str):
                continue
            pairs = [(label, value, said)]
            if inner > 0 and (more := _handles_in(value, label)[:inner]):
                inner -= len(more)
                pairs += [(key, text, contact_synonym(key)) for key, text in more]
            # under the profile's key the synonym says (`user_name: zq` as `username: zq`), as a note's own
            found += [salvaged("links", f"{key_said[1] if key_said and key_said[1] in PROFILE_KEYS else key}: {text}")
                      for key, text, key_said in pairs if _gives_handle(key, text, key_said)]
    if past:  # as a text's, and each a whole value (`mum: 0301234567`)
        keyed[""] = {"\n".join(past): None}
        found += [salvaged("phone", value) for value in dict.fromkeys(past) if is_trunk_number(value)]
    return found + list(contacts_outside({label: list(values) for label, values in keyed.items()}, fields=True,
                                         lines=False)) if keyed else found


def _handles_in(value: str, label: str) -> list[tuple[str, str]]:
    """(key, handle) of what VALUE, a key's value in a text, holds in more words that is surely a handle: its
    first word if it holds a digit, `_`, `.` or `@` (`zq_1 (main)`; not `the one Pat shares`: a word is no
    handle, helper-s55-attack3), and each word after another key in it (a folded text's one line, `zq
    twitter: zq_tw`: _INNER_KEY)."""
    words = value.split(None, 1)
    first = [(label, words[0])] if len(words) > 1 and _HANDLE_MARK.search(words[0]) else []
    return first + [(match.group(1), match.group(2)) for match in _INNER_KEY.finditer(value)]


#: A character a handle may hold that a word does not
_HANDLE_MARK = re.compile(r"[\d_.@]")
#: A key inside a key's value, after a blank or an opening bracket, and the word after it (`twitter: zq` of
#: `zq twitter: zq`)
_INNER_KEY = re.compile(r"(?<=[\s(\[{])([^\W\d][\w.-]{0,30}+):[ \t]++([^\s,;|()\[\]{}<>]++)")


def _gives_handle(label: str, value: str, said: tuple[str, str] | None) -> bool:
    """Is VALUE a profile's handle or link under LABEL, a key written in a text (`GitHub: zq`, `github
    handle: zq`), which SAID says (keys.contact_synonym)?"""
    if said is not None and (said[0] != "links" or looks_like_contact("links", said[1], value)):
        return said[0] == "links"
    # a profile's key in more words (`GitHub handle:`, `github (main):`), as profiles read a link's label
    return bool(link_handles(label, value)) and not says_no_handle(value)


#: How many labels labelled_contacts reads as keys
_MOST_LABELS = 1_000
#: A text YAML 1.1 reads as a whole number, its digits apart by underscores or not (salvage's _WHOLE_NUMBER
#: finds one in a line)
_YAML_INT = re.compile(r"[1-9][0-9_]*+")


def _keys_inside(value: Any, seen: set[int]) -> list[str]:
    """The keys of each mapping inside VALUE (one too), at any depth, that are texts: each list or mapping read
    once (SEEN: their ids)."""
    if not isinstance(value, (dict, list, tuple, set)) or id(value) in seen:
        return []
    seen.add(id(value))
    items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
    return [found for key, item in items
            for found in [*([key] if isinstance(key, str) else _keys_inside(key, seen)), *_keys_inside(item, seen)]]


def _dialled_whole(value: Any, seen: set[int], phone: bool = False) -> list[str]:
    """The digits of each whole number of a phone's digits in VALUE, at any depth, as YAML reads one dialled
    from abroad unquoted (`notes: +4532123456` is the number 4532123456, helper-87; `contact: {emergency:
    +45…}`, `kin: [+45…]`; YAML 1.1 reads `4_532_123_456` so too). Quoted, `'123456789'` is an id
    (helper-88). Nor is one after a key in a text, `"dad: 4530123456"`; but after a key written with a space
    that is no ASCII one after its colon, `dad:\u00a04530123456`, the number YAML would read (contacts.
    unicode_keyed_values). A decimal too: YAML reads `+45.32123450` as 45.3212345, its digits with any zeros after
    them (a spreadsheet's `4532123450.0` as its whole number's); under a key that says no phone (PHONE:
    `phone:`, `{mobile: …}`, `{type: phone, value: …}` do) only one of a phone's digits before its zeros
    (`dad: +45.32123450`; `score: 1.5` is no `15 000 000`, helper-s53-b). Each list or mapping is read once
    (SEEN: their ids)."""
    if isinstance(value, (dict, list, tuple, set)):
        if id(value) in seen:
            return []
        seen.add(id(value))
        if not isinstance(value, dict):
            return [number for item in value for number in _dialled_whole(item, seen, phone)]
        phone = phone or any(_says_phone(text) for text in _kind_texts(value))
        return [number for key, item in value.items() for number in
                [*_dialled_whole(key, seen, phone), *_dialled_whole(item, seen, phone or _says_phone(key))]]
    if type(value) is float and _DECIMAL.fullmatch(written := str(value)):
        whole, _, fraction = written.partition(".")
        # `4530123456.0`: a whole number's, as one (`population: 1234567.0` is no 12345670); but under a key that
        # says a phone with its zeros too (`phone: +453010.0000`, 453010.0 to YAML, helper-s53-d)
        if fraction == "0" and not phone:
            return [whole] if FEWEST_PHONE_DIGITS < len(whole) <= MOST_PHONE_DIGITS else []
        digits = (whole if fraction == "0" else whole + fraction).lstrip("0")
        # under a key that says no phone, a dot after a country's or area's code, five digits at most (`+45.…`,
        # `+35321.…`), not `score: 1.5`, `ratio: 0.12345678` or `money: 1234567.50` (helper-s53-c)
        if not phone and (whole == "0" or len(whole) > 5 or len(digits.rstrip("0")) < FEWEST_PHONE_DIGITS):
            return []
        return [digits + "0" * zeros for zeros in range(MOST_PHONE_DIGITS + 1 - len(digits))
                if len(digits) + zeros > FEWEST_PHONE_DIGITS]
    if type(value) is str:  # `4_530_123_456`, and `dad:\u00a04530123456` as YAML reads `dad: 4530123456`
        texts = unicode_keyed_values(value) or ([value.strip()] if "_" in value else [])
        return [digits for text in texts if _UNDERSCORED.fullmatch(text)
                and FEWEST_PHONE_DIGITS < len(digits := text.lstrip("+").replace("_", "")) <= MOST_PHONE_DIGITS]
    return [str(value)] if type(value) is int and FEWEST_PHONE_DIGITS < len(str(value)) <= MOST_PHONE_DIGITS else []


def _says_phone(key: Any) -> bool:
    """Does KEY say a phone (`phone`, `mobile`, `tel`), or its last word of three letters or more, also as a
    plural (`emergency_phone`, `dad_mobile`, `phones`: helper-s53-c; not `signal_strength`), or its last two
    words (`mums_phone_number`, `sister_mobile_number`: helper-s53-d; not `phone_model`)?"""
    if not isinstance(key, str):
        return False
    reading = key_reading(key)
    last, two = _LAST_WORD.search(reading), _LAST_TWO_WORDS.search(reading)
    return any((said := contact_synonym(word)) is not None and said[0] == "phone"
               for word in [key, *([last.group(0), last.group(0).removesuffix("s")] if last else []),
                            *([two.group(0)] if two else [])])


#: A key's last word of three letters or more (numbers after it dropped: `dad_mobile2`), and its last two words
#: (each begun at a word's start: linear)
_LAST_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]{3,}+(?=[\W\d_]*+$)")
_LAST_TWO_WORDS = re.compile(r"(?<![^\W\d_])[^\W\d_]++[\W\d_]++[^\W\d_]++(?=[\W\d_]*+$)")


#: A whole number as YAML 1.1 writes one with underscores (`4_530_123_456`), and a decimal as Python does
_UNDERSCORED = re.compile(r"\+?[1-9](?:_*+\d){7,14}")
_DECIMAL = re.compile(r"\d+\.\d+")


def mentioned_contacts(fields: Fields) -> tuple[str, ...]:
    """What in the body is surely a contact (contacts.sure_contacts), marked as contacts.salvaged marks
    one. A body speaks of others too: an audience hides these whole, and no handle of them (`github.com/
    django` hides no `Django`), nor an address a shown person's note gives (redaction)."""
    return tuple(dict.fromkeys(salvaged(field, text) for field, text in sure_contacts(fields.parsed.body)))


#: The keys of a mapping that say the kind of the contact it holds (`{type: phone}`; not `{company: X}`)
KIND_KEYS = frozenset(("type", "kind", "service", "platform", "network", "site", "channel", "medium", "app", "via",
                       "label"))
#: The keys of such a mapping that may hold the contact (`{type: phone, value: …}`, `{service: github,
#: login: …}`; also `{platform: discord, name: Django}`: fail closed)
_SAID_VALUE = frozenset(("value", "handle", "username", "user", "id", "number", "address", "addr", "url", "link",
                         "account", "name", "login", "profile", "contact"))


def _kind_texts(mapping: dict) -> Iterator[str]:
    """What MAPPING says its contact's kind with: the text under each of its KIND_KEYS (`{type: phone, …}`)."""
    return (text for key, text in mapping.items()
            if isinstance(key, str) and key_reading(key) in KIND_KEYS and isinstance(text, str))


def _kind_contacts(value: Any, seen: set[int]) -> list[str]:
    """What looks like a contact in each mapping inside VALUE, at any depth, that says its kind (`{type: phone,
    value: …}`, `{service: github, user: zq}`), marked as contacts.salvaged marks one. Read apart from
    _nested_contacts: below another contact's key (`contact: {phone: [{type: telegram, value: zq}]}`) that
    one read the mapping as the phone's, and its handle reached the mentor (helper-s54-c). Each list or
    mapping is read once (SEEN: their ids)."""
    found: list[str] = []
    if not isinstance(value, (dict, list)) or id(value) in seen:
        return found
    seen.add(id(value))
    if isinstance(value, list):
        return [contact for item in value for contact in _kind_contacts(item, seen)]
    said = next((says for text in _kind_texts(value) if (says := contact_synonym(text))), None)
    if said is not None:
        found += [salvaged(said[0], f"{said[1]}: {text}" if said[1] in PROFILE_KEYS else text)
                  for key, inside in value.items() if isinstance(key, str) and key_reading(key) in _SAID_VALUE
                  for _, text in labelled_texts(inside, "", seen) if looks_like_contact(said[0], said[1], text)]
    return found + [contact for inside in value.values() for contact in _kind_contacts(inside, seen)]


def _nested_contacts(value: Any, seen: set[int]) -> list[str]:
    """What looks like a contact under a key that says one inside VALUE, at any depth (`{phone: …}`,
    `[{twitter: zeddy}]`), marked as contacts.salvaged marks one; a handle with its profile's key. Each list
    or mapping is read once (SEEN: their ids; see fields.labelled_texts)."""
    found: list[str] = []
    if isinstance(value, (dict, list)):
        if id(value) in seen:
            return found
        seen.add(id(value))
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inside in items:
        said = contact_synonym(key) if isinstance(key, str) else None
        if said is None or not isinstance(key, str):
            found += _nested_contacts(inside, seen)
            continue
        for profile, _, text in said_contacts(said[0], *said_as(key, said[0]), inside, "", seen):
            if said[0] == "links":
                found.append(salvaged("links", f"{profile}: {text}" if profile else text))
                continue
            found.append(salvaged(said[0], text))
            if profile:  # a profile's handle said inside another contact (`contact: {phone: {telegram: zq}}`,
                # `{mobile: [{skype: zq}]}`, at any depth) is the profile's too, as a contact field reads it
                # (`phone: {telegram: zq}`); kept as the key's as well, failing closed (helper-s54-a, reviewer)
                found.append(salvaged("links", f"{profile}: {text}"))
    return found
