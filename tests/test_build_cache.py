"""`netjournal build` with its note cache on disk: whatever happened between builds (an edit, a rename, a
config change, an upgrade, a damaged or planted cache file, two builds at once), the site equals a build
from scratch."""
import multiprocessing
import os
import pickle
import shutil
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, REPO
from test_incremental import EDITS, tree
from test_incremental import journal  # noqa: F401  (the fixture)

import netjournal.cache
from netjournal import load
from netjournal.config import CACHE_FOLDER
from netjournal.cli import main
from netjournal.site import build as site_build
from netjournal.site import views

DAY = "2026-11-22"


def build(root, out, *extra):
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(out), "--today", DAY, *extra],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def scratch(root, tmp_path):
    """A build with no cache at all, in a folder of its own."""
    out = tmp_path / "scratch" / "site"
    if out.parent.exists():
        shutil.rmtree(out.parent)
    build(root, out)
    return tree(out)


def age(root, seconds=10):
    """Date every note back, as if written a while ago (a note saved this very second is re-read anyway)."""
    for path in root.rglob("*"):
        if path.is_file():
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 10**9))


@pytest.fixture(params=["serial", "workers"])
def mode(request, monkeypatch):
    if request.param == "workers":  # the paths a large journal takes: loading and rendering in processes
        monkeypatch.setattr(load, "PARALLEL_FROM", 1)
        monkeypatch.setattr(site_build, "PARALLEL_PAGES_FROM", 1)
    return request.param


@pytest.mark.parametrize("large_year", [400, 1], ids=["year pages", "month pages"])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_after_an_edit_a_cached_build_equals_a_fresh_one(journal, tmp_path, edit, mode, large_year,  # noqa: F811
                                                         monkeypatch):
    monkeypatch.setattr(views, "LARGE_YEAR", large_year)
    out = tmp_path / "out" / "site"
    age(journal)
    build(journal, out)
    assert (tmp_path / "out" / CACHE_FOLDER).is_dir()
    EDITS[edit](journal)
    result = build(journal, out)
    assert "up to date" not in result.output
    assert tree(out) == scratch(journal, tmp_path)


def _inodes(out):
    return {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}


def test_an_edit_renders_only_the_pages_it_can_change(journal, tmp_path):  # noqa: F811
    """The pages of people, periods, goals and tags the edit cannot reach are kept from the previous site
    (the same files, hard-linked), the rest rendered; the site equals a build from scratch."""
    out = tmp_path / "out" / "site"
    age(journal)
    build(journal, out)
    before = _inodes(out)
    calendar = (out / "follow-ups.ics").stat().st_ino
    EDITS["body edit"](journal)  # interactions/2026/b.md, with Ada only
    result = build(journal, out)
    assert "(kept " in result.output
    after = _inodes(out)
    assert (out / "follow-ups.ics").stat().st_ino == calendar  # no follow-up, date or name changed
    kept = {path for path in before if after.get(path) == before[path]}
    assert {"people/bob.html", "people/cy.html", "interactions/2025.html"} <= kept
    assert not kept & {"people/ada.html", "interactions/2026.html"}
    # a summary page is kept when what it shows is the same (its context's digest): a body edit changes none
    assert {"index.html", "people/index.html", "follow-ups.html"} <= kept
    assert tree(out) == scratch(journal, tmp_path)
    EDITS["participants change"](journal)  # Bob's last contact moves: the people index changes
    build(journal, out)
    assert _inodes(out)["people/index.html"] != after["people/index.html"]
    assert (out / "follow-ups.ics").stat().st_ino != calendar  # and so does his next reach-out date
    assert tree(out) == scratch(journal, tmp_path)


