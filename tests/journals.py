"""Hypothesis strategies for small journals full of the cases references get wrong: ids, names and aliases
that collide across people and case, duplicate ids in people/ and private/people/ (and interactions/),
links that name goals and interactions by id, title or file stem, and notes that name nobody. Shared by the
tests of the model and of the build engine; a journal is a dict of relative path -> note text."""
from __future__ import annotations

import os
from pathlib import Path

from hypothesis import strategies as st

from netjournal.site.write import MARKER

from conftest import git

IDS = ["ada", "Ada", "bob", "cy", "dee-dee", "zoë"]
NAMES = ["Ada", "Ada Lovelace", "Bob", "bob", "Cy", "Dee Dee", "Zoë", "Zoe"]
GOAL_IDS = ["promo", "Promo", "launch"]
STEMS = ["2026-01-01-x", "2026-02-02-y", "2025-05-05-z"]
REFS = IDS + NAMES + ["nobody", "Ada-Lovelace", "people/bob.md", "[[Bob]]", "[[ada|A]]"]
LINKS = IDS + NAMES + GOAL_IDS + STEMS + ["2026/2026-01-01-x", "goals/promo", "Launch it", "ghost"]

refs = st.sampled_from(REFS)
links = st.lists(st.sampled_from(LINKS), max_size=2).map(lambda found: " ".join(f"[[{t}]]" for t in found))


@st.composite
def person_note(draw) -> tuple[str, str]:
    folder = draw(st.sampled_from(["people", "people", "private/people"]))
    aliases = draw(st.lists(st.sampled_from(NAMES), max_size=2))
    intro = f"introduced_by: {draw(refs)!r}\n" if draw(st.booleans()) else ""
    tags = draw(st.lists(st.sampled_from(["hub", "mentor", "peer"]), max_size=2, unique=True))
    # days to remember and a change of role: occasions on the dashboard, findings, the calendar
    days = draw(st.sampled_from(["", "birthday: '--11-25'\n", "dates: [{date: 2020-11-28, what: joined}]\n"]))
    change = "role: Lead\nchanges: [{date: 2026-11-01, role: Lead}]\n" if draw(st.booleans()) else ""
    text = (f"---\nname: {draw(st.sampled_from(NAMES))!r}\naliases: {aliases!r}\n{intro}{days}{change}"
            f"tags: [{', '.join(tags)}]\n---\n{draw(links)}\n")
    return f"{folder}/{draw(st.sampled_from(IDS))}.md", text


@st.composite
def interaction_note(draw) -> tuple[str, str]:
    stem = draw(st.sampled_from(STEMS))
    date = stem[:10]
    withs = draw(st.lists(refs, min_size=1, max_size=3))
    follow = "follow_ups:\n  - {what: a, due: 2026-03-01}\n  - b\n" if draw(st.booleans()) else ""
    task = "\n- [ ] call back 📅 2026-04-01\n" if draw(st.booleans()) else ""
    # a give aimed at someone, who may not be there or be nobody: it counts for them alone
    aimed = f"  - {{what: h, to: {draw(refs)!r}}}\n" if draw(st.booleans()) else ""
    text = f"---\ndate: {date}\nwith: {withs!r}\ngave:\n  - g\n{aimed}{follow}---\n{draw(links)}{task}\n"
    # a private note at a public one's path claims its id too: one counts, the other is a duplicate-id
    folder = draw(st.sampled_from(["interactions", "interactions", "private/interactions"]))
    return f"{folder}/{date[:4]}/{stem}{draw(st.sampled_from(['', '-a', '-b']))}.md", text


@st.composite
def goal_note(draw) -> tuple[str, str]:
    title = draw(st.sampled_from(["Launch it", "Promo", "promo", "Other"]))
    stakeholders = [repr(ref) for ref in draw(st.lists(refs, max_size=3))]
    if stakeholders and draw(st.booleans()):  # a map entry, as a stakeholder map has them
        stakeholders[0] = (f"{{who: {stakeholders[0]}, role: {draw(st.sampled_from(['decider', 'ally', 'x']))}, "
                           f"influence: high, interest: {draw(st.sampled_from(['low', 'high']))}, engagement: "
                           f"{draw(st.sampled_from(['unaware', 'resistant', 'leading']))}, desired: supportive, "
                           "wants: '<b>w</b>'}")
    started = f"started: {draw(st.sampled_from(STEMS))[:10]}\n" if draw(st.booleans()) else ""
    return (f"goals/{draw(st.sampled_from(GOAL_IDS))}.md",
            f"---\ntitle: {title!r}\n{started}stakeholders: [{', '.join(stakeholders)}]\n---\n{draw(links)}\n")


