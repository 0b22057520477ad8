"""A person's e-mail addresses, phone numbers and links as a note may write them, so an audience's view
(redaction.Redaction) finds a hidden person's wherever a visible note repeats them, however it writes them.
Every pattern begins only where a run of its characters does, so finding them is linear on any text."""
from __future__ import annotations

import bisect
import functools
import html
import re

from .notes import ODD_BLANKS, ODD_BREAKS
from .profiles import CJK, URL, bare_profile_links, is_profile_link, link_forms, profiles_above
from .redact import Reading, reader_text

#: The spaces between a number's groups: an ASCII one or any that YAML takes for none (a no-break, thin or
#: narrow one; a figure space, U+2007, as a typesetter aligns digits with; an en or em space: privacy-s55)
_BLANKS = f" {ODD_BLANKS}"
_SPACE = f"[{_BLANKS}]"


def _number_pattern(separators: str) -> str:
    """Digits and bracketed groups, each two apart by at most one of SEPARATORS (a character class's body)
    and two spaces either side of it, and markup a reading of the text leaves."""
    return (rf"(?:\+{_SPACE}?)?(?:\(\d{{1,5}}\)|\d)(?:[\x00\x01_*`~]*+{_SPACE}{{0,2}}[{separators}]?{_SPACE}{{0,2}}"
            rf"[\x00\x01_*`~]*+(?:\(\d{{1,5}}\)|\d))*+")


#: A phone number as written: digits and bracketed groups (`(0)`, `(07700)`), each two apart by at most a
#: dot, dash, en dash, slash or colon and two spaces either side of it (`+44 (0)7700 900-123`, `07700 – 900123`,
#: `30:12:34:56`; hours are no number: _DATE),
#: and markup a reading of the text leaves (\x00, \x01: `07700 **900123**`). It begins after no letter or
#: digit, nor a digit and a dot, dash, slash or markup (`v3.12.5550123`); glued to the letters before it
#: (`tel07700900123`, a tag, `Tel(212) 555-0123`), without dots (`v3.12.5550123` is a version); a run of
#: several numbers (`07700 900123. 3 times`) is taken apart by phone_spans
PHONE = re.compile(r"(?<![^\W_]|\+)(?<!\d[.\u2013/:\x00\x01-])" + _number_pattern(".\u2013/:-")
                   + r"|(?<=[^\W\d_])" + _number_pattern("\u2013/-"))
#: A phone number of fewer digits is none (`11-01`, an extension); of this many or more, it names a line
#: by its last ones, whatever prefix it is dialled with (`+44 7700 900123`, `07700 900123`)
FEWEST_PHONE_DIGITS, LINE_DIGITS = 7, 9
#: What no address holds: blanks, brackets and a sentence's punctuation, also CJK's full-width ones (`（zq@…）`,
#: `邮箱：zq@…`, `zq@example.org。`, helper-s54-c: they were read as the address's and it reached the mentor)
_NOT_IN_EMAIL = r"\s<>()\[\]:;,\"'\u3001\u3002\u300a-\u3011\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1c\uff1e\uff1f"
#: An e-mail address inside a value that says more (`Zelda <zq@example.org>`, `mailto:zq@example.org`)
EMAIL = re.compile(rf"(?<![^{_NOT_IN_EMAIL}@])[^{_NOT_IN_EMAIL}@]++@[^{_NOT_IN_EMAIL}]++")
#: An address spelt out so that no program reads it: `ada [at] example [dot] com`, `ada(at)example(dot)com`
#: (SPELT_IN_BRACKETS, in any text; dots as dots too) and, where a contact's key says it is one, `ada at
#: example dot com` (SPELT: in prose `at … dot` is too common). Possessive, and begun only where a run of an
#: address's characters does: linear
#: (a dot spelt out in the local part too, a few: `jo [dot] q [at] …`, helper-s53;
#: brackets full-width too, or escaped as Markdown escapes them: `\[at\]`; helper-87; and Markdown's emphasis
#: around `at`, `dot` and the brackets, `**at**`, `_[dot]_`, a few markers: a run of `_` is no emphasis)
_OPEN, _CLOSE = r"\\?[\[({<\uff08\uff3b\uff5b]", r"\\?[\])}>\uff09\uff3d\uff5d]"
_MARKED = r"[*_~`]{0,3}+"
_AT, _DOT = (rf"\s*+{_MARKED}{_OPEN}\s*+{_MARKED}{word}{_MARKED}\s*+{_CLOSE}{_MARKED}\s*+" for word in ("at", "dot"))
_WORD_AT, _WORD_DOT = (rf"{_MARKED}\s++{_MARKED}{word}{_MARKED}\s++{_MARKED}" for word in ("at", "dot"))
_SPELT = r"(?<![\w.+-])([\w.+-]++(?:(?:{dot})[\w.+-]++){{0,3}})(?:{at})([\w-]++(?:(?:{dot})[\w-]++)++)"
SPELT_IN_BRACKETS = re.compile(_SPELT.format(at=_AT, dot=rf"{_DOT}|\."), re.IGNORECASE)
SPELT = re.compile(_SPELT.format(at=rf"{_AT}|{_WORD_AT}", dot=rf"{_DOT}|{_WORD_DOT}|\."), re.IGNORECASE)
_SPELT_DOT = re.compile(rf"{_DOT}|{_WORD_DOT}", re.IGNORECASE)


