"""Walking a journal: every field read, bad notes become findings and the rest still loads."""
import datetime as dt
import os

from netjournal.load import load_journal, load_note
from netjournal.records import PersonRecord

from conftest import findings_of, interaction, person


def test_every_person_field(make_journal):
    root = make_journal({
        "people/ada-lovelace.md": """
            ---
            name: Ada Lovelace
            aliases: [Ada, Countess]
            org: Analytical Engines
            role: Programmer
            email: [ada@example.org, countess@example.org]
            phone: "+44 20 0000"
            links:
              Site: https://ada.example
            location: London
            tags: ["#Mentor", hub]
            cadence: 6w
            met: 2025-01-02
            introduced_by: charles
            snooze_until: 2027-01-01
            paused: false
            private: true
            ignore: [cold-ask]
            ---
            Body with [[Charles]].
            """,
        "people/charles.md": person("Charles Babbage"),
    })
    result = load_journal(root)
    assert result.findings == []
    ada = next(r for r in result.records if r.id == "ada-lovelace")
    assert isinstance(ada, PersonRecord)
    assert (ada.name, ada.aliases, ada.org, ada.role) == ("Ada Lovelace", ("Ada", "Countess"),
                                                           "Analytical Engines", "Programmer")
    assert ada.email == ("ada@example.org", "countess@example.org") and ada.phone == ("+44 20 0000",)
    assert ada.links == (("Site", "https://ada.example"),) and ada.location == "London"
    assert ada.tags == ("mentor", "hub") and ada.cadence == 42
    assert ada.met == dt.date(2025, 1, 2) and ada.introduced_by.text == "charles"
    assert ada.snooze_until == dt.date(2027, 1, 1) and ada.paused is False and ada.private is True
    assert ada.ignore == frozenset({"cold-ask"})
    assert [link.text for link in ada.body_links] == ["Charles"] and ada.body_links[0].line == 20


def test_contacts_may_be_labelled_and_what_is_nested_deeper_is_kept_with_a_finding():
    """A mapping of labels to texts (`phone: {mobile: …, work: …}`) was reported and dropped, so a hidden
    person's numbers written so were not hidden where a visible note repeats them. Read at any depth now."""
    note = load_note("people", "people/ada.md", (
        b"---\nname: Ada\nphone:\n  mobile: '+44 7700 900123'\n  work: 020 7946 0999\n"
        b"email: [{work: ada@example.org, home: a@example.net}, zz@example.com]\n"
        b"links:\n  - gh: https://github.com/ada\n  - https://ada.example\n---\n"))
    assert note.findings == []
    assert note.record.phone == ("mobile: +44 7700 900123", "work: 020 7946 0999")
    assert note.record.email == ("work: ada@example.org", "home: a@example.net", "zz@example.com")
    assert note.record.links == (("gh", "https://github.com/ada"), ("https://ada.example", "https://ada.example"))
    deeper = load_note("people", "people/ada.md", (
        b"---\nname: Ada\nphone: {home: {landline: '020 7946 0999'}}\nemail: [[ada@example.org], true]\n"
        b"links: {gh: {url: 'https://github.com/ada'}}\n---\n"))
    assert sorted((f.code, f.source.line, f.message.split(":")[0]) for f in deeper.findings) == [
        ("invalid-value", 3, "phone"), ("invalid-value", 4, "email"), ("invalid-value", 4, "email"),
        ("invalid-value", 5, "links")]
    assert deeper.record.phone == ("home landline: 020 7946 0999",) and deeper.record.email == ("ada@example.org",)
    assert deeper.record.links == (("gh url", "https://github.com/ada"),)


def test_a_label_with_no_contact_under_it_is_reported(make_journal):
    """helper-69: `links: {github: }` became a link to `github`, silently; it is reported and no link, as
    before labelled contacts were read (a number is no link either)."""
    note = load_note("people", "people/ada.md", b"---\nname: Ada\nlinks: {github: , site: 12345}\nphone: {mobile: }\n---\n")
    assert sorted(f.message for f in note.findings) == [
        "links: expected a link for 'github', got nothing", "links: expected a link for 'site', got 12345",
        "phone: expected a text for 'mobile', got nothing"]
    assert note.record.links == (("site", "12345"),)


