"""Serve's and the daemon's builder is told only the paths a watcher names, and patches its list of notes
with them instead of walking the folder: whatever those paths are (hard links, symlinks and their targets,
decomposed names, private notes), the site equals a fresh build's, and a private note never shows."""
from __future__ import annotations

import os
import unicodedata

import pytest

from netjournal.engine import Builder

from conftest import TODAY, write_journal
from journals import SMALL_JOURNAL, person, tree

SECRET = "private/people/sam.md"


def with_secret(root):
    write_journal(root, {SECRET: person("Secret Sam", tags="[hush]")})


def hard_link_a_private_note_as_a_new_public_one(root):
    with_secret(root)
    yield
    os.link(root / SECRET, root / "people/sam2.md")
    yield {"people/sam2.md"}


def remake_a_public_note_as_a_hard_link_of_a_private_one(root):
    with_secret(root)
    yield
    (root / "people/bob.md").unlink()
    os.link(root / SECRET, root / "people/bob.md")
    yield {"people/bob.md"}


def hard_link_a_public_note_into_private(root):
    with_secret(root)  # private/people/ is a known folder of notes
    yield
    os.link(root / "people/cy.md", root / "private/people/cy-copy.md")
    yield {"private/people/cy-copy.md"}


def delete_the_private_note_that_held_a_public_link_out(root):
    with_secret(root)
    os.link(root / SECRET, root / "people/sam2.md")
    yield
    (root / SECRET).unlink()
    yield {SECRET}


def edit_the_target_of_a_symlinked_note(root):
    os.symlink("ada.md", root / "people/ada2.md")
    yield
    (root / "people/ada.md").write_text(person("Ada", tags="[edited]"), encoding="utf-8")
    yield {"people/ada.md"}


def delete_the_target_of_a_symlinked_note(root):
    os.symlink("cy.md", root / "people/cy2.md")
    yield
    (root / "people/cy.md").unlink()
    yield {"people/cy.md"}


DECOMPOSED = unicodedata.normalize("NFD", "people/zoë.md")
COMPOSED = unicodedata.normalize("NFC", DECOMPOSED)  # the watcher's word for it (paths.journal_rel)


def add_a_note_of_a_decomposed_name(root):
    yield
    (root / DECOMPOSED).write_text(person("Zoë"), encoding="utf-8")
    yield {COMPOSED}


def edit_a_note_of_a_decomposed_name(root):
    (root / DECOMPOSED).write_text(person("Zoë"), encoding="utf-8")
    yield
    (root / DECOMPOSED).write_text(person("Zoë", tags="[hub]"), encoding="utf-8")
    yield {COMPOSED}


def remove_a_path_the_walk_skipped(root):
    os.symlink("/etc/hostname", root / "people/outside.md")  # skipped, with a finding on the dashboard
    yield
    (root / "people/outside.md").unlink()
    yield {"people/outside.md"}


FOLDER_COMPOSED = unicodedata.normalize("NFC", "people/zoë")
FOLDER_DECOMPOSED = unicodedata.normalize("NFD", "people/zoë")


def hard_link_a_private_note_into_a_folder_named_as_another(root):
    """Two folders whose names differ only in Unicode form (both may exist on Linux): a plain note saved
    in one and a link of a private note in the other are one path to the watcher."""
    with_secret(root)
    (root / FOLDER_COMPOSED).mkdir()
    (root / FOLDER_DECOMPOSED).mkdir()
    (root / FOLDER_COMPOSED / "a.md").write_text(person("Al"), encoding="utf-8")
    (root / FOLDER_DECOMPOSED / "c.md").write_text(person("Cat"), encoding="utf-8")
    yield
    (root / FOLDER_COMPOSED / "b.md").write_text(person("Bea"), encoding="utf-8")
    os.link(root / SECRET, root / FOLDER_DECOMPOSED / "b.md")
    yield {FOLDER_COMPOSED + "/b.md"}


def rename_a_decomposed_name_to_its_composed_form(root):
    (root / DECOMPOSED).write_text(person("Zoë"), encoding="utf-8")
    yield
    os.rename(root / DECOMPOSED, root / COMPOSED)
    yield {COMPOSED}


