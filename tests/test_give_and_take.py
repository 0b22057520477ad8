"""Give and take as a career coach means it (issue 28, items 3-5): a cold ask opens a relationship you
have no history with; the balance leaves a manager out and counts a group's plain entries for no one;
thanks for an introduction, a referral or interview help is owed after a week, other favours are given
back after about 90 days, and a mentor's advice is repaid by telling them what you did with it."""
from conftest import findings_of, interaction, person, run_cli


def people(*ids: str, **fields: str) -> dict[str, str]:
    return {f"people/{pid}.md": person(pid.capitalize(), **fields) for pid in ids}


# --- cold asks ----------------------------------------------------------------------------------------------

def test_a_first_interaction_that_asks_is_a_cold_ask(check_journal):
    analysis = check_journal({**people("kim"), "interactions/a.md": interaction("2026-11-01", "kim", asked="[a job]")})
    assert [f.person for f in findings_of(analysis, "cold-ask")] == ["kim"]


def test_no_cold_ask_with_someone_known_before(check_journal):
    """The false alarms: a mentor known since 2021, someone a contact introduced, a new job's onboarding
    1:1, a manager, a team mate."""
    files = {
        **people("mentor", met="2021-03-01", tags="[mentor]"), **people("lena", introduced_by="mentor"),
        **people("boss", tags="[manager]"), **people("mate", tags="[team]"), **people("hr"),
        "interactions/1.md": interaction("2026-11-01", "mentor", asked="[advice on the case]"),
        "interactions/2.md": interaction("2026-11-02", "lena", asked="[an intro]"),
        "interactions/3.md": interaction("2026-11-03", "boss", asked="[a laptop]"),
        "interactions/4.md": interaction("2026-11-04", "mate", asked="[the wiki]"),
        "interactions/5.md": interaction("2026-11-05", "hr", kind="onboarding", asked="[a badge]"),
    }
    assert findings_of(check_journal(files), "cold-ask") == []


def test_in_a_group_only_an_ask_aimed_at_someone_is_theirs(check_journal):
    group = {**people("kim", "lena"),
             "interactions/a.md": "---\ndate: 2026-11-01\nwith: [kim, lena]\nasked:\n  - the agenda\n"
                                  "  - {what: an intro to her team, of: lena}\n---\n"}
    assert [f.person for f in findings_of(check_journal(group), "cold-ask")] == ["lena"]
    plain = {**people("kim", "lena"), "interactions/a.md": interaction("2026-11-01", "[kim, lena]", asked="[help]")}
    assert findings_of(check_journal(plain), "cold-ask") == []


def test_a_cold_ask_expires(check_journal):
    files = {**people("kim"), "interactions/a.md": interaction("2026-09-01", "kim", asked="[a job]")}
    assert findings_of(check_journal(files), "cold-ask") == []  # 82 days ago: history, not a warning
    longer = {**files, "netjournal.toml": '[reciprocity]\ncold_ask_expires = "120d"\n'}
    assert [f.person for f in findings_of(check_journal(longer), "cold-ask")] == ["kim"]


# --- the balance --------------------------------------------------------------------------------------------

ASKING_THE_MANAGER = {**people("boss", tags="[manager]"), **{
    f"interactions/{n}.md": interaction(day, "boss", asked="[a review]")
    for n, day in enumerate(["2026-10-01", "2026-10-15", "2026-11-01", "2026-11-10"])}}


def test_a_manager_is_exempt_from_the_balance(check_journal):
    analysis = check_journal(ASKING_THE_MANAGER)
    assert findings_of(analysis, "reciprocity-imbalance") == [] and findings_of(analysis, "narrow-topics") == []
    counted = check_journal({**ASKING_THE_MANAGER, "netjournal.toml": "[reciprocity]\nexempt_tags = []\n"})
    assert [f.person for f in findings_of(counted, "reciprocity-imbalance")] == ["boss"]


