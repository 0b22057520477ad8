"""Private passages and private annexes (issue 23, items 4, 5 and 11).

Passages nest; a comment that looks like a marker opens one; `check` says where a marker is mistyped and
where git holds a passage; a person's private annex (`private/people/<id>.md`) reaches only the owner; and
`since.html` for an audience does not count a change made only inside private passages.
"""
from __future__ import annotations

import pytest

from netjournal.analyze import analyze

from conftest import TODAY, audience_output, findings_of, git, run_cli

CANARY = "zqpassagecanary"


@pytest.mark.parametrize("body", [
    f"a\n<!-- private -->\nx\n<!-- private -->\ny\n<!-- /private -->\n{CANARY}\n<!-- /private -->\nb\n",  # nested
    f"a\n<!-- private --><!-- private --><!-- /private --><!-- /private --><!-- private -->{CANARY}\n",  # reopened
    f"a\n<!--- private --->\n{CANARY}\n<!-- /private -->\nb\n",
    f"a\n<!-- private note -->\n{CANARY}\n<!-- /private -->\nb\n",
    f"a\n<!-- PRIVATE: reason -->\n{CANARY}\n<!-- /private -->\nb\n",
    f"a\n<!-- privat -->\n{CANARY}\n<!-- /private -->\nb\n",
    f"a\n<!--private-->\n{CANARY}\n<!--/private-->\nb\n",
    f"a\n<!-- Private -->\n{CANARY}\n<!-- / private -->\nb\n",  # a mistyped closer keeps it closed
    f"a\n<!-- private\n{CANARY}\n",  # a comment never closed
    (f"a\n<!-- private -->\n- [ ] {CANARY} 📅 2026-11-25\n<!-- private -->\ninner\n<!-- /private -->\n"
     f"- [ ] {CANARY} too 📅 2026-11-26\n<!-- /private -->\n"),  # tasks in an outer passage
])
def test_text_in_any_private_passage_reaches_no_audience(make_journal, tmp_path, body):
    root = make_journal({
        "netjournal.toml": "[audience.mentor]\n",
        "people/pat.md": f"---\nname: Pat Public\n---\n{body}",
        "interactions/2026/a.md": f"---\ndate: 2026-11-01\nwith: pat\n---\n{body}",
    })
    output = audience_output(root, tmp_path / "mentor")
    assert CANARY.encode() not in output
    assert b"&lt;!--" not in output and b"private --" not in output  # no marker shown either
    assert b"<p>a</p>" in (tmp_path / "mentor" / "people" / "pat.html").read_bytes()  # the text before stays
    owner = run_cli("build", root, "-o", tmp_path / "owner", "--today", TODAY.isoformat())
    assert owner.exit_code == 0
    page = (tmp_path / "owner" / "people" / "pat.html").read_text(encoding="utf-8")
    assert CANARY in page.split('<div class="private-passage">', 1)[1] and "&lt;!--" not in page


# Markers as a reader sees them: invisible characters, width, case and other spaces do not count
OPENERS = {
    "zero-width space": "<!-- pri\u200bvate -->",
    "soft hyphen": "<!-- pri\u00advate -->",
    "word joiner and BOM": "<!-- \u2060pri\ufeffvate -->",
    "zero-width joiners": "<!-- p\u200dr\u200ci\u200bvate -->",
    "fullwidth": "<!-- \uff50\uff52\uff49\uff56\uff41\uff54\uff45 -->",
    "fullwidth capitals": "<!-- \uff30\uff32\uff29\uff36\uff21\uff34\uff25 -->",
    "capitals with a zero-width space": "<!-- PRI\u200bVATE -->",
    "non-breaking spaces": "<!--\u00a0private\u00a0-->",
    "ideographic and thin spaces": "<!--\u3000private\u2009-->",
}
CLOSERS = {
    "zero-width space": "<!-- /pri\u200bvate -->",
    "soft hyphen": "<!-- /pri\u00advate -->",
    "fullwidth solidus": "<!-- \uff0fprivate -->",
    "fullwidth capitals": "<!-- /\uff30\uff32\uff29\uff36\uff21\uff34\uff25 -->",
    "non-breaking spaces": "<!--\u00a0/private\u00a0-->",
}


