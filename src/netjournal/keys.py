"""Front-matter keys as a reader sees them, and the known key a mistyped one was meant as."""
from __future__ import annotations

import difflib

from .redact import tag_key


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