@st.composite
def comment_note(draw) -> tuple[str, str]:
    about = draw(st.sampled_from(LINKS))
    return (f"comments/c{draw(st.integers(0, 2))}.md",
            f"---\nauthor: M\ndate: 2026-01-0{draw(st.integers(1, 3))}\nabout: {about!r}\n---\nhi {draw(links)}\n")


notes = st.one_of(person_note(), person_note(), interaction_note(), interaction_note(), goal_note(), comment_note())
journals = st.lists(notes, max_size=12).map(dict)


def kind_of(rel: str) -> str:
    """The kind folder of a journal-relative note path (people, interactions, goals or comments)."""
    return rel.removeprefix("private/").split("/")[0]


def interaction(date: str, with_: str, **fields: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\ndate: {date}\nwith: {with_}\n{extra}---\n"


def person(name: str, **fields: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\nname: {name}\n{extra}---\nNotes on {name}.\n"


def _commit_role_change(root: Path) -> None:
    """The journal made a git repository, and a commit of 2026-11-15 that makes Cy a director."""
    git(root, "init", "-q")
    git(root, "add", "people", "interactions", "goals", "comments")
    git(root, "commit", "-q", "-m", "start", "--date=2026-01-01T12:00:00+00:00")
    (root / "people/cy.md").write_text(person("Cy", role="Director", org="Acme").replace("Director", "Engineer"),
                                       encoding="utf-8")
    git(root, "commit", "-q", "-am", "cy's role", "--date=2026-02-01T12:00:00+00:00")
    (root / "people/cy.md").write_text(person("Cy", role="Director", org="Acme"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "cy promoted", "--date=2026-11-15T12:00:00+00:00")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a built site but its marker (which says who wrote it), by path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != MARKER}


#: A small journal with a bit of everything, for the edits below
SMALL_JOURNAL = {
    "people/ada.md": person("Ada", tags="[mentor]", introduced_by="bob"),
    "people/bob.md": person("Bob", tags="[peer]"),
    "people/cy.md": person("Cy"),
    "people/fay.md": person("Fay", cadence="30d"),  # never contacted: due a cadence after her note appeared
    "interactions/2025/a.md": interaction("2025-05-01", "[ada, bob]", gave="[x]"),
    "interactions/2026/b.md": interaction("2026-11-01", "ada", asked="[y]") + "Met [[Cy]].\n",
    "interactions/2026/c.md": interaction("2026-10-01", "cy") + "- [ ] send Cy the notes (due 2026-12-01)\n",
    "goals/g.md": "---\ntitle: G\nstakeholders: [ada, cy]\n---\n",
    "comments/n.md": "---\nauthor: Mentor\ndate: 2026-11-02\nabout: ada\n---\nAsk Ada about the review.\n",
}



#: Edits a user makes, one of each kind the engine must follow
EDITS = {
    "body edit": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-01", "ada", asked="[y]") + "Changed [[Bob]].\n", encoding="utf-8"),
    "body text edit": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-01", "ada", asked="[y]") + "Met [[Cy]]. <b>More</b> to say.\n", encoding="utf-8"),
    "person text edit": lambda root: (root / "people/ada.md").write_text(
        person("Ada", tags="[mentor]", introduced_by="bob") + "Runs the <script>x</script> review.\n",
        encoding="utf-8"),
    "goal text edit": lambda root: (root / "goals/g.md").write_text(
        "---\ntitle: G\nstakeholders: [ada, cy]\n---\nWhy it matters.\n", encoding="utf-8"),
    "line added above a task": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-10-01", "cy") + "We talked.\n- [ ] send Cy the notes (due 2026-12-01)\n",
        encoding="utf-8"),
    "participants change": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-10-01", "[cy, bob]", gave="[z]"), encoding="utf-8"),
    "title added": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-01", "ada", asked="[y]", title="'<i>Budget</i> talk'") + "Met [[Cy]].\n",
        encoding="utf-8"),
    "follow-up added": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-01", "ada", asked="[y]", follow_ups="[{what: call Ada, due: 2026-11-20}]")
        + "Met [[Cy]].\n", encoding="utf-8"),
    "follow-up added before the others": lambda root: (root / "interactions/2025/a.md").write_text(
        interaction("2025-05-01", "[ada, bob]", gave="[x]", follow_ups="[{what: call Bob, due: 2025-06-01}]"),
        encoding="utf-8"),
    "task due moved": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-10-01", "cy") + "- [ ] send Cy the notes (due 2026-11-02)\n", encoding="utf-8"),
    "unknown person added": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-01", "[ada, zed]", asked="[y]") + "Met [[Cy]] and [[Nobody]].\n", encoding="utf-8"),
    "marked private": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-10-01", "cy", private="true") + "- [ ] send Cy the notes (due 2026-12-01)\n",
        encoding="utf-8"),
    "asks added": lambda root: (root / "interactions/2025/a.md").write_text(
        interaction("2025-05-01", "[ada, bob]", asked="[a, b, c]"), encoding="utf-8"),
    "date moved within its month": lambda root: (root / "interactions/2026/b.md").write_text(
        interaction("2026-11-15", "ada", asked="[y]") + "Met [[Cy]].\n", encoding="utf-8"),
    "date moved past another in its year": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-11-20", "cy") + "- [ ] send Cy the notes (due 2026-12-01)\n", encoding="utf-8"),
    "year change": lambda root: (root / "interactions/2025/a.md").write_text(
        interaction("2024-05-01", "[ada, bob]"), encoding="utf-8"),
    "delete the only note of a year": lambda root: (root / "interactions/2025/a.md").unlink(),
    "new interaction": lambda root: (root / "interactions/2026/e.md").write_text(
        interaction("2026-10-20", "[bob, cy]", asked="[an intro]", title="'<b>Lunch</b>'")
        + "Met [[Ada]] there.\n- [ ] send Bob the deck (due 2026-11-25)\n", encoding="utf-8"),
    "new interaction in a new year": lambda root: (root / "interactions/2026/f.md").write_text(
        interaction("2023-03-01", "ada", gave="[advice]"), encoding="utf-8"),
    "new interaction in a new folder": lambda root: (root / "interactions/2027").mkdir() or (
        root / "interactions/2027/a.md").write_text(interaction("2026-10-02", "cy"), encoding="utf-8"),
    "new interaction with nobody known": lambda root: (root / "interactions/2026/g.md").write_text(
        interaction("2026-10-03", "zed"), encoding="utf-8"),
    "new interaction linking to itself": lambda root: (root / "interactions/2026/h.md").write_text(
        interaction("2026-10-04", "cy") + "See [[h]] and [[2026/b]].\n", encoding="utf-8"),
    "delete an interaction": lambda root: (root / "interactions/2026/c.md").unlink(),
    "rename a note": lambda root: os.replace(root / "interactions/2026/c.md", root / "interactions/2026/d.md"),
    "rename a person": lambda root: (root / "people/bob.md").write_text(person("Robert"), encoding="utf-8"),
    "delete a person": lambda root: (root / "people/cy.md").unlink(),
    "new person": lambda root: (root / "people/dee.md").write_text(person("Dee", tags="[mentor]"), encoding="utf-8"),
    "cadence change": lambda root: (root / "people/ada.md").write_text(
        person("Ada", tags="[mentor]", introduced_by="bob", cadence="7d"), encoding="utf-8"),
    "org and role change": lambda root: (root / "people/ada.md").write_text(
        "---\nname: Ada\norg: '<i>Acme</i>'\nrole: CTO\ntags: [mentor]\nintroduced_by: bob\n---\n"
        "Met through [[Bob]] at [[G]].\n", encoding="utf-8"),
    "person silences a check": lambda root: (root / "people/cy.md").write_text(
        person("Cy", cadence="14d", ignore="[stale-contact, follow-up-due]"), encoding="utf-8"),
    "person snoozed": lambda root: (root / "people/cy.md").write_text(
        person("Cy", cadence="14d", snooze_until="2026-12-24", met="2020-01-01"), encoding="utf-8"),
    "tag change": lambda root: (root / "people/ada.md").write_text(person("Ada", tags="[hub]"), encoding="utf-8"),
    "goal change": lambda root: (root / "goals/g.md").write_text("---\ntitle: G2\nstakeholders: [bob]\n---\n",
                                                                 encoding="utf-8"),
    "introduction added": lambda root: (root / "people/cy.md").write_text(person("Cy", introduced_by="bob"),
                                                                       encoding="utf-8"),
    "goal mapped": lambda root: (root / "goals/g.md").write_text(
        "---\ntitle: G\nstarted: 2026-10-15\nstakeholders:\n  - {who: ada, role: decider, influence: high, interest: "
        "high, engagement: neutral, desired: supportive, wants: '<i>a demo</i>'}\n  - {who: cy, role: gatekeeper, "
        "influence: medium, interest: low, engagement: resistant}\n  - bob\n---\n", encoding="utf-8"),
    "comment edit": lambda root: (root / "comments/n.md").write_text(
        "---\nauthor: Mentor\ndate: 2026-11-02\nabout: ada\n---\nAsk Ada about the budget.\n", encoding="utf-8"),
    "comment moves": lambda root: (root / "comments/n.md").write_text(
        "---\nauthor: Mentor\ndate: 2026-11-02\nabout: g\n---\nAsk about the budget.\n", encoding="utf-8"),
    "comment on an interaction": lambda root: (root / "comments/n.md").write_text(
        "---\nauthor: Mentor\ndate: 2026-11-02\nabout: interactions/2026/c\n---\nWell done.\n", encoding="utf-8"),
    "interaction loses every known person": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-10-01", "nobody"), encoding="utf-8"),
    "broken note": lambda root: (root / "people/ada.md").write_text("---\nname: [\n---\n", encoding="utf-8"),
    "config change": lambda root: (root / "netjournal.toml").write_text('[cadence]\ndefault = "7d"\n',
                                                                        encoding="utf-8"),
    "title change": lambda root: (root / "netjournal.toml").write_text('[journal]\ntitle = "<b>Other</b> title"\n',
                                                                      encoding="utf-8"),
    "goal task added": lambda root: (root / "goals/g.md").write_text(
        "---\ntitle: G\nstakeholders: [ada, cy]\n---\n- [ ] ask [[Bob]] for the deck\n- [ ] draft the case\n",
        encoding="utf-8"),
    "task names another person": lambda root: (root / "interactions/2026/c.md").write_text(
        interaction("2026-10-01", "cy") + "- [ ] send Bob the notes (due 2026-11-20)\n- [ ] book a room\n",
        encoding="utf-8"),
    "person paused until a day": lambda root: (root / "people/cy.md").write_text(
        person("Cy", paused="{until: 2026-11-10}"), encoding="utf-8"),
    "introduction received and what it led to": lambda root: (root / "interactions/2026/i.md").write_text(
        interaction("2026-10-10", "bob", received="[an intro to Dee]"), encoding="utf-8") and (
        root / "interactions/2026/j.md").write_text(interaction("2026-10-20", "cy") + "Came of [[i]].\n",
                                                    encoding="utf-8"),
    "never-contacted person's file date moved": lambda root: os.utime(root / "people/fay.md",
                                                                       (1767268800, 1767268800)),
    "never-contacted person long in the notes": lambda root: (root / "people/eve.md").write_text(
        person("Eve", cadence="30d"), encoding="utf-8") and os.utime(root / "people/eve.md", (1767268800, 1767268800)),
    "role change entry": lambda root: (root / "people/ada.md").write_text(
        person("Ada", tags="[mentor]", introduced_by="bob", role="'<b>VP</b>'",
               changes="[{date: 2026-11-10, role: '<b>VP</b>', kind: promotion}]"), encoding="utf-8"),
    "birthday added": lambda root: (root / "people/cy.md").write_text(person("Cy", birthday="--11-25"),
                                                                      encoding="utf-8"),
    "anniversary added": lambda root: (root / "people/bob.md").write_text(
        person("Bob", tags="[peer]", dates="[{date: 2019-11-24, what: '<i>work</i> anniversary'}]"),
        encoding="utf-8"),
    "likely duplicate added": lambda root: (root / "people/ada-2.md").write_text(person("ADA"), encoding="utf-8"),
    "role change committed": lambda root: _commit_role_change(root),
    "template override": lambda root: (root / "templates").mkdir() or (root / "templates" / "tags.html").write_text(
        "{% extends 'base.html' %}{% block main %}custom{% endblock %}", encoding="utf-8"),
}


