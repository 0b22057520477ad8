"""Body tasks in all three due-date syntaxes become follow-ups with their own line."""
import datetime as dt

from netjournal.tasks import find_tasks, find_wikilinks


def test_three_syntaxes_done_and_lines():
    body = "\n".join([
        "Intro",
        "- [ ] send the deck 📅 2026-12-01",
        "- [x] book coffee (due 2026-12-02)",
        "* [ ] share notes [due:: 2026-12-03] soon",
        "1. [X] numbered task",
        "- [ ] no date at all",
        "- [] not a task",
    ])
    tasks = find_tasks(body, first_line=10)
    assert [(t.what, t.done, t.due, t.line) for t in tasks] == [
        ("send the deck", False, dt.date(2026, 12, 1), 11),
        ("book coffee", True, dt.date(2026, 12, 2), 12),
        ("share notes soon", False, dt.date(2026, 12, 3), 13),
        ("numbered task", True, None, 14),
        ("no date at all", False, None, 15),
    ]


def test_code_fences_hide_tasks():
    body = "```\n- [ ] not a task 📅 2026-01-01\n```\n- [ ] real"
    assert [t.what for t in find_tasks(body, 1)] == ["real"]


def test_bad_due_date_is_kept_for_a_finding():
    (task,) = find_tasks("- [ ] thing 📅 2026-02-30", 5)
    assert task.due is None and task.bad_due == "2026-02-30" and task.line == 5


def test_wikilinks_with_labels_and_headings():
    links = find_wikilinks("see [[Ada Lovelace]] and\n[[ada|her]] or [[Ada#Notes]]", 3)
    assert [(link.target, link.label, link.line) for link in links] == [
        ("Ada Lovelace", None, 3), ("ada", "her", 4), ("Ada", None, 4)]
