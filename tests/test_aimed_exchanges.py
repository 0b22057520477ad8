"""A give, ask or receipt that names its person (`asked: [{what: an intro, of: lena}]`) counts for that
person only: in the reciprocity checks, the ledgers, the pages, the exports and an audience's view. The
plain form is in the ledger of everyone the interaction was with, but in a group it counts in no one's
checks (issue 28: whose ask was it?)."""
import json
import re

from netjournal.analyze import analyze
from netjournal.config import Audience
from netjournal.engine import build_site
from netjournal.export import to_csv, to_json
from netjournal.load import load_note
from netjournal.records import Aim, Ref

from conftest import TODAY, findings_of, interaction, person

ONBOARDING = {
    "people/kim.md": person("Kim Nguyen"),
    "people/lena.md": person("Lena Kowalski", aliases="[Lena]"),
    "interactions/a.md": "---\ndate: 2026-11-02\nwith: [kim, lena]\nkind: meeting\n"
                         "asked:\n  - {what: an intro to the data team, of: lena}\n"
                         "gave:\n  - {what: the onboarding notes, to: [Kim Nguyen]}\n  - a coffee\n"
                         "received:\n  - what: a tour of the office\n    from: Lena\n---\n",
}


def test_the_aimed_form_is_read_with_its_people_and_lines():
    text = ONBOARDING["interactions/a.md"]
    loaded = load_note("interactions", "interactions/a.md", text.encode())
    record = loaded.record
    assert loaded.findings == []
    assert record.asked == ("an intro to the data team",) and record.gave == ("the onboarding notes", "a coffee")
    assert record.received == ("a tour of the office",)
    assert record.aims == (Aim("gave", 0, (Ref("Kim Nguyen", 8),)), Aim("asked", 0, (Ref("lena", 6),)),
                           Aim("received", 0, (Ref("Lena", 11),)))


def test_a_mapping_that_is_not_an_aimed_entry_stays_text_or_is_reported(check_journal):
    analysis = check_journal({
        "people/kim.md": person("Kim"), "people/lena.md": person("Lena"),
        "interactions/a.md": "---\ndate: 2026-11-02\nwith: [kim, lena]\n"
                             "gave:\n  - shared a deck: about budgets\n"
                             "asked:\n  - {what: x, of: lena, to: kim}\n  - {what: '', of: lena}\n"
                             "  - {what: y, for: lena}\n  - {what: z, of: [lena, {a: b}]}\n---\n"})
    (record,) = analysis.journal.interactions
    assert record.gave == ("shared a deck: about budgets",) and record.asked == ("z",)
    assert [(f.line, f.message) for f in findings_of(analysis, "invalid-value")] == [
        (7, "asked: name the person with one of of, to or from, not of and to"),
        (8, "asked: each entry of the form {what, of} needs a 'what' text"),
        (9, "asked: unknown key 'for': an entry is {what, of}, {what, to} or {what, from}"),
        (10, "asked: expected a person (id, name or [[link]]), got a mapping")]


def test_an_aimed_ask_is_charged_to_its_person_only(check_journal):
    analysis = check_journal(ONBOARDING)
    assert [(f.person, f.message) for f in findings_of(analysis, "cold-ask")] == [
        ("lena", ("Lena Kowalski: your first logged interaction already asks for 'an intro to the data team'; "
                  "give or connect first"))]
    plain = check_journal({**ONBOARDING, "interactions/a.md": interaction("2026-11-02", "[kim, lena]",
                                                                           asked="[an intro]")})
    assert findings_of(plain, "cold-ask") == []  # a group's plain ask: whose was it?
    alone = check_journal({**ONBOARDING, "interactions/a.md": interaction("2026-11-02", "kim", asked="[an intro]")})
    assert [f.person for f in findings_of(alone, "cold-ask")] == ["kim"]


def test_the_imbalance_and_favour_checks_count_aimed_entries_for_their_person(check_journal):
    files = {"people/kim.md": person("Kim"), "people/lena.md": person("Lena"),
             "interactions/0.md": interaction("2026-01-05", "[kim, lena]", gave="[hello]"),
             **{f"interactions/{n}.md": (f"---\ndate: 2026-{n + 4:02d}-01\nwith: [kim, lena]\nasked:\n"
                                         f"  - {{what: favour {n}, of: kim}}\n"
                                         "received:\n  - {what: a lift, from: lena}\n---\n")
                for n in range(2, 7)}}
    analysis = check_journal(files)
    assert [f.person for f in findings_of(analysis, "reciprocity-imbalance")] == ["kim"]
    assert [f.person for f in findings_of(analysis, "unreturned-favour")] == ["lena"]
    narrow = findings_of(analysis, "narrow-topics")
    assert [(f.person, "all asks" in f.message) for f in narrow] == [("kim", True)]


