"""Settings and fields that decide privacy fail closed when mistyped (issue 23, items 2 and 8).

An audience setting that cannot be read exactly refuses that audience with an error naming the key;
`exclude_tags` matches tags however they are written; every way of writing `private` that could mean
true counts as private; a front-matter key close to a known one is reported with a suggestion.
"""
from __future__ import annotations

import subprocess

import pytest

from netjournal.analyze import analyze

from conftest import TODAY, audience_output, findings_of, run_cli

SECRET = "Zqsecretname"


def _tagged_journal(make_journal, setting: str, tags: str = "[confidential]", topic: str = "confidential"):
    return make_journal({
        "netjournal.toml": f"[audience.mentor]\n{setting}\n",
        "people/pat.md": "---\nname: Pat Public\n---\n",
        "people/tagged.md": f"---\nname: {SECRET} Tagged\ntags: {tags}\n---\n",
        "interactions/2026/topic.md": f"---\ndate: 2026-11-01\nwith: pat\ntitle: {SECRET} topic\n"
                                      f"topics: [\"{topic}\"]\n---\n",
    })


@pytest.mark.parametrize("setting", [
    'exclude_tags = "confidential"',  # a string, not a list
    'exclude_tags = ["confidential", 3]',  # a list with something else in it
    'exclude_tags = {confidential = true}',  # a table
    'exclude_tags = ["confidential", ""]',  # a tag of nothing
    'exclude_tag = ["confidential"]',  # a near miss of the key
    'exclude-tags = ["confidential"]',
])
def test_an_unreadable_audience_setting_refuses_the_audience(make_journal, tmp_path, setting):
    root = _tagged_journal(make_journal, setting)
    key = setting.split(" =")[0]
    for args in (("build", root, "--audience", "mentor", "-o", tmp_path / "site"),
                 ("export", "json", root, "--audience", "mentor")):
        result = run_cli(*args, "--today", TODAY.isoformat())
        assert result.exit_code == 1, result.output
        assert f"audience.mentor.{key}" in result.output and SECRET not in result.output
    assert not (tmp_path / "site").exists()
    check = run_cli("check", root, "--today", TODAY.isoformat())
    assert check.exit_code == 1 and f"audience.mentor.{key}" in check.output and "[config-invalid]" in check.output


@pytest.mark.parametrize("tags, topic", [
    ("[confidential]", "confidential"), ('["#Confidential"]', "#confidential"), ('[" CONFIDENTIAL "]', " Confidential"),
    ('["#confidential"]', "ＣＯＮＦＩＤＥＮＴＩＡＬ"), ('["con\u200bfidential"]', "# confidential"),
])
@pytest.mark.parametrize("setting", ['exclude_tags = ["confidential"]', 'exclude_tags = ["#Confidential "]'])
def test_excluded_tags_match_however_they_are_written(make_journal, tmp_path, setting, tags, topic):
    root = _tagged_journal(make_journal, setting, tags, topic)
    assert SECRET.lower().encode() not in audience_output(root, tmp_path / "mentor")


@pytest.mark.parametrize("front", [
    "tags: confidential, other",  # one text of comma-separated tags, as Obsidian lets you write them
    "tags: other,confidential",
    "Tags: [confidential]",  # a mistyped key: what it holds was meant as tags
    "tag: [confidential]",
    "TAGS: confidential",
])
def test_excluded_tags_are_found_however_the_tags_are_written(make_journal, tmp_path, front):
    """Found by an adversarial review: the person was published, `check` warning only of an unknown key."""
    topics = front.replace("tags", "topics").replace("Tags", "Topics").replace("TAGS", "TOPICS")
    topics = topics.replace("tag:", "topic:")
    root = make_journal({
        "netjournal.toml": '[audience.mentor]\nexclude_tags = ["confidential"]\n',
        "people/pat.md": "---\nname: Pat Public\n---\n",
        "people/tagged.md": f"---\nname: {SECRET} Tagged\n{front}\n---\n",
        "interactions/2026/topic.md": f"---\ndate: 2026-11-01\nwith: pat\ntitle: {SECRET} topic\n"
                                      f"{topics}\n---\n",
    })
    assert SECRET.lower().encode() not in audience_output(root, tmp_path / "mentor")


