"""Every relationship finding on a tiny journal, with its file, line and person."""
import datetime as dt

from netjournal.checks.goals import goal_coverage
from netjournal.checks.staleness import contact_status

from conftest import TODAY, findings_of, interaction, person


def one(analysis, code):
    found = findings_of(analysis, code)
    assert len(found) == 1, [f.message for f in analysis.findings]
    return found[0]


def test_stale_contact_uses_person_then_tag_then_default(check_journal):
    analysis = check_journal({
        "netjournal.toml": '[cadence]\ndefault = "90d"\n[cadence.tags]\nmentor = "30d"\n',
        "people/own.md": person("Own", cadence="10d", tags="[mentor]"),
        "people/tagged.md": person("Tagged", tags="[peer, mentor]"),
        "people/default.md": person("Default"),
        "interactions/a.md": interaction("2026-11-01", "[own, tagged, default]"),
    })
    stale = findings_of(analysis, "stale-contact")
    assert [(f.person, f.line) for f in stale] == [("own", 3)]
    assert "due 2026-11-11, 11 days ago" in stale[0].message
    one_day = check_journal({"people/own.md": person("Own", cadence="20d"),
                             "interactions/a.md": interaction("2026-11-01", "own")})
    assert "due 2026-11-21, 1 day ago" in one(one_day, "stale-contact").message  # not "1 days ago"
    status = contact_status(analysis.journal, analysis.config, TODAY, analysis.journal.people["tagged"])
    assert (status.cadence, status.next_due) == (30, dt.date(2026, 12, 1))
    later = check_journal({
        "netjournal.toml": '[cadence.tags]\nmentor = "30d"\n',
        "people/tagged.md": person("Tagged", tags="[mentor]"),
        "interactions/a.md": interaction("2026-10-01", "tagged")})
    assert "tag 'mentor'" in one(later, "stale-contact").message


def test_snooze_pause_none_and_met(check_journal):
    analysis = check_journal({
        "people/snoozed.md": person("Snoozed", snooze_until="2026-12-01"),
        "people/paused.md": person("Paused", paused="true"),
        "people/never.md": person("Never", cadence="none"),
        "people/metonly.md": person("Met Only", met="2026-01-01"),
        "people/unknown.md": person("No Dates"),
        "interactions/a.md": interaction("2025-01-01", "[snoozed, paused, never]"),
    })
    assert [f.person for f in findings_of(analysis, "stale-contact")] == ["metonly"]
    assert "met 2026-01-01, no interaction logged" in findings_of(analysis, "stale-contact")[0].message


def test_future_interactions_are_not_contact(check_journal):
    analysis = check_journal({"people/a.md": person("A", met="2026-01-01"),
                              "interactions/plan.md": interaction("2026-12-24", "a")})
    assert one(analysis, "stale-contact").person == "a"


def test_follow_ups_overdue_and_due(check_journal):
    analysis = check_journal({
        "people/ada.md": person("Ada"),
        "interactions/a.md": """
            ---
            date: 2026-11-01
            with: ada
            follow_ups:
              - {what: late, due: 2026-11-21}
              - {what: soon, due: 2026-11-29}
              - {what: later, due: 2026-11-30}
              - {what: done late, due: 2026-11-01, done: true}
            ---
            - [ ] task late 📅 2026-11-02
            - [ ] task today (due 2026-11-22)
            - [x] task done [due:: 2026-11-01]
            """,
    })
    overdue = findings_of(analysis, "follow-up-overdue")
    assert [(f.line, f.person) for f in overdue] == [(5, "ada"), (10, "ada")]
    assert "1 day ago" in overdue[0].message
    due = findings_of(analysis, "follow-up-due")
    assert [f.line for f in due] == [6, 11] and "due today" in due[1].message


def test_reciprocity_imbalance_over_the_window(check_journal):
    files = {"people/ada.md": person("Ada"),
             "interactions/0.md": interaction("2025-01-01", "ada", gave="[x]"),
             "interactions/old.md": interaction("2025-06-01", "ada", asked="[a, b, c, d]")}
    assert findings_of(check_journal(files), "reciprocity-imbalance") == []  # outside the 365-day window
    files["interactions/new.md"] = interaction("2026-06-01", "ada", asked="[a, b, c]")
    assert "asked 3 times and gave 0" in one(check_journal(files), "reciprocity-imbalance").message
    files["interactions/give.md"] = interaction("2026-07-01", "ada", gave="[help]")
    assert findings_of(check_journal(files), "reciprocity-imbalance") == []


def test_cold_ask_points_at_the_asked_line(check_journal):
    analysis = check_journal({
        "people/ada.md": person("Ada"), "people/bob.md": person("Bob", ignore="[cold-ask]"),
        "interactions/a.md": "---\ndate: 2026-11-01\nwith: ada\nasked: [a job]\n---\n",
        "interactions/b.md": "---\ndate: 2026-11-01\nwith: bob\nasked: [a job]\n---\n",
        "interactions/c.md": "---\ndate: 2026-11-02\nwith: ada\n---\n",
    })
    finding = one(analysis, "cold-ask")
    assert (finding.path, finding.line, finding.person) == ("interactions/a.md", 4, "ada")