def edit_a_symlink_target_the_watcher_does_not_name(root):
    """The target is at the journal's top, where no note is: the watcher names only another note."""
    (root / "y.md").write_text(person("Yan"), encoding="utf-8")
    os.symlink("../y.md", root / "people/yan.md")
    yield
    (root / "y.md").write_text(person("Yan", tags="[edited]"), encoding="utf-8")
    (root / "people/bob.md").write_text(person("Bob", tags="[peer, x]"), encoding="utf-8")
    yield {"people/bob.md"}


def create_the_missing_target_of_a_broken_symlink(root):
    os.symlink("yan.md", root / "people/yan2.md")  # broken: a finding
    yield
    (root / "people/yan.md").write_text(person("Yan"), encoding="utf-8")
    yield {"people/yan.md"}


def hard_link_a_public_note_into_a_private_vault_the_watcher_cannot_see(root):
    """private/ is a symlink to a vault outside the journal: linking a shared note into it gives the
    watcher no event; the next save of another note must not keep the linked one shared."""
    vault = root.parent / "vault"
    (vault / "people").mkdir(parents=True)
    (root / "private").symlink_to(vault)
    yield
    os.link(root / "people/cy.md", vault / "people/cy.md")
    (root / "people/bob.md").write_text(person("Bob", tags="[peer, x]"), encoding="utf-8")
    yield {"people/bob.md"}


def hard_link_a_public_note_under_another_name_below_private(root):
    yield
    (root / "private/misc").mkdir(parents=True)
    os.link(root / "people/cy.md", root / "private/misc/cy.txt")  # private now, whatever its name there
    yield {"private/misc/cy.txt"}


def hard_link_a_public_note_into_a_hidden_folder_of_private(root):
    (root / "private/.stash").mkdir(parents=True)
    yield
    os.link(root / "people/cy.md", root / "private/.stash/cy.md")
    yield {"private/.stash/cy.md"}


def delete_the_file_below_private_that_held_a_public_link_out(root):
    (root / "private/misc").mkdir(parents=True)
    os.link(root / "people/cy.md", root / "private/misc/cy.txt")
    yield
    (root / "private/misc/cy.txt").unlink()  # cy is public again
    yield {"private/misc/cy.txt"}


def symlink_a_folder_of_public_notes_into_private(root):
    (root / "people/old").mkdir()
    (root / "people/cy.md").rename(root / "people/old/cy.md")
    yield
    os.symlink("../people/old", root / "private")  # a file's event: private/ was not there
    yield {"private"}


def make_a_private_note_a_symlink_to_a_file_a_public_note_links_to(root):
    (root / "archive").mkdir()
    (root / "people/cy.md").rename(root / "archive/cy.md")
    os.symlink("../archive/cy.md", root / "people/cy.md")
    (root / "private/people").mkdir(parents=True)
    yield
    os.symlink("../../archive/cy.md", root / "private/people/cy.md")
    yield {"private/people/cy.md"}


def save_a_private_note_that_held_a_public_link_out_as_a_new_file(root):
    """The shared name keeps the old text as a shared note (docs/format.md: private only while a link)."""
    write_journal(root, {"private/people/dee.md": person("Dee")})
    os.link(root / "private/people/dee.md", root / "people/dee2.md")
    yield
    (root / "private/people/dee.tmp").write_text(person("Dee", tags="[x]"), encoding="utf-8")
    (root / "private/people/dee.tmp").replace(root / "private/people/dee.md")  # an editor's save
    yield {"private/people/dee.md", "private/people/dee.tmp"}


def save_a_swap_file_beside_a_private_note(root):
    with_secret(root)
    yield
    (root / "private/people/.sam.md.swp").write_bytes(b"swap")
    (root / "private/people/sam.md~").write_bytes(b"backup")
    yield {"private/people/.sam.md.swp", "private/people/sam.md~"}


def write_the_note_a_broken_symlink_below_private_names(root):
    (root / "private").mkdir()
    os.symlink("../people/new.md", root / "private/.keep")  # hidden, and in no kind folder
    yield
    (root / "people/new.md").write_text(person("Secret Sam", tags="[hush]"), encoding="utf-8")
    yield {"people/new.md"}