# --- ways of writing `private` ------------------------------------------------------------------------

PRIVATE_WAYS = {
    "empty": "private:\n",
    "null": "private: null\n",
    "tilde": "private: ~\n",
    "empty string": 'private: ""\n',
    "merge key": "<<: {private: true}\n",
    "merge of an anchor": "base: &base {private: true}\n<<: *base\n",
    "merge list": "<<: [{kind: x}, {private: true}]\n",
    "zero-width in the key": "pri\u200bvate: true\n",
    "soft hyphen in the key": "pri\u00advate: true\n",
    "fullwidth key": "ｐｒｉｖａｔｅ: true\n",
    "capitalised": "Private: true\n",
    "near miss": "privat: true\n",
    "near miss capitalised": "Privat: true\n",
    "near miss, empty": "privte:\n",
    "merge disagreeing": "<<: {private: true}\nprivate: false\n",
}


@pytest.mark.parametrize("way", sorted(PRIVATE_WAYS))
@pytest.mark.parametrize("kind", ["people", "interactions", "goals"])
def test_every_way_of_writing_private_is_private(make_journal, tmp_path, way, kind):
    front = {"people": f"name: {SECRET} Person\n",
             "interactions": f"date: 2026-11-02\nwith: pat\ntitle: {SECRET} talk\n",
             "goals": f"title: {SECRET} goal\nstakeholders: [pat]\n"}[kind]
    root = make_journal({
        "netjournal.toml": "[audience.mentor]\n",
        "people/pat.md": "---\nname: Pat Public\n---\n",
        f"{kind}/secret.md": f"---\n{front}{PRIVATE_WAYS[way]}---\n{SECRET} body\n",
    })
    assert SECRET.lower().encode() not in audience_output(root, tmp_path / "mentor")
    owner = analyze(root, TODAY)
    if way not in ("merge disagreeing",):  # that one is no note at all until it is fixed (invalid-front-matter)
        record = {"people": lambda j: j.people.get("secret"), "interactions": lambda j: j.interactions[0],
                  "goals": lambda j: j.goals.get("secret")}[kind](owner.journal)
        assert record.private, way


@pytest.mark.parametrize("value", ["false", "no_key"])
def test_public_notes_stay_public(make_journal, value):
    root = make_journal({
        "netjournal.toml": "[audience.mentor]\n",
        "people/pat.md": "---\nname: Pat Public\n" + ("private: false\n" if value == "false" else "") + "---\n",
    })
    mentor = analyze(root, TODAY, audience=analyze(root, TODAY).config.audience("mentor"))
    assert list(mentor.journal.people) == ["pat"]
    assert findings_of(analyze(root, TODAY), "unknown-field") == []


def test_a_key_close_to_a_known_one_is_reported_with_a_suggestion(make_journal):
    root = make_journal({
        "people/a.md": "---\nname: Ada\nprivat: true\nalias: [Countess]\ntag: [x]\nemails: a@example.org\n"
                       "Name: Ada L\nfavourite_colour: green\n---\n",
        "interactions/2026/x.md": "---\ndate: 2026-11-01\nwith: a\ntopic: [x]\nfollowups: []\ntitel: T\n---\n",
        "goals/g.md": "---\ntitle: G\nstakeholder: [a]\n---\n",
    })
    found = {(f.path, f.line, f.message) for f in findings_of(analyze(root, TODAY), "unknown-field")}
    suggestions = {(path, line, message.split("did you mean ")[-1].rstrip("?")) for path, line, message in found}
    assert suggestions == {
        ("people/a.md", 3, "'private'"), ("people/a.md", 4, "'aliases'"), ("people/a.md", 5, "'tags'"),
        ("people/a.md", 6, "'email'"), ("people/a.md", 7, "'name'"),
        ("interactions/2026/x.md", 4, "'topics'"), ("interactions/2026/x.md", 5, "'follow_ups'"),
        ("interactions/2026/x.md", 6, "'title'"), ("goals/g.md", 3, "'stakeholders'"),
    }
    assert all("unknown field" in message for _, _, message in found)
    assert analyze(root, TODAY).journal.people["a"].private  # `privat: true` counts as private meanwhile