def _mentor_and_owner_pages(make_journal, tmp_path, body):
    """Build a one-person journal whose note has BODY for the mentor and the owner: (everything the mentor
    is given, the mentor's page of the person, the owner's page, the journal's private-marker findings)."""
    root = make_journal({"netjournal.toml": "[audience.mentor]\n", "people/pat.md": f"---\nname: Pat Public\n---\n{body}"})
    output = audience_output(root, tmp_path / "mentor")
    owner = run_cli("build", root, "-o", tmp_path / "owner", "--today", TODAY.isoformat())
    assert owner.exit_code == 0, owner.output
    return (output, (tmp_path / "mentor" / "people" / "pat.html").read_text(encoding="utf-8"),
            (tmp_path / "owner" / "people" / "pat.html").read_text(encoding="utf-8"),
            findings_of(analyze(root, TODAY), "private-marker"))


@pytest.mark.parametrize(("opener", "closer"), [
    *((opener, "<!-- /private -->") for opener in OPENERS.values()),
    *(("<!-- private -->", closer) for closer in CLOSERS.values()),
], ids=[*(f"open {name}" for name in OPENERS), *(f"close {name}" for name in CLOSERS)])
def test_a_marker_that_reads_as_private_is_one(make_journal, tmp_path, opener, closer):
    """A marker spelled with invisible, fullwidth or capital letters or other spaces looks like the marker
    to whoever wrote it: it opens (or closes) the passage, and `check` has nothing to say of it. Such an
    opener was once taken for an ordinary comment, and the passage shown to the mentor."""
    output, mentor, owner, findings = _mentor_and_owner_pages(make_journal, tmp_path,
                                                              f"a\n{opener}\n{CANARY}\n{closer}\nb\n")
    assert CANARY.encode() not in output and b"&lt;!--" not in output
    assert "<p>a</p>" in mentor and "<p>b</p>" in mentor  # the passage closed where it was meant to
    assert CANARY in owner.split('<div class="private-passage">', 1)[1] and "&lt;!--" not in owner
    assert findings == []


@pytest.mark.parametrize("opener", OPENERS.values(), ids=OPENERS)
def test_a_passage_opened_by_a_marker_that_reads_as_private_and_never_closed_runs_to_the_end(
        make_journal, tmp_path, opener):
    """The rule for an unclosed passage holds whatever the opener's spelling: the rest of the note is private."""
    output, mentor, _, findings = _mentor_and_owner_pages(make_journal, tmp_path,
                                                          f"a\n{opener}\n{CANARY}\n\nmore {CANARY}\n")
    assert CANARY.encode() not in output and "<p>a</p>" in mentor
    assert findings == []


@pytest.mark.parametrize("opener", [
    "<!-- PR\u0130VATE -->",  # Turkish capital I with a dot: a letter and a combining dot once folded
    "<!-- \uff50\uff52\uff49\uff56\uff41\uff54 -->",  # fullwidth and a letter short
    "<!-- pri vate -->",
    "<!-- p-r-i-v-a-t-e -->",
    "<!-- pri\u00a0vate -->",
    "<!-- private_notes -->", "<!-- p_r_i_v_a_t_e -->",  # review: `_` was read as a letter
])
def test_a_marker_that_nearly_reads_as_private_opens_a_passage_and_check_says_so(make_journal, tmp_path, opener):
    """Fails closed: a comment that a reader may take for the marker but that is not one opens a passage,
    and `check` says which comment to fix."""
    output, mentor, _, findings = _mentor_and_owner_pages(make_journal, tmp_path,
                                                          f"a\n{opener}\n{CANARY}\n<!-- /private -->\nb\n")
    assert CANARY.encode() not in output and "<p>a</p>" in mentor and "<p>b</p>" in mentor
    assert [(f.line, "looks like a private marker" in f.message) for f in findings] == [(5, True)]


def test_check_reports_mistyped_and_stray_markers(make_journal):
    root = make_journal({
        "people/pat.md": "---\nname: Pat Public\n---\nok\n<!-- PRIVATE: reason -->\nx\n<!-- /private -->\n"
                         "<!-- /private -->\n<!-- private -->\ny\n<!-- /private -->\n<!-- a comment -->\n",
    })
    found = [(f.line, f.message) for f in findings_of(analyze(root, TODAY), "private-marker")]
    assert [line for line, _ in found] == [5, 8]
    assert "looks like a private marker" in found[0][1] and "closes no private passage" in found[1][1]


