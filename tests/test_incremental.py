"""The incremental builder (what serve uses) always produces what a from-scratch build produces."""
import os

import pytest
from conftest import TODAY, busy_journal, interaction, person, write_journal

from netjournal.analyze import after_interaction_edits, analyze
from netjournal.findings import sort_findings
from netjournal.site.build import SiteBuilder, build_site
from netjournal.site.write import MARKER


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != MARKER}


@pytest.fixture
def journal(tmp_path):
    return write_journal(tmp_path / "journal", {
        "people/ada.md": person("Ada", tags="[mentor]", introduced_by="bob"),
        "people/bob.md": person("Bob", tags="[peer]"),
        "people/cy.md": person("Cy"),
        "interactions/2025/a.md": interaction("2025-05-01", "[ada, bob]", gave="[x]"),
        "interactions/2026/b.md": interaction("2026-11-01", "ada", asked="[y]") + "Met [[Cy]].\n",
        "interactions/2026/c.md": interaction("2026-10-01", "cy") + "- [ ] send Cy the notes (due 2026-12-01)\n",
        "goals/g.md": "---\ntitle: G\nstakeholders: [ada, cy]\n---\n",
        "comments/n.md": "---\nauthor: Mentor\ndate: 2026-11-02\nabout: ada\n---\nAsk Ada about the review.\n",
    })