def retarget_a_symlink_a_note_is_read_through(root):
    for folder, name in (("a", "Ann"), ("b", "Ben")):
        (root / "archive" / folder).mkdir(parents=True)
        (root / "archive" / folder / "x.md").write_text(person(name), encoding="utf-8")
    os.symlink("archive/a", root / ".hop")  # people/x.md reads archive/a/x.md through a hidden hop
    os.symlink("../.hop/x.md", root / "people/x.md")
    yield
    os.remove(root / ".hop")
    os.symlink("archive/b", root / ".hop")  # no watcher names it (hidden): the next save walks
    with open(root / "people/bob.md", "a", encoding="utf-8") as note:
        note.write("More.\n")
    yield {"people/bob.md"}


CASES = [hard_link_a_private_note_as_a_new_public_one, remake_a_public_note_as_a_hard_link_of_a_private_one,
         hard_link_a_public_note_into_private, delete_the_private_note_that_held_a_public_link_out,
         edit_the_target_of_a_symlinked_note, delete_the_target_of_a_symlinked_note,
         add_a_note_of_a_decomposed_name, edit_a_note_of_a_decomposed_name, remove_a_path_the_walk_skipped,
         hard_link_a_private_note_into_a_folder_named_as_another, rename_a_decomposed_name_to_its_composed_form,
         edit_a_symlink_target_the_watcher_does_not_name, create_the_missing_target_of_a_broken_symlink,
         hard_link_a_public_note_into_a_private_vault_the_watcher_cannot_see,
         hard_link_a_public_note_under_another_name_below_private, hard_link_a_public_note_into_a_hidden_folder_of_private,
         delete_the_file_below_private_that_held_a_public_link_out, symlink_a_folder_of_public_notes_into_private,
         make_a_private_note_a_symlink_to_a_file_a_public_note_links_to, save_a_swap_file_beside_a_private_note,
         save_a_private_note_that_held_a_public_link_out_as_a_new_file,
         write_the_note_a_broken_symlink_below_private_names, retarget_a_symlink_a_note_is_read_through]


@pytest.mark.parametrize("case", CASES, ids=[case.__name__.replace("_", " ") for case in CASES])
def test_a_served_site_told_only_the_touched_paths_equals_a_fresh_build(tmp_path, case):
    """The site and what the build says of the notes (the findings `serve` prints)."""
    root = write_journal(tmp_path / "journal", SMALL_JOURNAL)
    steps = case(root)
    next(steps)
    served = Builder(root, tmp_path / "served", in_place=True)
    served.build(TODAY)
    said = served.build(TODAY, next(steps)).findings
    fresh = Builder(root, tmp_path / "fresh").build(TODAY)
    expected = tree(tmp_path / "fresh")
    assert tree(tmp_path / "served") == expected
    assert said == fresh.findings
    if (root / SECRET).exists():  # a private person is on no page of the owner's site but their own
        shown = [path for path, content in expected.items() if b"Secret Sam" in content]
        assert not any(path.startswith("people/sam2") for path in shown), shown


def test_a_note_made_a_symlink_to_a_file_outside_the_journal_is_a_change(tmp_path):
    """`ln -sf /elsewhere people/cy.md`: the watcher's event names the note (its folder is resolved, not the
    file, which now lies outside the journal), so serve drops Cy as a fresh build does."""
    from netjournal.paths import affects_site

    root = write_journal(tmp_path / "journal", SMALL_JOURNAL)
    outside = tmp_path / "elsewhere.md"
    outside.write_text(person("Cy Outside"), encoding="utf-8")
    (root / "people/cy.md").unlink()
    (root / "people/cy.md").symlink_to(outside)
    assert affects_site(root, root / "_site", str(root / "people/cy.md"))


@pytest.mark.parametrize("changed", ["private", "private/people", "people/.hop.md", "hop.md"])
def test_a_symlink_in_place_of_a_folder_of_notes_or_on_the_way_to_a_note_is_a_change(tmp_path, changed):
    """`ln -sfn` retargets a symlinked private/ (an event of a file, not a folder), and a hidden or
    top-level symlink a note is read through is retargeted: each is a change the watcher names."""
    from netjournal.paths import affects_site

    root = write_journal(tmp_path / "journal", SMALL_JOURNAL)
    (root / "vault" / "people").mkdir(parents=True)
    if changed.startswith("private"):
        if changed == "private/people":
            (root / "private").mkdir()
        (root / changed).symlink_to(root / ("vault/people" if changed == "private/people" else "vault"))
    else:
        (root / changed).symlink_to(root / "people/fay.md")
        (root / "people/a.md").symlink_to(root / changed)
    assert affects_site(root, root / "_site", str(root / changed))
    assert not affects_site(root, root / "_site", str(root / "_site/index.html"))
    assert not affects_site(root, root / "_site", str(root / "people/.swap.md"))