def spelt_addresses(text: str, spelt: re.Pattern = SPELT, whole: bool = False) -> list[tuple[int, int, str]]:
    """The addresses TEXT spells out as SPELT (or SPELT_IN_BRACKETS) finds them, as written and as read
    (HTML entities decoded: `ada &#91;at&#93; example`): (start, end, the address as written with `@` and
    dots: `ada@example.com`; and without the `_` of emphasis around it, `_ada_ at …`). Each also from each
    dot in its local part on, unless WHOLE (a hidden person's own address, which hides no `info@…` that
    `jo [dot] info [at] …` ends with: helper-s53-c)."""
    found = []
    for reading in [Reading(text, ()), *([_entities_decoded(text)] if "&" in text else [])]:
        for match in spelt.finditer(reading.text):
            domain = _SPELT_DOT.sub(".", match.group(2))
            # the local part from each dot spelt out in it on too: the longest is taken from a word before
            # (`n [dot] zq [at] …`, `the dot zq at …` spell `zq`'s as well); and after the last of them from
            # each dot as a dot in its last 64 characters (a local part's most), as an address written is
            # hidden after one (`a.b.zq [at] …`, helper-s53-c; linear)
            written = match.group(1)
            spelt_dots = [] if whole else [dot.end() for dot in _SPELT_DOT.finditer(written)]
            after = max(spelt_dots, default=0)
            dots = [] if whole else [at + 1 for at in range(max(after, len(written) - 64), len(written))
                                     if written[at] == "."]
            for at, local in [*((at, _SPELT_DOT.sub(".", written[at:])) for at in [0, *spelt_dots]),
                              *((at, written[at:]) for at in dots)]:
                start, end = reading.span(match.start(1) + at, match.end())
                found += [(start, end, address) for address in dict.fromkeys(
                    (f"{local}@{domain}", f"{local.strip('_')}@{domain.strip('_')}"))]
    return found


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _entities_decoded(text: str) -> Reading:
    """TEXT with its HTML entities decoded, as a reader reads them, and how its offsets map back."""
    edits: list[tuple[int, int, int, int]] = []
    shift = 0  # the reading's length less the text's, so far

    def decode(entity: re.Match) -> str:
        nonlocal shift
        decoded = _decoded_entity(entity.group(0))
        edits.append((entity.start() + shift, entity.start() + shift + len(decoded), *entity.span()))
        shift += len(decoded) - len(entity.group(0))
        return decoded

    return Reading(_ENTITY.sub(decode, text), tuple(edits))


#: An entity decoded (the same few over and over: a text of 40,000 took 4 times a scan of it, cached 1.3)
_decoded_entity = functools.lru_cache(maxsize=1024)(html.unescape)


#: A link to a phone number (a messenger's, a dialler's): its digits are one
PHONE_LINK = re.compile(r"\b(?:tel|sms|callto|viber|whatsapp|imessage|facetime(?:-audio)?):|\bwa\.me/|\bwhatsapp\.com/"
                        r"|\bsignal\.me/|\bt(?:elegram)?\.me/\+|\bzalo\.me/|[?&]phone=", re.IGNORECASE)


