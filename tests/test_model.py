"""Resolving references: ids, names, aliases and wikilinks, case-insensitively; unknown and duplicate ids."""
import datetime as dt

from netjournal.load import load_journal
from netjournal.model import build_journal

from conftest import codes, findings_of, interaction, person


def test_three_reference_forms_and_aliases(check_journal):
    analysis = check_journal({
        "people/ada-lovelace.md": person("Ada Lovelace", aliases="[Countess]"),
        "people/radia-spärck-jones.md": person("Radia Spärck Jones"),
        "interactions/a.md": interaction("2026-11-01", "ADA-LOVELACE"),
        "interactions/b.md": interaction("2026-11-02", '"[[ada lovelace]]"'),
        "interactions/c.md": interaction("2026-11-03", "[[Radia Spärck Jones]]"),
        "interactions/d.md": interaction("2026-11-04", "[countess, radia-spärck-jones]"),
        "interactions/e.md": interaction("2026-11-05", '"[[people/ada-lovelace|Ada]]"'),
    })
    journal = analysis.journal
    assert [f.code for f in analysis.findings if f.severity == 0] == []
    assert journal.participants == {
        "a": ("ada-lovelace",), "b": ("ada-lovelace",), "c": ("radia-spärck-jones",),
        "d": ("ada-lovelace", "radia-spärck-jones"), "e": ("ada-lovelace",)}
    assert [i.id for i in journal.interactions_with("ada-lovelace")] == ["a", "b", "d", "e"]


def test_unknown_person_points_at_the_with_line(check_journal):
    analysis = check_journal({
        "people/ada.md": person("Ada"),
        "interactions/a.md": "---\ndate: 2026-11-01\nkind: call\nwith:\n  - ada\n  - grace\n---\n",
    })
    (finding,) = findings_of(analysis, "unknown-person")
    assert (finding.path, finding.line) == ("interactions/a.md", 6) and "'grace'" in finding.message
    assert analysis.journal.participants["a"] == ("ada",)  # the known person keeps the interaction


def test_duplicate_ids_keep_the_first(check_journal):
    analysis = check_journal({"people/ada.md": person("Ada One"), "people/old/ada.md": person("Ada Two")})
    (finding,) = findings_of(analysis, "duplicate-id")
    assert finding.path == "people/old/ada.md" and analysis.journal.people["ada"].name == "Ada One"


def test_two_interaction_notes_of_one_id_keep_the_first_whatever_was_applied_last(make_journal):
    """A private note at the path of a public one has its id: the first by path counts, the other is a
    duplicate-id, and once the first is gone the other counts (the table once kept whichever came last)."""
    root = make_journal({"people/ada.md": person("Ada"), "people/bob.md": person("Bob"),
                         "interactions/2026/x.md": interaction("2026-11-20", "ada"),
                         "private/interactions/2026/x.md": interaction("2026-11-20", "bob")})
    records = {r.path: r for r in load_journal(root).records}
    public, private = records["interactions/2026/x.md"], records["private/interactions/2026/x.md"]
    for order in ([public, private], [private, public]):
        journal, found = build_journal([records["people/ada.md"], records["people/bob.md"], *order])
        assert journal.participants["2026/x"] == ("ada",)
        assert [(f.code, f.path) for f in found] == [("duplicate-id", "private/interactions/2026/x.md")]
        assert journal.apply([(public, None)]) and journal.participants["2026/x"] == ("bob",)
        assert journal.findings() == [] and len(journal.interaction_ids()) == 1
        journal.apply([(None, public)])
        assert journal.participants["2026/x"] == ("ada",) and len(journal.findings()) == 1


def test_a_name_whose_case_alone_changed_is_suggested_as_now_written(make_journal):
    """Spelling suggestions ("did you mean") show a name as written: renaming "Ada Lovelace" to "ADA
    LOVELACE" changes no name key, and the suggestion is the new spelling all the same."""
    root = make_journal({"people/ada.md": person("Ada Lovelace", aliases="[Countess]"),
                         "interactions/2026/a.md": interaction("2026-11-01", "'Ada Lovelac'")})
    records = {r.path: r for r in load_journal(root).records}
    journal, found = build_journal(records.values())
    assert "did you mean Ada Lovelace (ada)?" in found[0].message
    (root / "people/ada.md").write_text(person("ADA LOVELACE", aliases="[COUNTESS]"), encoding="utf-8")
    renamed = next(r for r in load_journal(root).records if r.path == "people/ada.md")
    journal.apply([(records["people/ada.md"], renamed)])
    assert "did you mean ADA LOVELACE (ada)?" in journal.findings()[0].message
    assert journal.close_people("Countes") == [("COUNTESS", "ada")]