def test_the_window_is_180_days_and_favours_received_are_not_asks(check_journal):
    old = {**people("kim"), **{f"interactions/{n}.md": interaction(f"2026-0{n}-01", "kim", asked="[x]")
                               for n in range(1, 5)}}
    assert findings_of(check_journal(old), "reciprocity-imbalance") == []  # January to April: over 180 days
    received = {**people("kim"), **{f"interactions/{n}.md": interaction(f"2026-0{n}-01", "kim", received="[a lift]")
                                    for n in (6, 7, 8)}}
    analysis = check_journal(received)
    assert findings_of(analysis, "reciprocity-imbalance") == []  # they gave; you asked nothing
    (favour,) = findings_of(analysis, "unreturned-favour")
    assert favour.message == ("Kim: gave you 'a lift' on 2026-06-01 (and 2 more) and nothing has gone back since; "
                              "give something back")


# --- thanks owed, giving back -------------------------------------------------------------------------------

def test_an_introduction_is_thanks_owed_after_a_week(check_journal):
    files = {**people("raj"), "interactions/a.md": interaction("2026-11-01", "raj", received="[an intro to Hooli]")}
    (finding,) = findings_of(check_journal(files), "thanks-owed")
    assert (finding.person, finding.severity.label) == ("raj", "warning")
    assert finding.message == "Raj: gave you 'an intro to Hooli' on 2026-11-01; no thanks logged since"
    recent = {**people("raj"), "interactions/a.md": interaction("2026-11-18", "raj", received="[a referral]")}
    assert findings_of(check_journal(recent), "thanks-owed") == []  # within the week's grace
    thanked = {**files, "interactions/b.md": interaction("2026-11-03", "raj", kind="thanks")}
    assert findings_of(check_journal(thanked), "thanks-owed") == []
    # a kind is kept as written and compared without its case
    shouted = {**files, "interactions/b.md": interaction("2026-11-03", "raj", kind="Thank-You")}
    assert findings_of(check_journal(shouted), "thanks-owed") == []
    given = {**files, "interactions/b.md": interaction("2026-11-05", "raj", gave="[a coffee]")}
    assert findings_of(check_journal(given), "thanks-owed") == []


def test_thanks_owed_names_what_the_introduction_led_to(check_journal):
    files = {**people("raj", "ann"), "interactions/a.md": interaction("2026-10-01", "raj", received="[an intro to Ann]"),
             "interactions/b.md": interaction("2026-10-10", "ann", title="'Interview at Hooli'") + "Thanks to [[a]].\n"}
    (finding,) = findings_of(check_journal(files), "thanks-owed")
    assert "which led to 'Interview at Hooli' (2026-10-10)" in finding.message
    due = run_cli("due", check_journal(files).root, "--today", "2026-11-22")
    assert "Raj — thanks owed" in due.output


def test_an_introduction_by_introduced_by_is_thanks_owed(check_journal):
    files = {**people("raj"), **people("max", introduced_by="raj", met="2026-11-02", tags="[manager]")}
    (finding,) = findings_of(check_journal(files), "thanks-owed")
    assert finding.message == "Raj: introduced you to Max (now your manager) on 2026-11-02; no thanks logged since"


def test_other_favours_are_given_back_after_about_90_days(check_journal):
    files = {**people("kim"), "interactions/a.md": interaction("2026-09-01", "kim", received="[a book tip]")}
    analysis = check_journal(files)
    assert findings_of(analysis, "thanks-owed") == [] and findings_of(analysis, "unreturned-favour") == []
    older = {**people("kim"), "interactions/a.md": interaction("2026-08-01", "kim", received="[a book tip]")}
    (finding,) = findings_of(check_journal(older), "unreturned-favour")
    assert finding.severity.label == "info" and "give something back" in finding.message


def test_a_mentors_advice_is_repaid_by_telling_them_what_you_did(check_journal):
    advice = {**people("ingrid", tags="[mentor]", met="2025-01-01"),
              "interactions/a.md": interaction("2026-07-01", "ingrid", received="[advice on the promotion case]")}
    assert [f.person for f in findings_of(check_journal(advice), "unreturned-favour")] == ["ingrid"]
    told = {**advice, "interactions/b.md": interaction("2026-08-01", "ingrid", topics="[what I did with it]")}
    assert findings_of(check_journal(told), "unreturned-favour") == []
