"""network.html: the picture of who knows whom (size by interactions, colour by warmth, edges from
interactions together and introductions, a deterministic layout) and the hubs (introducers, bridges)."""
from __future__ import annotations

import re
from html import unescape

from conftest import TODAY, audience_output, interaction, person, run_cli


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def two_groups() -> dict[str, str]:
    """Two groups you met separately (a1-a3, b1-b3), joined only by bridge; intro introduced three people."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/bridge.md": person("Bea Bridge", cadence="365d"),
             "people/intro.md": person("Ian Introducer", cadence="365d"),
             "people/alone.md": person("Al Alone")}
    for group in "ab":
        for n in range(1, 4):
            files[f"people/{group}{n}.md"] = person(f"{group.upper()}{n} Person", cadence="365d",
                                                     introduced_by="intro" if group == "a" else "null")
        files[f"interactions/2026/{group}.md"] = interaction(f"2026-10-0{1 if group == 'a' else 2}",
                                                             f"[{group}1, {group}2, {group}3]")
        files[f"interactions/2026/{group}-bridge.md"] = interaction("2026-10-05", f"[bridge, {group}1]")
    files["interactions/2026/gift.md"] = interaction("2026-11-01", "intro", gave="['<b>a talk slot</b>']")
    return files


def build(root, out, *extra):
    result = run_cli("build", root, "-o", out, "--today", TODAY.isoformat(), *extra)
    assert result.exit_code == 0, result.output
    return (out / "network.html").read_text(encoding="utf-8")


def test_the_picture_and_the_hubs(make_journal, tmp_path):
    root = make_journal(two_groups())
    html = build(root, tmp_path / "site")
    text = text_of(html)
    assert "9 people · 8 tied to someone by an interaction together or an introduction · 11 ties · 1 with no tie" \
        in text
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert svg.count("<circle") == 8 and svg.count("<line") == 11
    assert "Bea Bridge: 2 interactions, 2 ties, warm" in svg and "Al Alone" not in svg
    hubs = text[text.index("Hubs"):]
    # a1 lies between the introducer's people and the bridge; bea between the two groups
    assert hubs.index("Ian Introducer introduced you to 3") < hubs.index("A1 Person bridge #1") < hubs.index(
        "Bea Bridge bridge #2")
    assert "gave 1 · balance +1" in hubs and "2026-11-01 : <b>a talk slot</b>" in hubs
    assert "&lt;b&gt;a talk slot&lt;/b&gt;" in html and "<b>a talk slot" not in html
    assert "Bea Bridge bridge #2 · gave 0 · balance +0 nothing given lately" in hubs
    assert 'href="network.html" aria-current="page">Network' in html
    assert build(root, tmp_path / "again") == html  # the same journal, the same bytes


def test_hidden_people_are_in_no_graph_or_hub_list_and_change_no_count(make_journal, tmp_path):
    files = two_groups()
    files["people/bridge.md"] = person("Bea Canarybridge", cadence="365d", private="true")
    files["people/intro.md"] = person("Ian Canaryintro", cadence="365d", private="true")
    root = make_journal(files)
    leaked = audience_output(root, tmp_path / "mentor")
    assert b"canary" not in leaked
    mentor = text_of((tmp_path / "mentor/network.html").read_text(encoding="utf-8"))
    without = two_groups()
    for rel in ("people/bridge.md", "people/intro.md", "interactions/2026/gift.md", "interactions/2026/a-bridge.md",
                "interactions/2026/b-bridge.md"):
        without.pop(rel)
    for n in range(1, 4):
        without[f"people/a{n}.md"] = person(f"A{n} Person", cadence="365d", introduced_by="null")
    expected = text_of(build(make_journal(without), tmp_path / "without", "--audience", "mentor"))
    summary = re.compile(r"\d+ people · .*? ties( · \d+ with no tie)?")
    assert summary.search(mentor).group() == summary.search(expected).group()
    assert mentor[mentor.index("Hubs"):] == expected[expected.index("Hubs"):]


def test_hostile_names_are_text_in_the_graph(make_journal, tmp_path):
    files = two_groups()
    files["people/a1.md"] = person("'<script>alert(1)</script>'", cadence="365d")
    html = build(make_journal(files), tmp_path / "site")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_large_network_is_cut_to_the_most_connected(make_journal, tmp_path, monkeypatch):
    from netjournal import network

    monkeypatch.setattr(network, "SHOWN_PEOPLE", 4)
    html = build(make_journal(two_groups()), tmp_path / "site")
    text = text_of(html)
    assert html[html.index("<svg"):html.index("</svg>")].count("<circle") == 4
    assert "The 4 most connected people; the others are counted in their clusters below." in text
    assert "more tied to them" in text
