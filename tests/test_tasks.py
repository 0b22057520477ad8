"""Body tasks in all three due-date syntaxes become follow-ups with their own line."""
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

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


def wikilink_targets_rendered(body: str) -> list[str]:
    """The targets of the wikilinks the site renders in BODY, in order."""
    from netjournal.site.markdown import prerender

    return [target for target, _ in prerender(body).links]


def test_a_long_wikilink_is_found_where_it_is_rendered():
    """One rule for what a wikilink is: a 250-character target was rendered as a link (a hole to fill) and
    never found as a reference, so a link to nobody went unreported. Up to WIKILINK_MAX characters between
    the brackets both see a link; beyond it neither does."""
    from netjournal.tasks import WIKILINK_MAX

    for inner in ("n" * 250, "n" * 200 + "#" + "h" * 100, "n" * 150 + "|" + "l" * 230, "n" * WIKILINK_MAX,
                  "n" * (WIKILINK_MAX + 1)):
        body = f"x [[{inner}]] y"
        found = [link.target for link in find_wikilinks(body, 1)]
        assert found == wikilink_targets_rendered(body), inner
        assert bool(found) == (len(inner) <= WIKILINK_MAX)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab |#[]\n", max_size=40), max_size=4))
def test_the_loader_and_the_renderer_agree_on_every_wikilink(lines):
    """Generated lines of brackets, bars, anchors and line breaks: the loader's references and the renderer's
    links are the same targets (each line starts with a word, so no line is code, a heading or a list)."""
    body = "\n\n".join("x " + line for line in lines)
    assert [link.target for link in find_wikilinks(body, 1)] == wikilink_targets_rendered(body)