def test_a_handle_under_a_profiles_key_is_a_link_shown_as_text(make_journal, tmp_path):
    """helper-73: handles under `github:` or `twitter:` were dropped (they are no link), and a handle read
    was shown as its label alone; `linkedin: unknown` says there is none."""
    from netjournal.engine import build_site

    root = make_journal({"people/pat.md": "---\nname: Pat\ntwitter: '@pat_pub'\ngithub: patpub\nlinkedin: unknown\n---\n"})
    note = load_note("people", "people/pat.md", (root / "people" / "pat.md").read_bytes())
    assert note.record.links == (("twitter", "@pat_pub"), ("github", "patpub"))
    build_site(root, dt.date(2026, 11, 22), tmp_path / "site")
    page = (tmp_path / "site" / "people" / "pat.html").read_text(encoding="utf-8")
    assert "twitter: @<wbr>pat_pub" in page and "github: patpub" in page and 'href="@pat_pub"' not in page
    assert "unknown" not in page
    root = make_journal({"people/pat.md": "---\nname: Pat\nlinkedin: in/pat-1\nmastodon: '@pat@hachyderm.io'\n---\n"})
    build_site(root, dt.date(2026, 11, 22), tmp_path / "site2")  # helper-74: a handle with `/` or `.` too
    page = (tmp_path / "site2" / "people" / "pat.html").read_text(encoding="utf-8")
    assert 'href="in/pat-1"' not in page and 'href="@pat' not in page and "linkedin: in/<wbr>pat-1" in page


def test_every_interaction_and_goal_field(make_journal):
    root = make_journal({
        "people/ada.md": person("Ada"),
        "interactions/2026/coffee.md": """
            ---
            date: 2026-03-02
            with: [ada]
            kind: Coffee
            title: Coffee with Ada
            topics: [databases, hiring]
            gave: shared the deck
            asked: [an intro, feedback]
            received: [a book]
            follow_ups:
              - what: send notes
                due: 2026-03-09
                done: true
              - plain follow-up without a date
            private: false
            ---
            - [ ] task 📅 2026-04-01
            """,
        "goals/promo.md": """
            ---
            title: Promotion
            target: 2027-01-31
            stakeholders: [ada]
            status: achieved
            ---
            """,
    })
    result = load_journal(root)
    assert result.findings == []
    coffee = next(r for r in result.records if r.path.endswith("coffee.md"))
    assert coffee.id == "2026/coffee" and coffee.kind == "Coffee" and coffee.title == "Coffee with Ada"
    assert coffee.topics == ("databases", "hiring") and coffee.gave == ("shared the deck",)
    assert coffee.asked == ("an intro", "feedback") and coffee.received == ("a book",)
    assert [(f.what, f.due, f.done, f.line, f.from_task) for f in coffee.follow_ups] == [
        ("send notes", dt.date(2026, 3, 9), True, 11, False),
        ("plain follow-up without a date", None, False, 14, False),
        ("task", dt.date(2026, 4, 1), False, 17, True)]
    goal = next(r for r in result.records if r.path == "goals/promo.md")
    assert (goal.title, goal.target, goal.status) == ("Promotion", dt.date(2027, 1, 31), "achieved")
    assert [r.text for r in goal.stakeholder_refs] == ["ada"]


