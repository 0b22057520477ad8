"""Sharing with a mentor: audiences, private notes that never leak, comments, review since, tracked check.

The leak tests seed a journal with a unique canary string in every private place, build every audience
and search every byte and every file name of the output for every canary.
"""
import itertools
import shutil

import pytest
from click.testing import CliRunner

from netjournal.analyze import analyze
from netjournal.cli import main
from netjournal.config import parse_config
from netjournal.engine import build_site

from conftest import (
    TODAY,
    findings_of,
    git,
    interaction,
    output_bytes,
    person,
    write_journal,
)
from hostile_journals import AUDIENCES, CANARY, FILES


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    return write_journal(tmp_path_factory.mktemp("leaks") / "journal", FILES)


@pytest.fixture(scope="module")
def audience_sites(journal, tmp_path_factory):
    base = tmp_path_factory.mktemp("sites")
    sites = {}
    for name in AUDIENCES:
        result = CliRunner().invoke(main, ["build", str(journal), "--audience", name, "-o", str(base / name),
                                           "--today", "2026-11-22", "--since", "2026-01-01"])
        assert result.exit_code == 0, result.output
        sites[name] = base / name
    return sites


@pytest.mark.parametrize("audience, canary", list(itertools.product(AUDIENCES, sorted(CANARY))))
def test_no_canary_in_any_audience_output(audience_sites, audience, canary):
    assert CANARY[canary].lower().encode() not in output_bytes(audience_sites[audience])


def test_owner_build_shows_private_content_marked(journal, tmp_path):
    build_site(journal, TODAY, tmp_path / "owner")
    everything = output_bytes(tmp_path / "owner")
    for key in ("private-person-body", "private-folder-person", "private-interaction-title",
                "private-passage-person", "redacted-email", "private-comment"):
        assert CANARY[key].lower().encode() in everything, key
    pat = (tmp_path / "owner" / "people" / "public.html").read_text(encoding="utf-8")
    assert '<div class="private-passage">' in pat and "private passage" in pat


def test_visible_things_are_still_there(audience_sites):
    mentor = audience_sites["mentor"]
    pat = (mentor / "people" / "public.html").read_text(encoding="utf-8")
    assert "Pat Public" in pat and "Met through someone." in pat and "public task" in pat
    assert "A visible comment." in pat and "Mentor Mo" in pat
    goal = (mentor / "goals" / "public.html").read_text(encoding="utf-8")
    assert "1/1 stakeholders warm" in goal  # hidden stakeholders are not counted either
    people = (mentor / "people" / "index.html").read_text(encoding="utf-8")
    assert people.count("<tr data-search=") == 2  # Pat and Olga only
    assert (mentor / "since.html").is_file()


def test_counts_are_recomputed_for_the_audience(journal):
    owner = analyze(journal, TODAY)
    mentor = analyze(journal, TODAY, audience=owner.config.audience("mentor"))
    assert set(mentor.journal.people) == {"public", "other"}
    pat_mentor = [i.id for i in mentor.journal.interactions_with("public")]
    assert "2026/private" not in pat_mentor and all(p == ("public",) for p in
                                                    (mentor.journal.participants[i] for i in pat_mentor))
    assert [f for f in mentor.findings if f.severity.label == "error"] == []
    assert [f.what for f in mentor.journal.follow_ups] == ["public task"]


def test_fail_closed_config_values():
    config, findings = parse_config('[audience.typo]\nexclude_private = "yes"\nredact = ["emails"]\n')
    typo = config.audience("typo")
    assert typo.exclude_private is True and "email" in typo.redact and len(findings) == 2
    assert parse_config("[audience.any]\n")[0].audience("any").exclude_private is True


def test_unknown_audience_is_a_usage_error(journal):
    result = CliRunner().invoke(main, ["build", str(journal), "--audience", "boss"])
    assert result.exit_code == 2 and "known: owner, mentor, peer, typo" in result.output


def test_mentor_clone_without_the_private_folder(journal, tmp_path):
    clone = tmp_path / "clone"
    shutil.copytree(journal, clone, ignore=shutil.ignore_patterns("private"))
    analysis = analyze(clone, TODAY)
    assert findings_of(analysis, "unknown-person") == []  # the folder person is quietly dropped
    result = CliRunner().invoke(main, ["build", str(clone), "--audience", "mentor", "--today", "2026-11-22"])
    assert result.exit_code == 0
    everything = output_bytes(clone / "_site-mentor")
    assert all(value.lower().encode() not in everything for value in CANARY.values())
    owner = analyze(journal, TODAY)  # with the folder, the owner's check still resolves everything
    assert "Zqfoldername Folder" in {p.name for p in owner.journal.people.values()}


