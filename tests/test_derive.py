"""The invalidation model on its own: a derived value is made again exactly when something it read changed
since it was made, however many builds ago, in this process or after a restore in another."""
from __future__ import annotations

import pickle
import random

import pytest

from netjournal.derive import Memo

FACTS: dict = {}
MADE: list = []


def total(memo_context, name):
    """A recipe: the sum of the numbers under NAME in FACTS, read through the memo."""
    MADE.append(("total", name))
    memo_context.read(("fact", name))
    return sum(FACTS[name])


def parity(memo_context, name):
    MADE.append(("parity", name))
    return memo_context.get(("total", name), total, name) % 2


def both(memo_context, first, second):
    """A recipe of recipes: the totals of FIRST and SECOND."""
    MADE.append(("both", first, second))
    return (memo_context.get(("total", first), total, first), memo_context.get(("total", second), total, second))


def page_of_both(memo, first, second):
    with memo.recording() as reads:
        value = memo.get(("both", first, second), both, first, second)
    memo.record(("page", first + second), value, reads)


def restored(memo):
    again = Memo()
    again.restore(pickle.loads(pickle.dumps(memo.saved())), {"total": total, "parity": parity, "both": both})
    return again


def start(**facts):
    FACTS.clear()
    FACTS.update(facts)
    MADE.clear()
    memo = Memo()
    memo.begin((), memo)
    return memo


def build(memo, **changes):
    FACTS.update(changes)
    MADE.clear()
    memo.begin([("fact", name) for name in changes], memo)


def test_a_value_is_made_again_only_when_what_it_read_changed():
    memo = start(a=[1], b=[2])
    assert memo.get(("total", "a"), total, "a") == 1
    build(memo, b=[5])
    assert memo.get(("total", "a"), total, "a") == 1 and MADE == []
    build(memo, a=[1, 2])
    assert memo.get(("total", "a"), total, "a") == 3 and MADE == [("total", "a")]


def test_a_value_remade_equal_leaves_what_read_it_alone():
    """The total changes (1 -> 3), so its parity is made again; the parity is equal (odd), so a page that
    read only the parity is current without being made."""
    memo = start(a=[1])
    with memo.recording() as reads:
        memo.get(("parity", "a"), parity, "a")
    memo.record(("page", "a.html"), "digest", reads)
    build(memo, a=[3])
    assert memo.is_current(("page", "a.html"))
    assert MADE == [("total", "a"), ("parity", "a")]


def test_a_value_remade_equal_is_not_a_change():
    memo = start(a=[1, 2])
    assert memo.get(("parity", "a"), parity, "a") == 1
    build(memo, a=[2, 1])
    assert memo.get(("parity", "a"), parity, "a") == 1
    assert MADE == [("total", "a")]


def test_a_value_nobody_asked_for_while_it_was_stale_is_checked_when_asked_later():
    """Made in build 1, its fact changes in build 2 where nobody asks for it (its person was deleted),
    build 3 changes something else: asked for in build 3, it is made again."""
    memo = start(a=[1], b=[0])
    assert memo.get(("total", "a"), total, "a") == 1
    build(memo, a=[7])
    build(memo, b=[1])
    assert memo.get(("total", "a"), total, "a") == 7


def test_a_restored_memo_remembers_what_is_stale():
    memo = start(a=[1], b=[0])
    assert memo.get(("total", "a"), total, "a") == 1
    build(memo, a=[7])
    saved = pickle.loads(pickle.dumps(memo.saved()))
    again = Memo()
    again.restore(saved, {"total": total, "parity": parity})
    build(again, b=[1])
    assert again.get(("total", "a"), total, "a") == 7
    build(again, b=[2])
    MADE.clear()
    assert again.get(("total", "a"), total, "a") == 7 and MADE == []


def test_a_forgotten_page_takes_the_values_only_it_read():
    memo = start(a=[1])
    with memo.recording() as reads:
        memo.get(("parity", "a"), parity, "a")
    memo.record(("page", "a.html"), "digest", reads)
    memo.forget([("page", "a.html")])
    assert memo.entries == {}


def test_a_stale_page_looks_again_only_at_what_went_dirty():
    """A page that read many totals, of which one fact changed: only that total is made again (the others
    are neither stale nor looked at), and the page is current when the total is remade equal."""
    memo = start(**{f"n{i}": [i] for i in range(50)})
    with memo.recording() as reads:
        for i in range(50):
            memo.get(("parity", f"n{i}"), parity, f"n{i}")
    memo.record(("page", "all.html"), "digest", reads)
    build(memo, n7=[9])  # 7 -> 9: still odd
    assert memo.dirty[("page", "all.html")] == {("parity", "n7")}
    assert memo.is_current(("page", "all.html"))
    assert MADE == [("total", "n7"), ("parity", "n7")]
    build(memo, n7=[8], n3=[4])
    assert not memo.is_current(("page", "all.html"))
    assert MADE == [("total", "n3"), ("parity", "n3")]  # n3 was read first, and it changed: that decides