def test_bad_notes_give_findings_and_the_rest_loads(make_journal):
    root = make_journal({
        "people/good.md": person("Good Person"),
        "people/list.md": "---\n- a\n---\n",
        "people/bom.md": b"\xef\xbb\xbf---\r\nname: Bom Person\r\n---\r\n",
        "people/empty.md": "",
        "people/latin1.md": b"---\nname: Jos\xe9\n---\n",
        "people/tabs.md": "---\nname: a\n\trole: b\n---\n",
        "people/noname.md": "---\norg: Acme\n---\n",
        "people/badcadence.md": person("Bad Cadence", cadence="often"),
        "interactions/bad-date.md": interaction("2026-13-45", "good"),
        "interactions/no-with.md": "---\ndate: 2026-01-01\n---\n",
        "goals/empty-goal.md": "---\nstatus: active\n---\n",
    })
    result = load_journal(root)
    by_path = {(f.path, f.code, f.line) for f in result.findings}
    assert by_path == {
        ("people/list.md", "invalid-front-matter", 2),
        ("people/empty.md", "invalid-front-matter", 1),
        ("people/latin1.md", "unreadable-file", 2),
        ("people/tabs.md", "invalid-front-matter", 3),
        ("people/noname.md", "missing-field", 1),
        ("people/badcadence.md", "invalid-value", 3),
        ("interactions/bad-date.md", "invalid-value", 2),
        ("interactions/no-with.md", "missing-field", 1),
        ("goals/empty-goal.md", "missing-field", 1),
    } | {("goals/empty-goal.md", "missing-field", 1)}
    assert len([f for f in result.findings if f.path == "goals/empty-goal.md"]) == 2  # title, stakeholders
    names = sorted(r.name for r in result.records if isinstance(r, PersonRecord))
    assert names == ["Bad Cadence", "Bom Person", "Good Person", "noname"]


def test_wrong_types_are_invalid_value_at_their_line(make_journal):
    root = make_journal({"people/a.md": "---\nname: A\norg: [x, y]\npaused: yes\nmet: soon\n---\n"})
    found = {(f.line, f.code) for f in load_journal(root).findings}
    assert found == {(3, "invalid-value"), (4, "invalid-value"), (5, "invalid-value")}


def test_private_given_as_text_fails_closed():
    outcome = load_note("people", "people/a.md", b'---\nname: A\nprivate: "true"\n---\n')
    assert outcome.record.private is True and outcome.findings[0].code == "invalid-value"


