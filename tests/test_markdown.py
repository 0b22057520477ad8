"""Note bodies to HTML: markdown-it-py with netjournal's rules (wikilinks as holes filled once the model
resolves them, task marks, headings two levels down), private passages marked."""
from __future__ import annotations

from netjournal.site.markdown import _MD, fill, prerender


def test_prerender_numbers_holes_on_across_private_passages():
    body = ("Met [[Ada]].\n\n<!-- private -->\nShe mentioned [[Bob|B]] and [[Cy]].\n<!-- /private -->\n\n"
            "- [x] thank [[Ada]]\n")
    made = prerender(body)
    assert [target for target, _ in made.links] == ["Ada", "Bob", "Cy", "Ada"]
    assert 'class="private-passage"' in made.html


def test_holes_are_filled_with_links_or_marked_missing_and_labels_are_escaped():
    made = prerender("See [[Ada|<b>her</b>]] and [[Nobody]].\n\n# Plan\n- [ ] call\n")
    html = fill(made, {"Ada": "people/ada.html"})
    assert '<a class="wikilink" href="people/ada.html">&lt;b&gt;her&lt;/b&gt;</a>' in html
    assert '<span class="wikilink missing">Nobody</span>' in html
    assert "<h3>Plan</h3>" in html and '<li class="task">☐ call</li>' in html


def test_a_body_without_links_is_markdown_its_html():
    body = "Some *emphasis* and a [link](https://example.org/).\n\n- one\n- two\n"
    assert prerender(body).html == _MD.render(body, {"holes": []})