def test_a_value_no_longer_read_by_anything_is_forgotten():
    memo = start(a=[1], b=[2])
    with memo.recording() as reads:
        memo.get(("parity", "a"), parity, "a")
    memo.record(("page", "p.html"), "digest", reads)
    with memo.recording() as reads:
        memo.get(("parity", "b"), parity, "b")
    memo.record(("page", "p.html"), "digest 2", reads)  # the page now shows b instead of a
    assert ("parity", "a") in memo.entries  # not during the build: something may read it yet
    memo.end()
    assert ("parity", "a") not in memo.entries and ("total", "a") not in memo.entries
    assert ("parity", "b") in memo.entries and ("total", "b") in memo.entries


def test_a_value_dropped_by_one_reader_and_read_by_another_in_the_same_build_is_kept():
    """Found by review: a page made but not yet recorded (workers render pages made ahead) read a value
    that another page, recorded first, stopped reading. Forgetting it then cut the later page off from what
    the value read: a later change never reached it."""
    memo = start(a=[1])
    with memo.recording() as reads:
        memo.get(("parity", "a"), parity, "a")
    memo.record(("page", "first.html"), "digest", reads)
    build(memo)
    with memo.recording() as second:  # made now, recorded later
        memo.get(("parity", "a"), parity, "a")
    memo.record(("page", "first.html"), "digest 2", ())  # no longer shows a
    memo.record(("page", "second.html"), "digest", second)
    memo.end()
    assert ("parity", "a") in memo.entries
    build(memo, a=[2])
    assert not memo.is_current(("page", "second.html"))


def test_an_eager_value_remade_equal_leaves_what_read_it_unmarked():
    """A value of an `eager` recipe (facts only) is made again in `begin`: the pages that read it are
    marked stale only when it changed."""
    from netjournal.derive import eager

    @eager
    def is_big(memo_context, name):
        MADE.append(("is big", name))
        memo_context.read(("fact", name))
        return sum(FACTS[name]) > 10

    memo = start(a=[1])
    with memo.recording() as reads:
        memo.get(("is big", "a"), is_big, "a")
    memo.record(("page", "a.html"), "digest", reads)
    build(memo, a=[2])  # still small
    assert MADE == [("is big", "a")] and ("page", "a.html") not in memo.stale
    build(memo, a=[20])
    assert ("page", "a.html") in memo.stale and not memo.is_current(("page", "a.html"))


def test_a_fact_known_only_after_begin_marks_what_read_it():
    """`also_changed`: a fact the build learns once begun (a person's findings, from the checks) makes
    what read it stale in the same build; what read another such fact stays current."""
    memo = start(a=[1], b=[2])
    for name in ("a", "b"):
        with memo.recording() as reads:
            memo.read(("findings of", name))
        memo.record(("page", name), name, reads)
    build(memo)
    memo.also_changed([("findings of", "a")])
    assert not memo.is_current(("page", "a")) and memo.is_current(("page", "b"))


def test_a_fact_changed_after_what_read_it_was_checked_is_refused():
    """Announcing a change to what this build already found current would leave it wrong: refused."""
    memo = start(a=[1])
    with memo.recording() as reads:
        memo.read(("findings of", "a"))
    memo.record(("page", "a"), "a", reads)
    build(memo)
    memo.record(("page", "a"), "a", [("findings of", "a")])  # made again in this build
    with pytest.raises(AssertionError):
        memo.also_changed([("findings of", "a")])


def test_a_value_read_through_another_is_made_again_in_another_process_only_when_what_it_read_changed():
    """Saved, a page that read a value of values is current in another process until one of the facts
    below changes, and then that value and the page are made again."""
    memo = start(a=[1], b=[2], c=[3])
    page_of_both(memo, "a", "b")
    saved = memo.saved()
    assert saved["entries"][("page", "ab")][1] == (("both", "a", "b"),)
    again = restored(memo)
    build(again, c=[4])
    assert again.is_current(("page", "ab")) and MADE == []
    build(again, b=[5])
    assert not again.is_current(("page", "ab"))
    page_of_both(again, "a", "b")
    assert MADE == [("total", "b"), ("both", "a", "b")] and again.entries[("page", "ab")].value == (1, 5)


def test_a_page_stale_through_another_value_when_saved_is_stale_when_restored():
    """The page went stale through the value it read and nobody asked for it before the memo was
    saved (its person was deleted): restored, it is still not current."""
    memo = start(a=[1], b=[2])
    page_of_both(memo, "a", "b")
    build(memo, a=[7])
    again = restored(memo)
    build(again)
    assert not again.is_current(("page", "ab"))