EDITS = {
    "body edit": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-01", "ada", asked="[y]") + "Changed [[Bob]].\n", encoding="utf-8"),
    "body text edit": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-01", "ada", asked="[y]") + "Met [[Cy]]. <b>More</b> to say.\n", encoding="utf-8"),
    "person text edit": lambda root: (root / "people/ada.md").write_text(
        person("Ada", tags="[mentor]", introduced_by="bob") + "Runs the <script>x</script> review.\n",
        encoding="utf-8"),
    "goal text edit": lambda root: (root / "goals/g.md").write_text(
        "---\ntitle: G\nstakeholders: [ada, cy]\n---\nWhy it matters.\n", encoding="utf-8"),
    "line added above a task": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-10-01", "cy") + "We talked.\n- [ ] send Cy the notes (due 2026-12-01)\n",
        encoding="utf-8"),
    "participants change": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-10-01", "[cy, bob]", gave="[z]"), encoding="utf-8"),
    "title added": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-01", "ada", asked="[y]", title="'<i>Budget</i> talk'") + "Met [[Cy]].\n",
        encoding="utf-8"),
    "follow-up added": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-01", "ada", asked="[y]", follow_ups="[{what: call Ada, due: 2026-11-20}]")
        + "Met [[Cy]].\n", encoding="utf-8"),
    "follow-up added before the others": lambda root: (root / "interactions/2025/a.md").write_text(
        interaction("2025-05-01", "[ada, bob]", gave="[x]", follow_ups="[{what: call Bob, due: 2025-06-01}]"),
        encoding="utf-8"),
    "task due moved": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-10-01", "cy") + "- [ ] send Cy the notes (due 2026-11-02)\n", encoding="utf-8"),
    "unknown person added": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-01", "[ada, zed]", asked="[y]") + "Met [[Cy]] and [[Nobody]].\n", encoding="utf-8"),
    "marked private": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-10-01", "cy", private="true") + "- [ ] send Cy the notes (due 2026-12-01)\n",
        encoding="utf-8"),
    "asks added": lambda root: (root / "interactions/2025/a.md").write_text(
        interaction("2025-05-01", "[ada, bob]", asked="[a, b, c]"), encoding="utf-8"),
    "asks aimed at one": lambda root: (root / "interactions/2025/a.md").write_text(
        interaction("2025-05-01", "[ada, bob]", asked="[{what: a, of: bob}, {what: b, of: cy}, c]",
                    gave="[{what: x, to: Ada}]"), encoding="utf-8"),
    "date moved within its month": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-15", "ada", asked="[y]") + "Met [[Cy]].\n", encoding="utf-8"),
    "date moved past another in its year": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-11-20", "cy") + "- [ ] send Cy the notes (due 2026-12-01)\n", encoding="utf-8"),
    "year change": lambda root: (root / "interactions/2025/a.md").write_text(
        interaction("2024-05-01", "[ada, bob]"), encoding="utf-8"),
    "delete the only note of a year": lambda root: (root / "interactions/2025/a.md").unlink(),
    "new interaction": lambda root: (root / "interactions/2026/e.md").write_text(
        interaction("2026-10-20", "[bob, cy]", asked="[an intro]", title="'<b>Lunch</b>'")
        + "Met [[Ada]] there.\n- [ ] send Bob the deck (due 2026-11-25)\n", encoding="utf-8"),
    "new interaction in a new year": lambda root: (root / "interactions/2026/f.md").write_text(
        interaction("2023-03-01", "ada", gave="[advice]"), encoding="utf-8"),
    "new interaction in a new folder": lambda root: (root / "interactions/2027").mkdir() or (
        root / "interactions/2027/a.md").write_text(interaction("2026-10-02", "cy"), encoding="utf-8"),
    "new interaction with nobody known": lambda root: (root / "interactions/2026/g.md").write_text(
        interaction("2026-10-03", "zed"), encoding="utf-8"),
    "new interaction linking to itself": lambda root: (root / "interactions/2026/h.md").write_text(
        interaction("2026-10-04", "cy") + "See [[h]] and [[2026/b]].\n", encoding="utf-8"),
    "delete an interaction": lambda root: (root / "interactions/2026/c.md").unlink(),
    "rename a note": lambda root: os.replace(root / "interactions/2026/c.md", root / "interactions/2026/d.md"),
    "rename a person": lambda root: (root / "people/bob.md").write_text(person("Robert"), encoding="utf-8"),
    "delete a person": lambda root: (root / "people/cy.md").unlink(),
    "new person": lambda root: (root / "people/dee.md").write_text(person("Dee", tags="[mentor]"), encoding="utf-8"),
    "cadence change": lambda root: (root / "people/ada.md").write_text(
        person("Ada", tags="[mentor]", introduced_by="bob", cadence="7d"), encoding="utf-8"),
    "org and role change": lambda root: (root / "people/ada.md").write_text(
        "---\nname: Ada\norg: '<i>Acme</i>'\nrole: CTO\ntags: [mentor]\nintroduced_by: bob\n---\n"
        "Met through [[Bob]] at [[G]].\n", encoding="utf-8"),
    "person silences a check": lambda root: (root / "people/cy.md").write_text(
        person("Cy", cadence="14d", ignore="[stale-contact, follow-up-due]"), encoding="utf-8"),
    "person snoozed": lambda root: (root / "people/cy.md").write_text(
        person("Cy", cadence="14d", snooze_until="2026-12-24", met="2020-01-01"), encoding="utf-8"),
    "tag change": lambda root: (root / "people/ada.md").write_text(person("Ada", tags="[hub]"), encoding="utf-8"),
    "goal change": lambda root: (root / "goals/g.md").write_text("---\ntitle: G2\nstakeholders: [bob]\n---\n",
                                                                 encoding="utf-8"),
    "comment edit": lambda root: (root / "comments/n.md").write_text(
        "---\nauthor: Mentor\ndate: 2026-11-02\nabout: ada\n---\nAsk Ada about the budget.\n", encoding="utf-8"),
    "comment moves": lambda root: (root / "comments/n.md").write_text(
        "---\nauthor: Mentor\ndate: 2026-11-02\nabout: g\n---\nAsk about the budget.\n", encoding="utf-8"),
    "comment on an interaction": lambda root: (root / "comments/n.md").write_text(
        "---\nauthor: Mentor\ndate: 2026-11-02\nabout: interactions/2026/c\n---\nWell done.\n", encoding="utf-8"),
    "interaction loses every known person": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-10-01", "nobody"), encoding="utf-8"),
    "broken note": lambda root: (root / "people/ada.md").write_text("---\nname: [\n---\n", encoding="utf-8"),
    "config change": lambda root: (root / "netjournal.toml").write_text('[cadence]\ndefault = "7d"\n',
                                                                        encoding="utf-8"),
    "title change": lambda root: (root / "netjournal.toml").write_text('[journal]\ntitle = "<b>Other</b> title"\n',
                                                                      encoding="utf-8"),
    "template override": lambda root: (root / "templates").mkdir() or (root / "templates" / "tags.html").write_text(
        "{% extends 'base.html' %}{% block main %}custom{% endblock %}", encoding="utf-8"),
}