def test_symlinks_never_leave_the_journal_and_loops_end(make_journal, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(person("Outsider"), encoding="utf-8")
    root = make_journal({"people/inside.md": person("Inside")})
    os.symlink(outside, root / "people" / "evil.md")
    os.symlink(root / "people", root / "people" / "loop")
    os.symlink(root / "people" / "inside.md", root / "people" / "alias.md")
    result = load_journal(root)
    assert sorted(r.name for r in result.records) == ["Inside", "Inside"]
    skipped = sorted(f.path for f in findings_of(result, "skipped-path"))
    assert skipped == ["people/evil.md", "people/loop"]


def test_thousands_of_junk_files_are_ignored(make_journal):
    files = {f"people/junk/{i}.txt": "junk" for i in range(2000)}
    files.update({"people/a.md": person("A"), "people/.a.md.swp": "x", "people/a.md~": "x",
                  "people/.obsidian/x.md": "not a note"})
    result = load_journal(make_journal(files))
    assert [r.name for r in result.records] == ["A"] and result.findings == [] and result.note_count == 1


def test_output_folder_is_not_input(make_journal):
    root = make_journal({"people/a.md": person("A"), "netjournal.toml": '[site]\noutput = "people/out"\n',
                         "people/out/b.md": person("B")})
    assert [r.name for r in load_journal(root).records] == ["A"]


def test_load_note_is_pure():
    data = interaction("2026-01-01", "ada", asked="[x]").encode()
    assert load_note("interactions", "interactions/x.md", data) == load_note("interactions", "interactions/x.md", data)


def test_parallel_load_equals_serial_load(make_journal, monkeypatch, workers_can_fork):
    from netjournal import load
    files = {f"people/p{i}.md": person(f"P {i}") for i in range(30)}
    files.update({f"interactions/{i}.md": interaction("2026-01-01", f"p{i}", asked="[x]") for i in range(30)})
    files["people/bad.md"] = "---\nname: [\n---\n"
    root = make_journal(files)
    serial = load_journal(root)
    monkeypatch.setattr(load, "PARALLEL_FROM", 1)
    monkeypatch.setattr(load, "_CHUNK", 7)
    reported = []
    parallel = load_journal(root, on_loaded=reported.append)
    assert parallel.records == serial.records and parallel.findings == serial.findings
    assert sum(reported) == 61 and len(reported) == 9  # progress per chunk


def test_records_read_back_from_the_store_equal_with_every_field():
    """Records are pickled as tuples of their fields (tuplestate.py): each reads back equal, field by field."""
    import dataclasses
    import pickle

    from netjournal.store import safe_loads

    from conftest import EXAMPLE

    loaded = load_journal(EXAMPLE)
    assert len(loaded.records) > 20
    for record in loaded.records:
        again = safe_loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        assert again == record and type(again) is type(record)
        assert all(getattr(again, f.name) == getattr(record, f.name) for f in dataclasses.fields(record))
        assert isinstance(record.__getstate__(), tuple)


def test_the_names_of_a_person_note_that_cannot_be_loaded_are_salvaged_leniently():
    """What an audience hides of a person note that gave no record (load.salvaged_names): its id, the
    values of keys that read as name or aliases, and a list's items under them, in the body too (a `---`
    may be inside a value: fail closed)."""
    from netjournal.load import load_note
    from netjournal.salvage import salvaged_names

    note = b"---\nNaem: Not a key\nName: 'Zelda Q'\nalias: Zeddy, [ZQ]\nAliases:\n  - \"Z Q\"\norg: A: B\n---\nname: Body\n"
    assert load_note("people", "people/zq.md", note).names == ("zq", "Zelda Q", "Zeddy", "ZQ", "Z Q", "Body")
    assert load_note("interactions", "interactions/zq.md", note).names == ()
    assert load_note("people", "people/ok.md", b"---\nname: Ok\n---\n").names == ()  # loaded: its record says
    for written, names in [  # found by review: comments, block scalars, lists over several lines
        ("name: Zelda Quokkason # my friend", ("Zelda Quokkason",)), ("name: >-\n  Zelda\n  Quokkason", ("Zelda Quokkason",)),
        ("aliases: [Zeddy,\n  Zedster]", ("Zeddy", "Zedster")), ("aliases:\n  - Zeddy\n  # c\n\n  - Zedster", ("Zeddy", "Zedster")),
        ("aliases:\n-\tZedster", ("Zedster",)), ("aliases: [Zedster]  # nick", ("Zedster",)),
        ("{name: Zelda Q, aliases: [Zeddy, ZQ], x: 1}", ("Zelda Q", "Zeddy", "ZQ")), ('"name": Zelda Q', ("Zelda Q",)),
        # helper-47: a YAML directive, an explicit key, a `---` in a block scalar, an anchor, escapes
        ("%YAML 1.1\n---\nname: Zelda Q", ("Zelda Q",)), ("? name\n: Zelda Q", ("Zelda Q",)),
        ("about: |\n  ---\nname: Zelda Q", ("Zelda Q",)), ("x: &n Zelda Q\nname: *n", ("Zelda Q",)),
        ('name: "Zelda\\x20Q"', ("Zelda Q",)),
        ("name: !!str Zelda Q", ("Zelda Q",)), ("aliases: !!seq [Zeddy]", ("Zeddy",)),  # YAML tags (helper-49)
    ]:
        assert salvaged_names("people/zq.md", f"\ufeff---\n{written}\nprivate: true\nprivate: true\n---\n".encode()) \
            == ("zq", *names), written
    late = "---\n" + "x: 1\n" * 300 + "name: Zelda Q\nx: [\n"
    assert salvaged_names("people/zq.md", ("\n" + late).encode("utf-16")) == ("zq", "Zelda Q")
    for line in ("-" * 200_000, "?-{" * 66_000):  # helper-81: a line of a key's lead characters, quadratic
        assert salvaged_names("people/zq.md", f"---\nname: Zelda Q\n{line}\nx: [\n".encode()) == ("zq", "Zelda Q")
    for line in ("&" * 200_000, "&#49;" * 40_000):  # helper-63: anchors were looked for in quadratic time
        assert salvaged_names("people/zq.md", f"---\nname: Zelda Q\nx: {line}\nx: [\n".encode()) == ("zq", "Zelda Q")
    assert salvaged_names("people/zq.md", "---\nname: Zelda Q\n".encode("utf-32")) == ("zq", "Zelda Q")  # a mark
    for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):  # helper-61: no byte-order mark
        for name in ("Zelda Q", "王小明"):
            assert salvaged_names("people/zq.md", f"---\nname: {name}\n---\n".encode(codec)) == ("zq", name), codec
    # no UTF-8: read as Latin-1, and as UTF-8 with what is none replaced (one stray byte: helper-88)
    assert salvaged_names("people/zq.md", "---\nname: Zéddy\nx: [\n".encode("latin-1")) == ("zq", "Zéddy", "Z\ufffdddy")
    assert salvaged_names("people/zq.md", "---\nname: Søren\n---\nSøren".encode() + b"\x92s\n")[:3] == (
        "zq", "S\u00c3\u00b8ren", "Søren")
    assert salvaged_names("people/zq.md", b"name: Zelda Q\nx: [\n") == ("zq", "Zelda Q")  # no fence at all
    long = b"---\naliases: [" + b", ".join(b"x" * k for k in range(1, 400)) + b"]\nx: [\n"
    assert len(salvaged_names("people/x.md", long)) == 200 and max(map(len, salvaged_names("people/x.md", long))) <= 200


