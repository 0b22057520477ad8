"""`cold-ask` encodes "do not open a new relationship with a request". A new job's first meetings (an
onboarding 1:1, your manager, your team) are not that: interactions of some kinds and people with some
tags are exempt, by default `onboarding`, `manager` and `team`, and netjournal.toml can say otherwise."""
from netjournal.config import Config, parse_config

from conftest import findings_of, interaction, person

NEW_JOB = {
    "people/maria.md": person("Maria Manager", tags="[Manager]"),
    "people/tom.md": person("Tom Teammate", tags="['#team']"),
    "people/olu.md": person("Olu Onboarding-Buddy"),
    "people/rita.md": person("Rita Recruiter"),
    "interactions/1.md": interaction("2026-11-02", "maria", kind="meeting", asked="[the team's priorities]"),
    "interactions/2.md": interaction("2026-11-03", "tom", kind="coffee", asked="[a code walkthrough]"),
    "interactions/3.md": interaction("2026-11-04", "olu", kind="Onboarding", asked="[where the docs are]"),
    "interactions/4.md": interaction("2026-11-05", "rita", kind="call", asked="[a referral]"),
}


def cold(analysis):
    return sorted(f.person for f in findings_of(analysis, "cold-ask"))


def test_a_new_hires_first_meetings_are_not_cold_asks_by_default(check_journal):
    assert cold(check_journal(NEW_JOB)) == ["rita"]


def test_the_exemptions_are_settings(check_journal):
    none = '[reciprocity]\ncold_ask_exempt_kinds = []\ncold_ask_exempt_tags = []\n'
    assert cold(check_journal({**NEW_JOB, "netjournal.toml": none})) == ["maria", "olu", "rita", "tom"]
    custom = '[reciprocity]\ncold_ask_exempt_kinds = ["Call"]\ncold_ask_exempt_tags = ["#Team"]\n'
    assert cold(check_journal({**NEW_JOB, "netjournal.toml": custom})) == ["maria", "olu"]


def test_only_the_first_interaction_decides(check_journal):
    """An onboarding meeting first, an ask later: no cold ask. A coffee that asks first, an onboarding
    meeting later: a cold ask."""
    files = {"people/ada.md": person("Ada"), "people/bob.md": person("Bob"),
             "interactions/1.md": interaction("2026-10-01", "ada", kind="onboarding"),
             "interactions/2.md": interaction("2026-10-02", "ada", asked="[help]"),
             "interactions/3.md": interaction("2026-10-01", "bob", kind="coffee", asked="[help]"),
             "interactions/4.md": interaction("2026-10-02", "bob", kind="onboarding")}
    assert cold(check_journal(files)) == ["bob"]


def test_bad_exemption_settings_are_named_and_the_defaults_kept():
    config, findings = parse_config('[reciprocity]\ncold_ask_exempt_kinds = "onboarding"\n'
                                    'cold_ask_exempt_tags = [1]\n')
    assert [(f.code, f.line) for f in findings] == [("config-invalid", 2), ("config-invalid", 3)]
    assert "reciprocity.cold_ask_exempt_kinds" in findings[0].message
    assert (config.cold_ask_exempt_kinds, config.cold_ask_exempt_tags) == (
        Config().cold_ask_exempt_kinds, Config().cold_ask_exempt_tags) == (
        frozenset({"onboarding"}), frozenset({"manager", "team"}))
