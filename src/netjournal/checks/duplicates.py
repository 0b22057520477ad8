"""Likely duplicates: two notes that are probably one person (the same e-mail address, or names that
differ only by accents, case, punctuation, word order or a middle initial), with the merge to make."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from ..config import Config
from ..contacts import email_addresses
from ..findings import Finding, Source
from ..model import Journal
from ..occasions import name_words

CODE = "likely-duplicate"


def _parts(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """NAME's full words (sorted: order does not matter) and its initials (one-letter words, sorted)."""
    words = name_words(name)
    return tuple(sorted(w for w in words if len(w) > 1)), tuple(sorted(w for w in words if len(w) == 1))


def same_name(a: str, b: str) -> bool:
    """Do names A and B differ only by accents, case, punctuation, word order or a middle initial? A middle
    name written out in one and as its initial in the other counts as the same; two different initials do
    not."""
    (full_a, initials_a), (full_b, initials_b) = _parts(a), _parts(b)
    if not full_a or not full_b:
        return False
    if full_a == full_b:
        return not initials_a or not initials_b or initials_a == initials_b
    (big, big_initials), (small, small_initials) = sorted(((full_a, initials_a), (full_b, initials_b)),
                                                          key=lambda p: -len(p[0]))
    extra = Counter(big) - Counter(small)
    if big_initials or Counter(small) - Counter(big) or not small_initials:
        return False
    return sorted(word[0] for word in extra.elements()) == list(small_initials)


def _emails(person) -> set[str]:
    return email_addresses(person.email)  # `work: zq@example.org` is zq@example.org


def _buckets(journal: Journal, people: list[str]) -> Iterable[list[str]]:
    """Groups of people who may be one: the same e-mail, or names with the same first and last full word
    (in either order) or the same full words."""
    groups: dict[tuple, list[str]] = {}
    for pid in people:
        person = journal.people[pid]
        for email in _emails(person):
            groups.setdefault(("email", email), []).append(pid)
        full, _ = _parts(person.name)
        if full:
            words = [w for w in name_words(person.name) if len(w) > 1]
            groups.setdefault(("name", full), []).append(pid)
            groups.setdefault(("ends", tuple(sorted((words[0], words[-1])))), []).append(pid)
    return (group for group in groups.values() if len(group) > 1)


def likely_duplicates(journal: Journal) -> list[tuple[str, str, str]]:
    """(first, second, why) for each pair of people who are probably one, in the order of their notes."""
    order = list(journal.people)
    place = {pid: index for index, pid in enumerate(order)}
    found: dict[tuple[str, str], str] = {}
    for group in _buckets(journal, order):
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                pair = (a, b) if place[a] < place[b] else (b, a)
                if pair in found or a == b:
                    continue
                first, second = journal.people[pair[0]], journal.people[pair[1]]
                shared = sorted(_emails(first) & _emails(second))
                if shared:
                    found[pair] = f"the same e-mail {shared[0]}"
                elif same_name(first.name, second.name):
                    found[pair] = "names that differ only by accents, order or a middle initial"
    return [(a, b, why) for (a, b), why in sorted(found.items(), key=lambda item: (place[item[0][0]],
                                                                                   place[item[0][1]]))]


def duplicate_finding(journal: Journal, a: str, b: str, why: str) -> Finding | None:
    """`likely-duplicate` for the pair A, B (from likely_duplicates), unless either of the two ignores it. The
    one to keep is the one with more interactions (the first note on a tie); the message says how to fold
    the other into it."""
    first, second = journal.people[a], journal.people[b]
    if CODE in first.ignore or CODE in second.ignore:
        return None
    counts = {pid: journal.interaction_count(pid) for pid in (a, b)}
    keep, fold = (b, a) if counts[b] > counts[a] else (a, b)
    kept, folded = journal.people[keep], journal.people[fold]
    named = counts[fold]
    moves = (f", point the {named} interaction{'s' if named != 1 else ''} that name {fold} at {keep}" if named
             else "")
    return Finding(
        CODE, f"{folded.name} ({fold}) and {kept.name} ({keep}) look like one person ({why}): merge {fold} "
        f"into {keep}: add {folded.name!r} to {keep}'s aliases and {fold}'s details to {keep}'s note{moves}, "
        f"then delete {fold}'s note; or add `ignore: [{CODE}]` to either if they are two people",
        Source(folded.path, folded.line_of("name")), person=fold)


def check_duplicates(journal: Journal, config: Config, today: dt.date) -> list[Finding]:
    """`likely-duplicate` for each pair of people who are probably one (see duplicate_finding)."""
    return [finding for a, b, why in likely_duplicates(journal)
            if (finding := duplicate_finding(journal, a, b, why)) is not None]
