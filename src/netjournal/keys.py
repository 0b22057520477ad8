"""Front-matter keys as a reader sees them, the known key a mistyped one was meant as, and the keys that say
a contact's field however they are written (`mobile`, `twiter`, `work_email`): an audience must find a
hidden person's contacts (fail closed)."""
from __future__ import annotations

import difflib
import functools
import re

from .contacts import SPELT
from .profiles import PROFILE_KEYS, RARER_PROFILE_KEYS, WORDS_TOO
from .redact import tag_key, visible


def key_reading(key: str) -> str:
    """A front-matter key as a reader sees it: NFKC, invisible characters dropped, case folded."""
    return tag_key(key)


def close_to(key: str, known: tuple[str, ...]) -> str | None:
    """The one of KNOWN that KEY looks like a mistyping of (another case, a letter off), or None."""
    reading = key_reading(key).replace("-", "_").replace(" ", "_")
    for name in known:
        if reading == name:
            return name
    close = difflib.get_close_matches(reading, known, n=1, cutoff=0.8)
    return close[0] if close else None


#: Keys that say a contact's field: read as that field
_CONTACT_SYNONYMS = {
    "phone": ("mobile", "cell", "cellphone", "tel", "telephone", "phone_number", "whatsapp", "signal", "fax",
              "telefax", "landline", "contact_number", "viber",
              # in other languages, as key_reading reads them
              "telefon", "telefono", "teléfono", "téléphone", "телефон", "handy", "handynummer", "rufnummer",
              "celular", "movil", "móvil", "numero", "número", "numéro",
              "no"),  # `Nº`, `№`, `N°` (key_reading reads º and № as o, contact_synonym °)
    "email": ("mail", "e_mail", "email_address", "correo", "courriel", "почта", "e_post"),
    "links": ("website", "homepage", "url", *PROFILE_KEYS),
}
#: The keys that say a contact as written (as key_reading reads them): a set lookup, where contact_synonym
#: also reads words around one and mistypings (about 28 µs a key it has not seen)
CONTACT_KEYS = frozenset(("phone", "email", "links", *(key for keys in _CONTACT_SYNONYMS.values() for key in keys)))


#: Words around a contact's key that leave it that key (`work_email`, `twitter_handle`, `phone_no`)
_QUALIFIERS = frozenset(("work", "home", "personal", "private", "office", "business", "main", "other", "alt",
                         "second", "primary", "contact", "handle", "username", "user", "id", "account",
                         "profile", "address", "number", "no", "nr", "num", "link", "page", "name",
                         "de", "di", "del", "of"))  # `Numéro de téléphone`

_EVERY_SYNONYM = {meant: (field, meant) for field, synonyms in _CONTACT_SYNONYMS.items() for meant in synonyms}
#: The synonyms a key may be a mistyping of
_GUESSED = {meant: found for meant, found in _EVERY_SYNONYM.items() if meant not in RARER_PROFILE_KEYS}

#: Profiles' keys that are words too (profiles.WORDS_TOO): under them a handle holds a letter (`threads: 12`)
_WORDS_TOO = WORDS_TOO

#: Qualifiers that say a profile's key names its handle (`twitter_handle`; `twitter_account` describes it)
_NAMING = frozenset(("handle", "username", "user", "id", "name"))
#: A profile's key of three letters or more and such a qualifier written as one word (`lineid`, `githubuser`)
_GLUED_NAMING = re.compile(rf"({'|'.join(key for key in PROFILE_KEYS if len(key) >= 3)})({'|'.join(_NAMING)})")
#: Synonyms that say a number but not whose (`Nº`): what is under them is read as by a guess (a phone's digits)
_NUMBER_ONLY = frozenset(("no",))

#: What a value under such a key must hold to be read as the contact (an address's @, a number's digits,
#: a link or a domain): `linkedin: unknown` and `mail: ask first` are no contacts
#: (a link's: no white space, a dot between, tried once from the start: `^\S+\.\S+$` backtracked from each dot to
#: the end, 20 s on 200,000 characters, helper-88)
_LOOKS_LIKE = {"phone": re.compile(r"\d"), "email": re.compile("@"), "links": re.compile(r"^(?=\S*+$)\S+\.\S|://")}
#: Under a key written otherwise (`work_website`): a link, a domain with a name (not `v2.0.1`), or a handle
_SURE_LINK = re.compile(r"://|^(?:[\w-]+\.)+[^\W\d_]{2,}(?:/\S*)?$|^@[\w.]{2,}")
#: Under a key written otherwise (`mobil`, `home_phone_2`): a number of seven digits or more, and no date
_SURE_PHONE = re.compile(r"^(?!\s*(?:19|20)\d\d-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])\s*$)\D*(?:\d\D*){7}")
#: Keys of a profile whose value may be a handle (`github: zqcodes`, `twitter: '@zeddy'`, `linkedin: in/zq`):
#: any one word is a contact (fail closed) but what says there is none
_HANDLE = re.compile(r"^(?!\d{4}-\d\d?-\d\d?$)@?[\w.@/-]{2,}$")  # not a date
_LETTER = re.compile(r"[^\W\d_]")
_NO_HANDLE = frozenset(("unknown", "none", "private", "n/a", "na", "tbd", "todo", "no", "yes", "ask", "later",
                        "connected", "pending", "following", "followed", "follows", "requested", "invited",
                        "mutual", "blocked", "muted", "deleted", "outdated", "premium", "verified", "active",
                        "inactive", "suspended", "archived", "public", "closed", "gone", "dormant", "locked",
                        "protected", "old", "new", "updated", "accepted", "changed", "abandoned",
                        "unfollowed", "removed", "disabled", "expired", "unused", "hidden", "ok"))