def email_addresses(emails: tuple[str, ...] | list[str]) -> set[str]:
    """The addresses of a person's EMAILS as they compare (case folded): each's address, out of a label
    or name around it (`work: zq@example.org`, `Zelda <zq@example.org>`), else the text as written."""
    return {address.casefold() for email in emails if email.strip()
            for address in (EMAIL.findall(email) or [email.strip()])}


#: The fields of a person's contacts
CONTACT_FIELDS = ("email", "phone", "links")
def link_numbers(label: str, url: str) -> list[str]:
    """What of a hidden person's link (LABEL, URL) may hold a phone number (see Phones): a link that is one
    (`signal: +44 …`) or to one (`wa.me/447700900123`), a number dialled from abroad in another
    (`line.me/R/ti/p/+44…`), and a number of more than a line's digits in the label (`signal +44 7700
    900123`; not `talks 2015-2019`). Not another link's digits: a date, an address, an id."""
    texts = [url] if not URL.search(url) or PHONE_LINK.search(url) else [*_INTERNATIONAL.findall(url)]
    if label != url:
        numbers = (number.group(0) for number in PHONE.finditer(label))
        texts += [number for number in numbers if len(phone_digits(number)) > LINE_DIGITS]
    return texts


#: A number dialled from abroad in any link (`line.me/R/ti/p/+447700900123`)
_INTERNATIONAL = re.compile(r"(?<![\w+])\+\d{10,15}(?!\d)")


def phone_digits(number: str) -> str:
    """The digits of NUMBER, a phone number as PHONE finds it, that a prefix does not change: a `(0)` and
    leading zeros (a trunk or international prefix) dropped; "" for fewer than FEWEST_PHONE_DIGITS."""
    digits = _decimal("".join(char for char in number.replace("(0)", "") if char.isdecimal()))
    return digits if len(digits) >= FEWEST_PHONE_DIGITS else ""


class Phones:
    """Hidden people's phone numbers, to tell whether a number written elsewhere is one of them: the same
    digits, or one of nine digits or more that the other ends with (`7700 900123` of `+44 7700 900123`,
    but not `312 555 0123` of `+1 212 555 0123`)."""

    def __init__(self, fields: list[str]) -> None:
        # a field may hold several numbers (`… , …`, `… or …`, and see _numbers_in), over lines or tabs too; each
        # as written and as read (`030\u200b1234567`: a number is read through a zero-width space, a soft hyphen
        # or a figure dash inside it in a shown text, so in a hidden field too, privacy-s55)
        runs = [match.group(0) for field in dict.fromkeys((*fields, *map(_read, fields)))
                for part in _OTHER_NUMBER.split(_unbracketed(field)) for match in PHONE.finditer(part)]
        numbers: set[str] = set()
        among_several: set[str] = set()
        for run in runs:
            found, several = _numbers_in(run)
            (among_several if several else numbers).update(found)
        self.exact = frozenset(numbers | among_several)
        # as written, for a number written elsewhere with its country code (`+45 …` of a `20 12 34 56`)
        self._written = frozenset(phone_digits(run) for run in runs)
        # the ends of nine digits or more of each (not of each run of groups of several numbers: no number
        # is written so): a number one of them ends with is one of them
        self.ends = frozenset(digits[-length:] for digits in numbers for length in range(LINE_DIGITS, len(digits)))

    def __bool__(self) -> bool:
        return bool(self.exact)

    def hidden(self, number: str) -> bool:
        """Is NUMBER (as PHONE finds it) one of the hidden people's? (A date or hours is none.)"""
        if _DATE.fullmatch(number.strip()):
            return False
        digits = phone_digits(number)
        return self.hidden_digits(digits) or (national := _national(number, digits)) in self._written and bool(national)

    def hidden_digits(self, digits: str, sub_run: bool = False) -> bool:
        """Are DIGITS (phone_digits; SUB_RUN: of a run of a number's groups, see phone_spans) a hidden
        person's number?"""
        if len(digits) < FEWEST_PHONE_DIGITS:
            return False
        if digits in self.exact:
            return True
        return len(digits) >= LINE_DIGITS + sub_run and (digits in self.ends or any(
            digits[-length:] in self.exact for length in range(LINE_DIGITS, min(len(digits), MOST_PHONE_DIGITS + 1))))


