"""A person's e-mail addresses, phone numbers and links as a note may write them, so an audience's view
(audience.Redaction) finds a hidden person's wherever a visible note repeats them, however it writes them.
Every pattern begins only where a run of its characters does, so finding them is linear on any text."""
from __future__ import annotations

import re

#: A phone number as written: digits and bracketed groups (`(0)`, `(212)`), each two apart by at most one
#: space, dot, dash, en dash or slash (`+44 (0)7700 900-123`), and markup a reading of the text leaves
#: (\x00, \x01: `07700 **900123**`); `07700 900123. 3 times` is one number and another
PHONE = re.compile(r"(?<![\w+\x00\x01])(?:\+[ \u00a0]?)?(?:\(\d{1,4}\)|\d)"
                   r"(?:[\x00\x01]*+[ \u00a0\u2009\u202f.\u2013/-]?[\x00\x01]*+(?:\(\d{1,4}\)|\d))*+")
#: A phone number of fewer digits is none (`11-01`, an extension); of this many or more, it names a line
#: by its last ones, whatever prefix it is dialled with (`+44 7700 900123`, `07700 900123`)
FEWEST_PHONE_DIGITS, LINE_DIGITS = 7, 9
_NOT_IN_EMAIL = r"\s<>()\[\]:;,\"'"
#: An e-mail address inside a value that says more (`Zelda <zq@example.org>`, `mailto:zq@example.org`)
EMAIL = re.compile(rf"(?<![^{_NOT_IN_EMAIL}@])[^{_NOT_IN_EMAIL}@]++@[^{_NOT_IN_EMAIL}]++")
#: A link inside a value that says more (`github: https://github.com/zq`)
URL = re.compile(r"(?<![a-zA-Z0-9+.-])(?:[a-zA-Z][a-zA-Z0-9+.-]*+://|www\.)[^\s<>\"']++")


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
        numbers = {digits for field in fields for match in PHONE.finditer(field)
                   if (digits := phone_digits(match.group(0)))}
        self.exact = frozenset(numbers)
        self.by_line: dict[str, set[str]] = {}
        for digits in numbers:
            if len(digits) >= LINE_DIGITS:
                self.by_line.setdefault(digits[-LINE_DIGITS:], set()).add(digits)

    def __bool__(self) -> bool:
        return bool(self.exact)

    def hidden(self, number: str) -> bool:
        """Is NUMBER (as PHONE finds it) one of the hidden people's?"""
        return self.hidden_digits(phone_digits(number))

    def hidden_digits(self, digits: str, sub_run: bool = False) -> bool:
        """Are DIGITS (phone_digits; SUB_RUN: of a run of a number's groups, see phone_spans) a hidden
        person's number?"""
        if len(digits) < FEWEST_PHONE_DIGITS:
            return False
        if digits in self.exact:
            return True
        return len(digits) >= LINE_DIGITS + sub_run and any(
            digits.endswith(other) or other.endswith(digits) for other in self.by_line.get(digits[-LINE_DIGITS:], ()))


#: A group of a phone number's digits, as PHONE finds them
_GROUP = re.compile(r"\(\d{1,4}\)|\d+")
#: The most digits a phone number has (E.164)
MOST_PHONE_DIGITS = 15


def phone_spans(text: str, phones: Phones) -> list[tuple[int, int]]:
    """The spans of TEXT that are one of PHONES: each number PHONE finds, or a run of its groups (`07700
    900123` of `call 07700 900123 2 times`, two numbers one space apart) of ten digits or more that one of
    PHONES ends with (nine, as a whole number is matched, would take `12.5550123` of a version `3.12.5550123`
    for a `+1 212 555 0123`), or is. Each group starts at most a few runs of a few digits: linear."""
    spans = []
    for match in PHONE.finditer(text):
        run = match.group(0)
        if phones.hidden(run):
            spans.append(match.span())
            continue
        groups = [(group.start(), group.end(), "" if group.group(0) == "(0)" else group.group(0).strip("()"))
                  for group in _GROUP.finditer(run)]
        for first in range(len(groups)):
            digits = ""
            for last in range(first, len(groups)):
                digits += groups[last][2]
                if len(digits) > MOST_PHONE_DIGITS:
                    break
                if (first, last) != (0, len(groups) - 1) and phones.hidden_digits(_decimal(digits), sub_run=True):
                    spans.append((match.start() + groups[first][0], match.start() + groups[last][1]))
    return spans


def _decimal(digits: str) -> str:
    """DIGITS (any script's) as ASCII digits, leading zeros (a trunk or international prefix) dropped."""
    return (digits if digits.isascii() else "".join(str(int(char)) for char in digits)).lstrip("0")


def contact_forms(emails: list[str], phones: list[str], links: list[str]) -> list[str]:
    """Of hidden people's EMAILS, PHONES and LINKS, the forms to look for: each as written and bare (an
    address out of the text around it, a link with a path without its scheme, `www.`, query, fragment or last
    slash; a site's bare domain may be an employer's); none of under five characters. (Phone numbers written
    otherwise: Phones.)"""
    found = [*emails, *(address for email in emails for address in EMAIL.findall(email))]
    found += [phone for phone in phones if any(phone_digits(match.group(0)) for match in PHONE.finditer(phone))]
    for url in (found_url for link in links for found_url in (link, *URL.findall(link))):
        bare = re.sub(r"^<?(?:[a-zA-Z][a-zA-Z0-9+.-]*+:(?://)?)?(?:www\.)?", "", url.strip()).rstrip(">")
        bare = re.split(r"[?#]", bare, maxsplit=1)[0].rstrip("/")
        found += [url, bare] if "/" in bare else [url]
    return [text for text in found if len(text) >= 5]


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