@pytest.mark.parametrize("edit, shown_on", [
    ("body text edit", {"people/ada.html", "interactions/2026.html"}),
    ("person text edit", {"people/ada.html"}),
    ("goal text edit", {"goals/g.html"}),
])
def test_a_text_edit_keeps_every_summary_page_unmade(journal, tmp_path, edit, shown_on, mode,  # noqa: F811
                                                     monkeypatch):
    """A note's text alone changed: the summary pages are kept without being made (no summary page shows a
    body), only the pages showing the text are rendered, and the next build still knows the kept pages'
    digests."""
    out = tmp_path / "out" / "site"
    age(journal)
    build(journal, out)
    before = _inodes(out)
    EDITS[edit](journal)
    with monkeypatch.context() as patched:  # making a summary page fails the test
        patched.setattr(views, "_MAKERS", {})
        result = build(journal, out)
    assert f"built {len(shown_on)} pages (kept " in result.output
    after = _inodes(out)
    assert {path for path in before if after[path] != before[path]} == shown_on
    assert tree(out) == scratch(journal, tmp_path)
    EDITS["tag change"](journal)  # the tags index changes; every other summary page is kept by its digest
    build(journal, out)
    final = _inodes(out)
    assert final["tags/index.html"] != after["tags/index.html"]
    assert final["goals/index.html"] == after["goals/index.html"]
    assert tree(out) == scratch(journal, tmp_path)


def test_pages_are_kept_only_from_the_build_the_cache_remembers(journal, tmp_path):  # noqa: F811
    """Another output building from the same cache in between, or a page of the site changed by hand: the
    next build renders everything."""
    out, other = tmp_path / "out" / "site", tmp_path / "out" / "other"
    age(journal)
    build(journal, out)
    EDITS["body edit"](journal)
    build(journal, other)  # saves the cache: it no longer describes what OUT was built from
    EDITS["participants change"](journal)
    assert "(kept " not in build(journal, out).output
    assert tree(out) == scratch(journal, tmp_path)
    (out / "people" / "bob.html").write_text("changed by hand", encoding="utf-8")
    EDITS["year change"](journal)
    assert "(kept " not in build(journal, out).output
    assert tree(out) == scratch(journal, tmp_path)


def test_a_page_that_cannot_be_kept_means_rendering_all(journal, tmp_path, monkeypatch):  # noqa: F811
    out = tmp_path / "out" / "site"
    age(journal)
    build(journal, out)
    EDITS["body edit"](journal)
    real = site_build.expected_paths
    monkeypatch.setattr(site_build, "expected_paths", lambda analysis: real(analysis) | {"people/gone.html"})
    monkeypatch.setattr(os, "link", lambda *args: (_ for _ in ()).throw(OSError(18, "cross-device")))
    result = build(journal, out)  # no hard links (copies instead), and one page is missing: render all
    assert "(kept " not in result.output
    assert tree(out) == scratch(journal, tmp_path)