def test_private_note_tracked(make_journal):
    root = make_journal({"people/a.md": person("A", private="true"), "people/b.md": person("B"),
                         "private/people/c.md": person("C"), ".gitignore": "_site/\n"})
    assert findings_of(analyze(root, TODAY), "private-note-tracked") == []  # not a repository: no warning
    git(root, "init", "-q")
    git(root, "add", "-A")
    found = sorted(f.path for f in findings_of(analyze(root, TODAY), "private-note-tracked"))
    assert found == ["people/a.md", "private/people/c.md"]


def test_since_a_git_revision_and_a_date(make_journal, tmp_path):
    root = make_journal({"people/a.md": person("Ada"), "people/b.md": person("Bob"),
                         "interactions/x.md": interaction("2026-11-01", "a")})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first review")
    (root / "people" / "b.md").write_text(person("Bob Changed"), encoding="utf-8")
    (root / "people" / "c.md").write_text(person("Cy New"), encoding="utf-8")
    (root / "interactions" / "x.md").unlink()
    result = CliRunner().invoke(main, ["build", str(root), "--since", "HEAD", "-o", str(tmp_path / "s"),
                                       "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "s" / "since.html").read_text(encoding="utf-8")
    assert "changed</span> <a href=\"people/b.html\">Bob Changed</a>" in page
    assert "added</span> <a href=\"people/c.html\">Cy New</a>" in page
    assert "removed</span> interactions/x.md" in page and "Ada" not in page.split("<main")[1]
    assert "notes new or changed since HEAD" in (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["build", str(root), "--since", "no-such-ref", "-o", str(tmp_path / "t")])
    assert bad.exit_code == 2 and "neither a date" in bad.output
    bad = CliRunner().invoke(main, ["build", str(root), "--since", "2026-02-30", "-o", str(tmp_path / "t")])
    assert bad.exit_code == 2 and "February 2026 has 28 days" in bad.output


def test_since_a_date_without_git(make_journal, tmp_path):
    import os
    root = make_journal({"people/a.md": person("Ada"), "people/b.md": person("Bob")})
    os.utime(root / "people" / "a.md", (0, 0))
    CliRunner().invoke(main, ["build", str(root), "--since", "2020-01-01", "-o", str(tmp_path / "s")])
    page = (tmp_path / "s" / "since.html").read_text(encoding="utf-8")
    assert "Bob" in page and ">Ada<" not in page
    no_date = CliRunner().invoke(main, ["build", str(root), "--since", "HEAD", "-o", str(tmp_path / "t")])
    assert no_date.exit_code == 2 and "not a git repository" in no_date.output
    # a date that is none says why, not that a date is needed (a newcomer's --since 2026-13-01)
    bad_date = CliRunner().invoke(main, ["build", str(root), "--since", "2026-13-01", "-o", str(tmp_path / "u")])
    assert bad_date.exit_code == 2 and "there is no month 13" in bad_date.output


def test_comments_render_escaped_on_their_pages(make_journal, tmp_path):
    root = make_journal({
        "people/a.md": person("Ada"), "goals/g.md": "---\ntitle: G\nstakeholders: [a]\n---\n",
        "comments/1.md": "---\nauthor: \"<script>alert(1)</script> Mo\"\ndate: 2026-11-01\nabout: a\n---\n"
                         "<img src=x onerror=alert(2)> Call her.\n",
        "comments/2.md": "---\nauthor: Mo\ndate: 2026-11-02\nabout: \"[[G]]\"\n---\nOn the goal.\n",
        "comments/3.md": "---\nauthor: Mo\ndate: 2026-11-02\nabout: nobody\n---\nLost.\n",
    })
    analysis = analyze(root, TODAY)
    assert [f.line for f in findings_of(analysis, "unknown-person")] == [4]
    build_site(root, TODAY, tmp_path / "s")
    ada = (tmp_path / "s" / "people" / "a.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Mo" in ada and "&lt;img src=x onerror=alert(2)&gt; Call her." in ada
    assert "On the goal." in (tmp_path / "s" / "goals" / "g.html").read_text(encoding="utf-8")
    dashboard = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert "On the goal." in dashboard and 'about <a href="goals/g.html">G</a>' in dashboard


def test_pre_commit_hook_is_declared():
    from conftest import REPO
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: netjournal-check" in hooks and "entry: netjournal check --strict" in hooks
