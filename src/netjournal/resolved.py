"""What the model resolves records into, shared by the model and what each note contributes to it:
follow-ups with the people they concern, link targets, and the keys names are matched by."""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from .findings import Source
from .tuplestate import tuple_state


@tuple_state
@dataclass(frozen=True, slots=True)
class FollowUp:
    """Something promised in an interaction, from its `follow_ups:` or a `- [ ]` task in its body; or a
    task in a goal's body (then `goal` is its id, `interaction` is empty and it has no date)."""

    what: str
    due: dt.date | None
    done: bool
    source: Source
    interaction: str  # interaction id ("" for a goal's task)
    people: tuple[str, ...]  # the interaction's people; a goal's task: the people it names
    private: bool
    promised_on: dt.date | None  # the interaction's date (None for a goal's task)
    named: tuple[str, ...] = ()  # the people its text names ([[Raj]], a name, an alias or a first name)
    goal: str = ""  # the goal id of a goal's task

    def __hash__(self) -> int:
        # of what tells follow-ups apart, not every field: memo keys hold follow-ups (a row of the list of
        # 18,000), and a build hashes each key a few times. Equal follow-ups have equal texts and places.
        return hash((self.what, self.source.path, self.source.line, self.interaction, self.goal))

    @property
    def owed_to(self) -> tuple[str, ...]:
        """Whom the promise is for: the people its text names, else the people it was made with."""
        return self.named or self.people

    @property
    def concerns(self) -> tuple[str, ...]:
        """Everyone whose page and agenda show it: the people it was made with and those it names."""
        return tuple(dict.fromkeys((*self.people, *self.named)))


@tuple_state
@dataclass(frozen=True, slots=True)
class LinkTarget:
    kind: str  # "person", "goal" or "interaction"
    id: str


def slugify(text: str) -> str:
    """`Radia Spärck Jones` -> `radia-spärck-jones`: lower case, letters and digits kept, the rest dashes."""
    text = unicodedata.normalize("NFC", text).casefold()
    kept = "".join(c if c.isalnum() else "-" for c in text)
    return "-".join(part for part in kept.split("-") if part)


def name_key(text: str) -> str:
    """TEXT as references are matched: stripped, case folded (NFC first when not ASCII). TEXT itself when
    it is its key (an id most often): the model keeps 200,000 keys at L, 90 bytes each as copies."""
    key = text.strip().lower() if text.isascii() else unicodedata.normalize("NFC", text).strip().casefold()
    return text if key == text else key


def done_order(item: FollowUp) -> tuple:
    """Done follow-ups are listed newest last (the list of them shows the newest first): by due date, or
    the day they were promised when they had none (no note says when one was done; a goal's task without a
    due date has no day: oldest); then by note and line."""
    return (item.due or item.promised_on or dt.date.min, item.promised_on or dt.date.min, item.source.path,
            item.source.line or 0)


def follow_up_order(item: FollowUp) -> tuple:
    """Earliest due first, follow-ups without a due date last; then by note and line."""
    return item.due is None, item.due or dt.date.max, item.source.path, item.source.line or 0
