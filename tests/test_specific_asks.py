"""Specific asks: an ask that is a blank check gets an info finding quoting it; a specific one does not."""
from __future__ import annotations

from netjournal.findings import Severity

from conftest import TODAY, audience_output, findings_of, interaction, output_bytes, person, run_cli

ASKS = '["help", "Any advice?", "support!", "anything you can do", "coffee", "an intro to the data team", ' \
       '"feedback on my promotion case", "a reference for the staff panel by Friday"]'


def vague(analysis):
    return [f for f in findings_of(analysis, "vague-ask")]


def test_blank_checks_are_reported_and_specific_asks_are_not(check_journal):
    analysis = check_journal({"people/ada.md": person("Ada"),
                              "interactions/2026/a.md": interaction("2026-11-01", "ada", asked=ASKS)})
    found = vague(analysis)
    quoted = [f.message.split("you asked for ")[1].split(", a blank check")[0] for f in found]
    assert sorted(quoted) == sorted(["'help'", "'Any advice?'", "'support!'", "'anything you can do'", "'coffee'"])
    assert {(f.path, f.line, f.person, f.severity) for f in found} == {
        ("interactions/2026/a.md", 4, "ada", Severity.INFO)}
    assert "ask for one specific thing" in found[0].message


def test_an_ask_with_several_people_is_reported_once_under_whom_it_was_asked_of(check_journal):
    analysis = check_journal({
        "people/ada.md": person("Ada"), "people/bo.md": person("Bo"),
        "interactions/2026/a.md": interaction("2026-11-01", "[ada, bo]", asked="[help, {what: any advice, of: bo}]")})
    assert sorted((f.person, f.message.split("asked for ")[1][:12]) for f in vague(analysis)) == [
        ("ada", "'help', a bl"), ("bo", "'any advice'")]


def test_old_asks_are_past_the_window(check_journal):
    analysis = check_journal({"people/ada.md": person("Ada"),
                              "interactions/2024/a.md": interaction("2024-01-01", "ada", asked="[help]")})
    assert vague(analysis) == []


def test_phrases_and_minimum_length_are_configurable(check_journal):
    files = {"netjournal.toml": '[asks]\nvague = ["a referral"]\nmin_words = 1\n', "people/ada.md": person("Ada"),
             "interactions/2026/a.md": interaction("2026-11-01", "ada", asked='["help", "A referral.", "coffee"]')}
    assert [f.message.split("asked for ")[1][:14] for f in vague(check_journal(files))] == ["'A referral.',"]
    files["netjournal.toml"] = '[checks]\nignore = ["vague-ask"]\n'
    assert vague(check_journal(files)) == []
    files["netjournal.toml"] = '[asks]\nmin_words = "two"\n'
    assert findings_of(check_journal(files), "config-invalid")


def test_the_finding_is_on_the_person_page_and_hidden_people_stay_hidden(make_journal, tmp_path):
    root = make_journal({"netjournal.toml": "[audience.mentor]\n", "people/ada.md": person("'<b>Ada</b>'"),
                         "people/zed.md": person("Zed Canaryname", private="true"),
                         "interactions/2026/a.md": interaction("2026-11-01", "ada", asked="['<i>']"),
                         "interactions/2026/z.md": interaction("2026-11-02", "zed", asked="[canaryask]")})
    result = run_cli("build", root, "-o", tmp_path / "site", "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    page = (tmp_path / "site/people/ada.html").read_text(encoding="utf-8")
    assert "on 2026-11-01 you asked for &#39;&lt;i&gt;&#39;, a blank check" in page and "&lt;b&gt;Ada&lt;/b&gt;" in page
    assert "<i>" not in page and "<b>Ada" not in page
    assert b"canary" not in audience_output(root, tmp_path / "mentor")
    assert b"canary" in output_bytes(tmp_path / "site")
