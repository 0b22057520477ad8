"""Specific asks: an ask that is a blank check ("any advice", "help") gets the advice to ask for one thing.

An ask is vague when, read without case, punctuation and filler words ("a", "some", "your", "please"
…), it is one of `[asks] vague` or says fewer than `[asks] min_words` words. "an intro to the data
team" and "feedback on my promotion case" say what, of whom, about what: they are not.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from ..config import Config
from ..findings import Finding, Source
from ..model import Journal
from ..values import days_after

#: Words that add nothing to what is asked for
FILLER = frozenset("a an the some any your my me us our please just little bit of at all really maybe perhaps "
                   "possibly general more kind".split())
_WORD = re.compile(r"\w+")


def _content(text: str) -> tuple[str, ...]:
    return tuple(word for word in _WORD.findall(text.casefold()) if word not in FILLER)


@lru_cache(maxsize=64)
def _vague_forms(phrases: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    return frozenset(_content(phrase) for phrase in phrases)


def is_vague(ask: str, config: Config) -> bool:
    """Is ASK a blank check: one of the vague phrases, or too few words to say what is asked for?"""
    words = _content(ask)
    return words in _vague_forms(config.vague_asks) or len(words) < config.ask_min_words


def check_asks(journal: Journal, config: Config, today: dt.date, people: Iterable[str] | None = None) -> list[Finding]:
    """`vague-ask` for each vague ask within the reciprocity window up to TODAY, reported once: under the
    first of its people it concerns (of everyone's, or only PEOPLE's, by id)."""
    findings = []
    since = days_after(today, -config.reciprocity_window)
    for pid in journal.people if people is None else people:
        name = journal.people[pid].name
        for interaction in journal.interactions_with(pid):
            if not interaction.asked or not since < interaction.date <= today:
                continue
            named = journal.named_by(interaction) if interaction.aims else {}
            everyone = journal.participants[interaction.id]
            for index, ask in enumerate(interaction.asked):
                concerned = named.get(("asked", index), everyone)
                if concerned[0] != pid or not is_vague(ask, config):
                    continue
                findings.append(Finding(
                    "vague-ask", f"{name}: on {interaction.date} you asked for {ask!r}, a blank check; ask for one "
                    "specific thing they can say yes to (what, by when)",
                    Source(interaction.path, interaction.line_of("asked")), person=pid))
    return findings