#: The edits of one interaction that keep its id and date (so its place in the journal)
INTERACTION_EDITS = ["body edit", "body text edit", "line added above a task", "participants change", "title added",
                     "follow-up added", "follow-up added before the others", "task due moved", "unknown person added",
                     "marked private", "asks added", "asks aimed at one", "date moved within its month",
                     "date moved past another in its year"]

#: Edits of a person's note keeping what others resolve them by and show of them (model.person_identity)
PERSON_EDITS = ["cadence change", "org and role change", "person silences a check", "person snoozed"]

#: Interaction notes added or removed beside others, on pages that stay (in year pages)
COME_AND_GO = ["new interaction", "new interaction linking to itself", "delete an interaction", "rename a note"]


def assert_same_analysis(patched, fresh):
    """A patched analysis equals one made anew: findings, read findings, every part of the model."""
    assert patched.findings == fresh.findings
    assert sort_findings(patched.read_findings) == sort_findings(fresh.read_findings)
    for part in ("people", "interactions", "participants", "by_person", "follow_ups", "links", "comments", "goals",
                 "stakeholders", "introducer", "introduced"):
        assert getattr(patched.journal, part) == getattr(fresh.journal, part), part


def notes_changed_in_place(root, edit):
    """Apply EDIT to the journal at ROOT; return what a file watcher would say: the notes changed in
    place, or None when a file was added, removed or renamed (serve then walks the folder)."""
    def snapshot():
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.md")}

    before = snapshot()
    EDITS[edit](root)
    after = snapshot()
    if before.keys() != after.keys():
        return None
    return {rel for rel in after if after[rel] != before[rel]}


def notes_touched(root, edit):
    """Apply EDIT to the journal at ROOT; return what the file watcher now says: every note written,
    created, deleted or renamed (None when the config or a template changed: serve then walks)."""
    def snapshot():
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    before = snapshot()
    EDITS[edit](root)
    after = snapshot()
    touched = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
    return touched if all(rel.endswith(".md") and not rel.startswith("templates/") for rel in touched) else None


@pytest.mark.parametrize("large_year", [400, 1], ids=["year pages", "month pages"])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_after_any_edit_the_watchers_word_builds_what_a_fresh_build_does(journal, tmp_path, edit, large_year,
                                                                         monkeypatch):
    """The watcher names every note touched, in place or not: the builder skips the folder walk for notes
    it had that are still there or gone, and new ones beside them, and walks it for anything else."""
    from netjournal.site import views
    monkeypatch.setattr(views, "LARGE_YEAR", large_year)
    builder = SiteBuilder(journal, tmp_path / "served")
    (tmp_path / "served").mkdir()
    builder.build(TODAY)
    builder.build(TODAY, notes_touched(journal, edit))
    build_site(journal, TODAY, tmp_path / "fresh")
    assert tree(tmp_path / "served") == tree(tmp_path / "fresh")


@pytest.mark.parametrize("hint", [False, True], ids=["walked", "watcher's hint"])
@pytest.mark.parametrize("large_year", [400, 1], ids=["year pages", "month pages"])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_after_an_edit_the_site_equals_a_fresh_build(journal, tmp_path, edit, large_year, hint, monkeypatch):
    from netjournal.site import views
    monkeypatch.setattr(views, "LARGE_YEAR", large_year)
    builder = SiteBuilder(journal, tmp_path / "served")
    (tmp_path / "served").mkdir()
    builder.build(TODAY)
    # within the same second as the first build: the cache must see it all the same
    modified = notes_changed_in_place(journal, edit)
    builder.build(TODAY, modified if hint else None)
    build_site(journal, TODAY, tmp_path / "fresh")
    assert tree(tmp_path / "served") == tree(tmp_path / "fresh")


def test_nothing_changed_renders_nothing(journal, tmp_path):
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    first = builder.build(TODAY)
    again = builder.build(TODAY)
    assert first.written > 10 and again.pages == 0 and again.written == 0


