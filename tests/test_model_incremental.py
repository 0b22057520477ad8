"""The model kept up to date note by note: after any sequence of edits it equals the model built from the
notes as they are, and every fact that changed is reported (what the build engine invalidates by)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from netjournal.facts import Collection
from netjournal.load import load_note
from netjournal.model import Journal, build_journal

from journals import IDS, LINKS, NAMES, journals, kind_of


def records(files: dict[str, str]) -> dict:
    found = {}
    for rel, text in files.items():
        record = load_note(kind_of(rel), rel, text.encode("utf-8")).record
        if record is not None:
            found[rel] = record
    return found


def facts(journal: Journal) -> dict:
    """Everything the model says, through the accessors the rest of netjournal reads."""
    people = list(journal.people)
    return {
        "people": [(pid, journal.people[pid].path, journal.name(pid)) for pid in people],
        "goals": [(gid, journal.goals[gid].path, journal.stakeholders[gid]) for gid in journal.goals],
        "interactions": [(i.id, i.date, journal.participants[i.id], journal.named_by(i)) for i in journal.interactions],
        "months": [(month, journal.interactions_in(*month)) for month in journal.months()],
        "per person": [(pid, [i.id for i in journal.interactions_with(pid)], journal.introducer.get(pid),
                        journal.introduced_by(pid), journal.goals_of(pid),
                        [f.what for f in journal.open_follow_ups(pid)], journal.mentioning(pid)) for pid in people],
        "follow-ups": [(f.what, f.due, f.interaction, f.people, f.source) for f in journal.follow_ups],
        "open": [(f.what, f.source) for f in journal.open_follow_ups()],
        "links": sorted((path, sorted(targets.items())) for path, targets in journal.links.items()),
        "comments": [(comment.path, target) for comment, target in journal.comments],
        "tags": [(tag, journal.people_tagged(tag)) for tag in journal.tags()],
        "findings": sorted((f.code, f.message, str(f.source)) for f in journal.findings()),
        "names": [(text, journal.resolve_person(text), journal.resolve_target(text)) for text in IDS + NAMES + LINKS],
    }


def apply_states(states: list[dict[str, str]]) -> Journal:
    journal = Journal()
    current: dict = {}
    for files in states:
        target = records(files)
        journal.apply([(current.get(p), target.get(p)) for p in current.keys() | target.keys()
                       if current.get(p) != target.get(p)])
        current = target
    return journal


# 100 examples a run of each of these two (each run new ones): 150 took 3.2 and 3.9 s of a test process
@settings(max_examples=100, deadline=None)
@given(st.lists(journals, min_size=1, max_size=4))
def test_edits_leave_the_model_a_fresh_build_would_make(states):
    assert facts(apply_states(states)) == facts(build_journal(records(states[-1]).values())[0])


@settings(max_examples=100, deadline=None)
@given(journals, journals, st.data())
def test_whatever_read_a_fact_that_changed_read_a_key_reported_changed(before, after, data):
    """The contract the build engine relies on: a reader whose result differs after apply() read at least
    one key that apply() returned."""
    journal = apply_states([before])
    # keep some notes as they were, so the change is partial
    kept = data.draw(st.sets(st.sampled_from(sorted(before)))) if before else set()
    after = {**after, **{rel: before[rel] for rel in kept}}
    readers = [lambda j, name=name: facts(j)[name] for name in facts(journal)]
    seen = []
    for read in readers:
        keys: set = set()
        journal.reads = keys.add
        seen.append((read(journal), keys))
        journal.reads = None
    old, new = records(before), records(after)
    changed = journal.apply([(old.get(p), new.get(p)) for p in old.keys() | new.keys() if old.get(p) != new.get(p)])
    for read, (value, keys) in zip(readers, seen, strict=True):
        if read(journal) != value:
            assert changed is None or keys & changed  # None: the journal was empty, all is new


def test_a_cold_build_reports_no_keys():
    journal = Journal()
    assert journal.apply([(None, r) for r in records({"people/ada.md": "---\nname: Ada\n---\n"}).values()]) is None


def test_renaming_a_person_resolves_the_notes_that_named_them_again():
    before = {"people/ada.md": "---\nname: Ada\n---\n",
              "interactions/2026/a.md": "---\ndate: 2026-01-01\nwith: [Countess]\n---\n"}
    journal = apply_states([before])
    assert journal.interactions == []
    changed = apply_states_and_changes(journal, before, {**before, "people/ada.md": "---\nname: Ada\naliases: [Countess]\n---\n"})
    assert journal.participants["2026/a"] == ("ada",)
    assert {("history", "ada"), ("interaction", "2026/a"), ("resolution",)} <= changed


def apply_states_and_changes(journal: Journal, before: dict, after: dict) -> set:
    old, new = records(before), records(after)
    changed = journal.apply([(old.get(p), new.get(p)) for p in old.keys() | new.keys() if old.get(p) != new.get(p)])
    assert changed is not None
    return changed


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 30), st.booleans())))
def test_a_collection_is_sorted_whenever_read_and_never_changes_a_list_it_handed_out(edits):
    """A collection is sorted once and kept sorted through edits; a list read earlier (a memo value may
    hold it) stays as it was read."""
    collection, members, handed_out = Collection(), set(), []
    for add, member, read in edits:
        (collection.add if add else collection.discard)(member)
        (members.add if add else members.discard)(member)
        if read:
            found = collection.sorted()
            assert found == sorted(members)
            handed_out.append((found, list(found)))
    assert collection.sorted() == sorted(members)
    assert all(found == as_read for found, as_read in handed_out)