def test_a_shared_site_keeps_pages_too(tmp_path):
    root = tmp_path / "journal"
    shutil.copytree(EXAMPLE, root)
    age(root)
    out = tmp_path / "out" / "mentor"
    build(root, out, "--audience", "mentor")
    for note in sorted((root / "interactions").rglob("*.md"))[:2]:  # one may be private
        note.write_text(note.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    assert "(kept " in build(root, out, "--audience", "mentor").output
    expected = tmp_path / "scratch" / "mentor"
    build(root, expected, "--audience", "mentor")
    assert tree(out) == tree(expected)


def test_the_example_journal_through_the_cache(tmp_path, mode):
    root = tmp_path / "journal"
    shutil.copytree(EXAMPLE, root)
    out = tmp_path / "out" / "site"
    build(root, out)
    first = tree(out)
    note = root / "interactions" / sorted(os.listdir(root / "interactions"))[0]
    target = next(p for p in sorted(note.rglob("*.md")) if p.is_file()) if note.is_dir() else note
    target.write_text(target.read_text(encoding="utf-8") + "\nOne more line about [[Priya Natarajan]].\n",
                      encoding="utf-8")
    build(root, out)
    assert tree(out) != first
    assert tree(out) == scratch(root, tmp_path)


def test_nothing_changed_writes_nothing(journal, tmp_path):  # noqa: F811
    out = tmp_path / "out" / "site"
    age(journal)
    build(journal, out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    result = build(journal, out)
    assert "site is up to date" in result.output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    # another day, another audience of the output, a deleted page: each is a real build again
    assert "up to date" not in CliRunner().invoke(main, ["build", str(journal), "-o", str(out),
                                                         "--today", "2026-11-23"]).output
    build(journal, out)  # back to DAY: rebuilt, since the last build was for another day
    assert "up to date" in build(journal, out).output
    (out / "follow-ups.html").unlink()
    assert "up to date" not in build(journal, out).output
    assert (out / "follow-ups.html").is_file()
    # a build with no last build to compare with stats the notes only as it reads (or trusts) them: the
    # fingerprint it records from those stats must be the one the next build makes
    assert "up to date" in build(journal, out).output
    shutil.rmtree(out.parent)
    build(journal, out)
    assert "up to date" in build(journal, out).output


def test_a_note_saved_twice_within_a_second_is_seen(journal, tmp_path):  # noqa: F811
    """Same size, same mtime, different bytes: the cache read it moments after it was written, so it checks
    the content again (git's racy-timestamp rule) instead of trusting size and time."""
    out = tmp_path / "out" / "site"
    note = journal / "people" / "bob.md"
    note.write_text(note.read_text(encoding="utf-8").replace("Bob", "Bab"), encoding="utf-8")
    stat = note.stat()
    build(journal, out)
    note.write_text(note.read_text(encoding="utf-8").replace("Bab", "Bob"), encoding="utf-8")
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert note.stat().st_size == stat.st_size and note.stat().st_mtime_ns == stat.st_mtime_ns
    build(journal, out)
    assert tree(out) == scratch(journal, tmp_path)


def _bob_shard(out):
    """The cache file (a shard) that holds people/bob.md of the journal built into OUT."""
    (folder,) = (out.parent / CACHE_FOLDER).glob("notes-*")
    return folder / f"{netjournal.cache.shard_of('people/bob.md'):02d}.pickle"


def _tamper(cache_file, change):
    """Rewrite a cache shard with CHANGE applied to its entries, keeping its header (its generation)."""
    with open(cache_file, "rb") as handle:
        header = pickle.load(handle)
        entries = pickle.load(handle)
    change(entries)
    with open(cache_file, "wb") as handle:
        pickle.dump(header, handle)
        pickle.dump(entries, handle)


def _rename_bob_in_cache(entries):
    import dataclasses

    entry = entries["people/bob.md"]
    entry.outcome.record = dataclasses.replace(entry.outcome.record, name="Cached Bob")


def test_the_cache_is_used_and_an_upgrade_invalidates_it(journal, tmp_path, monkeypatch):  # noqa: F811
    out = tmp_path / "out" / "site"
    age(journal)
    build(journal, out)
    cache_file = _bob_shard(out)
    _tamper(cache_file, _rename_bob_in_cache)
    (out / "index.html").unlink()  # force a build; the notes themselves are unchanged
    build(journal, out)
    assert "Cached Bob" in (out / "people" / "bob.html").read_text(encoding="utf-8")  # the cache was trusted
    _tamper(cache_file, _rename_bob_in_cache)
    monkeypatch.setattr(netjournal, "__version__", "99.0")  # a netjournal upgrade (code_stamp changes)
    build(journal, out)
    assert tree(out) == scratch(journal, tmp_path)


def test_a_config_change_invalidates_the_cache(journal, tmp_path):  # noqa: F811
    out = tmp_path / "out" / "site"
    age(journal)
    build(journal, out)
    cache_file = _bob_shard(out)
    _tamper(cache_file, _rename_bob_in_cache)
    (journal / "netjournal.toml").write_text('title = "Renamed"\n', encoding="utf-8")
    build(journal, out)
    assert tree(out) == scratch(journal, tmp_path)


class Planted:
    def __reduce__(self):
        return (os.system, ("touch PLANTED",))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "planted code", "wrong shape", "garbage index",
                                    "planted index"])