def _read(text: str) -> str:
    """TEXT as a reader reads it (redact.reader_text), what it reads through left out (`030\u200b1234567` reads
    `0301234567`), its other dashes read as `-` and its other blanks as spaces (`030\u20121234567`)."""
    return text if text.isascii() else reader_text(text).text.replace("\x01", "")


def _unbracketed(field: str) -> str:
    """FIELD, a hidden person's phone field, its white space one space (a number over two lines) and a
    bracketed country code bare (`(+45) 20 12 34 56`)."""
    return _BRACKETED_CODE.sub(r"\1", " ".join(field.split()))


_BRACKETED_CODE = re.compile(r"\((\+\d{1,3})\)")
#: What parts a field holding several numbers (`+44 7700 900123 / 020 7946 0123`, `… or …`)
_OTHER_NUMBER = re.compile(r"\s*(?:[,;|]|\bor\b)\s*|\s+/\s+")
#: What in a phone field or a link's label is no number: a date (`since 2019-03-01`, `01.03.2019`; only a
#: day and month that can be one, of a year of these centuries: `+44-20-7946-0999` holds none), years
#: (`2015-2019`) or hours (`9.00-17.00`)
_DAY_OR_MONTH = r"(?:0?[1-9]|[12]\d|3[01])"
_YEAR = r"(?:19|20)\d\d"
_DATE = re.compile(rf"(?<!\d)(?:{_YEAR}[-./](?:0?[1-9]|1[0-2])[-./]{_DAY_OR_MONTH}"
                   rf"|{_DAY_OR_MONTH}[-./]{_DAY_OR_MONTH}[-./]{_YEAR}|{_YEAR}{_SPACE}?[-\u2013/]{_SPACE}?{_YEAR}"
                   rf"|(?:[01]?\d|2[0-4])[.:][0-5]\d{_SPACE}?[-\u2013]{_SPACE}?(?:[01]?\d|2[0-4])[.:][0-5]\d)(?!\d)")


#: A group of a phone number's digits, as PHONE finds them
_GROUP = re.compile(r"\(\d{1,5}\)|\d+")
#: The most digits a phone number has (E.164)
MOST_PHONE_DIGITS = 15


#: The two-digit country codes (ITU-T E.164); of the others, 1 and 7 have one digit and the rest three:
#: country codes are a prefix code, so a number's own is found by its first digits
_TWO_DIGIT_CODES = frozenset(("20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 "
                              "60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98").split())


def _national(run: str, digits: str) -> str:
    """DIGITS (phone_digits of RUN) as dialled in their country, if RUN is written with a country code
    (`+45`, `0045`, `(+32)`) and eight digits are left (`+45 20 12 34 56` is `20 12 34 56` in Denmark,
    `+32 2 123 45 67` is `02 123 45 67` in Belgium); else "". (A longer national number is found by its
    end: Phones.ends.)"""
    if not run.lstrip("(").startswith(("+", "00")) or not digits:
        return ""
    code = 1 if digits[0] in "17" else 2 if digits[:2] in _TWO_DIGIT_CODES else 3
    national = digits[code:].lstrip("0")
    return national if len(national) == 8 else ""


def _digit_groups(run: str) -> list[tuple[int, int, str]]:
    """The groups of RUN, a number as PHONE finds it: (start, end, ASCII digits; "" for a `(0)`)."""
    return [(group.start(), group.end(), "" if group.group(0) == "(0)" else _ascii(group.group(0).strip("()")))
            for group in _GROUP.finditer(run)]