def test_one_edit_rerenders_only_what_it_touches(journal, tmp_path):
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    builder.build(TODAY)
    EDITS["body edit"](journal)
    result = builder.build(TODAY)
    assert result.written == 2  # ada's page and the 2026 page; nothing else shows the body


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_edits_in_place_are_read_off_the_old_records_exactly(journal, edit):
    """For the edits it takes (an interaction or comment edited in place), affected_by_edits_in_place
    picks exactly the pages that comparing the two models picks; it declines every other edit."""
    from netjournal.load import load_journal
    from netjournal.model import build_journal
    from netjournal.site.incremental import affected_by_edits_in_place, affected_pages

    def records():
        return {r.path: r for r in load_journal(journal).records}

    old_records = records()
    old, _ = build_journal(old_records.values())
    EDITS[edit](journal)
    new_records = records()
    new, _ = build_journal(new_records.values())
    changed = {p for p in old_records.keys() | new_records.keys() if old_records.get(p) != new_records.get(p)}
    quick = affected_by_edits_in_place(new, {p: old_records.get(p) for p in changed}, changed,
                                       {p: new_records.get(p) for p in changed})
    # A new note linking to itself is declined: NEW cannot tell its own links from others' that may name it.
    came_and_went = {*COME_AND_GO, "new interaction in a new folder", "rename a note"} - {
        "new interaction linking to itself"}
    in_place = edit in (*INTERACTION_EDITS, *came_and_went, "comment edit", "comment moves",
                        "comment on an interaction") or not changed  # (config, templates)
    assert (quick is not None) == in_place
    if quick is not None:
        assert quick == affected_pages(old, new, changed)


@pytest.mark.parametrize("large_year", [400, 1], ids=["year pages", "month pages"])
@pytest.mark.parametrize("edit, shown_on, text", [
    ("body text edit", {"people/ada.html", "interactions/2026.html"}, "&lt;b&gt;More&lt;/b&gt; to say"),
    ("person text edit", {"people/ada.html"}, "Runs the &lt;script&gt;x&lt;/script&gt; review."),
    ("goal text edit", {"goals/g.html"}, "Why it matters."),
])
def test_a_body_text_edit_rebuilds_without_remaking_the_model(journal, tmp_path, large_year, edit, shown_on,
                                                              text, monkeypatch):
    """Writing a note up (its text only: same front matter, links and tasks) leaves the model, the checks
    and the summary pages as they were: serve remakes only the pages showing that text."""
    from netjournal.site import build, views
    monkeypatch.setattr(views, "LARGE_YEAR", large_year)
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    builder.build(TODAY)
    before = tree(tmp_path / "served")
    with monkeypatch.context() as patched:
        patched.setattr(build, "analyze", None)  # calling it fails the test
        patched.setattr(build, "site_data", None)
        modified = notes_changed_in_place(journal, edit)
        result = builder.build(TODAY, modified)
        assert builder.build(TODAY, modified).pages == 0  # the same bytes again
    after = tree(tmp_path / "served")
    if large_year == 1:
        shown_on = {p.replace("2026.html", "2026-11.html") for p in shown_on}
    assert {p for p in after if after[p] != before.get(p)} == shown_on
    assert result.pages == result.written == len(shown_on)
    assert all(text in after[p].decode() for p in shown_on)  # the new text, escaped like any body's markup
    build_site(journal, TODAY, tmp_path / "fresh")
    assert tree(tmp_path / "served") == tree(tmp_path / "fresh")
    # the next edit of another kind starts from the model the quick rebuild left: still exact
    modified = notes_changed_in_place(journal, "participants change")
    builder.build(TODAY, modified)
    build_site(journal, TODAY, tmp_path / "fresh2")
    assert tree(tmp_path / "served") == tree(tmp_path / "fresh2")


