"""A person's e-mail addresses, phone numbers and links as a note may write them, so an audience's view
(audience.Redaction) finds a hidden person's wherever a visible note repeats them, however it writes them.
Every pattern begins only where a run of its characters does, so finding them is linear on any text."""
from __future__ import annotations

import re

#: A phone number as written: digits, grouped by spaces, dots, dashes, slashes or brackets (`+44 (0)7700
#: 900-123`)
PHONE = re.compile(r"(?<![\w+])\+?\d(?:[ \t\u00a0.()/-]{0,3}\d)++")
#: The digits of a phone number that name a line, whatever prefix it is dialled with (`+44 7700 900123`,
#: `07700 900123`): its last nine; a number of fewer than seven digits is none (`11-01`, an extension)
PHONE_DIGITS, FEWEST_PHONE_DIGITS = 9, 7
_NOT_IN_EMAIL = r"\s<>()\[\]:;,\"'"
#: An e-mail address inside a value that says more (`Zelda <zq@example.org>`, `mailto:zq@example.org`)
EMAIL = re.compile(rf"(?<![^{_NOT_IN_EMAIL}@])[^{_NOT_IN_EMAIL}@]++@[^{_NOT_IN_EMAIL}]++")
#: A link inside a value that says more (`github: https://github.com/zq`)
URL = re.compile(r"(?<![a-zA-Z0-9+.-])(?:[a-zA-Z][a-zA-Z0-9+.-]*+://|www\.)[^\s<>\"']++")


def phone_key(text: str) -> str:
    """The digits of TEXT's first phone number that name its line (see PHONE_DIGITS), or ""."""
    match = PHONE.search(text)
    return digits_key(match.group(0)) if match else ""


def digits_key(number: str) -> str:
    """The digits of NUMBER, a phone number as PHONE finds it, that name its line, or ""."""
    digits = re.sub(r"\D", "", number)
    return digits[-PHONE_DIGITS:] if len(digits) >= FEWEST_PHONE_DIGITS else ""


def contact_forms(emails: list[str], phones: list[str], links: list[str]) -> tuple[list[str], frozenset[str]]:
    """Of hidden people's EMAILS, PHONES and LINKS, the forms to look for (each as written and bare: an
    address out of the text around it, a link with a path without its scheme, `www.`, query, fragment or last
    slash; a site's bare domain may be an employer's; none of under five characters), and the phone
    numbers' keys (phone_key)."""
    found = [*emails, *(address for email in emails for address in EMAIL.findall(email))]
    found += [phone for phone in phones if phone_key(phone)]
    for url in (found_url for link in links for found_url in (link, *URL.findall(link))):
        bare = re.sub(r"^<?(?:[a-zA-Z][a-zA-Z0-9+.-]*+:(?://)?)?(?:www\.)?", "", url.strip()).rstrip(">")
        bare = re.split(r"[?#]", bare, maxsplit=1)[0].rstrip("/")
        found += [url, bare] if "/" in bare else [url]
    return [text for text in found if len(text) >= 5], frozenset(filter(None, map(phone_key, phones)))


def is_contact(text: str) -> bool:
    """Is TEXT, salvaged from a person note as a name (load.salvaged_names), an e-mail address, a phone
    number or a link (or a value holding one) rather than a name?"""
    return bool(EMAIL.search(text) or URL.search(text)
                or (phone_key(text) and sum(c.isalpha() for c in text) <= 3))