def _numbers_in(run: str) -> tuple[list[str], bool]:
    """The digits (phone_digits) of the numbers RUN, as PHONE finds it in a hidden person's field, may hold,
    and whether it holds more digits than one number. Its own, unless it is a date; and those of each run
    of its groups of more digits than a line's that holds no date: of its first groups (an extension or
    hours after a number: `020 7946 0999-123`, `07700 900123 9-17`), or, with more digits than one number,
    of any (several one after another: `07700 900123 020 7946 0999`, `since 2019-03-01 07700 900123`): a
    hidden person's own digits, whatever they meant. Fewer would be the area code and exchange, or the
    last groups, that a colleague's number shares (`555 0123` of `+1 212 555 0123` may be anyone's). And a
    number written with its country code (or as digits alone, which YAML may have read from `+45…`) as
    dialled in its country, if that has eight digits (`+45 20 12 34 56` is `20 12 34 56` in Denmark)."""
    groups = _digit_groups(run)
    whole = phone_digits(run)
    several = len(whole) > MOST_PHONE_DIGITS
    dates = [match.span() for match in _DATE.finditer(run)]  # in order, apart: their ends are in order too
    numbers = [whole] if whole and not several and not _DATE.fullmatch(run.strip()) else []
    # digits alone may be a number from abroad without its `+`: YAML reads `phone: +4530123456` unquoted
    # as the whole number 4530123456
    abroad = f"+{run}" if run.isdecimal() and run[:1] != "0" else run
    numbers += [national] if numbers and (national := _national(abroad, whole)) else []
    for first in range(len(groups) if several else min(len(groups), 1)):
        digits = ""
        date = bisect.bisect_left(dates, (groups[first][0], 0))  # the first date that begins in the window
        for last in range(first, min(len(groups), first + MOST_PHONE_DIGITS + 2)):  # a few groups: linear
            digits = (digits + groups[last][2]).lstrip("0")
            if len(digits) > MOST_PHONE_DIGITS:
                break
            if len(digits) > LINE_DIGITS and (date == len(dates) or dates[date][1] > groups[last][1]):
                numbers.append(digits)
    return numbers, several


def phone_spans(text: str, phones: Phones) -> list[tuple[int, int]]:
    """The spans of TEXT that are one of PHONES: each number PHONE finds, or a run of its groups (`07700
    900123` of `call 07700 900123 2 times`, two numbers one space apart) of ten digits or more that one of
    PHONES ends with (nine, as a whole number is matched, would take `12.5550123` of a version `3.12.5550123`
    for a `+1 212 555 0123`), or is. Each group starts at most a few runs of a few digits: linear."""
    spans = []
    for match in PHONE.finditer(text):
        run = match.group(0)
        groups = _digit_groups(run)
        # a run of groups of more digits than a number's is several (`0123456789. 030 123 4567`: one of them
        # hidden hid the other too, helper-s54-b): each run of its groups is looked at
        if phones.hidden(run) and (len(groups) == 1 or len(phone_digits(run)) <= MOST_PHONE_DIGITS):
            spans.append(match.span())
            continue
        before = 0  # the digits of the groups before FIRST, leading zeros not counted
        for first in range(len(groups)):
            # a number begins after a whole one (`2026-11-01 07700 900123`), not after its country code
            # (`+49 7700 900123` is no `7700 900123`)
            if first == 0 or before >= 4:
                digits = ""
                for last in range(first, min(len(groups), first + MOST_PHONE_DIGITS + 2)):
                    digits += groups[last][2]
                    if len(digits) > MOST_PHONE_DIGITS:
                        break
                    # begun with a trunk 0, a national number of nine digits is one (`987654321 030 1234567`
                    # of a `+49 30 1234567`, helper-s54-b); without, ten at least (`3.12.5550123` is a version)
                    if (first, last) == (0, len(groups) - 1) or not phones.hidden_digits(
                            digits.lstrip("0"), not digits.startswith("0")):
                        continue
                    span = (match.start() + groups[first][0], match.start() + groups[last][1])
                    if not _DATE.fullmatch(text[span[0]:span[1]]):  # a date or hours is no number
                        spans.append(span)
            before += len(groups[first][2]) if before else len(groups[first][2].lstrip("0"))
    return spans


def _decimal(digits: str) -> str:
    """DIGITS (any script's) as ASCII digits, leading zeros (a trunk or international prefix) dropped."""
    return _ascii(digits).lstrip("0")


def _ascii(digits: str) -> str:
    """DIGITS (any script's) as ASCII digits."""
    return digits if digits.isascii() else "".join(str(int(char)) for char in digits)