@pytest.mark.parametrize("edit", ["line added above a task", "body edit"])
def test_an_edit_that_moves_a_task_or_a_link_remakes_the_model(journal, tmp_path, edit, monkeypatch):
    """A task line that moved changes its follow-up's source line (on the follow-ups page), a changed
    wikilink what the body links to: neither is a body-only edit, so the model is made again (here
    patched, both being interactions edited in place) and the checks run again."""
    from netjournal.site import build
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    builder.build(TODAY)
    calls = []
    monkeypatch.setattr(build, "analyze", lambda *a, **k: calls.append("analyze") or analyze(*a, **k))
    monkeypatch.setattr(build, "after_interaction_edits",
                        lambda *a: calls.append("patched") or after_interaction_edits(*a))
    builder.build(TODAY, notes_changed_in_place(journal, edit))
    assert calls == ["patched"]


@pytest.mark.parametrize("edit", INTERACTION_EDITS)
def test_interactions_edited_in_place_patch_the_model_exactly(journal, tmp_path, edit, monkeypatch):
    """Serve patches the model after interactions are edited in place (keeping id and date) rather than
    load and resolve every note: the journal and the findings equal those of analyzing anew."""
    from netjournal.site import build
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    builder.build(TODAY)
    monkeypatch.setattr(build, "analyze", None)  # the patch must not fall back to it
    patched = builder.build(TODAY, notes_changed_in_place(journal, edit)).analysis
    fresh = analyze(journal, TODAY)
    assert_same_analysis(patched, fresh)


@pytest.mark.parametrize("edit", COME_AND_GO)
def test_interaction_notes_added_or_removed_patch_the_model_exactly(journal, tmp_path, edit, monkeypatch):
    """A note logged (or deleted) beside others, on a page that stays, is patched into (out of) the model
    without a folder walk or analyzing anew: the journal, the findings and the site equal a fresh build."""
    from netjournal import load
    from netjournal.site import build
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    builder.build(TODAY)
    monkeypatch.setattr(build, "analyze", None)  # the patch must not fall back to it
    monkeypatch.setattr(load, "find_note_files", None)  # nor walk the folder
    patched = builder.build(TODAY, notes_touched(journal, edit)).analysis
    monkeypatch.undo()
    fresh = analyze(journal, TODAY)
    assert patched.findings == fresh.findings
    assert sort_findings(patched.read_findings) == sort_findings(fresh.read_findings)
    assert patched.files.notes == fresh.files.notes
    assert patched.note_count == fresh.note_count
    for part in ("people", "interactions", "participants", "by_person", "follow_ups", "links", "comments", "goals",
                 "stakeholders", "introducer", "introduced"):
        assert getattr(patched.journal, part) == getattr(fresh.journal, part), part
    build_site(journal, TODAY, tmp_path / "fresh")
    assert tree(tmp_path / "served") == tree(tmp_path / "fresh")
    # and the next edit builds on it
    builder.build(TODAY, notes_touched(journal, "participants change"))
    build_site(journal, TODAY, tmp_path / "fresh2")
    assert tree(tmp_path / "served") == tree(tmp_path / "fresh2")


@pytest.mark.parametrize("edit", PERSON_EDITS)
def test_a_person_edit_keeping_their_identity_patches_the_model_exactly(journal, tmp_path, edit, monkeypatch):
    """A person's cadence, org, snooze or silenced checks changed: serve patches that person into the
    model and runs again only the checks about them and the goals; the journal, the findings and the site
    equal a fresh build, and only their page, their tags' and goals' and the summary pages are made."""
    from netjournal.site import build
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    builder.build(TODAY)
    before = tree(tmp_path / "served")
    monkeypatch.setattr(build, "analyze", None)  # the patch must not fall back to it
    patched = builder.build(TODAY, notes_touched(journal, edit)).analysis
    monkeypatch.undo()
    fresh = analyze(journal, TODAY)
    assert_same_analysis(patched, fresh)
    build_site(journal, TODAY, tmp_path / "fresh")
    after = tree(tmp_path / "served")
    assert after == tree(tmp_path / "fresh")
    summaries = {"index.html", "people/index.html", "follow-ups.html", "follow-ups.ics", "interactions/index.html",
                 "goals/index.html", "tags/index.html"}
    own = ({"people/ada.html", "tags/mentor.html", "goals/g.html"} if edit in ("cadence change", "org and role change")
           else {"people/cy.html", "goals/g.html"})
    assert {p for p in after if after[p] != before.get(p)} <= summaries | own


