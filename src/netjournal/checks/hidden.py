"""`ambiguous-alias`: a name, alias or id of a person hidden from shared views that shared views cannot
redact cleanly. Shared views replace every stretch of visible text that reads as a hidden person's name
with "someone" (`audience.py`, `redact.py`); a name of one or two characters reads as such in many
words' company (`Al`, `Jo`, `ZQ`), and one that is also a visible person's name hides that person's
mentions too. Both are redacted all the same (privacy fails closed); this says where."""
from __future__ import annotations

import datetime as dt
import unicodedata

from ..config import OWNER, Audience, Config
from ..findings import Finding, Source
from ..model import Journal
from ..redact import reading_of_name
from ..redaction import hidden_person

#: A name shorter than this (in characters, composed) is ambiguous
SHORT_NAME = 3


def check_hidden_names(journal: Journal, config: Config, today: dt.date) -> list[Finding]:
    """Names of hidden people (private, or tagged with an audience's `exclude_tags`) that are short or that
    a visible person also has."""
    audiences = [*config.audiences, Audience(OWNER + "-default")]  # any audience keeps private people out
    hidden = [p for p in journal.people.values() if any(hidden_person(p, a) for a in audiences)]
    if not hidden:
        return []
    hidden_ids = {p.id for p in hidden}
    visible: dict[str, str] = {}  # reading -> the visible person's name
    for person in journal.people.values():
        if person.id not in hidden_ids:
            for text in (person.name, *person.aliases):
                visible.setdefault(reading_of_name(text), person.name)
    findings = []
    for person in hidden:
        seen = set()
        for what, text, key in (("name", person.name, "name"), *(("alias", a, "aliases") for a in person.aliases),
                                ("id", person.id, None)):
            reading = reading_of_name(text)
            if not reading or reading in seen:
                continue
            seen.add(reading)
            if len(unicodedata.normalize("NFC", text.strip())) < SHORT_NAME:
                why = f"is shorter than {SHORT_NAME} characters"
            elif reading in visible:
                why = f"is also a name of {visible[reading]}, who is not hidden"
            else:
                continue
            line = person.line_of(key) if key else 1
            findings.append(Finding(
                "ambiguous-alias", f"{what} {text!r} of a person hidden from shared views {why}: shared sites and "
                f"exports replace every {text!r} in the notes they show with 'someone'", Source(person.path, line),
                person.id))
    return findings