def test_check_warns_of_private_passages_and_private_names_that_git_tracks(make_journal):
    root = make_journal({
        ".gitignore": "private/\n",
        "people/pat.md": "---\nname: Pat Public\n---\nok\n\n<!-- private -->\nsecret\n<!-- /private -->\n",
        "people/olga.md": "---\nname: Olga Open\n---\nnothing private\n",
        "people/zelda-quokkason.md": "---\nname: Zelda Quokkason\nprivate: true\n---\n",
        "private/people/zed.md": "---\nname: Zed Hidden\naliases: [Zeddy]\n---\n",
        "interactions/2026/2026-11-01-coffee-zelda-quokkason.md": "---\ndate: 2026-11-01\nwith: pat\n---\n",
        "interactions/2026/2026-11-02-coffee-zeddy.md": "---\ndate: 2026-11-02\nwith: pat\n---\n",
        "interactions/2026/2026-11-03-coffee-olga.md": "---\ndate: 2026-11-03\nwith: olga\n---\n",
        "attachments/zed-hidden.pdf": "not a note",
    })
    assert findings_of(analyze(root, TODAY), "private-passage-tracked") == []  # no repository: nothing shared
    git(root, "init", "-q")
    git(root, "add", "-A")
    analysis = analyze(root, TODAY)
    assert [(f.path, f.line) for f in findings_of(analysis, "private-passage-tracked")] == [("people/pat.md", 6)]
    message = findings_of(analysis, "private-passage-tracked")[0].message
    assert "private/people/pat.md" in message and "has 1 private passage: shared sites leave it out" in message
    assert sorted(f.path for f in findings_of(analysis, "private-name-in-path")) == [
        "attachments/zed-hidden.pdf", "interactions/2026/2026-11-01-coffee-zelda-quokkason.md",
        "interactions/2026/2026-11-02-coffee-zeddy.md"]
    assert [f.path for f in findings_of(analysis, "private-note-tracked")] == ["people/zelda-quokkason.md"]


ANNEX = "zqannexcanary"


def _annexed_journal(make_journal):
    return make_journal({
        "netjournal.toml": "[audience.mentor]\n",
        ".gitignore": "private/\n",
        "people/pat.md": "---\nname: Pat Public\norg: Shared Org\n---\nShared notes on Pat.\n",
        "people/olga.md": "---\nname: Olga Open\n---\n",
        "private/people/pat.md": f"---\nemail: {ANNEX}@example.org\norg: Secret Org\n---\n{ANNEX} only I see; "
                                 "[[Olga Open]] knows, [[Nobody At All]] does not.\n",
        "interactions/2026/a.md": "---\ndate: 2026-11-01\nwith: pat\n---\n",
    })


def test_a_private_annex_is_merged_into_the_owners_view_only(make_journal, tmp_path):
    root = _annexed_journal(make_journal)
    owner = analyze(root, TODAY)
    pat = owner.journal.people["pat"]
    assert pat.email == (f"{ANNEX}@example.org",) and pat.org == "Shared Org"  # fills gaps, overrides nothing
    assert not pat.private and pat.body.startswith("Shared notes on Pat.")
    assert [f.code for f in owner.findings if f.path == "private/people/pat.md"] == ["unresolved-link"]
    assert not findings_of(owner, "duplicate-id") and not findings_of(owner, "missing-field")
    result = run_cli("build", root, "-o", tmp_path / "owner", "--today", TODAY.isoformat())
    assert result.exit_code == 0
    page = (tmp_path / "owner" / "people" / "pat.html").read_text(encoding="utf-8")
    passage = page.split('<div class="private-passage">', 1)[1]
    assert f"{ANNEX} only I see" in passage and 'href="../people/olga.html"' in passage
    output = audience_output(root, tmp_path / "mentor")
    assert ANNEX.encode() not in output and b"secret org" not in output
    assert b"shared notes on pat." in output


def test_an_edited_annex_shows_after_an_incremental_build(make_journal, tmp_path):
    root = _annexed_journal(make_journal)
    for step in range(2):
        if step:
            (root / "private" / "people" / "pat.md").write_text("---\n---\nzqnewannex\n", encoding="utf-8")
        result = run_cli("build", root, "-o", tmp_path / "site", "--today", TODAY.isoformat())
        assert result.exit_code == 0
    run_cli("build", root, "-o", tmp_path / "fresh", "--today", TODAY.isoformat())
    page = (tmp_path / "site" / "people" / "pat.html").read_bytes()
    assert b"zqnewannex" in page and page == (tmp_path / "fresh" / "people" / "pat.html").read_bytes()