def test_a_process_keeps_its_values_from_build_to_build():
    memo = start(a=[1], b=[2], c=[3])
    page_of_both(memo, "a", "b")
    build(memo, c=[4])
    page_of_both(memo, "a", "b")
    assert MADE == []


def readers_of(memo):
    """What read each key, as the values' own reads say (what Memo.dependents must hold)."""
    found: dict = {}
    for key, entry in memo.entries.items():
        for dep in entry.deps:
            found.setdefault(dep, set()).add(key)
    return found


@pytest.mark.parametrize("readers", [1, 3, 12, 100, 1500])
def test_a_fact_read_by_many_values_then_by_fewer_marks_only_those_still_reading_it(readers):
    """Readers are kept in a tuple while few and in a set beyond: either way, a value that stopped reading
    a fact is not marked by its change, and a fact nothing reads any more is not kept."""
    memo = start(a=[1], b=[2])
    for n in range(readers):
        memo.record(("page", n), n, [("fact", "a"), ("fact", "b")])
    for n in range(0, readers, 2):
        memo.record(("page", n), n, [("fact", "b")])
    for n in range(0, readers, 3):  # read again as before: no reader twice
        memo.record(("page", n), n, memo.entries[("page", n)].deps)
    assert {dep: set(found) for dep, found in memo.dependents.items()} == readers_of(memo)
    assert all(len(set(found)) == len(found) for found in memo.dependents.values())
    again = restored(memo)
    assert {dep: set(found) for dep, found in again.dependents.items()} == readers_of(again)
    build(memo, a=[5])
    assert {n for n in range(readers) if not memo.is_current(("page", n))} == set(range(1, readers, 2))
    memo.forget([("page", n) for n in range(readers)])
    assert ("fact", "a") not in memo.dependents and ("fact", "b") not in memo.dependents


@pytest.mark.parametrize("readers", [1, 64, 65, 1024, 1025, 3000])
def test_a_restored_memo_knows_each_facts_readers_as_the_memo_it_was_saved_from(readers):
    """The readers of each fact, saved flat, are restored as the saved memo kept them: the same readers, in
    a tuple, a list or a set by their number (of a memo that only grew: one whose list of readers shrank to a
    few comes back as a tuple, as `_add_reader` would have made it); and a change marks them all stale."""
    memo = start(a=[1], b=[2])
    for n in range(readers):
        memo.record(("page", n), n, [("fact", "a"), ("fact", "b")] if n % 2 else [("fact", "a")])
    again = restored(memo)
    assert again.dependents.keys() == memo.dependents.keys()
    for fact, of_fact in memo.dependents.items():
        assert type(again.dependents[fact]) is type(of_fact) and set(again.dependents[fact]) == set(of_fact)
    build(again, a=[3])
    assert again.stale == {("page", n) for n in range(readers)}


def test_a_value_recorded_again_under_an_equal_key_reads_as_one_reader():
    """A page's key is a new tuple each build: recorded again with new reads, the memo keeps one tuple for
    it among the readers it saves (the reviewer's: each build's tuple was kept, and saved)."""
    memo = start(a=[1], b=[2])
    memo.record(("page", "p"), 1, [("fact", "a")])
    memo.record(tuple(["page", "p"]), 2, [("fact", "a"), ("fact", "b")])
    readers = [reader for of_fact in memo.dependents.values() for reader in of_fact]
    assert len({id(reader) for reader in readers}) == 1
    again = restored(memo)
    assert len({id(reader) for of_fact in again.dependents.values() for reader in of_fact}) == 1


RECIPES = {"total": total, "parity": parity, "both": both}


def _state(memo):
    """What a memo knows, to compare two: each value with its reads, recipe and build; each fact's readers;
    which are stale or dirty; which reads changed after the value that read them was last made or found
    current (when a fact changed matters to nothing else: `saved` keeps it only for that)."""
    entries = {key: (entry.value, entry.deps, entry.verified, entry.recipe and (entry.recipe[0].__name__,
                                                                                entry.recipe[1]))
               for key, entry in memo.entries.items()}
    readers = {fact: set(of_fact) for fact, of_fact in memo.dependents.items()}
    changed_since = {(key, dep) for key, entry in memo.entries.items() for dep in entry.deps
                     if memo.changed_in.get(dep, -1) > entry.verified}
    return entries, readers, changed_since, memo.build, memo.stale, memo.dirty


def _random_builds(rng, count):
    """COUNT builds: the facts each changes, the pages it makes (of two totals each) and those it drops."""
    names = "abcdefg"
    return [({name: [rng.randrange(4)] for name in rng.sample(names, rng.randrange(3))},
             [tuple(rng.sample(names, 2)) for _ in range(rng.randrange(4))],
             [tuple(rng.sample(names, 2)) for _ in range(rng.randrange(2))]) for _ in range(count)]


