"""Congratulations without misfires (issue 26 item 4): a person's role or org changed, from a dated
`changes:` entry or from the git history of their note (the commit's date is the change's), and no
interaction since: the `congratulate` finding, and a line in `due`, the dashboard and the calendar."""
from __future__ import annotations

import datetime as dt

import pytest

from netjournal.analyze import analyze
from netjournal.occasions import same_text

from conftest import TODAY, audience_output, findings_of, git, interaction, person, run_cli


def congratulated(analysis):
    return sorted(f.person for f in findings_of(analysis, "congratulate"))


def promoted(kind: str = "", role: str = "Director of Product", date: str = "2026-10-01", **fields: str) -> str:
    kind_text = f", kind: {kind}" if kind else ""
    return person("Lena Ortiz", role="Director of Product" if role else "",
                  changes=f"[{{date: {date}, role: {role}{kind_text}}}]", **fields)


def test_a_changes_entry_asks_for_congratulations_saying_what_changed(check_journal):
    files = {"people/lena.md": person("Lena Ortiz", role="Director of Product", org="Acme",
                                      changes="[{date: 2026-06-01, role: Senior PM}, "
                                              "{date: 2026-10-01, role: Director of Product, kind: promotion}]")}
    found = findings_of(check_journal(files), "congratulate")
    assert [(f.person, f.source.path, f.source.line) for f in found] == [("lena", "people/lena.md", 5)]
    assert "promotion on 2026-10-01" in found[0].message
    assert "Senior PM → Director of Product" in found[0].message


def test_an_interaction_on_or_after_the_change_clears_it_one_before_does_not(check_journal):
    before = {"people/lena.md": promoted(), "interactions/a.md": interaction("2026-09-30", "lena")}
    assert congratulated(check_journal(before)) == ["lena"]
    after = {**before, "interactions/b.md": interaction("2026-10-01", "lena")}
    assert congratulated(check_journal(after)) == []


def test_only_promotions_and_new_jobs_by_default(check_journal):
    for kind, expected in (("promotion", ["lena"]), ("new-job", ["lena"]), ("left", []), ("other", [])):
        assert congratulated(check_journal({"people/lena.md": promoted(kind)})) == expected, kind
    left = {"people/lena.md": person("Lena Ortiz", org="Former Acme", changes="[{date: 2026-10-01, org: Former Acme}]")}
    assert congratulated(check_journal(left)) == []  # a kind left unsaid, read from the words
    config = '[congratulations]\nkinds = ["promotion", "new-job", "other"]\n'
    assert congratulated(check_journal({"people/lena.md": promoted("other"), "netjournal.toml": config})) == ["lena"]


def test_an_old_change_or_a_future_one_is_not_owed(check_journal):
    assert congratulated(check_journal({"people/lena.md": promoted(date="2026-01-01")})) == []  # > 90 days
    assert congratulated(check_journal({"people/lena.md": promoted(date="2026-12-01")})) == []  # not yet
    within = '[congratulations]\nwithin = "1y"\n'
    assert congratulated(check_journal({"people/lena.md": promoted(date="2026-01-01"),
                                        "netjournal.toml": within})) == ["lena"]


def test_ignore_silences_it(check_journal):
    assert congratulated(check_journal({"people/lena.md": promoted(ignore="[congratulate]")})) == []


def test_case_spacing_punctuation_and_small_spelling_fixes_are_not_changes():
    for a, b in (("Senior PM", "senior  pm"), ("VP, Sales", "VP Sales"), ("Software Enginer", "Software Engineer"),
                 ("Müller GmbH", "Muller GmbH"), ("Acme Inc.", "ACME inc")):
        assert same_text(a, b), (a, b)
    for a, b in (("Lead", "Head"), ("Junior Engineer", "Senior Engineer"), ("Engineer II", "Engineer III"),
                 ("PM", "Director of Product"), ("Acme", "Globex")):
        assert not same_text(a, b), (a, b)


def test_a_changes_entry_that_only_fixes_spelling_is_not_congratulated(check_journal):
    files = {"people/lena.md": person("Lena Ortiz", role="Software Engineer",
                                      changes="[{date: 2026-06-01, role: Software Enginer}, "
                                              "{date: 2026-10-01, role: Software engineer}]")}
    assert congratulated(check_journal(files)) == []


def test_bad_changes_entries_are_findings_with_their_line_and_the_rest_loads(check_journal):
    files = {"people/lena.md": person("Lena Ortiz", changes="[{date: 2026-13-01, role: X}, {role: Y}, "
                                      "{date: 2026-10-01, kind: sideways, role: Z}, 7, "
                                      "{date: 2026-10-01, role: Director, colour: red}]"),
             "people/bob.md": promoted().replace("Lena Ortiz", "Bob")}
    analysis = check_journal(files)
    bad = [f for f in analysis.findings if f.source.path == "people/lena.md" and f.severity.label != "info"]
    assert len(bad) == 5, [f.message for f in bad]
    assert all(f.source.line for f in bad)
    assert congratulated(analysis) == ["bob"]


