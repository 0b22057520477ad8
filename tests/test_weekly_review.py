"""The weekly review (issue 26 item 7): `netjournal review [--week|--since DATE]` and review.html, one
digest of the period; a mentor's has no hidden person in it and counts none."""
from __future__ import annotations

from conftest import TODAY, audience_output, interaction, person, run_cli

JOURNAL = {
    "netjournal.toml": "[audience.mentor]\n",
    "people/lena.md": person("Lena Ortiz", role="Director", changes="[{date: 2026-11-21, role: Director}]"),
    "people/bob.md": person("Bob Builder"),
    "people/zed.md": person("Zed Canary-Secret", private="true"),
    "interactions/old.md": interaction("2026-10-01", "bob", follow_ups="[{what: send Bob the paper, "
                                                                       "due: 2026-11-18}]"),
    "interactions/a.md": interaction("2026-11-16", "lena", gave="[an intro to the data team]",
                                     asked="[feedback on my promotion case]",
                                     follow_ups="[{what: send Lena the deck, done: true}, {what: book a lunch}]"),
    "interactions/b.md": interaction("2026-11-20", "[bob, lena]", received="[a referral]"),
    "interactions/c.md": interaction("2026-11-21", "zed", gave="[canary advice]"),
    "interactions/d.md": interaction("2026-11-21", "[bob, zed]", title="Lunch", asked="[a favour]"),
    "interactions/future.md": interaction("2026-11-30", "bob", gave="[later]"),
    "goals/promo.md": "---\ntitle: Get promoted\nstakeholders: [lena, bob, zed]\n---\n",
}


def review(root, *args):
    result = run_cli("review", root, "--today", TODAY.isoformat(), *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_week_in_one_digest(make_journal):
    out = review(make_journal(JOURNAL))
    assert out.startswith("Review of 2026-11-16 to 2026-11-22\n")
    assert "4 interactions with 3 people; gave 2, asked 2, received 1; 2 promises made, 1 kept" in out
    assert "Bob Builder (2)" in out and "Lena Ortiz (2)" in out
    assert "2026-11-16 gave an intro to the data team (Lena Ortiz)" in out
    assert "done: send Lena the deck (Lena Ortiz)" in out and "open: book a lunch (Lena Ortiz)" in out
    assert "2026-11-18 send Bob the paper (Bob Builder), promised 2026-10-01" in out
    assert "Lena Ortiz: congratulate them on the promotion on 2026-11-21" in out
    assert "Get promoted: " in out
    assert "later" not in out  # the future is not in the week


def test_a_promise_is_said_to_be_for_whom_it_names(make_journal):
    """As `check` and `due` say it: a 1:1 with Bob promised in a meeting with Ada is for Bob (the review
    said Ada, the person the meeting was with)."""
    root = make_journal({"people/ada.md": person("Ada Lovelace"), "people/bob.md": person("Bob Builder"),
                         "interactions/a.md": interaction("2026-11-18", "ada",
                                                          follow_ups="[{what: book a 1:1 with Bob, due: 2026-11-25}]")})
    assert "open: book a 1:1 with Bob (Bob Builder), due 2026-11-25" in review(root)
    assert "'book a 1:1 with Bob' for Bob Builder" in run_cli("check", root, "--today", TODAY.isoformat()).output


def test_since_a_date(make_journal):
    out = review(make_journal(JOURNAL), "--since", "2026-11-20")
    assert out.startswith("Review of 2026-11-20 to 2026-11-22\n")
    assert "3 interactions with 3 people; gave 1, asked 1, received 1; 0 promises made, 0 kept" in out
    bad = run_cli("review", make_journal(JOURNAL), "--today", TODAY.isoformat(), "--since", "2026-12-01")
    assert bad.exit_code == 2 and "after today" in bad.output


def test_a_mentors_review_has_no_hidden_person_and_counts_none(make_journal, tmp_path):
    root = make_journal(JOURNAL)
    out = review(root, "--audience", "mentor")
    assert "canary" not in out.casefold() and "zed" not in out.casefold()
    # zed's own interaction is not there; the lunch with bob is, with zed as nobody counted
    assert "3 interactions with 2 people; gave 1, asked 2, received 1;" in out
    shared = audience_output(root, tmp_path / "mentor")
    assert b"canary" not in shared
    page = (tmp_path / "mentor" / "review.html").read_text(encoding="utf-8")
    assert "Who you met (2)" in page and "3 interactions with 2 people" in page


def test_the_review_page(make_journal, tmp_path):
    root = make_journal({**JOURNAL, "people/eve.md": person("'<script>alert(1)</script>'"),
                         "interactions/e.md": interaction("2026-11-22", "eve", gave="['<img src=x onerror=alert(1)>']")})
    out = tmp_path / "site"
    assert run_cli("build", root, "-o", out, "--today", TODAY.isoformat()).exit_code == 0
    page = (out / "review.html").read_text(encoding="utf-8")
    assert "Weekly review" in page and "2026-11-16 to 2026-11-22" in page
    assert "<script>alert" not in page and "<img src=x" not in page and "&lt;img src=x" in page
    assert 'href="review.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_a_promise_is_listed_once_though_two_notes_claim_its_interaction(make_journal):
    """A private note at a public one's path claims its interaction id: the first by path counts (the
    other is a duplicate-id), and its promise is listed once, not once per note of that id."""
    root = make_journal({
        "people/ada.md": person("Ada"), "people/bob.md": person("Bob"),
        "interactions/2026/x.md": interaction("2026-11-20", "ada", follow_ups="[{what: call Ada again}]"),
        "private/interactions/2026/x.md": interaction("2026-11-20", "bob", follow_ups="[{what: mail Bob}]")})
    out = review(root)
    assert out.count("call Ada again") == 1 and "mail Bob" not in out
    assert "1 interaction with 1 person" in out