def test_an_aim_that_names_nobody_there_is_reported_and_counts_as_plain(check_journal):
    analysis = check_journal({
        "people/kim.md": person("Kim Nguyen"), "people/lena.md": person("Lena Kowalski"),
        "people/bob.md": person("Bob Byte"),
        "interactions/a.md": "---\ndate: 2026-11-02\nwith: [kim, lena]\nasked:\n  - {what: a, of: lenna}\n"
                             "  - {what: b, of: bob}\n---\n"})
    assert [(f.line, f.message) for f in findings_of(analysis, "unknown-person")] == [
        (5, "asked: 'lenna' is not in people/; did you mean lena?")]
    assert [(f.line, f.message) for f in findings_of(analysis, "invalid-value")] == [
        (6, "asked: 'bob' (Bob Byte) was not there (with:); the entry is a plain one: in the ledger of everyone "
            "who was, in no one's checks")]
    assert findings_of(analysis, "cold-ask") == []


def test_pages_show_whom_an_entry_names_and_each_ledger_its_own(make_journal, tmp_path):
    root = make_journal(ONBOARDING)
    out = tmp_path / "site"
    build_site(root, TODAY, out)
    kim = (out / "people" / "kim.html").read_text(encoding="utf-8")
    lena = (out / "people" / "lena.html").read_text(encoding="utf-8")
    ledger = re.compile(r'<table class="ledger stack">.*?</table>', re.DOTALL)
    assert "the onboarding notes" in ledger.search(kim).group(0)
    assert "an intro to the data team" not in ledger.search(kim).group(0)
    assert "an intro to the data team" in ledger.search(lena).group(0)
    assert "Gave 2 · asked 0 · received 0" in kim and "Gave 1 · asked 1 · received 1" in lena
    assert re.search(r'an intro to the data team <span class="meta inline">of <a href="\.\./people/lena\.html">'
                     r"Lena Kowalski</a></span>", kim)  # the interaction, in Kim's timeline too
    people = (out / "people" / "index.html").read_text(encoding="utf-8")
    assert "(2 gave / 0 asked)" in people and "(1 gave / 1 asked)" in people


def test_exports_say_whom_an_entry_names(make_journal):
    analysis = analyze(make_journal(ONBOARDING), TODAY)
    (exported,) = json.loads(to_json(analysis.site()))["interactions"]
    assert exported["asked"] == ["an intro to the data team"]
    assert exported["aimed_at"] == {"gave": [["kim"], []], "asked": [["lena"]], "received": [["lena"]]}
    rows = {row.split(",")[0]: row.split(",")[9:12] for row in to_csv(analysis.site()).splitlines()[1:]}
    assert rows == {"kim": ["2", "0", "0"], "lena": ["1", "1", "1"]}


def test_an_audience_never_sees_an_entry_aimed_at_someone_hidden_from_it(make_journal, tmp_path):
    """Fail closed: an entry aimed only at a private person is about them (its text may say so), so a
    mentor does not see it, and it counts for nobody in the mentor's view; one aimed at a hidden and a
    visible person keeps the visible one; an entry whose person cannot be resolved is left out too."""
    root = make_journal({
        "people/kim.md": person("Kim Nguyen"), "people/zed.md": person("Zed Secret", private="true"),
        "interactions/a.md": "---\ndate: 2026-11-02\nwith: [kim, zed]\nasked:\n"
                             "  - {what: Zed's salary band, of: zed}\n  - {what: a joint intro, of: [zed, kim]}\n"
                             "  - {what: a typo, of: zedd}\n  - an open question\n"
                             "gave:\n  - {what: 'a gift for [[Zed Secret]]', to: zed}\n---\n"})
    mentor = Audience("mentor")
    analysis = analyze(root, TODAY, audience=mentor)
    (seen,) = analysis.journal.interactions
    assert seen.asked == ("a joint intro", "an open question") and seen.gave == ()
    assert seen.aims == (Aim("asked", 0, (Ref("kim", 6),)),)
    exported = json.dumps(json.loads(to_json(analysis.site())))
    assert "Zed" not in exported and "salary" not in exported and "typo" not in exported
    out = tmp_path / "mentor"
    build_site(root, TODAY, out, audience=mentor)
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "salary" not in text and "Zed" not in text and "gift" not in text, page