@pytest.mark.parametrize("changed", ["private/people/sam.md~", "private/people/.sam.md.swp", "private/.stash/cy.md",
                                     "private/misc/cy.txt", "private/drafts"])
def test_any_file_below_private_is_a_change_the_watcher_hands_on(tmp_path, changed):
    """A hard link or symlink below private/, whatever its name, can hold a shared note out of the site: the
    watcher passes such a path on to the listing (which walks if it is a link) rather than dropping it."""
    from watchdog.events import FileCreatedEvent

    from netjournal.watch import Watcher

    root = write_journal(tmp_path / "journal", SMALL_JOURNAL)
    watcher = Watcher(root, root / "_site")
    watcher.dispatch(FileCreatedEvent(str(root / changed)))
    assert watcher.take() == {changed}


def test_chains_of_symlinks_longer_than_the_kernel_follows_are_skipped_not_a_crash(tmp_path):
    """1,100 links, each to the next: realpath would recurse past Python's limit (in the walk, and in the
    watcher's thread, which then died and serve never rebuilt again). A chain the kernel cannot open
    (ELOOP) is a loop: skipped, with a finding, and a change on it makes serve walk."""
    from netjournal.paths import affects_site
    from netjournal.walk import find_note_files

    root = write_journal(tmp_path / "journal", SMALL_JOURNAL)
    for folder in ("people", "private/people", ".stash"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for link in range(1100):
            os.symlink(f"c{link + 1}.md" if link < 1099 else "../people/ada.md", root / folder / f"c{link}.md")
    files = find_note_files(root)
    skipped = {f.path for f in files.findings if f.code == "skipped-path"}
    assert {"people/c0.md", "private/people/c0.md"} <= skipped
    assert affects_site(root, root / "_site", str(root / ".stash/c0.md"))


def test_a_note_named_in_bytes_that_are_not_utf8_is_skipped_with_a_finding(tmp_path):
    root = write_journal(tmp_path / "journal", SMALL_JOURNAL)
    for folder in ("people", "interactions"):
        with open(os.path.join(os.fsencode(root / folder), b"\xff.md"), "wb") as note:
            note.write(person("Bytes").encode())
    os.mkdir(os.path.join(os.fsencode(root / "interactions"), b"\xfe"))
    result = Builder(root, tmp_path / "site").build(TODAY)
    skipped = {f.path for f in result.findings if f.code == "skipped-path"}
    assert {"people/\ufffd.md", "interactions/\ufffd.md", "interactions/\ufffd"} <= skipped
    assert result.note_count == len([rel for rel in SMALL_JOURNAL if rel.endswith(".md")])


def test_a_change_of_a_notes_metadata_is_a_change(tmp_path):
    """`chmod 000 people/cy.md` changes only the note's metadata (inotify's IN_ATTRIB), and makes it a note
    a fresh build cannot read: the watcher names the note, so serve looks again."""
    from watchdog.events import FileAttribEvent

    from netjournal.watch import Watcher

    root = write_journal(tmp_path / "journal", SMALL_JOURNAL)
    watcher = Watcher(root, root / "_site")
    watcher.dispatch(FileAttribEvent(str(root / "people/cy.md")))
    assert watcher.take() == {"people/cy.md"}


def test_events_the_kernel_dropped_make_the_next_build_walk(tmp_path):
    """An overflow of inotify's queue (a checkout of thousands of notes while the watcher was slow) loses
    the events of notes that changed: the watcher cannot name them, so it asks for a walk, and a barrier
    (the daemon's) does not wait for its own event, which may be among those lost."""
    from watchdog.events import EventsLostEvent, FileModifiedEvent

    from netjournal.watch import Watcher

    root = write_journal(tmp_path / "journal", SMALL_JOURNAL)
    watcher = Watcher(root, root / "_site")
    watcher.dispatch(FileModifiedEvent(str(root / "people/cy.md")))
    watcher.dispatch(EventsLostEvent(str(root), is_directory=True))
    assert watcher.changed.is_set() and watcher.take() is None
    watcher.dispatch(FileModifiedEvent(str(root / "people/cy.md")))
    assert watcher.take() == {"people/cy.md"}  # after the walk, named changes again
