"""A shared site built again after an edit is the site a build from scratch makes (issue 23, item 1).

Whatever decides which pages to render again (today's incremental builds, or the engine that replaces
them), a change to who is hidden, or to a hidden person's names, aliases or id, must reach every page
that could mention them. Each test builds the mentor's site, edits the journal, builds again into the
same folder, and compares that folder byte for byte with a build into a fresh one; and looks for the
hidden names.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TODAY, output_bytes, run_cli

MENTIONS = "I met Zelda Quokkason, also called Zeddy or Zq-Bee, at zelda-q's place.\n"

BEFORE = {
    "netjournal.toml": '[audience.mentor]\nexclude_tags = ["confidential"]\n',
    "people/zelda-q.md": "---\nname: Zelda Quokkason\naliases: [Zeddy]\nprivate: true\n---\nZ.\n",
    "people/pat.md": f"---\nname: Pat Public\n---\n{MENTIONS}",
    "people/olga.md": "---\nname: Olga Open\n---\nNothing to hide.\n",
    "interactions/2026/a.md": f"---\ndate: 2026-11-01\nwith: pat\ntitle: Lunch\n---\n{MENTIONS}",
    "interactions/2025/b.md": f"---\ndate: 2025-03-01\nwith: olga\ngave: [an intro to Zq-Bee]\n---\n{MENTIONS}",
    "goals/g.md": f"---\ntitle: Goal\nstakeholders: [pat]\n---\n{MENTIONS}",
}

# (what is edited, path -> new text (None: removed), the names the mentor must not see afterwards)
EDITS = {
    "a hidden person's new alias": (
        {"people/zelda-q.md": "---\nname: Zelda Quokkason\naliases: [Zeddy, Zq-Bee]\nprivate: true\n---\nZ.\n"},
        ("zelda", "quokkason", "zeddy", "zq-bee")),
    "a hidden person renamed": (
        {"people/zelda-q.md": "---\nname: Zq-Bee\nprivate: true\n---\nZ.\n"}, ("zq-bee", "zelda-q")),
    "a visible person made private": (
        {"people/olga.md": "---\nname: Olga Open\nprivate: true\n---\nNothing to hide.\n",
         "people/pat.md": f"---\nname: Pat Public\n---\n{MENTIONS}Olga Open was there.\n"},
        ("zelda", "quokkason", "olga")),
    "a visible person tagged confidential": (
        {"people/olga.md": "---\nname: Olga Open\ntags: [Confidential]\n---\nNothing to hide.\n",
         "goals/g.md": f"---\ntitle: Goal\nstakeholders: [pat]\n---\n{MENTIONS}Ask Olga Open.\n"},
        ("zelda", "quokkason", "olga")),
    "a hidden person's note moved under private/ with a new id": (
        {"people/zelda-q.md": None,
         "private/people/zq-bee.md": "---\nname: Zelda Quokkason\naliases: [Zeddy]\n---\nZ.\n"},
        ("zelda quokkason", "zeddy", "zq-bee")),
    "a hidden person's alias dropped": (
        {"people/zelda-q.md": "---\nname: Zelda Quokkason\nprivate: true\n---\nZ.\n"},
        ("quokkason",)),
    "a hidden person made visible": (
        {"people/zelda-q.md": "---\nname: Zelda Quokkason\naliases: [Zeddy]\n---\nZ.\n"}, ()),
    "an interaction made private": (
        {"interactions/2025/b.md": f"---\ndate: 2025-03-01\nwith: olga\nprivate: true\n---\n{MENTIONS}",
         "people/olga.md": "---\nname: Olga Open\n---\nSee [[interactions/2025/b]].\n"},
        ("quokkason", "zeddy", "an intro to")),
}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(root: Path, out: Path, audience: str) -> None:
    result = run_cli("build", root, "--audience", audience, "-o", out, "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("audience", ["mentor", "owner"])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_site_built_again_is_the_site_built_afresh(make_journal, tmp_path, edit, audience):
    root = make_journal(BEFORE)
    again, fresh = tmp_path / "again" / "site", tmp_path / "fresh" / "site"
    _build(root, again, audience)
    changes, hidden = EDITS[edit]
    for rel, text in changes.items():
        if text is None:
            (root / rel).unlink()
        else:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
    _build(root, again, audience)
    _build(root, fresh, audience)
    assert _tree(again) == _tree(fresh)
    if audience == "mentor":
        everything = output_bytes(again)
        for name in hidden:
            assert name.encode() not in everything, name