def test_ambiguous_name(check_journal):
    analysis = check_journal({"people/a1.md": person("Alex Kim"), "people/a2.md": person("Alex Kim"),
                              "interactions/x.md": interaction("2026-11-01", "Alex Kim")})
    assert "ambiguous-person" in codes(analysis)


def test_introductions_and_stakeholders_resolve(check_journal):
    analysis = check_journal({
        "people/ada.md": person("Ada"),
        "people/bob.md": person("Bob", introduced_by='"[[Ada]]"'),
        "goals/g.md": "---\ntitle: G\nstakeholders: [Ada, bob, nobody]\n---\n",
    })
    assert analysis.journal.introducer == {"bob": "ada"}
    assert analysis.journal.stakeholders == {"g": ("ada", "bob")}
    assert [(f.code, f.line) for f in findings_of(analysis, "unknown-person")] == [("unknown-person", 3)]
    assert analysis.journal.introduced_by("ada") == ["bob"]


def test_body_wikilinks_resolve_to_people_and_goals(check_journal):
    analysis = check_journal({
        "people/ada.md": "---\nname: Ada\n---\nSee [[Bob]], [[promo]] and [[Nobody Here]].\n",
        "people/bob.md": person("Bob"),
        "goals/promo.md": "---\ntitle: Promotion\nstakeholders: [ada]\n---\n",
    })
    links = analysis.journal.links["people/ada.md"]
    assert (links["Bob"].kind, links["Bob"].id) == ("person", "bob")
    assert (links["promo"].kind, links["promo"].id) == ("goal", "promo")
    (finding,) = findings_of(analysis, "unresolved-link")
    assert finding.line == 4 and "Nobody Here" in finding.message


def test_a_window_of_interactions_and_of_due_follow_ups_is_what_a_scan_of_all_finds(make_journal):
    """interactions_between and open_follow_ups_due (the weekly review's) read only what they need and
    find what filtering every interaction or open follow-up finds, the days at both ends included."""
    notes = {f"people/p{n}.md": person(f"Person {n}") for n in range(30)}
    for n in range(600):  # interactions over three years, several a day, with promises due, undated and done
        day = dt.date(2024, 1, 1) + dt.timedelta(days=n * 7 % 1000)
        due = f", due: {day + dt.timedelta(days=n % 40)}" if n % 3 else ""
        notes[f"interactions/{day.year}/i{n}.md"] = interaction(
            day.isoformat(), f"[p{n % 30}, p{n * 7 % 30}]",
            follow_ups=f"[{{what: task {n}{due}, done: {str(n % 5 == 0).lower()}}}, {{what: more {n}}}]")
    notes["goals/g.md"] = "---\ntitle: G\nstakeholders: [p1]\n---\n- [ ] a goal's task (due 2025-06-01)\n- [ ] undated\n"
    journal = build_journal(load_journal(make_journal(notes)).records)[0]
    places = journal.interaction_ids()
    items = journal.open_follow_ups()
    days = sorted({day for day, _, _ in places} | {f.due for f in items if f.due is not None})
    assert len(places) > 100 and sum(f.due is not None for f in items) > 5
    windows = [(days[0], days[-1]), (days[3], days[3]), (dt.date.min, dt.date.max), (days[-1], days[0])]
    dues = sorted({f.due for f in items if f.due is not None})
    windows += [(day - dt.timedelta(days=before), day + dt.timedelta(days=after)) for day in days[::37] + dues[::11]
                for before, after in ((0, 0), (6, 0), (0, 6), (45, 1))]
    for start, end in windows:
        assert journal.interactions_between(start, end) == [p for p in places if start <= p[0] <= end]
        assert journal.open_follow_ups_due(start, end) == [f for f in items if f.due is not None
                                                            and start <= f.due <= end]
        assert journal.latest_interactions(end, 12) == [p for p in places if p[0] <= end][::-1][:12]
    assert journal.latest_interactions(dt.date.max, 30) == places[::-1][:30]
    assert journal.latest_interactions(dt.date.max, 0) == []
    assert journal.interactions_total() == len(places)
    assert journal.open_total() == len(items)
    promises = [f for f in journal.follow_ups if f.promised_on is not None]
    for start, end in windows:
        assert journal.follow_ups_promised(start, end) == [f for f in promises if start <= f.promised_on <= end]