def contact_forms(emails: list[str], phones: list[str], links: list[str],
                  spared: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Of hidden people's EMAILS, PHONES and LINKS, the forms to look for: each as written and bare
    (link_forms; an address out of the text around it), and a link's below a profile, the profile's
    (`github.com/zq` of `github.com/zq/repo`) unless SPARED holds it (link_forms of a shown person's own
    links, case folded: helper-87); none of under five characters. (Phone numbers written otherwise:
    Phones.)"""
    found = [*emails, *(address for email in emails for address in EMAIL.findall(email))]
    # `ada [at] example [dot] com`, whole
    found += [address for email in emails for *_, address in spelt_addresses(email, whole=True)]
    found += [phone for phone in phones if any(phone_digits(match.group(0)) for match in PHONE.finditer(phone))]
    for link in links:
        found += link_forms(link)
        found += profiles_above(link, spared)
    return [text for text in found if 5 <= len(text) <= _LONGEST]


_LONGEST = 200  # characters of an address, number or link looked for as written (a longer one is none: its parts are)


#: What marks a contact among the names salvaged from a note that could not be loaded (load.salvaged_names):
#: `\x1fphone\x1f+44 7700 900123` (no name holds the control character)
SALVAGED = "\x1f"


def salvaged(key: str, value: str) -> str:
    """VALUE, salvaged under KEY (email, phone or links), as a salvaged name that says it is a contact."""
    return f"{SALVAGED}{key}{SALVAGED}{value}"


def salvaged_contact(name: str) -> tuple[str, str] | None:
    """The (key, value) of NAME if it is a salvaged contact (see `salvaged`), else None."""
    if not name.startswith(SALVAGED):
        return None
    key, _, value = name[1:].partition(SALVAGED)
    return key, value


#: A number dialled from abroad as written (`+45 30 12 34 56`, `+1 (555) 010-0199`; `+45_30_12_34_56` as YAML 1.1
#: writes a whole number; its groups apart by the spaces PHONE reads too, a thin or a figure one)
_ABROAD = re.compile(rf"(?<![\w+\uff0b])[+\uff0b]\d[\d{_BLANKS}().\-/_]*\d")  # also a full-width plus
#: A number with a trunk 0, a value of its own (`07700 900123`, `(030) 1234567`; in full-width digits too, as a
#: CJK input method may type them, helper-s54-c)
_TRUNK = re.compile(rf"\(?[0\uff10]\d[\d{_BLANKS}().\-/_]*\d")
_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+$")
#: A number a link dials (`tel:03012345678`, `sms:+4530123456`)
_DIALLED = re.compile(rf"(?<![\w-])(?:tel|sms|callto):(\+?\d[\d{_BLANKS}().\-/]*\d)", re.IGNORECASE)
#: What of a number from abroad says it is none: an amount in thousands (`+1 200 000`, `+1.234.567`), a
#: decimal (`+55.7558`)
_NO_NUMBER = re.compile(rf"[+\uff0b](?:\d{{1,3}}(?:[{_BLANKS},.'_]\d{{3}})+|\d+\.\d+|\d+)")


#: A key, its colon and a space after it that is no ASCII one (`dad:\u00a0…`, `dad: \u3000…`): a space separator
#: (Unicode's Zs) that YAML takes for none, so that it reads `dad:\u00a0'0301234567'` as one text; so a list's dash
#: (`-\u00a0'0301234567'`); and a key with a full-width colon (`dad：0301234567`, as a CJK input method types it,
#: the reviewer's), whatever blanks follow it. A key is begun only at a word's start, its characters and blanks
#: possessive: linear
_UNICODE_KEY = re.compile(rf"(?:(?<![^\s:\uff1a])[^\s:\uff1a]*+:|(?<!\S)-)[ \t]*+[{ODD_BLANKS}]"
                          rf"|(?<![^\s:\uff1a])[^\s:\uff1a]*+\uff1a[ \t{ODD_BLANKS}]*+")


def unicode_keyed_values(text: str) -> list[str]:
    """The values TEXT gives after each key written with a space that is no ASCII one after its colon, or a
    list's dash so, each up to the next (`0301234567` of `dad:\u00a0'0301234567'`; of `dad:\u00a0home:\u00a0…`
    the home's; of `-\u00a0'030…' -\u00a0'040…'`, list items over lines that YAML folds into one text, each;
    quotes kept), as an editor that typed a no-break space meant them: YAML reads the whole as a text (or
    refuses the note). Each before another also without its last words, up to _KEY_WORDS, which may be the
    next key's (`my dad:\u00a0'030…' my mum:\u00a0…`), each holding a letter. Nothing if TEXT has no such
    key or dash: in a text written with an ASCII space (`"dad: 0301234567"`) a number is a longer text's, no
    whole value."""
    pieces = _UNICODE_KEY.split(text)[1:]
    values = []
    for at, piece in enumerate(pieces):
        values.append(value := piece.strip())
        for _ in range(_KEY_WORDS if at < len(pieces) - 1 else 0):
            # a key's word holds a letter: a number's last group is none (`dad:\u00a0030 123 45 67 mum:\u00a0…`
            # gave `030 123 45`, seven digits that hid a shown number, helper-s54-b)
            if len(cut := value.rsplit(None, 1)) < 2 or not any(char.isalpha() for char in cut[1]):
                break
            values.append(value := cut[0])
    return values


def has_unicode_key(text: str) -> bool:
    """Does TEXT hold a key or a list's dash with a space that is no ASCII one after it (unicode_keyed_values)?"""
    return _UNICODE_KEY.search(text) is not None