def test_unreturned_favour_after_grace(check_journal):
    files = {"people/ada.md": person("Ada"),
             "interactions/a.md": "---\ndate: 2026-08-01\nwith: ada\nreceived: [a book tip]\n---\n"}
    finding = one(check_journal(files), "unreturned-favour")
    assert (finding.line, finding.severity.label) == (4, "info")
    files["interactions/b.md"] = interaction("2026-10-01", "ada", gave="[thanks]")
    assert findings_of(check_journal(files), "unreturned-favour") == []
    recent = {"people/ada.md": person("Ada"),
              "interactions/a.md": "---\ndate: 2026-09-10\nwith: ada\nreceived: [a book tip]\n---\n"}
    assert findings_of(check_journal(recent), "unreturned-favour") == []  # within the 90 days' grace


def test_narrow_topics_all_asks_or_one_topic(check_journal):
    asks = {"people/ada.md": person("Ada"), **{
        f"interactions/{d}.md": interaction(f"2026-11-0{d}", "ada", asked="[x]", topics=f"[t{d}]")
        for d in range(1, 5)}}
    assert "all asks" in one(check_journal(asks), "narrow-topics").message
    topic = {"people/ada.md": person("Ada"), **{
        f"interactions/{d}.md": interaction(f"2026-11-0{d}", "ada", topics="[budget]") for d in range(1, 5)}}
    assert "'budget'" in one(check_journal(topic), "narrow-topics").message
    varied = dict(topic, **{"interactions/5.md": interaction("2026-11-05", "ada", topics="[family]")})
    assert findings_of(check_journal(varied), "narrow-topics") == []


def test_goal_stakeholder_cold_with_coverage(check_journal):
    analysis = check_journal({
        "people/warm.md": person("Warm"), "people/stale.md": person("Stale", cadence="7d"),
        "people/never.md": person("Never"),
        "interactions/a.md": interaction("2026-11-01", "[warm, stale]"),
        "goals/promo.md": "---\ntitle: Promo\nstakeholders:\n  - warm\n  - stale\n  - never\n---\n",
        "goals/done.md": "---\ntitle: Done\nstatus: achieved\nstakeholders: [never]\n---\n",
    })
    cold = findings_of(analysis, "goal-stakeholder-cold")
    assert [(f.person, f.line) for f in cold] == [("stale", 5), ("never", 6)]
    assert all("coverage 1/3 stakeholders warm" in f.message for f in cold)
    assert "never contacted" in cold[1].message
    coverage = goal_coverage(analysis.journal, analysis.config, TODAY, analysis.journal.goals["promo"])
    assert coverage.warm == ("warm",) and coverage.cold == ("stale", "never")


def test_config_ignore_silences_a_code(check_journal):
    analysis = check_journal({"netjournal.toml": '[checks]\nignore = ["stale-contact"]\n',
                              "people/a.md": person("A", met="2020-01-01")})
    assert findings_of(analysis, "stale-contact") == []


#: Ada and Bob share a history with something for every check: asks, gifts, favours, topics, follow-ups
SHARED_HISTORY = {
    "people/ada.md": person("Ada", cadence="30d", ignore="[narrow-topics]"),
    "people/bob.md": person("Bob", cadence="14d"),
    "people/cy.md": person("Cy", cadence="7d"),
    "interactions/1.md": interaction("2026-06-01", "ada", asked="[intro]", topics="[budget]"),
    "interactions/2.md": interaction("2026-07-01", "[ada, bob]", received="[a referral]", topics="[budget]",
                                     follow_ups="[{what: thank them, due: 2026-07-10}]"),
    "interactions/3.md": interaction("2026-08-01", "bob", asked="[a, b, c]", topics="[budget]"),
    "interactions/4.md": interaction("2026-11-20", "cy", follow_ups="[{what: send notes, due: 2026-11-25}]"),
    "interactions/5.md": interaction("2026-09-01", "bob", topics="[budget]"),
    "interactions/6.md": interaction("2026-09-02", "bob", topics="[Budget]"),
    "goals/promo.md": "---\ntitle: Promo\nstakeholders: [ada, bob, cy]\n---\n",
}

#: Edits of interactions/2.md that keep its id and date
SHARED_HISTORY_EDITS = {
    "gave back": interaction("2026-07-01", "[ada, bob]", received="[a referral]", gave="[thanks]",
                             follow_ups="[{what: thank them, due: 2026-07-10, done: true}]"),
    "now with Cy alone": interaction("2026-07-01", "cy", asked="[x, y, z]", topics="[budget]",
                                     follow_ups="[{what: thank them, due: 2026-11-23}]"),
    "follow-ups gone": interaction("2026-07-01", "[ada, bob]", topics="[other]"),
    "a receipt aimed at Bob": interaction("2026-07-01", "[ada, bob]", received="[{what: a referral, from: bob}]",
                                          topics="[budget]", follow_ups="[{what: thank them, due: 2026-07-10}]"),
}