def test_a_damaged_or_foreign_cache_is_discarded_with_a_warning(journal, tmp_path, damage, monkeypatch):  # noqa: F811
    out = tmp_path / "out" / "site"
    build(journal, out)
    cache_file = _bob_shard(out)
    with open(cache_file, "rb") as handle:
        header = pickle.load(handle)
    data = cache_file.read_bytes()
    index = cache_file.parent / "index.pickle"
    if damage == "garbage":
        cache_file.write_bytes(b"\x80\x05not a pickle at all" * 10)
    elif damage == "truncated":
        cache_file.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        cache_file.write_bytes(b"")
    elif damage == "planted code":
        cache_file.write_bytes(pickle.dumps(header) + pickle.dumps({"people/bob.md": Planted()}))
    elif damage == "wrong shape":
        cache_file.write_bytes(pickle.dumps(header) + pickle.dumps(["not", "entries"]))
    elif damage == "garbage index":
        index.write_bytes(b"\x80\x05not a pickle at all")
    else:
        index.write_bytes(pickle.dumps(Planted()))
    (out / "index.html").unlink()
    monkeypatch.chdir(tmp_path)
    result = build(journal, out)
    assert "warning: ignoring the cache" in result.stderr
    assert not (tmp_path / "PLANTED").exists()
    assert tree(out) == scratch(journal, tmp_path)
    assert "warning" not in build(journal, out).stderr  # the rebuilt cache is sound


def test_a_shard_saved_by_another_build_is_dropped_quietly(journal, tmp_path):  # noqa: F811
    """Two builds racing can leave an index naming a shard generation that the other build overwrote: that
    shard's notes are read again, without a warning, and no page is kept from the previous site."""
    out = tmp_path / "out" / "site"
    age(journal)
    build(journal, out)
    cache_file = _bob_shard(out)
    _tamper(cache_file, _rename_bob_in_cache)
    with open(cache_file, "rb") as handle:
        pickle.load(handle)
        entries = pickle.load(handle)
    with open(cache_file, "wb") as handle:
        pickle.dump({"generation": "another build"}, handle)
        pickle.dump(entries, handle)
    EDITS["body edit"](journal)
    result = build(journal, out)
    assert "warning" not in result.stderr and "(kept " not in result.output
    assert tree(out) == scratch(journal, tmp_path)  # no "Cached Bob": the shard was not trusted


def test_saving_after_an_edit_rewrites_one_shard(journal, tmp_path):  # noqa: F811
    out = tmp_path / "out" / "site"
    age(journal)
    build(journal, out)
    folder = _bob_shard(out).parent
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    EDITS["body edit"](journal)
    build(journal, out)
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    shard = f"{netjournal.cache.shard_of('interactions/2026/b.md'):02d}.pickle"
    assert {name for name in after if after[name] != before.get(name)} == {shard, "index.pickle"}