#: The most words of a key that unicode_keyed_values drops from a value's end
_KEY_WORDS = 3


def _whole_values(text: str) -> list[str]:
    """What of TEXT is a whole value, quotes around it dropped: all of it, and each value after a key or a
    list's dash written with a space that is no ASCII one after it (unicode_keyed_values)."""
    # and a sentence's full stop or comma after it, CJK's full-width one (`电话：0301234567。`, helper-s54-c)
    values = [bare_value(written.strip()).strip("'\"").strip() for written in (text, *unicode_keyed_values(text))]
    return values + [cut for value in values if (cut := value.rstrip(_SENTENCE_END).strip("'\"").strip()) != value]


#: A key and its value written in a text (`dad: 0301234567`, `- github:\u00a0zq`, `phone:030 …`, `电话：…`,
#: `"phone": …`, `1. **GitHub**: zq`): the key of 40 characters at most (in quotes or not) at a line's start,
#: after a list's dash or number, a quote's `>` or a heading's `#`, or after a comma, semicolon or bar (`phone:
#: 030 …, github: zq`); its colon an ASCII or a full-width one, any blanks after it; its value up to the next
#: comma, semicolon or bar.
#: Bounded and possessive, each try begun at a line's start or such a mark: linear
_LABELLED_LINE = re.compile(rf"(?:^|[,;|])[ \t{ODD_BLANKS}]*+"
                            rf"(?:(?:[-*+>\u2022\u2013\u2014]|\d{{1,3}}[.)]|#{{1,6}})[ \t{ODD_BLANKS}]++)?+"
                            rf"(?:\"([^\"\n]{{1,40}})\"|'([^'\n]{{1,40}})'|([^\s:\uff1a#'\",;|][^:\uff1a\n,;|]{{0,40}}?))"
                            rf"[ \t]*+[:\uff1a]++[ \t{ODD_BLANKS}]*+([^\s,;|][^\n,;|]*+)", re.MULTILINE)
#: The line breaks YAML and str.splitlines know besides `\n`, as `\n` (`"phone: …\\Lgithub: zq"`)
_OTHER_BREAKS = str.maketrans(dict.fromkeys("\r" + ODD_BREAKS, "\n"))


def is_trunk_number(value: str) -> bool:
    """Is VALUE, whole, a number with a trunk 0 of a phone's digits (`030 1234567`; not a date), as
    sure_contacts reads a whole value?"""
    return (len(value) <= _LONGEST and _TRUNK.fullmatch(value) is not None and not _DATE.search(value)
            and FEWEST_PHONE_DIGITS <= len(phone_digits(value)) <= MOST_PHONE_DIGITS)


def labelled_lines(text: str) -> list[tuple[str, str]]:
    """(key, value) of each key and value written in TEXT (_LABELLED_LINE), Markdown's emphasis or brackets
    around the key and quotes, code marks or brackets around the value dropped (`{github: a, x: b}`):
    `contact: |` then `  phone: 030 1234567`, `contact: 'github: zq'` (unlisted.labelled_contacts)."""
    if ":" not in text and "\uff1a" not in text:
        return []
    return [((match.group(1) or match.group(2) or match.group(3)).strip("*_()[]{}<> \t"),
             match.group(4).strip().strip("*'\"`()[]{}<>").strip())
            for match in _LABELLED_LINE.finditer(text.translate(_OTHER_BREAKS))]


