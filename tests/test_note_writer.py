"""The note writer: any text given to `new person`, `log` or an import reads back exactly as given, or the
command refuses in one line and writes nothing. Real commands (CliRunner), real files, generated text."""
import csv
import io
import os
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.cli import main
from netjournal.importers import (
    combine_duplicates,
    person_front_matter,
    read_google_csv,
)
from netjournal.load import load_note
from netjournal.model import slugify
from netjournal.notes import ParsedNote, parse_note
from netjournal.notewriter import note_body

# Pieces people and address books really produce, and the ones YAML treats specially.
SPECIAL = st.sampled_from([
    "---", "...", "- x", "-", "# x", "#", "'", '"', "''", "yes", "no", "on", "~", "null", "true", "1.5e3", "012",
    "2026-01-01", "2026-02-30", "10:30", "[[Ada]]", "[a, b]", "{a: b}", "a: b", ": ", " #", "&a", "*a", "!x", "|",
    ">", "%", "@", "`", "?", "<<", "=", "\\", "\\n", "\x7f", "\x80", "\x85", "\x9f", "\x00", "\x1b[31m", "\u2028",
    "\u2029", "\ufffe", "\uffff", "\ufeff", "\u200b", "\xa0", "\u3000", "\r\n", "\r", "\n", "\t", " ", "  ",
    "日本語", "Ünïcødé", "🙂", "\U0010fffd", "\U0010ffff",
])
PIECE = st.text(max_size=6) | SPECIAL | st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn"])
TEXT = st.lists(PIECE, max_size=8).map("".join) | st.text(min_size=300, max_size=2000)
# now and then a lone surrogate: what a command line in another encoding than UTF-8 gives Python
ANY = TEXT | st.builds(lambda a, b: f"{a}\udcff{b}", TEXT, TEXT)
# NOTE_WRITER_EXAMPLES=2000 for a deeper run than the suite's
SETTINGS = settings(max_examples=int(os.environ.get("NOTE_WRITER_EXAMPLES", "100")), deadline=None,
                    suppress_health_check=list(HealthCheck))


def tree(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes() for p in sorted(root.rglob("*"))}


def journal(folder: str) -> Path:
    root = Path(folder) / "journal"
    (root / "people").mkdir(parents=True)
    (root / "people" / "ada.md").write_text("---\nname: Ada\n---\n", encoding="utf-8")
    return root


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"EDITOR": "", "VISUAL": ""})


def not_text(*values: str) -> bool:
    try:
        for value in values:
            value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def too_long(stem: str) -> bool:
    return len(os.fsencode(f"{stem}.md")) > 255


def read_back(path: Path, kind: str) -> ParsedNote:
    content = path.read_bytes()
    parsed = parse_note(content)
    assert isinstance(parsed, ParsedNote), parsed
    assert load_note(kind, path.name, content).record is not None
    return parsed


def assert_refused(result, root: Path, before: dict, words: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    assert words in result.output, result.output
    assert tree(root) == before


@SETTINGS
@given(name=ANY, org=ANY, role=ANY, tag=ANY)
def test_new_person_writes_any_text_exactly_or_refuses(name, org, role, tag):
    with tempfile.TemporaryDirectory() as folder:
        root = journal(folder)
        before = tree(root)
        result = run("new", "person", "--journal", str(root), f"--org={org}", f"--role={role}", f"--tag={tag}",
                     "--no-edit", "--", name)
        pid = slugify(name)
        if not pid:
            return assert_refused(result, root, before, "cannot make a file name")
        if too_long(pid):
            return assert_refused(result, root, before, "a file name may have at most 255")
        if pid == "ada":
            return assert_refused(result, root, before, "exists already")
        if not_text(name, org, role, tag):
            return assert_refused(result, root, before, "not a character a text file can hold")
        assert result.exit_code == 0, result.output
        note = read_back(root / "people" / f"{pid}.md", "people")
        assert note.data["name"] == name and note.data["tags"] == [tag]
        assert note.data["org"] == (org or None) and note.data["role"] == (role or None)
        assert note.body == ""


@SETTINGS
@given(kind=ANY, title=ANY, topic=ANY, gave=ANY, asked=ANY, received=ANY, follow_up=ANY, message=ANY)
def test_log_writes_any_text_exactly_or_refuses(kind, title, topic, gave, asked, received, follow_up, message):
    with tempfile.TemporaryDirectory() as folder:
        root = journal(folder)
        before = tree(root)
        result = run("log", "ada", "--journal", str(root), "--date", "2026-11-20", f"--kind={kind}",
                     f"--title={title}", f"--topic={topic}", f"--gave={gave}", f"--asked={asked}",
                     f"--received={received}", f"--follow-up={follow_up}", f"--message={message}", "--no-edit")
        stem = f"2026-11-20-{slugify(kind) or 'contact'}-ada"
        if too_long(stem):
            return assert_refused(result, root, before, "a file name may have at most 255")
        if not_text(kind, title, topic, gave, asked, received, follow_up, message):
            return assert_refused(result, root, before, "not a character a text file can hold")
        if "\x00" in message:
            return assert_refused(result, root, before, "NUL character (U+0000), which a note cannot hold")
        assert result.exit_code == 0, result.output
        note = read_back(root / "interactions" / "2026" / f"{stem}.md", "interactions")
        assert note.data == {"date": note.data["date"], "with": ["ada"], "kind": kind, "title": title or None,
                             "topics": [topic], "gave": [gave], "asked": [asked], "received": [received],
                             "follow_ups": [{"what": follow_up, "done": False}]}
        assert note.body == note_body(message)


@SETTINGS
@given(rows=st.lists(st.tuples(TEXT, TEXT, TEXT, TEXT), min_size=1, max_size=3))
def test_an_import_writes_any_text_exactly_or_refuses(rows):
    with tempfile.TemporaryDirectory() as folder:
        root = journal(folder)
        before = tree(root)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["First Name", "Last Name", "E-mail 1 - Value", "Organization Name", "Notes"])
        for first, org, title, notes in rows:
            writer.writerow([f"Zed {first}", "", "", f"{org}", f"{title}\n{notes}"])
        source = Path(folder) / "contacts.csv"
        source.write_text(out.getvalue(), encoding="utf-8")
        result = run("import", "google", str(source), "--journal", str(root))
        contacts, _ = combine_duplicates(read_google_csv(source))
        for contact in contacts:  # the first contact that cannot be written stops the import
            if too_long(slugify(contact.name)):
                return assert_refused(result, root, before, "a file name may have at most 255")
            if "\x00" in contact.note:  # in a name or an org it is written as "\0"
                return assert_refused(result, root, before, "NUL character (U+0000), which a note cannot hold")
        assert result.exit_code == 0, result.output
        notes = [read_back(path, "people") for path in sorted((root / "people").glob("*.md"))]
        by_name = {note.data["name"]: note for note in notes}
        assert len(notes) == 1 + len(contacts) == len(by_name)
        for contact in contacts:
            note = by_name[contact.name]
            assert note.data == person_front_matter(contact)
            imported = "Imported from google (contacts.csv).\n"
            assert note.body == note_body(imported + (f"\n{contact.note}\n" if contact.note else ""))
