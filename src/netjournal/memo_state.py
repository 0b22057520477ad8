"""The memo kept between processes, in a one-shot build's state folder (engine.Builder): saved whole
(memo.pickle), and after a small edit only what changed since (memo-changes.pickle, beside it), with what the
build read besides the notes and the digests of the pages it wrote. At L the whole memo is 75 MB and took
1.4 s to pickle; a one-note edit makes or checks a few hundred of its 144,000 values."""
from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .derive import Key, Memo
from .store import load_state, save_state

FORMAT = 7  # 4: records have slots; 6: the memo keeps its readers of each fact, flat; 7: and its changes
WHOLE, CHANGES = "memo.pickle", "memo-changes.pickle"


@dataclass
class KeptMemo:
    memo: Memo
    inputs: dict[Key, Any]  # what the build read besides the notes
    written: dict[str, bytes]  # page path -> digest of the file written
    token: str  # the name of this save: last-build.pickle names the one saved with the site


def load_memo(folder: Path, notes: str | None, recipes: dict[str, Callable[..., Any]]) -> KeptMemo | None:
    """The memo last saved in FOLDER, if it was made from NOTES (the note store's generation): the memo saved
    whole, and the changes since when they count from it (else a save of them or of it was stopped midway)."""
    whole = load_state(folder / WHOLE)
    if not isinstance(whole, dict) or whole.get("format") != FORMAT:
        return None
    changes = load_state(folder / CHANGES)
    if not isinstance(changes, dict) or changes.get("format") != FORMAT or changes.get("since") != whole.get("name"):
        changes = None
    last = changes if changes is not None and changes.get("notes") == notes else whole
    if last.get("notes") != notes:
        return None
    try:
        memo = Memo()
        memo.restore(whole["memo"], recipes, whole["name"])
        if last is changes:
            memo.restore_changes(changes["memo"], recipes)
        return KeptMemo(memo, dict(last["inputs"]), dict(last["written"]), last["token"])
    except (KeyError, TypeError, ValueError):
        return None


def save_memo(folder: Path, notes: str, memo: Memo, inputs: dict[Key, Any], written: dict[str, bytes]) -> str | None:
    """Save MEMO, made from NOTES, with INPUTS and WRITTEN (as KeptMemo's), in FOLDER: what changed since it was
    saved whole, beside it, or, once that is an eighth of it, the memo whole again (under a new name). The
    token of this save (None: it failed)."""
    token = os.urandom(12).hex()
    state = {"format": FORMAT, "notes": notes, "inputs": inputs, "written": written, "token": token}
    changes = memo.changes()
    if changes is not None and sum(len(changes[part]) for part in ("entries", "rechecked", "gone")) \
            <= len(memo.entries) // 8:
        return token if save_state(folder / CHANGES, {**state, "since": memo.saved_as, "memo": changes}) else None
    name = os.urandom(12).hex()
    if not save_state(folder / WHOLE, {**state, "name": name, "memo": memo.saved()}):
        return None
    memo.mark_saved(name)
    with suppress(OSError):  # left, it names another memo: load_memo passes it by
        (folder / CHANGES).unlink(missing_ok=True)
    return token