@functools.lru_cache(maxsize=4096)  # the same few keys in note after note; each is read three times
def contact_synonym(written: str) -> tuple[str, str] | None:
    """The contact field (`phone`, `email`, `links`) a key WRITTEN says, and the key it says it with
    (`mobile`, `website`); fail closed, so also written in words (`web site`, `linked_in`), numbered
    (`mobile_2`), with words around it that leave it that key (`work_email`, `twitter_handle`,
    `mobile/whatsapp`), or mistyped (`mobil`, `email_adress`; not `linked` or `call`, words of their own).
    None if it says none."""
    reading = _E_MAIL.sub("email", key_reading(written)).replace("°", "o")  # `N°`, the degree sign for º
    if len(reading) > _LONGEST_CONTACT_KEY:
        return None
    words = [part for word in _KEY_WORDS.split(reading) if word for part in _glued_apart(_unnumbered(word))]
    found = _contact_field("".join(words)) or (_close_contact_field(words[0]) if len(words) == 1 else None) \
        or _handle_of_no_profile(words)
    if found is not None or len(words) < 2:
        return found
    # a word of a contact has three letters or more, but for a profile's key with a word that names its
    # handle (`x_handle`; not `x_no`)
    naming = bool(set(words) & _NAMING)
    said = [_contact_field(word) if (len(word) >= 3 or naming and word in PROFILE_KEYS)
            and (naming or word not in _WORDS_TOO) else None for word in words if word not in _QUALIFIERS]
    fields = {found[0] if found else None for found in said}
    if not said or len(fields) > 1 or None in fields:
        return None
    # of `mobile_phone`, `github_link`: the profile's key if one is among them. A handle under it counts
    # when the key names one (`twitter_handle`), not when it describes (`twitter_account: work`)
    profile = next((found for found in said if found and found[1] in PROFILE_KEYS), None)
    if profile is None:
        return said[0]
    return profile if naming or len(said) == len(words) else (profile[0], "_".join(words))


#: A longer key says no contact (a line of a note that cannot be loaded, read as a key of many words)
_LONGEST_CONTACT_KEY = 40
#: Words before `handle` or `username` that leave it that key (`work_handle`, `account_handle`, `my_handle`; not
#: `no_handle`, helper-119)
_BEFORE_A_HANDLE = (_QUALIFIERS - {"of", "de", "di", "del", "no"}) | {"my", "new", "old", "current", "public",
                                                                       "previous", "official"}
#: Words after `handle` that do (`handle_2`, `handle no. 2`, `handle (work)`, `handle_id`); not one it may be the
#: verb of (`handle_of: complaints`, `handle_page: wiki`, `handle_new: hires`; helper-117, helper-118). After
#: `username`, no verb, any of both (`username_new`, `username (business)`, helper-119)
_AFTER_A_HANDLE = frozenset(("no", "nr", "num", "number", "id", "account", "profile", "address", "alt", "main",
                             "old", "work", "home", "personal", "private", "business", "office", "second", "primary",
                             "other", "name", "username"))
_AFTER_A_USERNAME = _AFTER_A_HANDLE | _BEFORE_A_HANDLE | {"no"}


def _handle_of_no_profile(words: list[str]) -> tuple[str, str] | None:
    """`handle` or `username` (a profile's key of no profile named) if WORDS are one, or `user` and `name`,
    with numbers and only words that leave it that key around it (`work_handle`, `user handle`, `handle_2`,
    helper-116); not its plural, `handles: billing` (what someone handles, helper-117)."""
    said = [word for word in words if not word.isdigit()]
    for pair in range(len(said) - 1):
        if said[pair:pair + 2] == ["user", "name"]:
            said[pair:pair + 2] = ["username"]
            break
    at = next((at for at, word in enumerate(said) if word in ("handle", "username")), None)
    after = _AFTER_A_USERNAME if at is not None and said[at] == "username" else _AFTER_A_HANDLE
    if at is None or not all(word in _BEFORE_A_HANDLE or word in ("user", "name") for word in said[:at]) \
            or not all(word in after for word in said[at + 1:]):
        return None
    return "links", said[at]