def test_a_person_note_whose_aliases_repeat_or_hold_themselves_loads():
    """helper-81: reading every value of a person note for contacts (Fields.unlisted_contacts) read each
    YAML alias in full: five levels of three aliases of 12,000 numbers took 17.8 s, and one that holds
    itself (`&a [x, *a]`) left no record ("nests too deeply"). Each list or mapping is read once."""
    numbers = ", ".join("'+45 30 12 34 56'" for _ in range(12_000))
    levels = "".join(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}]\n" for i in range(1, 6))
    load = load_note("people", "people/x.md", f"---\nname: Z\nl0: &l0 [{numbers}]\n{levels}---\n".encode())
    assert load.record is not None and load.record.unlisted == ("\x1fphone\x1f+45 30 12 34 56",)
    load = load_note("people", "people/x.md",
                     b"---\nname: Zelda\nnotes: &a [x, '+45 30 12 34 56', *a]\nc: &b {x: 1, y: *b}\n---\n")
    assert load.record is not None and not load.findings
    assert load.record.unlisted == ("\x1fphone\x1f+45 30 12 34 56",)


def test_line_threads_and_matrix_are_profiles_only_as_such():
    """`line:`, `threads:` and `matrix:` say a profile (LINE, Threads, Matrix) and are words too: a handle
    under them holds a letter or is a phone number, and a key of other words around them says none."""
    from netjournal.contacts import salvaged

    note = load_note("people", "people/ada.md", (
        b"---\nname: Ada\nline: ada_l42\nthreads: 12\nmatrix: '@ada:matrix.org'\nvk: ada.vk\nproduct_line: widgets\n"
        b"line_manager: Sales\nline_id: '0812345678'\nnumero: '30 12 34 56'\n---\n"))
    assert note.record.links == (("line", "ada_l42"), ("matrix", "@ada:matrix.org"), ("vk", "ada.vk"),
                                 ("line", "0812345678"))
    # and what is surely a contact under a key that says one is also read so (`line: '+45 …'`, no handle)
    assert note.record.phone == ("30 12 34 56",) and note.record.unlisted == (salvaged("phone", "0812345678"),)