@pytest.mark.parametrize("edit", ["rename a person", "tag change", "new person", "delete a person",
                                  "new interaction in a new year", "new interaction with nobody known",
                                  "new interaction in a new folder"])
def test_an_edit_that_others_see_is_analyzed_anew(journal, tmp_path, edit, monkeypatch):
    """What changes more than the patches can is analyzed anew (and the site equals a fresh build): a
    person renamed (links and `with:` resolve by name), retagged (tag pages list them), added or removed;
    a new interaction on a year page that was not there (every page lists the years), or filed under
    nobody known; a note in a new folder (found by a walk)."""
    from netjournal.site import build
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    builder.build(TODAY)
    calls = []
    monkeypatch.setattr(build, "analyze", lambda *a, **k: calls.append("analyze") or analyze(*a, **k))
    builder.build(TODAY, notes_touched(journal, edit))
    assert calls == ["analyze"]
    build_site(journal, TODAY, tmp_path / "fresh")
    assert tree(tmp_path / "served") == tree(tmp_path / "fresh")


@pytest.mark.parametrize("named_by", ["a link", "a comment", "a link to another of its name"])
def test_a_new_note_that_others_name_is_analyzed_anew(make_journal, tmp_path, named_by, monkeypatch):
    """A link or comment that names an interaction by its file name or id (unresolved until the note is
    logged, or naming another note of that name, which the earlier one by date takes) resolves anew
    when a note of that name comes: the model is made anew, and the link leads to the new note."""
    from netjournal.site import build
    notes = {"people/ada.md": person("Ada"), "interactions/2026/a.md": interaction("2026-01-05", "ada")}
    if named_by == "a link":
        notes["interactions/2026/b.md"] = interaction("2026-02-01", "ada") + "Before [[lunch]].\n"
    elif named_by == "a comment":
        notes["comments/c.md"] = "---\nauthor: M\ndate: 2026-11-02\nabout: interactions/2026/lunch\n---\nGood.\n"
    else:
        notes["interactions/2026/z/lunch.md"] = interaction("2026-06-01", "ada")
        notes["interactions/2026/b.md"] = interaction("2026-02-01", "ada") + "Before [[lunch]].\n"
    root = make_journal(notes)
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(root, tmp_path / "served")
    builder.build(TODAY)
    calls = []
    monkeypatch.setattr(build, "analyze", lambda *a, **k: calls.append("analyze") or analyze(*a, **k))
    (root / "interactions/2026/lunch.md").write_text(interaction("2026-03-01", "ada"), encoding="utf-8")
    served = builder.build(TODAY, {"interactions/2026/lunch.md"}).analysis
    assert calls == ["analyze"]
    if named_by != "a comment":
        assert served.journal.links["interactions/2026/b.md"]["lunch"].id == "2026/lunch"
    build_site(root, TODAY, tmp_path / "fresh")
    assert tree(tmp_path / "served") == tree(tmp_path / "fresh")


@pytest.mark.parametrize("edit", ["unknown person added", "body edit"])
def test_a_patched_model_in_a_mentors_clone_drops_what_the_owner_alone_can_resolve(journal, tmp_path, edit,
                                                                                     monkeypatch):
    """In a clone without the git-ignored private/ folder, unknown people and unresolved links are not
    reported (they may be in private/): the patched model's findings drop them as analyzing anew does."""
    from netjournal.site import build
    (journal / ".gitignore").write_text("private/\n", encoding="utf-8")
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    builder.build(TODAY)
    monkeypatch.setattr(build, "analyze", None)
    patched = builder.build(TODAY, notes_changed_in_place(journal, edit)).analysis
    fresh = analyze(journal, TODAY)
    assert patched.findings == fresh.findings
    assert not [f for f in patched.findings if f.code in ("unknown-person", "unresolved-link")]


