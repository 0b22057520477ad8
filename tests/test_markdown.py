"""Note bodies to HTML: the plain path (bodies of headings, prose, lists, emphasis, tasks and wikilinks, written
straight off their lines) must give exactly the bytes and holes markdown-it gives."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from netjournal.site import markdown
from netjournal.site.markdown import _MD, _plain_html, prerender

# the synthetic-journal tool beside the repository, as the benchmarks find it (MAKE_JOURNAL to point elsewhere)
MAKE_JOURNAL = Path(os.environ.get("MAKE_JOURNAL",
                                   Path(__file__).resolve().parents[2] / "shared" / "tools" / "make-journal"))


def by_markdown_it(text: str) -> tuple[str, list]:
    holes: list = []
    return _MD.render(text, {"holes": holes}), holes


def by_plain_path(text: str) -> tuple[str, list] | None:
    holes: list = [("earlier", "passage")]  # holes of an earlier passage: numbering goes on from them
    html = _plain_html(text, holes)
    if html is None:
        assert holes == [("earlier", "passage")], "a refused body must leave the holes as they were"
        return None
    return html.replace("\x00", "\x01"), holes[1:]


def agrees(text: str) -> bool:
    """Does the plain path take TEXT? Fails the test if it takes it and differs from markdown-it."""
    plain = by_plain_path(text)
    if plain is None:
        return False
    html, holes = by_markdown_it(text)
    # renumber markdown-it's holes as if one earlier hole came first
    pieces = html.split("\x00")
    for index in range(1, len(pieces), 2):
        pieces[index] = str(int(pieces[index]) + 1)
    assert plain == ("\x01".join(pieces), holes), text
    return True


TYPICAL = [
    "# Lunch with Ada\n\nWe talked about the reorg.\n\n- next: ask how the hiring went\n- gave feedback\n",
    "Met at the conference. She said \"call me\" and it's on.\nSecond line of the same paragraph!\n",
    "- [ ] send the deck to [[Ada Allen]]\n- [x] introduce them to [[bob|Bob B.]] 📅 2023-05-23\n",
    "## Björn — 日本 trip\nNotes: 3 people, 50% agreed (maybe) #promo @team {draft} = ok?\n\n",
    "[[Ada Allen]] said yes.\n\n### Heading\n- one\n- two\n\nAfter the list.",
    "See [the notes](https://example.org/notes/105) and [[Björn Li]].\n- [x] read [\"the\" deck](http://x.org:8080/a)",
    "",
    "\n\n\n",
    # a loose list (a blank line between two items): each item's text is a paragraph
    "- connected them with our data team\n- next: share notes\n\n- [x] send the deck 📅 2021-11-29\n\n",
    "- [[Ada Allen]] x\n\n- [[bob|Bob B.]] y\n\n\n- [ ] z\n\nAfter the list.\n- a new one\n- tight\n",
]

EDGES = [
    "Para\n- a\n- b", "- a\n\nPara", "- a\n- b\n\n\n# H", "a\n- a\n\n- b", "- a\nlazy", "- a\n# H",
    "Title\n---", "Title\n===", "Title\n-", "####### seven", "###### six", "# closed #", "#tag", "# ",
    "- [x]", "- [x] ", "- [y] no", "- [x]  spaced", "- [ ] [[Bob]] hi", "- [[Bob]]: x", "[[Bob]]: x",
    "a [[b|c d]] e", "a [[ b#x | c ]] e", "a [[#x]] e", "a [[]] e", "a [[a]b]] e", "a [[[a]] e", "a [[a]]] e",
    "a [[ ]] e", "a | b\n- | -", "a | b", "x [[" + "n" * 397 + "]]", "x [[" + "n" * 398 + "]]",
    "x [[" + "n" * 399 + "]]", "line  \nnext", "line\\\nnext", "tab\there", "a\u00a0", "\u00a0a", "a\x0cb",
    "cr\r\nlf", "nul\x00", "1. one", "2023. year", "2023 was good", "- 1. nested", "- - nested", "- # h",
    "  indented", "    code", "> quote", "* star", "+ plus", "- **bold**", "wow![[x]]", "wow! [[x]]", "a & b",
    "a < b", "a ~ b", "a ~~b~~", "`code`", "snake_case", "[link](https://example.org)", "\"q\" 'q'",
    "[[a|b|c]]", "[[a#b#c|d]]", "[[x]] [[y|z]]\n\n[[w]]", "a\n\n\n\nb", "- a\n- b\n\nc\n- d",
    "x [a](HTTP://EXAMPLE.ORG/A)", "x [a](https://Example.org:8080/x)", "x [a b](http://x)y", "x [a](http://x.org/%41)",
    "x [a](https://x.org/a?b=c)", 'x [a](https://x.org "t")', "x [a]( https://x.org)", "x [](https://x.org)",
    "x [a|b](https://x.org)", "x [a](javascript:alert(1))", "x [a](https://x.org/(b))", "x [a] (https://x.org)",
    "x [a](https://x.org)(b)", "x [[a]](https://x.org)", "x [a [b]](https://x.org)", "see [a](https://x.org).",
    "- [x] [a](https://x.org)", "[a](https://x.org) starts", "# [a](http://x.org/)", 'x [a"b](https://x.org)',
    "x [a](ftp://x.org)", "x [a](https://x..org/-/./)", "x [a](https://x.org:/)", "x [a](https://x.org:99999/)",
    # characters Python calls space or line breaks that markdown-it does not split on
    "a\x85b", "a\x85", "\x85a", "a\u2028b", "a\u2028", "a\u3000", "a\u3000b\n- x\u2029y", "# a\x85", "- a\x85b",
    "a\x80b", "x [a\x85](https://x.org)", "[[a\x85b]] c", "a\ufeffb", "a\u200bb", "a\u200b",
    "- a\n\n- b", "- a\n\n\n- b", "- a\n\n- b\nlazy", "- a\n\n- b\n\n", "- a\n\n- b\n# H", "- a\n\n  - b",
    "**a** b", "- **a** b", "# _a_ b", "a **b** _c_ *d*.", "a **b**c", "a_**b**", "a **b_ c", "a **[[b]]** c",
    "a _[[b]]_ c", "a **b [[c]] d** e", "a ** b**", "a **b **", "a *b **c** d*", "a **b *c* d**", "a *b* _c_",
    "snake_case **x**", "a\n***", "a\n___", "___", "* a", "_a_", "a **x**[[y]] b", "a [[y]]_x_ b", "a *x*[[y]]",
    "a _x_[a](https://x.org) b", "a [a](https://x.org)_x_ b", "a (_x_) b", "a _x_) b", "a _x_: b", "- [x] **x**",
    "**Next steps:** call Ada", "- **Works** on x", "- [ ] **x** y", "_a_ b\n*c* d", "- * a", "- **", "** a", "**a",
    "a\n**b** c", "- a\n**b** c", "**[[x]]** y", "*a*\n===", "**a**\n---", "**a:**. b", "_(a)_ b", "*a.*.",
    "- a\n\n* b", "- a\n\n-", "- a\n\n- b\n\n# H\n- c\n\n- [ ] d", "- a\n\nPara\n- b\n\n- c", "- a\n\n1. b",
]


@pytest.mark.parametrize("text", TYPICAL)
def test_typical_bodies_take_the_plain_path_and_match_markdown_it(text):
    assert agrees(text)


@pytest.mark.parametrize("text", EDGES)
def test_edge_cases_match_markdown_it_whenever_the_plain_path_takes_them(text):
    agrees(text)


WORDS = ["ada", "Björn", "日本", "📅", "2023-05-23", "it's", '"quoted"', "50%", "(aside)", "#tag", "x:y", "a+b",
         "e=mc", "@team", "{x}", "a/b", "ok.", "wow!", "why?", "[[Ada Allen]]", "[[bob|Bob B.]]", "[[ x#y | z ]]",
         "**data platform**", "_budget_", "*Ünï 2*", "**x**,", "_a_b", "a*b*", "**a*", "***a***", "__a__", "_ a_",
         "*a *", "**a\"**", "[*a*](https://x.org)", "[[a_b_c]]", "_(a)_", "*a*)", "**日本**!", "**Next steps:**",
         "_\"quoted\"_", "**(aside)**", "*ok.*", "_📅_", "**a:**.", "*-*", "_x_:", "**#1**", "*a!*!",
         "[the notes](https://example.org/notes/105)", "[x y](HTTP://A.B:80/c-d.e/)",
         "[a](https://x.org?q)", "[a](http://x.org/%20)", "[a](<http://x.org>)", "-", "1.", "—", "a|b", "*", "_",
         "[", "]", "<", ">", "&", "~", "`", "\\", "[[]]", "[[a]b]]", "!"]
STARTS = ["", "", "", "# ", "## ", "###### ", "####### ", "#", "- ", "- ", "- [ ] ", "- [x] ", "- [X] ", "-",
          "  ", "    ", "\t", "1. ", "2023 ", "> ", "* ", "+ ", "[[x]] ", "- [[y]] ", "- - ", "- 1. "]
WHOLE_LINES = ["", "", "", "---", "===", "- ", "#", "***", "```", "|-|-|"]
ENDS = ["", "", "", "", " ", "  ", "#", " #", "\\"]


def random_body(rng: random.Random) -> str:
    """A body of up to 8 lines; in a tame one (half of them) only the first few choices of each list, which
    the plain path takes, but for the order of its lines."""
    tame = rng.random() < 0.5
    pick = (lambda options, plain: rng.choice(options[:plain])) if tame else (lambda options, _: rng.choice(options))
    lines = []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.2:
            lines.append(pick(WHOLE_LINES, 3))
            continue
        words = [pick(WORDS, 25) if rng.random() < 0.3 else rng.choice(["talk", "Plan", "hold", "Ünï"])
                 for _ in range(rng.randint(1, 6))]
        lines.append(pick(STARTS, 13) + " ".join(words) + pick(ENDS, 4))
    return "\n".join(lines) + rng.choice(["", "\n", "\n\n"])


def test_random_bodies_match_markdown_it_whenever_the_plain_path_takes_them():
    rng = random.Random(20261123)
    taken = sum(agrees(random_body(rng)) for _ in range(20000))
    assert taken > 1000  # enough bodies of every shape took the plain path for the comparison to mean something


def test_prerender_numbers_holes_on_across_private_passages(monkeypatch):
    body = ("Met [[Ada]].\n\n<!-- private -->\nShe mentioned [[Bob|B]] and [[Cy]].\n<!-- /private -->\n\n"
            "- [x] thank [[Ada]]\n")
    plain = prerender(body)
    monkeypatch.setattr(markdown, "_plain_html", lambda text, holes: None)
    assert plain == prerender(body)
    assert [target for target, _ in plain.links] == ["Ada", "Bob", "Cy", "Ada"]


def assert_prerendered_as_by_markdown_it(notes: list[Path], monkeypatch) -> None:
    bodies = [path.read_text(encoding="utf-8").split("---\n", 2)[-1] for path in notes]
    plain = [prerender(body) for body in bodies]
    taken = sum(_plain_html(body, []) is not None for body in bodies)
    monkeypatch.setattr(markdown, "_plain_html", lambda text, holes: None)
    assert plain == [prerender(body) for body in bodies]
    assert taken > len(bodies) // 2


def test_every_body_of_the_example_journal_prerenders_as_markdown_it_renders_it(monkeypatch):
    notes = sorted((Path(__file__).resolve().parents[1] / "example-journal").glob("**/*.md"))
    assert len(notes) > 40
    assert_prerendered_as_by_markdown_it(notes, monkeypatch)


def test_every_body_of_a_generated_journal_prerenders_as_markdown_it_renders_it(tmp_path, monkeypatch):
    if not MAKE_JOURNAL.exists():
        pytest.skip(f"the make-journal tool is not at {MAKE_JOURNAL} (set MAKE_JOURNAL)")
    subprocess.run([sys.executable, str(MAKE_JOURNAL), str(tmp_path / "j"), "--people", "60",
                    "--interactions", "1500", "--seed", "7"], check=True, capture_output=True)
    assert_prerendered_as_by_markdown_it(sorted(tmp_path.glob("j/**/*.md")), monkeypatch)


# The plain path must be linear on any input. Each of these bodies, of about a million characters, takes it
# well under a second (9 ms to 0.32 s here); a quadratic step would take hours on any of them, so they run
# in a process of its own that a generous timeout ends. A timeout, not a timing: CI machines are slow and
# shared. (markdown-it-py itself is not linear on some of them: see benchmarks/README.md.)
SIZE = 1_000_000
LONG_BODIES = {
    "stars": "*" * SIZE, "spaced stars": " *a" * (SIZE // 3), "unclosed strong": "**a" + "b" * SIZE,
    "underscores": "_ " * (SIZE // 2), "unclosed wikilinks": "[[" * (SIZE // 2), "unclosed link": "[a](" * (SIZE // 4),
    "wikilink without end": "[[" + "a" * SIZE, "emphasis then spaces": "*a" + " " * SIZE + "a",
    "many lines": "- item\n" * (SIZE // 7), "heading of hashes": "# " + "#" * SIZE, "pipes": "a|" * (SIZE // 2),
    "many emphasis": "a *b* " * (SIZE // 6), "many wikilinks": "[[a]] " * (SIZE // 6),
    "open brackets": "a " + "[" * SIZE, "links": "a [b](https://x.org/) " * (SIZE // 22),
}

RUN_ALL = r"""
import json, sys
from netjournal.site.markdown import _plain_html

for body in json.loads(sys.stdin.read()).values():
    _plain_html(body, [])
"""


def test_the_plain_path_is_linear_on_long_hostile_bodies():
    subprocess.run([sys.executable, "-c", RUN_ALL], input=json.dumps(LONG_BODIES), text=True, timeout=120,
                   check=True)