#: YAML's anchors and tags before a value (`&a`, `!!str`, `!<tag:yaml.org,2002:str>`), as many as written, each
#: with a blank after it, an ASCII one or not: with a no-break space (`kin: &a\u00a00301234567`) or three tags
#: YAML refuses the note, and the number behind them, read leniently, was no whole value (privacy-s55). Begun
#: after a blank or a flow's bracket or comma only (not inside a word, `R&D`), of no flow's bracket or comma
#: (as YAML's), its characters and blanks possessive: linear
_YAML_PROPERTIES = re.compile(rf"(?<![^\s\[{{,])(?:(?:!<[^>\s\[{{]*+>|[!&][^\s\[\]{{}},]*+)[ \t{ODD_BLANKS}]++)++")


def without_properties(text: str) -> str:
    """TEXT without the YAML anchors and tags before its values (_YAML_PROPERTIES), as YAML reads them."""
    return _YAML_PROPERTIES.sub("", text) if "!" in text or "&" in text else text


def bare_value(value: str) -> str:
    """VALUE, a YAML value as written, without the anchors and tags it begins with (_YAML_PROPERTIES)."""
    properties = _YAML_PROPERTIES.match(value)
    return value[properties.end():] if properties is not None else value


#: CJK letters and what comes before them in an address's local part (`写信给` of `写信给zq@example.org`)
_AFTER_CJK = re.compile(rf"^[^@]*[{CJK}]")
#: What ends a sentence or a clause after a value: ASCII's and CJK's full-width stops, commas and marks
_SENTENCE_END = ".,;!?\u3001\u3002\uff01\uff0c\uff0e\uff1b\uff1f"


def sure_contacts(text: str) -> list[tuple[str, str]]:
    """The contacts TEXT holds whatever key it is under (`fax: +45 30 12 34 56`, `notes: write to
    zq@example.org`), as (field, text) pairs: an address with a domain (also spelt out in brackets: `zq [at]
    example [dot] org`), a profile's link, a page's below it or a phone's (also without `https://`:
    `github.com/zq`, `github.com/zq/repo`), a number dialled from abroad (of fewer than a line's digits, none
    that reads as an amount or a decimal: `+1 200 000`, `+55.7558`, `+1200000`), and a whole value that is a
    number with a trunk 0 (not a date; its quotes dropped, `'0301234567'`; also after a key written with a
    space that is no ASCII one after its colon, `dad:\u00a0'0301234567'`: _whole_values). Fewer than TEXT
    may hold (`jan.kowalski`, `5550100` say nothing of being one); what is found is hidden everywhere."""
    # a sentence's `… zq@example.org.`, markup's `**zq@example.org**`
    # also with a full-width at sign (`zq＠example.org`, as a CJK input method types it), read as an ASCII one
    # (helper-s54-c)
    read = text.replace("\uff20", "@")
    addresses = [address.strip("*_~`").rstrip(".!?…*_~`})>") for address in EMAIL.findall(read)]
    # and one right after CJK letters (`写信给zq@example.org`: no blank between words there), without them
    addresses += [tail for address in addresses
                  if (tail := _AFTER_CJK.sub("", address)) != address and not tail.startswith("@")]
    found = [("email", address) for address in addresses if len(address) <= _LONGEST and _DOMAIN.search(address)]
    found += [("email", address) for *_, address in spelt_addresses(text, SPELT_IN_BRACKETS, whole=True)
              if len(address) <= _LONGEST]
    links = [link.rstrip(")]}>.,;:!?") for link in URL.findall(text)]  # a line's `[https://…]`, a sentence's
    found += [("links", link) for link in links
              if len(link) <= _LONGEST and (PHONE_LINK.search(link) or is_profile_link(link))]
    found += [("links", link) for link in bare_profile_links(text) if len(link) <= _LONGEST]
    # each as written and as read (`030\u200b1234567`, `030\u20121234567`: privacy-s55)
    readings = dict.fromkeys((text, _read(text)))
    numbers = [number.replace("\uff0b", "+") for reading in readings for number in _ABROAD.findall(reading)]
    numbers += [number for reading in readings for number in _DIALLED.findall(reading)]
    numbers += [whole for whole in dict.fromkeys(value for reading in readings for value in _whole_values(reading))
                if is_trunk_number(whole)]
    return found + [("phone", number) for number in numbers if len(number) <= _LONGEST
                    and FEWEST_PHONE_DIGITS <= (digits := len(phone_digits(number))) <= MOST_PHONE_DIGITS
                    and (digits >= LINE_DIGITS or not _NO_NUMBER.fullmatch(number))]