def _commit(root, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, f"--date={date}T12:00:00+00:00")


def _git_journal(make_journal, first_role: str, second_role: str, org: str = "Acme", new_org: str = "Acme"):
    root = make_journal({"people/lena.md": person("Lena Ortiz", role=first_role, org=org),
                         "interactions/a.md": interaction("2026-09-01", "lena")})
    git(root, "init", "-q")
    _commit(root, "lena", "2026-05-01")
    (root / "people" / "lena.md").write_text(person("Lena Ortiz", role=second_role, org=new_org), encoding="utf-8")
    _commit(root, "lena's new role", "2026-10-03")
    return root


def test_a_commit_that_changes_the_role_is_a_change_dated_by_the_commit(make_journal):
    root = _git_journal(make_journal, "Senior PM", "Director of Product")
    found = findings_of(analyze(root, TODAY), "congratulate")
    assert [f.person for f in found] == ["lena"]
    assert "promotion on 2026-10-03 (git): role Senior PM → Director of Product" in found[0].message
    moved = _git_journal(make_journal, "PM", "PM", org="Acme", new_org="Globex")
    assert "new job on 2026-10-03" in findings_of(analyze(moved, TODAY), "congratulate")[0].message


def test_a_commit_fixing_case_or_spelling_or_filling_in_a_role_is_not_a_change(make_journal):
    for first, second in (("Senior PM", "senior PM"), ("Software Enginer", "Software Engineer"),
                          ("", "Director of Product")):
        root = _git_journal(make_journal, first, second)
        assert congratulated(analyze(root, TODAY)) == [], (first, second)


def test_a_commit_undone_later_is_not_a_change(make_journal):
    root = _git_journal(make_journal, "Senior PM", "Director of Product")
    (root / "people" / "lena.md").write_text(person("Lena Ortiz", role="Senior PM", org="Acme"), encoding="utf-8")
    _commit(root, "oops, wrong person", "2026-10-04")
    assert congratulated(analyze(root, TODAY)) == []


def test_a_changes_entry_says_what_kind_a_commits_change_was(make_journal):
    root = _git_journal(make_journal, "CTO", "Advisor")
    assert congratulated(analyze(root, TODAY)) == ["lena"]  # taken for a promotion when nothing says
    (root / "people" / "lena.md").write_text(person(
        "Lena Ortiz", role="Advisor", org="Acme", changes="[{date: 2026-10-03, role: Advisor, kind: left}]"),
        encoding="utf-8")
    assert congratulated(analyze(root, TODAY)) == []


def test_a_journal_inside_another_repository_takes_none_of_its_commits(make_journal):
    root = _git_journal(make_journal, "Senior PM", "Director of Product")
    inner = root / "journal"
    inner.mkdir()
    (root / "people").rename(inner / "people")
    (root / "interactions").rename(inner / "interactions")
    assert congratulated(analyze(inner, TODAY)) == []


def test_due_the_dashboard_and_the_calendar_suggest_it(make_journal, tmp_path):
    root = make_journal({"people/lena.md": promoted("promotion")})
    due = run_cli("due", root, "--today", TODAY.isoformat())
    assert due.exit_code == 0, due.output
    assert "congratulate them" in due.output and "Lena Ortiz" in due.output and "Director of Product" in due.output
    out = tmp_path / "site"
    built = run_cli("build", root, "-o", out, "--today", TODAY.isoformat())
    assert built.exit_code == 0, built.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "congratulate them on the promotion" in index and "Director of Product" in index
    ics = run_cli("export", "ics", root, "--today", TODAY.isoformat()).output
    assert "SUMMARY:Congratulate Lena Ortiz" in ics
    assert f"DTSTART;VALUE=DATE:{TODAY:%Y%m%d}" in ics


def test_a_hidden_persons_change_is_in_no_mentor_output_and_changes_no_count(make_journal, tmp_path):
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/lena.md": promoted("promotion"),
             "people/zed.md": person("Zed Zimmerman-Secret", private="true", role="Chief Canary Officer",
                                     changes="[{date: 2026-10-02, role: Chief Canary Officer, kind: promotion}]"),
             "people/ann.md": person("Ann Open", role="Lead of Zed Zimmerman-Secret's team",
                                     changes="[{date: 2026-10-05, role: Lead of Zed Zimmerman-Secret's team, "
                                             "kind: new-job}]")}
    root = make_journal(files)
    assert congratulated(analyze(root, TODAY)) == ["ann", "lena", "zed"]
    shared = audience_output(root, tmp_path / "mentor")
    for secret in (b"zimmerman", b"chief canary"):
        assert secret not in shared
    index = (tmp_path / "mentor" / "index.html").read_text(encoding="utf-8")
    assert "Congratulations and dates (2)" in index and "Ann Open" in index and "Lena Ortiz" in index
    assert index.count("congratulate them on the") == 2