def _apply(memo, builds):
    made = []
    for changes, pages, dropped in builds:
        build(memo, **changes)
        for first, second in pages:
            page_of_both(memo, first, second)
        memo.forget([("page", first + second) for first, second in dropped])
        memo.end()
        made.append(list(MADE))
    return made


@pytest.mark.parametrize("seed", range(40))
def test_a_memo_restored_from_its_last_whole_save_and_the_changes_since_equals_it(seed):
    """What a one-shot build keeps between processes once the memo was saved whole: only what changed since
    (Memo.changes). Restored from both, the memo is the one saved, and builds after it make the same values."""
    rng = random.Random(seed)
    memo = start(**{name: [rng.randrange(4)] for name in "abcdefg"})
    _apply(memo, _random_builds(rng, rng.randrange(1, 4)))
    whole = pickle.dumps(memo.saved())
    memo.mark_saved("first")
    for _ in range(rng.randrange(1, 4)):  # a process each: the changes counted from the same whole save
        _apply(memo, _random_builds(rng, rng.randrange(1, 4)))
        changes = pickle.loads(pickle.dumps(memo.changes()))
        again = Memo()
        again.restore(pickle.loads(whole), RECIPES, "first")  # (a new process each: its own copy)
        again.restore_changes(changes, RECIPES)
        assert _state(again) == _state(memo)
        assert again.saved_as == "first" and again.changes().keys() == changes.keys()
    later = _random_builds(rng, 3)
    facts = dict(FACTS)
    made = _apply(memo, later)
    FACTS.clear()
    FACTS.update(facts)
    assert _apply(again, later) == made and _state(again) == _state(memo)


def test_changes_are_none_until_the_memo_was_saved_whole():
    memo = start(a=[1])
    memo.get(("total", "a"), total, "a")
    assert memo.changes() is None
    memo.mark_saved("x")
    assert memo.changes()["entries"] == {}
    build(memo, a=[2])
    memo.get(("total", "a"), total, "a")
    assert list(memo.changes()["entries"]) == [("total", "a")]


def choose(memo_context, name):
    """A recipe whose reads change while its value may not: fact NAME's total, then x's or y's by its parity."""
    first = memo_context.get(("total", name), total, name)
    other = "x" if first % 2 else "y"
    return min(memo_context.get(("total", other), total, other), 1)


def _chain_build(memo, seed, changes):
    """A build of random pages (of `both` and `choose`), some checked and not made, some dropped."""
    rng = random.Random(seed)
    memo.begin([("fact", name) for name in changes], memo)
    for _ in range(rng.randrange(5)):
        kind, args = ("both", rng.sample("abcdefgxy", 2)) if rng.random() < 0.5 else ("choose", [rng.choice("abcdefgxy")])
        with memo.recording() as reads:
            value = memo.get((kind, *args), {"both": both, "choose": choose}[kind], *args)
        memo.record(("page", kind, *args), value, reads)
    for key in [key for key in memo.entries if key[0] == "page"]:
        if rng.random() < 0.5:
            memo.is_current(key)  # as the engine's plan asks of each page
    memo.forget([key for key in list(memo.entries) if key[0] == "page" and rng.random() < 0.2])
    memo.end()


@pytest.mark.parametrize("seed", range(60))
def test_a_chain_of_processes_each_restoring_the_whole_memo_and_its_changes_equals_one_memo(seed):
    """The reviewer's (helper-115): each build a new process that restores the last whole save and the
    changes since, builds, and saves its changes (or the memo whole) again, as engine.Builder.save does."""
    rng = random.Random(seed)
    FACTS.clear()
    FACTS.update({name: [rng.randrange(3)] for name in "abcdefgxy"})
    recipes = {**RECIPES, "choose": choose}
    kept, chain = Memo(), Memo()
    kept.begin((), kept)
    chain.begin((), chain)
    whole = changes = None
    for step in range(rng.randrange(3, 12)):
        facts = {name: [rng.randrange(3)] for name in rng.sample("abcdefgxy", rng.randrange(3))}
        FACTS.update(facts)
        build_seed = rng.random()
        _chain_build(kept, build_seed, facts)
        _chain_build(chain, build_seed, facts)
        assert _state(chain) == _state(kept), step
        found = chain.changes()
        if found is not None and rng.random() < 0.7:
            changes = pickle.dumps((chain.saved_as, found))
        else:
            whole, changes = pickle.dumps((f"n{step}", chain.saved())), None
            chain.mark_saved(f"n{step}")
        name, saved = pickle.loads(whole)
        chain = Memo()
        chain.restore(saved, recipes, name)
        if changes is not None:
            since, found = pickle.loads(changes)
            assert since == name
            chain.restore_changes(found, recipes)
        assert _state(chain) == _state(kept), step