def test_since_for_an_audience_ignores_changes_inside_private_passages(make_journal, tmp_path):
    note = "---\nname: {name}\n---\nShared text.\n\n<!-- private -->\n{secret}\n<!-- /private -->\n"
    root = make_journal({
        "netjournal.toml": "[audience.mentor]\n",
        "people/pat.md": note.format(name="Pat Public", secret="old secret"),
        "people/olga.md": note.format(name="Olga Open", secret="old secret"),
        "people/vera.md": note.format(name="Vera Visible", secret="old secret"),
    })
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "review")
    (root / "people" / "pat.md").write_text(note.format(name="Pat Public", secret="new secret"), encoding="utf-8")
    (root / "people" / "olga.md").write_text(note.format(name="Olga Open", secret="new secret") + "More.\n",
                                             encoding="utf-8")
    (root / "people" / "vera.md").write_text(note.format(name="Vera V.", secret="old secret"), encoding="utf-8")
    for audience, expected in (("mentor", ["Olga Open", "Vera V."]), ("owner", ["Olga Open", "Pat Public", "Vera V."])):
        out = tmp_path / audience
        result = run_cli("build", root, "--audience", audience, "--since", "HEAD", "-o", out,
                         "--today", TODAY.isoformat())
        assert result.exit_code == 0, result.output
        page = (out / "since.html").read_text(encoding="utf-8").split("<main", 1)[1]
        assert [name for name in ("Olga Open", "Pat Public", "Vera V.") if name in page] == expected
        assert ("notes new or changed since HEAD" in (out / "index.html").read_text(encoding="utf-8"))


def test_since_a_date_for_an_audience_leaves_out_notes_with_private_passages(make_journal, tmp_path):
    """Without git, file dates cannot tell an edit inside a private passage from one outside it: an audience's
    since.html leaves out changed notes that have private passages (fails closed), and says so; the owner's
    lists every changed note."""
    import os

    note = "---\nname: {name}\n---\nShared text.\n{secret}"
    root = make_journal({
        "netjournal.toml": "[audience.mentor]\n",
        "people/pat.md": note.format(name="Pat Public", secret="<!-- private -->\nnew secret\n<!-- /private -->\n"),
        "people/olga.md": note.format(name="Olga Open", secret="Plain news.\n"),
    })
    old = 1_700_000_000  # 2023-11-14: before the date asked for
    for path in (root / "people").iterdir():
        os.utime(path, (old, old))
    for name in ("pat.md", "olga.md"):  # both edited after it
        (root / "people" / name).write_bytes((root / "people" / name).read_bytes())
    for audience, expected in (("mentor", ["Olga Open"]), ("owner", ["Olga Open", "Pat Public"])):
        out = tmp_path / audience
        result = run_cli("build", root, "--audience", audience, "--since", "2024-01-01", "-o", out,
                         "--today", TODAY.isoformat())
        assert result.exit_code == 0, result.output
        page = (out / "since.html").read_text(encoding="utf-8").split("<main", 1)[1]
        assert [name for name in ("Olga Open", "Pat Public") if name in page] == expected, audience


def test_the_docs_say_what_each_way_keeps_from_whom():
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sharing = readme.split("## Share with your mentor", 1)[1].split("\n## ", 1)[0]
    for said in ("off the mentor's site and exports", "out of the repository", "private annex",
                 "`private-passage-tracked`", "`private-note-tracked`", "`private-name-in-path`"):
        assert said in sharing, said
    format_md = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    assert "## Keeping things private" in format_md and "kept out of the repository" in format_md


@pytest.mark.parametrize("edited", ["private/people/pat.md", "people/pat.md"])
@pytest.mark.parametrize("hint", [False, True], ids=["walked", "watcher's hint"])
def test_serve_shows_an_annex_or_its_shared_note_edited_as_a_fresh_build_does(make_journal, tmp_path, edited, hint):
    from netjournal.engine import Builder, build_site
    from netjournal.site.write import MARKER

    root = _annexed_journal(make_journal)
    builder = Builder(root, tmp_path / "served", in_place=True)
    builder.build(TODAY)
    note = root / edited
    note.write_text(note.read_text(encoding="utf-8") + "zqnewline\n", encoding="utf-8")  # the text only
    builder.build(TODAY, {edited} if hint else None)
    build_site(root, TODAY, tmp_path / "fresh")
    page = (tmp_path / "served" / "people" / "pat.html").read_bytes()
    assert b"zqnewline" in page and ANNEX.encode() in page
    assert {p.relative_to(tmp_path / "served"): p.read_bytes() for p in (tmp_path / "served").rglob("*")
            if p.is_file() and p.name != MARKER} == {p.relative_to(tmp_path / "fresh"): p.read_bytes()
                                                      for p in (tmp_path / "fresh").rglob("*")
                                                      if p.is_file() and p.name != MARKER}
