"""The note store on disk (store.py): what a build saves is what the next one trusts, and nothing else.

Worker processes are stood in for by a function that runs the work here: the store's own protocol (which
shards a worker saved, what the index says) is what these tests look at.
"""
from __future__ import annotations

import os
import time

import pytest

from netjournal import load, store
from netjournal.store import NoteStore, shard_of


def here(work, items, weight, on_done):
    """pool.parallel_map's stand-in: each item's work, in this process."""
    return [work(*item) for item in items]


@pytest.fixture
def notes(tmp_path, monkeypatch):
    """Six person notes, old enough to be trusted by their stat; read by "workers" from one note on."""
    monkeypatch.setattr(load, "PARALLEL_FROM", 1)
    listed = {}
    past = time.time() - 100
    for i in range(6):
        rel = f"people/p{i}.md"
        path = tmp_path / "journal" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\nname: P{i} Person\n---\n", encoding="utf-8")
        os.utime(path, (past, past))
        listed[rel] = ("people", rel, str(path))
    return listed


def test_a_shard_a_worker_could_not_save_is_saved_by_the_build(notes, tmp_path, monkeypatch):
    """Found by review (helper-56): a worker's failed write of its shard (a full disk) was counted as saved;
    a file of that shard from a store of another key (an older netjournal, another config) then passed
    for this key's, and its notes were trusted without being read."""
    folder = tmp_path / "notes"
    old = NoteStore.open(folder, "older key")
    old.refresh(notes, parallel=here)
    old.save()
    victim = shard_of("people/p0.md")
    atomic_write = store.atomic_write

    def full_disk_for_the_victim(path, data, *args, **kwargs):
        if path.name == f"{victim:02d}.pickle" and failing:
            raise OSError(28, "No space left on device")
        return atomic_write(path, data, *args, **kwargs)

    monkeypatch.setattr(store, "atomic_write", full_disk_for_the_victim)
    failing = True
    cold = NoteStore.open(folder, "key")
    assert not cold.entries
    cold.refresh(notes, parallel=here)
    assert victim in cold.unsaved
    failing = False
    cold.save()
    again = NoteStore.open(folder, "key")
    assert again.entries["people/p0.md"].read_at == cold.entries["people/p0.md"].read_at


def test_a_store_whose_every_shard_workers_saved_writes_its_index(notes, tmp_path):
    """Found by review (helper-56): a store saved empty (a journal without notes yet) that then took every
    note at once (an import, a checkout) had its index blanked for the workers' writes, and `save` found
    nothing left to write: the next process found an empty store."""
    folder = tmp_path / "notes"
    saved = NoteStore.open(folder, "key")
    saved.refresh({}, parallel=here)
    saved.save()
    saved.refresh(notes, parallel=here)
    saved.save()
    assert len(NoteStore.open(folder, "key").entries) == len(notes)