def test_two_builds_racing_for_one_cache(tmp_path):
    """Two processes building at once into two sites that share a cache folder: both sites are right and
    the cache left behind is whole."""
    root = tmp_path / "journal"
    shutil.copytree(EXAMPLE, root)
    outs = [tmp_path / "out" / "a", tmp_path / "out" / "b"]
    command = [sys.executable, "-m", "netjournal.cli", "build", str(root), "--today", DAY, "-o"]
    for round_ in range(3):
        note = root / "people" / "amara-okafor.md"
        note.write_text(note.read_text(encoding="utf-8") + f"\nRound {round_}.\n", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        racers = [subprocess.Popen([*command, str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
                  for out in outs]
        for racer in racers:
            _, err = racer.communicate(timeout=120)
            assert racer.returncode == 0, err
            assert b"warning" not in err
        expected = scratch(root, tmp_path)
        for out in outs:
            assert tree(out) == expected
    assert "warning" not in build(root, outs[0]).stderr


def test_cache_folder_ignores_itself_in_git(journal, tmp_path):  # noqa: F811
    out = tmp_path / "out" / "site"
    build(journal, out)
    assert (tmp_path / "out" / CACHE_FOLDER / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


@pytest.mark.parametrize("large_year", [400, 1], ids=["year pages", "month pages"])
def test_expected_paths_are_exactly_what_a_build_writes(tmp_path, large_year, monkeypatch):
    """Kept pages are chosen from expected_paths: it must name every file a build writes, and no other."""
    import datetime as dt

    from netjournal.analyze import analyze

    monkeypatch.setattr(views, "LARGE_YEAR", large_year)
    out = tmp_path / "out" / "site"
    build(EXAMPLE, out)
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written == site_build.expected_paths(analyze(EXAMPLE, dt.date.fromisoformat(DAY)))


@pytest.mark.parametrize("override", [None, "year.html"])
def test_pages_rendered_by_workers_equal_pages_rendered_here(tmp_path, monkeypatch, override):
    """The helpers and this process share the pages out: the site is byte for byte the serial one. Also
    when the interactions pages (rendered first, to make each interaction's HTML for the person pages)
    are overridden by a template that shows none of it."""
    journal = tmp_path / "j"
    shutil.copytree(EXAMPLE, journal)
    if override:
        (journal / "templates").mkdir()
        (journal / "templates" / override).write_text(
            "{% extends 'base.html' %}{% block main %}plain{% endblock %}", encoding="utf-8")
    build(journal, tmp_path / "serial" / "site")
    monkeypatch.setattr(site_build, "PARALLEL_PAGES_FROM", 1)
    build(journal, tmp_path / "workers" / "site")
    assert tree(tmp_path / "workers" / "site") == tree(tmp_path / "serial" / "site")
    if override:
        assert b"plain" in (tmp_path / "workers" / "site" / "interactions" / "2026.html").read_bytes()


def test_a_journals_own_person_page_gets_whole_timeline_rows_from_workers(tmp_path, monkeypatch):
    """Helpers are sent a person's timeline as anchors alone once each interaction's HTML is made, which is
    all netjournal's person.html reads of it; a journal's own person.html may read anything of a row."""
    own = tmp_path / "j"
    shutil.copytree(EXAMPLE, own)
    (own / "templates").mkdir()
    (own / "templates" / "person.html").write_text(
        "{% extends 'base.html' %}{% block main %}{% for i in page.timeline %}<p>{{ i.date }} {{ i.title }}</p>"
        "{{ interaction_html(i) }}{% endfor %}{% endblock %}", encoding="utf-8")
    build(own, tmp_path / "serial" / "site")
    monkeypatch.setattr(site_build, "PARALLEL_PAGES_FROM", 1)
    build(own, tmp_path / "workers" / "site")
    assert tree(tmp_path / "workers" / "site") == tree(tmp_path / "serial" / "site")
    assert b"<p>2026-" in (tmp_path / "workers" / "site" / "people" / "nadia-haddad.html").read_bytes()


def test_workers_are_sent_a_timeline_as_anchors_once_its_html_is_made(tmp_path, monkeypatch):
    import datetime as dt

    from netjournal.analyze import analyze

    made = []
    real = views._interaction_row
    def row(interaction, *args, with_body=False):
        if with_body:  # a full row, which shows its body; the summary pages' rows do not
            made.append(interaction.id)
        return real(interaction, *args, with_body=with_body)

    monkeypatch.setattr(views, "_interaction_row", row)
    monkeypatch.setattr(site_build, "PARALLEL_PAGES_FROM", 1)
    build(EXAMPLE, tmp_path / "site")
    interactions = {i.id for i in analyze(EXAMPLE, dt.date.fromisoformat(DAY)).journal.interactions}
    # each interaction's full row is made once, for its interactions page, not again for each participant's
    assert sorted(made) == sorted(interactions)


@pytest.mark.parametrize("broken", ["{% if %}\n", "{{ page.no_such_thing }}\n"], ids=["syntax", "undefined"])
def test_a_broken_template_override_fails_cleanly(journal, tmp_path, mode, broken):  # noqa: F811
    """Whichever process renders the page, the error names the template and the last good site stays."""
    out = tmp_path / "out" / "site"
    build(journal, out)
    before = tree(out)
    (journal / "templates").mkdir()
    (journal / "templates" / "person.html").write_text(broken, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(journal), "-o", str(out), "--today", DAY])
    assert result.exit_code == 1
    assert "build failed, the previous site is unchanged" in result.output
    assert "person.html:1" in result.output
    assert "Traceback" not in result.output
    assert tree(out) == before


def _in_a_helper() -> bool:
    return multiprocessing.parent_process() is not None


def _square_with_pid(n):
    return n * n, os.getpid()


def _square_here_only(n):
    if _in_a_helper():
        raise ValueError(f"{n} failed in a helper")
    return n * n


def _die_in_a_helper(n):
    if _in_a_helper():
        os._exit(3)
    time.sleep(0.05)


def test_sharing_out_work_reports_a_helpers_failure_here(tmp_path):
    """Work is prepared here and done here or in a helper; a helper's exception is raised here; a helper
    that dies is noticed, not waited for; otherwise every item is done exactly once, wherever, and
    waiting for some tasks returns once those are done."""
    assert not _in_a_helper()
    parent = os.getpid()
    output = site_build._Output(tmp_path, {}, tmp_path)
    items = list(range(40))
    done = {}
    where = set()

    def prepare(item):
        assert os.getpid() == parent  # only ever here: helpers never read the model
        return item + 1

    def keep(number, result):
        done[number] = result[0]
        where.add(result[1])

    with site_build._Helpers(output, 2, keep) as helpers:
        first = helpers.hand_out(items, prepare, _square_with_pid)
        helpers.wait_for(first)
        assert {number: done[number] for number in first} == {i: (i + 1) * (i + 1) for i in items}
        second = helpers.hand_out(items, prepare, _square_with_pid)  # the same helpers take part again
        assert list(second) == [i + len(items) for i in items]
        helpers.wait_for()
        assert done == {n: (n % len(items) + 1) ** 2 for n in range(2 * len(items))}
    assert parent in where and len(where) > 1  # this process and a helper both worked
    assert len(where) <= 3
    with pytest.raises(ValueError, match="failed in a helper"):
        with site_build._Helpers(output, 1, lambda *_: time.sleep(0.02)) as helpers:
            helpers.hand_out(items, prepare, _square_here_only)
            helpers.wait_for()
    with pytest.raises(RuntimeError, match="died"):
        with site_build._Helpers(output, 1, lambda *_: None) as helpers:
            helpers.hand_out(items, prepare, _die_in_a_helper)
            helpers.wait_for()


def test_pages_are_shared_out_in_chunks_of_similar_weight(tmp_path):
    """Every page once, in plan order; a page heavier than a chunk's share (a busy month) goes alone, so
    no one task holds much memory."""
    journal = tmp_path / "j"
    shutil.copytree(EXAMPLE, journal)
    from netjournal.analyze import analyze
    from netjournal.site.views import page_plan, page_weight, site_data

    import datetime as dt

    data = site_data(analyze(journal, dt.date.fromisoformat(DAY)))
    plan = page_plan(data)
    chunks = site_build._chunks_by_weight(data, plan, 8)
    assert [spec for chunk in chunks for spec in chunk] == plan
    limit = sum(page_weight(data, spec) for spec in plan) // 8
    for chunk in chunks:
        assert len(chunk) == 1 or sum(page_weight(data, spec) for spec in chunk) <= limit
    assert len(chunks) > 1
    assert site_build._chunks_by_weight(data, [], 8) == []  # no page, no task


UNGUARDED_SCRIPT = """
import datetime as dt, sys
from pathlib import Path
import netjournal.site.build as site_build
with open(sys.argv[3], "a") as log:
    log.write("ran\\n")
site_build.PARALLEL_PAGES_FROM = 1
site_build.build_site(Path(sys.argv[1]), dt.date(2026, 11, 22), Path(sys.argv[2]))
"""


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_helpers_never_run_the_callers_script_again(tmp_path, how):
    """A script without an `if __name__ == "__main__"` guard calls build_site: the render helpers run
    netjournal's code only, not the script again (multiprocessing would, by default), and a script read
    from stdin works too."""
    journal = tmp_path / "j"
    shutil.copytree(EXAMPLE, journal)
    script = tmp_path / "make_site.py"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    log = tmp_path / "log"
    args = [str(journal), str(tmp_path / "site"), str(log)]
    command = [sys.executable, str(script), *args] if how == "file" else [sys.executable, "-", *args]
    subprocess.run(command, input=UNGUARDED_SCRIPT if how == "stdin" else None, text=True, check=True,
                   cwd=tmp_path, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert log.read_text() == "ran\n"
    assert (tmp_path / "site" / "people" / "priya-natarajan.html").is_file()


def test_a_cold_build_with_workers_saves_each_shard_as_it_loads_it(tmp_path, monkeypatch):
    """Cold, each worker saves the shard of notes it loaded: this process writes only the index and the
    shards that no note falls in, and what it saved is the whole cache, a broken note's findings included."""
    monkeypatch.setattr(load, "PARALLEL_FROM", 1)
    root = tmp_path / "j"
    shutil.copytree(EXAMPLE, root)
    (root / "interactions" / "2026" / "garbled.md").write_bytes(b"---\ndate: 2026-01-02\n\xff\xfe\n---\n")
    age(root)
    written = []
    real_write = netjournal.cache._write
    monkeypatch.setattr(netjournal.cache, "_write", lambda path, *values: written.append(path.name)
                        or real_write(path, *values))
    out = tmp_path / "out" / "site"
    result = CliRunner().invoke(main, ["build", str(root), "-o", str(out), "--today", DAY])
    errors = result.output.split(" note(s) have errors")[0]  # how many
    notes = [rel for _, rel, _ in load.find_note_files(root).notes]
    loaded_shards = {f"{netjournal.cache.shard_of(rel):02d}.pickle" for rel in notes}
    assert "index.pickle" in written
    assert not loaded_shards & set(written)
    reopened = site_build.open_note_cache(root, out).notes
    assert reopened.generation is not None  # every shard is the one the index names
    assert len(reopened) == len(notes)
    again = CliRunner().invoke(main, ["build", str(root), "-o", str(out), "--today", DAY])
    assert "up to date" in again.output and f"{errors} note(s) have errors" in again.output
    assert tree(out) == scratch(root, tmp_path)


@pytest.mark.parametrize("content", [b"", b"x", b"---\ntitle: a\n---\n" + "é".encode() * 50_000,
                                     bytes(range(256)) * 1000])
def test_a_note_is_read_whole_with_the_stat_taken_before(tmp_path, content):
    """The cache reads a note with plain os calls on one descriptor (cache._stat_and_read): it must give
    the bytes open().read() gives, however large, and the file's own size and time."""
    from netjournal.cache import _stat_and_read

    note = tmp_path / "note.md"
    note.write_bytes(content)
    stat, read_at, data = _stat_and_read(str(note))
    assert data == note.read_bytes()
    assert (stat.st_size, stat.st_mtime_ns) == (os.stat(note).st_size, os.stat(note).st_mtime_ns)
    assert read_at >= stat.st_mtime_ns / 1e9 - 1
    with pytest.raises(OSError):
        _stat_and_read(str(tmp_path))
    with pytest.raises(OSError):
        _stat_and_read(str(tmp_path / "missing.md"))