@pytest.mark.parametrize("private", ["true", "false"])
def test_a_patched_model_finds_private_notes_git_tracks(journal, tmp_path, private, monkeypatch):
    """The journal is a git repository: marking a tracked interaction private (or no longer private) adds
    (or drops) its private-note-tracked finding, as analyzing anew would; other notes' are kept."""
    import subprocess

    from netjournal.site import build
    (journal / "interactions/2025/a.md").write_text(interaction("2025-05-01", "[ada, bob]", gave="[x]",
                                                                private="true"), encoding="utf-8")
    if private == "false":
        (journal / "interactions/2026/c.md").write_text(interaction("2026-10-01", "cy", private="true"),
                                                        encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(journal)], check=True)
    subprocess.run(["git", "-C", str(journal), "add", "."], check=True)
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    before = builder.build(TODAY).analysis
    monkeypatch.setattr(build, "analyze", None)
    (journal / "interactions/2026/c.md").write_text(interaction("2026-10-01", "cy", private=private), encoding="utf-8")
    patched = builder.build(TODAY, {"interactions/2026/c.md"}).analysis
    fresh = analyze(journal, TODAY)
    assert patched.findings == fresh.findings
    tracked = {f.source.path for f in patched.findings if f.code == "private-note-tracked"}
    assert tracked == ({"interactions/2025/a.md", "interactions/2026/c.md"} if private == "true"
                       else {"interactions/2025/a.md"})
    assert tracked != {f.source.path for f in before.findings if f.code == "private-note-tracked"}


def test_after_a_failed_build_the_next_one_starts_afresh(journal, tmp_path, monkeypatch):
    """A build that fails midway (here: writing its pages) has taken the notes into the cache but not into
    the site: the next build, even after a text-only edit, must not build on the model before it."""
    from netjournal.site import build
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    builder.build(TODAY)
    with monkeypatch.context() as patched:
        patched.setattr(build, "render_page", lambda *args: (_ for _ in ()).throw(OSError(28, "disk full")))
        modified = notes_changed_in_place(journal, "participants change")
        with pytest.raises(OSError):
            builder.build(TODAY, modified)
    builder.build(TODAY, notes_changed_in_place(journal, "body text edit"))
    build_site(journal, TODAY, tmp_path / "fresh")
    assert tree(tmp_path / "served") == tree(tmp_path / "fresh")


BUSY_EDITS = {  # of interactions/2026/m03.md, one of 25 people's only meeting (see busy_journal)
    "its follow-up done": interaction("2026-01-04", "p03",
                                      follow_ups="[{what: task 03, due: 2026-02-04, done: true}]"),
    "its follow-up due soon": interaction("2026-01-04", "p03", follow_ups="[{what: task 03, due: 2026-11-24}]"),
    "its follow-up due first": interaction("2026-01-04", "p03", follow_ups="[{what: task 03, due: 2025-01-01}]"),
    "a second person": interaction("2026-01-04", "[p03, p04]", gave="[advice]",
                                   follow_ups="[{what: task 03, due: 2026-02-04}, "
                                              "{what: '<b>x</b>', due: 2026-02-04}]"),
}


@pytest.mark.parametrize("edit", sorted(BUSY_EDITS))
def test_serves_patched_rows_and_lists_equal_a_fresh_build(make_journal, tmp_path, edit, monkeypatch):
    """After an interaction edit serve shares the summary pages' rows of everyone and everything it did
    not touch and puts the edited follow-ups in place in the lists: on a journal with more overdue
    follow-ups and due people than the dashboard shows, the site equals a fresh build."""
    from netjournal.site import build
    root = make_journal(busy_journal())
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(root, tmp_path / "served")
    builder.build(TODAY)
    monkeypatch.setattr(build, "analyze", None)  # the model is patched, not made anew
    (root / "interactions/2026/m03.md").write_text(BUSY_EDITS[edit], encoding="utf-8")
    builder.build(TODAY, {"interactions/2026/m03.md"})
    monkeypatch.undo()
    build_site(root, TODAY, tmp_path / "fresh")
    assert tree(tmp_path / "served") == tree(tmp_path / "fresh")