def _glued_apart(word: str) -> tuple[str, ...]:
    """WORD, or a profile's key and the qualifier naming its handle written as one (`lineid`: `line`, `id`)."""
    glued = _GLUED_NAMING.fullmatch(word)
    return glued.groups() if glued else (word,)


def _unnumbered(word: str) -> str:
    """WORD without the number after it (`mobile2`, `tel2`), unless little is left (`x1` is no `x`)."""
    stripped = word.rstrip("0123456789")
    return stripped if len(stripped) >= 3 else word


#: What parts a key into words (`mobile_2`, `web site`, `twitter/x`, `cell #`, `tel.`)
_KEY_WORDS = re.compile(r"[\W_]+")
_E_MAIL = re.compile(r"\be[\W_]*mail")  # `e-mail`, `E mail`: one word


def _contact_field(word: str) -> tuple[str, str] | None:
    """The contact field WORD (a key, or one word of it, read, without separators) is or says, and the key
    meant: also when WORD mistypes a synonym of five letters or more by one letter (`mobil`, `githb`)."""
    for field, synonyms in _CONTACT_SYNONYMS.items():
        if word == field:
            return field, field
        for meant in synonyms:
            joined = meant.replace("_", "")
            if word == joined or (len(joined) >= 5 and meant not in RARER_PROFILE_KEYS
                                  and _one_edit_apart(word, joined)):
                return field, meant
    return None


def _close_contact_field(word: str) -> tuple[str, str] | None:
    """The synonym a key of one word of eight letters or more is a mistyping of, as difflib finds one
    (`telefone`; not `house_number`, a key of other words)."""
    if len(word) < 8:
        return None
    found = difflib.get_close_matches(word, _GUESSED, n=1, cutoff=0.8)
    return _GUESSED[found[0]] if found else None


def _one_edit_apart(typed: str, meant: str) -> bool:
    """Is TYPED MEANT with one letter added, dropped, changed, or swapped with the next?"""
    if abs(len(typed) - len(meant)) > 1:
        return False
    i = 0
    while i < min(len(typed), len(meant)) and typed[i] == meant[i]:
        i += 1
    return (typed[i + 1:] == meant[i + 1:] or typed[i + 1:] == meant[i:] or typed[i:] == meant[i + 1:]
            or typed[i:i + 2] == meant[i:i + 2][::-1] and typed[i + 2:] == meant[i + 2:])


def looks_like_contact(key: str, under: str, text: str, exact: bool = True) -> bool:
    """Does TEXT, under the key UNDER (a mistyping of KEY or one that says the same), look like KEY's? Under
    a key not EXACT (mistyped, or in words: `mobil`, `twitter_handle`), a number must be surer and a handle
    hold a letter: such keys are read by guess, and what they hold is hidden everywhere. What a reader does not
    see is left out (`github: zq\u200b_codes42`, privacy-s55)."""
    text = visible(text)
    if key == "phone" and not exact:
        return bool(_SURE_PHONE.search(text))
    if key == "links" and not exact and under not in PROFILE_KEYS:
        return bool(_SURE_LINK.search(text))
    if key == "email" and SPELT.search(text):  # `ada [at] example [dot] com`, `ada at example dot com`
        return True
    if under in _WORDS_TOO:  # `line: '42'` is no handle; `line: zqline`, `+81 …` are (and `line: business`:
        # a handle of letters only is a word too, and hidden all the same, helper-88)
        return bool(_LOOKS_LIKE[key].search(text) or _SURE_PHONE.search(text)
                    or _HANDLE.match(text) and _LETTER.search(text))
    return bool(_LOOKS_LIKE[key].search(text)) or (
        under in PROFILE_KEYS and bool(_HANDLE.match(text)) and text.lstrip("@").casefold() not in _NO_HANDLE
        and (exact or bool(_LETTER.search(text))))


def says_no_handle(text: str) -> bool:
    """Does TEXT, under a profile's key, say there is no handle (`none`, `n/a`, `private`)?"""
    return visible(text).strip().lstrip("@").casefold() in _NO_HANDLE


def said_as(written: str, field: str) -> tuple[str, bool]:
    """The key that WRITTEN, a key read as FIELD's, says (a synonym, or FIELD), and whether it is written
    so, case and separators aside (`Mobile`, `e-mail`; not `mobil` or `work_email`). A mistyping of FIELD
    itself (`Link`, `Phne`) counts as written so: those were read before synonyms were."""
    found = contact_synonym(written)
    if found is None or found[0] != field:
        return field, True  # FIELD itself, mistyped (`Link`, `Phne`): read as it always was
    written_so = _KEY_WORDS.sub("", _E_MAIL.sub("email", key_reading(written))) == found[1].replace("_", "")
    return found[1], written_so and found[1] not in _NUMBER_ONLY and (
        found[1] == field or found[1] in _EVERY_SYNONYM)  # not `twitter_account`


def profile_said(keys: str) -> str | None:
    """The profile's key among KEYS, a text's key and the labels above it (`Links github`), if any."""
    return next((word for word in keys.casefold().split() if word in PROFILE_KEYS), None)