def test_known_fields_are_listed_in_one_place_and_documented():
    from netjournal.fields import KNOWN_FIELDS

    from conftest import REPO

    format_md = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    for kind, fields in KNOWN_FIELDS.items():
        for name in fields:
            assert f"`{name}`" in format_md, (kind, name)


def test_no_known_field_reads_as_a_mistyped_tags_topics_aliases_or_contact():
    """Tags, topics, aliases and contacts gather the keys that look like mistypings of them, skipping known
    fields (fields.py): that is only right while no known field looks like one."""
    from netjournal.fields import _EVERY_FIELD
    from netjournal.keys import close_to

    assert [(name, key) for name in _EVERY_FIELD for key in ("tags", "topics", "aliases", "email", "phone", "links")
            if name != key and close_to(name, (key,)) == key] == []


@pytest.mark.parametrize("aliases", ["aliases: Zeddy, ZQ", "Aliases: [Zeddy, ZQ]", "alias: [Zeddy, ZQ]",
                                     "alias: Zeddy, ZQ"])
def test_aliases_written_as_one_text_or_under_a_mistyped_key_are_hidden_with_their_person(make_journal, tmp_path,
                                                                                          aliases):
    """Found by helper-44: `aliases: Zeddy, ZQ` was one alias "Zeddy, ZQ", and `Aliases:` or `alias:` none
    (only a warning): a hidden person's aliases then reached the mentor's site. They read as tags do."""
    root = make_journal({
        "netjournal.toml": "[audience.mentor]\n",
        "people/zelda.md": f"---\nname: Zelda Quokkason\nprivate: true\n{aliases}\n---\n",
        "people/pat.md": "---\nname: Pat Public\n---\nZeddy and ZQ came along.\n"})
    assert analyze(root, TODAY).journal.people["zelda"].aliases == ("Zeddy", "ZQ")
    shared = audience_output(root, tmp_path / "mentor")
    assert b"pat public" in shared and b"zeddy" not in shared and b"zq" not in shared


def test_note_tags_read_as_excluded_tags_do(make_journal):
    root = make_journal({"people/a.md": '---\nname: Ada\ntags: ["# Mentor ", "#mentor", "Data  Eng", "con\u200bfidential"]\n---\n'})
    assert analyze(root, TODAY).journal.people["a"].tags == ("mentor", "data eng", "confidential")