def test_a_mentor_sees_no_git_change_of_a_hidden_person(make_journal, tmp_path):
    root = make_journal({"netjournal.toml": "[audience.mentor]\n",
                         "people/zed.md": person("Zed Secret", private="true", role="Intern")})
    git(root, "init", "-q")
    _commit(root, "zed", "2026-05-01")
    (root / "people" / "zed.md").write_text(person("Zed Secret", private="true", role="Chief Canary Officer"),
                                            encoding="utf-8")
    _commit(root, "zed promoted", "2026-10-03")
    assert congratulated(analyze(root, TODAY)) == []  # a private version tells nothing (fails closed)
    shared = audience_output(root, tmp_path / "mentor")
    assert b"canary" not in shared and b"intern" not in shared


def test_a_mentor_sees_no_past_role_text_which_may_name_someone_by_a_name_they_no_longer_have(make_journal,
                                                                                               tmp_path):
    """Found by an adversarial review: a visible person's old role named a hidden person by an alias she
    has since dropped (her note renamed). Redaction knows today's names only, so the congratulation's
    "role X → Y" gave the old alias to the mentor. An audience sees what the role is now, never what it was."""
    root = make_journal({"netjournal.toml": "[audience.mentor]\n",
                         "people/zelda.md": person("Zelda Quokkason", private="true", aliases="[ZQ-canary]"),
                         "people/gina.md": person("Gina Grape", role="Assistant to ZQ-canary Quokkason")})
    git(root, "init", "-q")
    _commit(root, "first", "2026-09-01")
    (root / "people" / "zelda.md").write_text(person("Zora Newname", private="true"), encoding="utf-8")
    (root / "people" / "gina.md").write_text(person("Gina Grape", role="Director of Product"), encoding="utf-8")
    _commit(root, "gina promoted", "2026-11-10")
    assert congratulated(analyze(root, TODAY)) == ["gina"]
    shared = audience_output(root, tmp_path / "mentor")
    assert b"zq-canary" not in shared and b"quokkason" not in shared and b"assistant to" not in shared
    index = (tmp_path / "mentor" / "index.html").read_text(encoding="utf-8")
    assert "Gina Grape" in index and "role now Director of Product" in index  # still congratulated


def test_reading_the_history_again_at_the_same_commit_is_cached(make_journal):
    root = _git_journal(make_journal, "Senior PM", "Director of Product")
    from netjournal.career_history import people_history

    first = people_history(root)
    assert (root / ".netjournal-cache" / "people-history.pickle").is_file()
    assert people_history(root) == first
    assert [c.after for c in first["people/lena.md"]] == ["Director of Product"]
    assert first["people/lena.md"][0].date == dt.date(2026, 10, 3)


@pytest.mark.parametrize("worktree", [False, True], ids=["repository", "worktree"])
def test_a_commit_alone_is_seen_by_the_next_build(make_journal, tmp_path, worktree):
    """A build with no note changed stops early when nothing it reads changed: a commit is something it
    reads (the history), so the build after a commit of an already saved edit shows the change; in a git
    worktree too (its `.git` is a file, its branch in the main repository's folder)."""
    import os
    import time

    root = make_journal({"people/lena.md": person("Lena Ortiz", role="Senior PM")})
    git(root, "init", "-q")
    _commit(root, "lena", "2026-05-01")
    if worktree:
        git(root, "worktree", "add", "-q", "-b", "journal", str(tmp_path / "wt"))
        root = tmp_path / "wt"
    (root / "people" / "lena.md").write_text(person("Lena Ortiz", role="Director of Product"), encoding="utf-8")
    past = time.time() - 10
    for path in root.rglob("*"):
        os.utime(path, (past, past))
    out = tmp_path / "site"
    for expected in (False, True):
        built = run_cli("build", root, "-o", out, "--today", TODAY.isoformat())
        assert built.exit_code == 0, built.output
        assert ("congratulate them" in (out / "index.html").read_text(encoding="utf-8")) is expected
        if not expected:
            _commit(root, "lena's new role", "2026-10-03")


def test_bad_congratulation_settings_are_named_and_the_defaults_kept():
    from netjournal.config import Config, parse_config

    config, findings = parse_config('[congratulations]\nkinds = ["promotion", "sideways"]\nwithin = "soon"\n')
    assert [(f.code, f.line) for f in findings] == [("config-invalid", 2), ("config-invalid", 3)]
    assert "sideways" in findings[0].message
    assert (config.congratulate_kinds, config.congratulate_within) == (Config().congratulate_kinds, 90)


def test_hostile_roles_and_dates_are_shown_as_text(make_journal, tmp_path):
    root = make_journal({"people/eve.md": person(
        "'<img src=x onerror=alert(1)>'", role="'<script>alert(2)</script>'", birthday="'--11-23'",
        changes="[{date: 2026-11-01, role: '<script>alert(2)</script>', kind: promotion}]",
        dates="[{date: 2020-11-24, what: '<iframe src=evil>'}]")})
    out = tmp_path / "site"
    assert run_cli("build", root, "-o", out, "--today", TODAY.isoformat()).exit_code == 0
    for page in ("index.html", "people/eve.html", "review.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and "<iframe" not in html, page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in index and "&lt;iframe src=evil&gt;" in index