def test_a_person_silencing_their_overdue_follow_up_is_patched_exactly(make_journal, tmp_path, monkeypatch):
    """A person's `ignore:` silences findings about them, their follow-ups' included: the patch runs the
    follow-up checks of their interactions again, as analyzing anew does."""
    from netjournal.site import build
    root = make_journal(busy_journal())
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(root, tmp_path / "served")
    before = builder.build(TODAY).analysis
    assert "follow-up-overdue" in {f.code for f in before.findings if f.person == "p03"}
    monkeypatch.setattr(build, "analyze", None)
    (root / "people/p03.md").write_text(person("Person 03", cadence="30d", ignore="[follow-up-overdue]"),
                                        encoding="utf-8")
    patched = builder.build(TODAY, {"people/p03.md"}).analysis
    monkeypatch.undo()
    assert "follow-up-overdue" not in {f.code for f in patched.findings if f.person == "p03"}
    assert patched.findings == analyze(root, TODAY).findings
    build_site(root, TODAY, tmp_path / "fresh")
    assert tree(tmp_path / "served") == tree(tmp_path / "fresh")


def test_an_interaction_note_broken_and_mended_is_patched_out_and_back_in(journal, tmp_path, monkeypatch):
    """Saving a note half-written (its front matter broken) takes it off every page and reports it; saving
    it broken again changes only the report; mending it brings it back. Serve patches each step without
    analyzing anew, and each equals a fresh build."""
    from netjournal import load
    from netjournal.site import build
    (tmp_path / "served").mkdir()
    builder = SiteBuilder(journal, tmp_path / "served")
    builder.build(TODAY)
    note = journal / "interactions/2026/c.md"
    mended = note.read_text(encoding="utf-8")
    steps = {"broken": "---\ndate: 2026-10-01\nwith: [cy\n---\n", "broken again": "---\ndate: [\n---\nmore\n",
             "mended": mended}
    for step, text in steps.items():
        note.write_text(text, encoding="utf-8")
        with monkeypatch.context() as patched:
            patched.setattr(build, "analyze", None)
            patched.setattr(load, "find_note_files", None)
            served = builder.build(TODAY, {"interactions/2026/c.md"}).analysis
        fresh = analyze(journal, TODAY)
        assert_same_analysis(served, fresh)
        assert ("invalid-front-matter" in {f.code for f in served.findings}) == (step != "mended"), step
        build_site(journal, TODAY, tmp_path / step)
        assert tree(tmp_path / "served") == tree(tmp_path / step), step


def test_calendar_inputs_of_a_builder_compare_as_the_tuples_do(tmp_path):
    """SiteBuilder skips the iCalendar feed when CalendarInputs are equal: exactly when calendar_inputs are."""
    from netjournal.site.build import CalendarInputs, calendar_inputs
    from netjournal.site.views import site_data

    people = {"people/ada.md": person("Ada Lovelace"), "people/bob.md": person("Bob Byte")}
    task = "- [ ] send the deck 📅 2026-12-01\n"
    variants = [
        {"interactions/a.md": interaction("2026-11-01", "ada") + task},
        {"interactions/a.md": interaction("2026-11-01", "ada", title="Moved down a line") + task},
        {"interactions/a.md": interaction("2026-11-01", "ada") + task.replace("12-01", "12-02")},
        {"interactions/a.md": interaction("2026-11-01", "ada") + task.replace("deck", "memo")},
        {"interactions/a.md": interaction("2026-11-01", "ada") + task.replace("[ ]", "[x]")},
        {"interactions/a.md": interaction("2026-11-02", "ada") + task},
        {"interactions/a.md": interaction("2026-11-01", "[ada, bob]") + task},
    ]
    made = []
    for number, notes in enumerate(variants):
        analysis = analyze(write_journal(tmp_path / str(number), {**people, **notes}), TODAY)
        made.append((analysis, site_data(analysis)))
    renamed = analyze(write_journal(tmp_path / "renamed", {**people, "people/bob.md": person("Bob Bit"),
                                                           **variants[0]}), TODAY)
    made.append((renamed, site_data(renamed)))
    outcomes = set()
    for one in made:
        for other in made:
            same = calendar_inputs(*one) == calendar_inputs(*other)
            assert (CalendarInputs(*one) == CalendarInputs(*other)) == same
            outcomes.add(same)
    assert outcomes == {True, False}
    assert calendar_inputs(*made[0]) == calendar_inputs(*made[1])  # a follow-up's line is not in the feed