@pytest.mark.parametrize("note", [
    "---\nname: Zelda Quokkason\naliases: [Zeddy]\nprivate: true\nprivate: true\n---\n",  # a repeated key
    "---\nname: Zelda Quokkason\naliases: [Zeddy]\nprivate: true\norg: Acme: Labs\n---\n",  # an unquoted colon
    "---\nname: Zelda Quokkason\naliases:\n\t- Zeddy\nprivate: true\n---\n",  # a tab in the indent
    "---\nName: 'Zelda Quokkason'\nalias: Zeddy, ZQ\nx: [\n",  # no end to the front matter
    "---\naliases:\n  - Zeddy\nprivate: true\n---\n",  # no name: no record either
])
@pytest.mark.parametrize("folder", ["people", "private/people"])
def test_the_names_in_a_person_note_that_cannot_be_loaded_are_hidden_from_an_audience(make_journal, tmp_path, note,
                                                                                      folder):
    """Found by helper-44: such a note may be private, but it gave no record, so its names were not known
    as a hidden person's and other notes showed them. The audience hides what the note seems to name (and
    its file's name), the owner's site is as before, and `check` reports the note."""
    root = make_journal({
        "netjournal.toml": "[audience.mentor]\n", f"{folder}/zelda-quokkason.md": note,
        "people/pat.md": "---\nname: Pat Public\n---\nI met Zelda Quokkason (Zeddy) at zelda-quokkason.example.\n"})
    shared = audience_output(root, tmp_path / "mentor")
    assert b"pat public" in shared and b"zeddy" not in shared and b"quokkason" not in shared
    assert "Zeddy" in analyze(root, TODAY).journal.people["pat"].body
    assert any(f.source.path == f"{folder}/zelda-quokkason.md" for f in analyze(root, TODAY).findings)


@pytest.mark.parametrize("annex", ["---\nprivate: true\n---\n", "---\nPrivate: yes\n---\n", "---\ntags: [confidential]\n---\n",
                                   "---\nprivate: false\n---\n",
                                   "---\nprivate: true\nprivate: true\n---\n"])  # one that cannot be loaded (review)
def test_a_private_key_or_an_excluded_tag_in_a_persons_annex_hides_them(make_journal, tmp_path, annex):
    """Found by helper-44: the annex's `private:` and tags were not read, so a person whose annex alone said
    private (or carried an excluded tag) had a page on the mentor's site. The annex is private whatever it
    says, so its `private` key, whatever its value, can only be meant for the person (fail closed)."""
    root = make_journal({
        "netjournal.toml": '[audience.mentor]\nexclude_tags = ["confidential"]\n',
        "people/zelda-quokkason.md": "---\nname: Zelda Quokkason\naliases: [Zeddy]\n---\n",
        "private/people/zelda-quokkason.md": annex,
        "people/pat.md": "---\nname: Pat Public\n---\nI met Zelda Quokkason (Zeddy).\n"})
    shared = audience_output(root, tmp_path / "mentor")
    assert b"pat public" in shared and b"zeddy" not in shared and b"quokkason" not in shared
    assert not (tmp_path / "mentor" / "people" / "zelda-quokkason.html").exists()
    owner = analyze(root, TODAY).journal.people["zelda-quokkason"]
    assert owner.private or "confidential" in owner.tags or "private: true\nprivate: true" in annex


def test_the_career_history_an_audience_sees_hides_the_names_of_a_note_that_cannot_be_loaded():
    """Found by review: the changes of role and org commits made were redacted of hidden people's names,
    but not of the names salvaged from a person note that could not be loaded."""
    import datetime as dt

    from netjournal.audience import audience_history
    from netjournal.career_history import FieldChange
    from netjournal.config import Audience
    from netjournal.load import load_note

    pat = load_note("people", "people/pat.md", b"---\nname: Pat Public\nrole: Chief of staff to Zelda Quokkason\n---\n")
    zelda = load_note("people", "people/zelda.md", b"---\nname: Zelda Quokkason\nprivate: true\nprivate: true\n---\n")
    change = FieldChange(dt.date(2026, 10, 1), "role", "Analyst", "Chief of staff to Zelda Quokkason")
    seen = audience_history([pat.record], {"people/pat.md": (change,)}, Audience("mentor"), [zelda.names])
    assert [c.after for c in seen["people/pat.md"]] == ["Chief of staff to someone"]


def test_check_says_a_person_made_private_by_their_annex_is_tracked_by_git(make_journal):
    """Found by review: `private-note-tracked` and `private-name-in-path` looked at each note's own
    `private`, not at a person made private by their annex."""
    root = make_journal({
        "people/zelda-quokkason.md": "---\nname: Zelda Quokkason\n---\n",
        "private/people/zelda-quokkason.md": "---\nprivate: true\n---\n",
        "interactions/2026-11-01-coffee-zelda-quokkason.md": "---\ndate: 2026-11-01\nwith: [zelda-quokkason]\n---\n"})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "people", "interactions"], check=True)
    found = {(f.code, f.source.path) for f in analyze(root, TODAY).findings}
    assert ("private-note-tracked", "people/zelda-quokkason.md") in found
    assert ("private-name-in-path", "interactions/2026-11-01-coffee-zelda-quokkason.md") in found


@pytest.mark.parametrize(("shared", "private"), [("people/team/zelda-quokkason.md", "private/people/zelda-quokkason.md"),
                                                 ("people/zelda-quokkason.md", "private/people/team/zelda-quokkason.md")])
def test_a_private_note_of_the_same_id_at_another_path_hides_the_person(make_journal, tmp_path, shared, private):
    """Found by helper-47: a private note meant as an annex but at another path is a duplicate id, and the
    shared note was the one kept: the person had a page and a row in every export, aliases and all."""
    root = make_journal({
        "netjournal.toml": "[audience.mentor]\n",
        shared: "---\nname: Zelda Quokkason\naliases: [Zeddy]\norg: Acme\n---\n", private: "---\nprivate: true\n---\n",
        "people/pat.md": "---\nname: Pat Public\n---\nI met Zelda Quokkason (Zeddy).\n"})
    shared_output = audience_output(root, tmp_path / "mentor")
    assert b"pat public" in shared_output and b"zeddy" not in shared_output and b"quokkason" not in shared_output


@pytest.mark.parametrize("tags", ["[[confidential]]", "[x, [Confidential]]", "{confidential: true}",
                                  "[{a: confidential}]",
                                  # helper-49: YAML's other collections, an Obsidian nested tag, tags run together
                                  "!!set {confidential: null}", "!!omap [confidential: x]", "!!pairs [[confidential, x]]",
                                  "[confidential/hr]", "'#confidential #hr'", "confidential hr", "confidential; hr",
                                  # helper-51: a fullwidth slash (read as tags read), other separators
                                  "[confidential\uff0fhr]", "['confidential|hr']", "['confidential:hr']",
                                  "[confidential.hr]", "[confidential+hr]"])
def test_an_excluded_tag_inside_a_tags_value_of_another_shape_hides_the_person(make_journal, tmp_path, tags):
    """Found by helper-47: `tags: [[confidential]]` was an invalid value and its tags were dropped, so the
    person was shown; the texts inside a value of another shape count as tags (fail closed)."""
    root = make_journal({"netjournal.toml": '[audience.mentor]\nexclude_tags = ["confidential"]\n',
                         "people/zelda-quokkason.md": f"---\nname: Zelda Quokkason\ntags: {tags}\n---\n",
                         "people/pat.md": "---\nname: Pat Public\n---\nI met Zelda Quokkason.\n"})
    shared = audience_output(root, tmp_path / "mentor")
    assert b"pat public" in shared and b"quokkason" not in shared


@pytest.mark.parametrize("kind", ["fifo", "dangling symlink"])
def test_a_person_note_the_walk_skips_hides_the_name_its_file_gives(make_journal, tmp_path, kind):
    """Found by helper-47: a person note that is a FIFO or a dangling symlink is skipped (`skipped-path`)
    and gives no record, not even its file's name: other notes showed it to the mentor."""
    import os

    root = make_journal({"netjournal.toml": "[audience.mentor]\n",
                         "people/pat.md": "---\nname: Pat Public\n---\nI met Zelda Quokkason.\n"})
    note = root / "people" / "zelda-quokkason.md"
    os.mkfifo(note) if kind == "fifo" else note.symlink_to(tmp_path / "gone.md")
    shared = audience_output(root, tmp_path / "mentor")
    assert b"pat public" in shared and b"quokkason" not in shared
