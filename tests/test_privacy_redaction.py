"""Hidden people's names are redacted from shared views as a reader sees them (issue 23, items 3, 9, 11).

A name written naturally (hard-wrapped, with emphasis, entities, soft hyphens or zero-width characters,
curly apostrophes, in scripts written without spaces, as a short alias) must not reach a mentor's site or
an audience's export; names that merely look alike must stay.
"""
from __future__ import annotations

import functools
import html
import json
import re
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netjournal.analyze import analyze
from netjournal.redact import NameMatcher, reader_text, tag_key

from conftest import TODAY, audience_output, findings_of, mentor_view, output_bytes, run_cli

NAMES = ["Zelda Quokkason", "zelda-quokkason", "ZQ", "O'Brien", "王小明", "山田 太郎", "สมชาย ใจดี", "김민수", "José Núñez"]


@pytest.mark.parametrize("text", [
    "I met Zelda\nQuokkason at lunch",  # hard-wrapped
    "I met Zelda\n  Quokkason at lunch",  # wrapped inside a list item
    "> I met Zelda\n> Quokkason at lunch",  # wrapped inside a quote
    "I met Zelda  Quokkason", "I met Zelda\tQuokkason", "I met Zelda\u00a0Quokkason", "I met Zelda\u3000Quokkason",
    "I met **Zelda** Quokkason", "I met *Zelda Quokkason*", "I met _Zelda_ Quokkason", "I met Zelda **Quokkason**",
    "I met Zel**da** Quokkason", "I met `Zelda Quokkason`", "I met Zelda\\ Quokkason",
    "I met &#90;elda Quokkason", "I met &#x5A;elda&nbsp;Quokkason", "I met Zelda Quokk&#97;son",
    "I met Zel\u00adda Quok\u00adka\u00adson", "I met Zel\u200bda Quo\u200dkkason", "I met \u200bZelda Quokkason\ufeff",
    "I met ZELDA QUOKKASON", "I met Ｚｅｌｄａ Ｑｕｏｋｋａｓｏｎ", "I met zelda.quokkason@example.org",
    "I met zelda_quokkason", "see https://example.org/zelda-quokkason/", "I met [Zelda](https://example.org) Quokkason",
    "I met <b>Zelda</b> Quokkason", "I met Zelda Quokkason's sister",
    "O’Brien called", "O‘Brien called", "O`Brien called",  # curly and straight apostrophes
    "我和王小明喝咖啡", "山田太郎さんと話した", "山田 太郎さん", "วันนี้สมชาย ใจดีมา", "วันนี้สมชายใจดีมา", "김민수는 왔다",
    "ZQ said", "(ZQ)", "zq, later", "José Núñez", "Jose\u0301 Nu\u0301n\u0303ez",
    # decorated letter by letter, as "fancy text" generators do: struck through, underlined, slashed, circled
    *("I met " + "".join(c + mark for c in "Zelda Quokkason") + " today" for mark in "\u0336\u0332\u0338\u20dd"),
    "I met Z\u0305e\u0305lda Quokkason\u0333",
    # found by helper-44: a table's cells, a query string, a quote inside a list item, other scripts' marks
    "| First | Last |\n|---|---|\n| Zelda | Quokkason |", "see https://example.org/?q=Zelda+Quokkason",
    "- item\n  - > I met Zelda\n    > Quokkason", "I met Zelda\u2800Quokkason", "I met Zel\ufff9da Quokkason",
    # URLs shown or read decoded, and links that show nothing inside a name (helper-44)
    "see <https://example.org/%5Aelda%20Quokkason>", "see https://example.org/?keywords=Zelda%20Quokkason",
    "mail zelda%2Equokkason@example.org", "I met Zel[][r]da Quokkason\n\n[r]: https://example.org",
    "I met Zel[](https://example.org \"t\")da Quokkason", "I met [Zel](<https://x/a b>)da Quokkason",
    "I met Zel![][r]da Quokkason", "see <https://xn--jos-nez-dya8e9d.example/>",
    "see <https://example.org/Zelda%2520Quokkason>",  # escaped twice: shown as %20, read as a space (helper-47)
])
def test_a_hidden_name_written_naturally_is_redacted(text):
    matcher = NameMatcher(NAMES)
    redacted = matcher.redact(text)
    assert "someone" in redacted
    seen = _as_read(redacted)
    for name in ("zelda", "quokkason", "obrien", "王小明", "山田", "太郎", "สมชาย", "김민수", "núñez"):
        assert name not in seen.replace("'", ""), (text, redacted)
    assert "zq" not in seen.split()


@pytest.mark.parametrize("text", [
    "Albert and Zeldas Quokkasonian", "ZQX", "xZQ", "Zelda alone", "Quokkason alone",
    "Bob O'Brienne", "王小", "山田さん", "José Núñezo", "Zelda [x][y] Quokkason", "100% Zelda", "Zelda%2",
])
def test_names_that_only_look_alike_stay(text):
    assert NameMatcher(NAMES).redact(text) == text


@pytest.mark.parametrize("name", ["İpek Yılmaz", "Ipek Yilmaz", "IPEK YILMAZ"])
@pytest.mark.parametrize("text", ["met İpek Yılmaz", "met IPEK YILMAZ", "met ipek yilmaz", "met İPEK YILMAZ",
                                  "met I\u0307pek Yılmaz", "met ipek yılmaz"])
def test_a_turkish_name_is_found_in_either_case(name, text):
    """Turkish pairs İ with i and I with ı; Unicode's case folding pairs I with i only, and folds İ to i
    with a dot above: a name written in capitals or without Turkish letters was not found (helper-42)."""
    assert NameMatcher([name]).redact(text) == "met someone"


@pytest.mark.parametrize(("name", "text"), [
    ("Đặng Văn Lâm", "met Đa\u0306\u0323ng Văn Lâm"),  # ặ typed as a, breve, dot below: it looks the same
    ("Đa\u0306\u0323ng Văn Lâm", "met Đặng Văn Lâm"),
    ("Hoàng Thị Hậu", "met Hoa\u0300ng Thi\u0323 Ha\u0302\u0323u"),
    ("Ștefan Țurcanu", "met Ştefan Ţurcanu"),  # Romanian letters written with a cedilla, as older keyboards do
    ("Ştefan Ţurcanu", "met Ștefan Țurcanu"),
    ("محمد علي", "met مـــحمد علي"),  # the tatweel only draws a letter out
    ("ゼルダ クォッカソン", "met ゼルダ・クォッカソン"), ("阿卜杜勒·哈米德", "met 阿卜杜勒·哈米德"),
])
def test_a_name_whose_marks_are_typed_otherwise_is_found(name, text):
    """Found by helper-43: marks typed in another order than Unicode's (which a reader cannot see), and Ș, Ț
    written Ş, Ţ, hid a name from the matcher."""
    assert NameMatcher([name]).redact(text) == "met someone"


@pytest.mark.parametrize(("text", "redacted"), [
    ("Met &Idot;pek Yılmaz", "Met someone"),  # an entity with capitals (İ): decoded as written, not lowered
    ("Met &Ccedil;elik &Scedil;en", "Met someone"),
    ("<em>Ali</em> came", "<em>someone</em> came"),  # a name right after a tag: the tag stays
    ("[](u)Ali came", "[](u)someone came"),
])
def test_entities_and_tags_around_a_name(text, redacted):
    """Found by helper-43: `&Idot;` was lowered to `&idot;`, no entity, so İpek was not found (and the
    Markdown renderer shows the entity as İ); a tag was read as an invisible character a name may begin
    after, so the match took the tag with it."""
    assert NameMatcher(["İpek Yılmaz", "Ali", "Çelik Şen"]).redact(text) == redacted


@pytest.mark.parametrize(("name", "text"), [
    ("José Núñez", "met Jose Nunez"), ("José Núñez", "met JOSE NUNEZ"), ("Jose Nunez", "met José Núñez"),
    ("Zoë Ångström", "met zoe angstrom"), ("Nguyễn Văn An", "met Nguyen Van An"), ("Łukasz Żak", "met Lukasz Zak"),
    ("Øystein Dahl", "met Oystein Dahl"), ("Đặng Lâm", "met Dang Lam"), ("Renée", "met Renee"),
    ("מֹשֶׁה", "met משה"), ("مُحَمَّد", "met محمد"), ("José Núñez", "met Jose\u0301 Nun\u0303ez")])
def test_a_name_typed_without_its_accents_or_with_others_is_found(name, text):
    """A hidden José Núñez written `Jose Nunez` (as a keyboard without accents types it) reached the mentor:
    accents, and Hebrew and Arabic vowel points, are read through now (fail closed)."""
    assert NameMatcher([name]).redact(text) == "met someone"


@pytest.mark.parametrize("text", ["met Josef Nunezo", "met Jos Nune", "met Renées", "met Lukasze"])
def test_a_name_without_accents_still_needs_all_its_letters(text):
    assert NameMatcher(["José Núñez", "Renée", "Łukasz"]).redact(text) == text


def test_a_dot_above_the_last_letter_goes_with_the_name():
    assert NameMatcher(["Ali"]).redact("AlI\u0307 came") == "someone came"
    assert NameMatcher(["Ali"]).redact("Alİ came") == "someone came"


@pytest.mark.parametrize("text", ["Zoe\u0308 came", "Zoe&#776; came", "Zoe&#x308; came", "Zoe%CC%88 came"])
def test_an_accent_on_the_last_letter_goes_with_the_name_however_it_is_written(text):
    """helper-67: an accent written as an entity or an escape after a name read without it stayed behind:
    `someonë`."""
    assert NameMatcher(["Zoe"]).redact(text) == "someone came"


def _as_read(text: str) -> str:
    """TEXT as the test reads it (independently of netjournal's reading): entities decoded, NFKC, case
    folded, Markdown's markup and invisible characters dropped."""
    text = unicodedata.normalize("NFKC", html.unescape(text)).casefold()
    return "".join(c for c in text if c not in "*_~`\\[]" and unicodedata.category(c) not in ("Cf", "Mn"))


def test_markdown_around_a_redacted_name_stays_balanced():
    matcher = NameMatcher(["Zelda Quokkason"])
    assert matcher.redact("I met **Zelda** Quokkason.") == "I met someone."
    assert matcher.redact("**Met Zelda Quokkason**") == "**Met someone**"
    assert matcher.redact("I met Zelda **Quokkason**!") == "I met someone!"


def _reference_reading(text: str) -> str:
    """A slow, obvious version of the reading (one character at a time), to compare reader_text with."""
    out = []
    for char in html.unescape(text):
        if char in "*_~`\\[]":
            out.append("\x00")
            continue
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())
        for c in folded:
            if unicodedata.category(c) == "Cf" or "\u0300" <= c <= "\u036f" or "\ufe00" <= c <= "\ufe0f":
                out.append("\x01")
            elif c.isspace():
                out.append(" ")
            else:
                out.append({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-"}.get(c, c))
    return "".join(out)


_PIECES = st.sampled_from(["Zelda", "zelda", "Quokkason", " ", "  ", "\n", "\t", "\u00a0", "**", "_", "\u00ad",
                           "\u200b", "&#90;", "&amp;", "&nbsp;", "é", "e\u0301", "ß", "ﬁ", "王", "小明", "’", "x",
                           "-", ".", "@", "Ｚ"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12))
def test_the_reading_maps_back_to_the_text_it_was_read_from(pieces):
    text = "".join(pieces)
    reading = reader_text(text)
    assert reading.text.replace("\x01", "") == _reference_reading(text).replace("\x01", "")
    # each stretch of the reading maps back to a stretch of the text that reads the same
    for start in range(len(reading.text)):
        for end in range(start + 1, len(reading.text) + 1):
            a, b = reading.span(start, end)
            assert 0 <= a < b <= len(text)
            assert reading.text[start:end] in reader_text(text[a:b]).text


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=10), st.lists(_PIECES, max_size=10))
def test_a_name_between_any_text_is_redacted(before, after):
    matcher = NameMatcher(["Zelda Quokkason"])
    text = "".join(before) + " Zelda Quokkason " + "".join(after)
    assert re.search(r"\bzelda quokkason\b", " ".join(_as_read(matcher.redact(text)).split())) is None


def test_hostile_input_is_read_in_linear_time():
    """Inputs that make a backtracking pattern take quadratic time (long runs of what a name may contain or
    skip between its characters). This finishes in well under a second; quadratic, it would take hours."""
    # and contacts looked for as names: a short handle's profile, a site page's id of letters with its name
    matcher = NameMatcher(["Zelda Quokkason", "ZQ", "王小明", "a b", "github.com/zq", "v=zqVIDabcdef"])
    for text in ("\u200b" * 100_000, "*" * 100_000, " " * 100_000 + "zelda", "zelda" + " " * 100_000,
                 "zelda\u200b" * 20_000, "a " * 50_000, "a" + "-" * 100_000 + "b", "&#90;" * 20_000,
                 "王小" * 50_000, "zq" * 50_000,
                 # many names among escapes, each mapped back through the edits (helper-47: 2 MB took 287 s)
                 "Zelda Quokkason %20 " * 10_000, "ZQ &amp; " * 10_000, "xn--jos-nez-dya8e9d ZQ " * 10_000,
                 "github.com/z" * 8_000, "github.com/" * 9_000, "v=zq" * 25_000, "v=zqVIDabcde" * 8_000):
        assert matcher.redact(text) is not None


#: Long runs of what an address, a link or a number may hold: the first patterns for them took 8.6 s on 40,000
#: characters (quadratic: about a minute on 100,000); each of these finishes in well under a second
_CONTACT_RUNS = ("a" * 50_000, "@" * 50_000, "a@" * 25_000, "http" * 12_500, "h:" * 25_000, "://" * 16_500,
                 "www." * 12_500, "1 " * 25_000, "1" * 50_000, "(" * 50_000, "+1" * 25_000, "(1" * 25_000,
                 "1\x00" * 25_000, "1" + "\x00" * 50_000, "(0)" * 16_500, "a1-" * 16_500, "1:" * 25_000,
                 "a1:" * 16_500, "a *at* b" * 6_250, "&#32;" * 10_000, "a **at** b&#32;" * 3_250,
                 # a figure or an em space, a zero-width one or a figure dash between groups (privacy-s55)
                 "1\u2007" * 25_000, "+1\u2003" * 16_500, "1\u200b" * 25_000, "0\u2012" * 25_000)


def test_phone_numbers_are_read_in_linear_time():
    """A visible note's text of long runs of what a number may hold (helper-64: 60,000 of `(0)` took 164 s)."""
    from netjournal.contacts import _DATE, PHONE, Phones, phone_spans

    phones = Phones(["+44 7700 900123"])
    for text in ("(0)" * 33_000, "(0) " * 25_000, "1" * 100_000, "1:" * 50_000, "(0) : " * 16_500):
        assert phone_spans(text, phones) == []
    # groups apart by a figure space or another that is no ASCII one (privacy-s55)
    for text in ("\u2007" * 100_000, "1\u2007" * 50_000, "1\u2007\u2003-" * 25_000, "2019\u2007-\u2007" * 16_000):
        assert phone_spans(text, phones) == []
        assert _within_times_a_scan(lambda line: sum(1 for _ in PHONE.finditer(line)), text, 25)
        assert _within_times_a_scan(lambda line: sum(1 for _ in _DATE.finditer(line)), text, 25)


@pytest.mark.parametrize("half", [0, 1])
def test_contacts_are_read_in_linear_time(half):
    """A hidden person's e-mail, phone or link fields, and a visible note's text, of _CONTACT_RUNS (in two
    halves, which the test workers share)."""
    from netjournal.contacts import Phones, contact_forms, sure_contacts

    phones = Phones(["+44 7700 900123"])
    for text in _CONTACT_RUNS[half::2]:
        assert contact_forms([text], [text], [text]) is not None and Phones([text]) is not None
        assert phones.hidden(text) in (True, False)
        assert sure_contacts(text) is not None


def test_texts_under_any_key_are_read_in_linear_time():
    from netjournal.contacts import sure_contacts
    from netjournal.keys import looks_like_contact
    from netjournal.load import _unicode_keyed_lines
    from netjournal.notes import _odd_key

    for text in ("t.me/" * 10_000, "github.com/" * 4_500, "tel:1" * 10_000, "x.com/@" * 7_000, "0 " * 25_000,
                 "+1 " * 16_500, "a@b." * 12_500, "*" * 50_000 + "@", "+1_" * 16_500, "0_" * 25_000,
                 "+1_000" * 8_250, "+1\u202f" * 16_500, "0\u2009" * 25_000):
        assert sure_contacts(text) is not None
    # a number's groups apart by a figure space or another that is no ASCII one (privacy-s55)
    for text in ("0\u2007" * 25_000, "+1\u2007" * 16_500, "\u2007" * 50_000, "tel:1\u2003" * 10_000,
                 "+1\u2007000" * 8_250, "2019\u2007-\u2007" * 8_000,
                 # and behind YAML's anchors and tags, however many
                 "&a\u00a0" * 16_500, "!a " * 16_500 + "0301234567", " !" * 25_000, " &" + "a" * 50_000,
                 "!" * 50_000 + " 0", "&a\u00a0!" * 12_500, "a:\u00a0&a\u00a0" * 10_000, "[!" * 25_000 + " 0",
                 "!<" * 25_000 + "> 0", "[!<," * 12_500,
                 # and as read, through a zero-width space or a soft hyphen, a figure dash read as a dash
                 "0\u200b" * 25_000, "+1\u00ad" * 16_500, "0\u2012" * 25_000, "\u200b" * 50_000 + "0"):
        assert _within_times_a_scan(sure_contacts, text, 25)
    # an address between CJK's full-width punctuation (helper-s54-c)
    for text in ("\uff08a@b\u3002" * 8_250, "a\uff1a@" * 16_500, "@\u3002" * 25_000, "a" * 50_000 + "@\uff0c",
                 # and a profile's link after a CJK letter
                 "\u89c1github.com/" * 4_000, "\u89c1x.com/a" * 7_000, "\u89c1" * 50_000 + "x.com/a",
                 # and an address after CJK letters
                 "\u89c1" * 50_000 + "a@b.c", "\u89c1a" * 25_000 + "@b.c", "\u89c1a@b.c " * 8_250,
                 "a\uff20" * 25_000, "\uff20b." * 16_500):
        assert _within_times_a_scan(sure_contacts, text, 25)
    # a key's colon and a space that is no ASCII one (helper-s54-a)
    for text in (":\u00a0" * 25_000, "a:\u00a0'0" * 12_500, ": \t" * 16_500 + "\u3000", " " * 50_000 + "-\u00a00",
                 "a:\u00a0b c d e " * 3_500, "a:\u00a0" + " b" * 25_000 + " a:\u00a0", "a" * 50_000 + ":\u00a0",
                 # and a full-width colon (the reviewer's)
                 "\uff1a" * 50_000, "a\uff1a" * 25_000, "a" * 50_000 + "\uff1a", "a\uff1a" + "\u00a0" * 50_000 + "0"):
        assert _within_times_a_scan(sure_contacts, text, 25)
    # such lines of a note that loads, each after those of the keys above it (helper-s54-b)
    for text in ("".join(f"\n{' ' * n}a:\u00a0b" for n in range(600)), "\n a:\u00a0b" * 6_250,
                 "\na:\n -\u00a0" * 5_000, "a:\u00a0" * 16_500, "".join(f"\n{' ' * n}a" for n in range(600)) + "\nb:\u00a0",
                 "- " * 25_000 + "|x", "a" * 50_000 + ": |x", "\na:\u00a0b\nk: |\n c:\u00a0d" * 3_000,
                 # a block scalar begun behind an anchor, a tag or `?`, of a key with a `#` (privacy-s55)
                 "\na:\u00a0b\nk: &n !!str |\n c:\u00a0d" * 2_500, "? " * 25_000 + "|x", "a#" * 25_000 + ": |x",
                 "a: " + "!a " * 16_500 + "|", "a:" * 25_000 + " &n |x", "a: !" * 12_500 + " |", "x#" * 25_000 + "\na:\u00a0b"):
        assert _within_times_a_scan(_unicode_keyed_lines, text, 25)
    # check's explanation of such a key, a block scalar's text passed over (helper-s54-c)
    for text in ("a: " + "!a " * 16_500 + "x", "- " * 25_000 + "x", "? \t" * 16_500, ": " * 25_000 + "|",
                 "a: &" + "a" * 50_000 + " x", "a" * 50_000 + ": x", "x:" * 25_000, "a\uff1a" * 25_000,
                 "- |\n x\uff1ay\n" * 5_000, "a: !b &c |\n d:\u00a0e\n" * 2_500, "#" * 50_000 + "|",
                 # a quoted text's lines passed over too
                 "a: " * 16_500 + "'", "a: \"" + "\\\"" * 16_500, "- '" + "''" * 25_000, "a: 'x\n" * 7_500,
                 "a:" * 25_000 + " '",
                 # and a block scalar of a key with a `#` (privacy-s55)
                 "a#" * 25_000 + ": |", " #" * 25_000 + ": |", "a#: " * 12_500 + "|", "a: !" * 12_500 + " |"):
        assert _within_times_a_scan(lambda front: _odd_key(front.split("\n"), 10**6), text, 25)
    for text in ("x.com/" * 8_333 + " x", "a." * 25_000 + " x"):  # helper-88: 20 and 61 s
        assert looks_like_contact("links", "line", text) is False
    for text in ("a\u200b" * 25_000, "\u200b" * 50_000 + " x"):  # read without what no reader sees (privacy-s55)
        assert _within_times_a_scan(lambda value: looks_like_contact("links", "github", value), text, 25)


def test_a_note_that_cannot_be_loaded_is_salvaged_in_linear_time():
    from netjournal.salvage import salvaged_names

    for text in (": 12345678" * 10_000, "- 123456789 " * 8_000, ": 12345678" + " " * 100_000 + "x",
                 "[12345678," * 10_000, ", 1" * 33_000,  # a value YAML reads as a whole number, in a broken note
                 # behind tags, anchors and runs of spaces, or a mapping's key
                 "- " * 50_000, ": !a " * 20_000, "- !- " * 20_000, ": !" + "-!" * 50_000, "? &a " * 20_000,
                 ":" + " " * 100_000 + "!a", "{12345678:" * 10_000, "- !a !a " + "!a " * 33_000, ": \t" * 33_000,
                 # each key's part read by YAML alone
                 ": [" + "{type: github, value: zr}, " * 7_000 + "]", "\na: [{github: zq}]" * 5_500,
                 "\na: [b, {c: d}]\n  - e" * 9_000, ("\na: [" + "{b: c}, " * 500 + "]") * 50,
                 ": 1" + "_1" * 50_000, ": 1_" * 25_000,
                 # blanks that are spaces but no ASCII ones (helper-s54-a)
                 ":\u00a012345678" * 10_000, "-\u3000" * 50_000, ":\u202f!a\u202f" * 20_000, ": \u2007" * 33_000 + "1",
                 # a line's indent with a list's dashes, and the flows lines open (helper-s54-b)
                 "\n" + "- \t" * 33_000 + "phone: {a: b,", ": {" * 33_000 + "\n  b: c", "\nphone: {a: b,\n  - c: d" * 8_000,
                 "\nphone: {a: b,\n  c: " + "{" * 50_000 + "}" * 50_000, "\nphone:\n  c: " + "}]" * 50_000,
                 # a flow list of mappings taken apart line by line (helper-s53-c), of one key or many
                 ": [" + "{github: a}, " * 7_500 + "]", ": [" + "".join(f"{{k{n}: a}}, " for n in range(10_000)) + "]",
                 ": {" + "".join(f"k{n}: a, " for n in range(12_500)) + "}",
                 # past the thousand flow parts read whole, contacts' parts each once (helper-s53-d)
                 ": {" + "t, " * 1_001 + "}\na: {" + "github: a, " * 8_500 + "}",
                 ": {" + "t, " * 1_001 + "}\na: {" + "".join(f"k{n}: a, " for n in range(10_000)) + "}",
                 ": {" + "t, " * 1_001 + "}\na: [" + "".join(f"{{x: a{n:0>20}}}, " for n in range(7_000)) + "]",
                 # a full-width colon read as a key's too (helper-s54-c)
                 "\uff1a" * 100_000, "a\uff1a" * 50_000, "\na\uff1a1" * 33_000, "\uff1a" + "\u00a0" * 100_000 + "1",
                 "\n a\uff1a{b\uff1a" * 20_000, "\uff1a 12345678" * 10_000,
                 # behind anchors and tags, however many, with no-break spaces after them (privacy-s55)
                 ": &a\u00a0" * 20_000, ": " + "!a " * 33_000 + "12345678", "- " + "&a\u00a0" * 33_000 + "0301234567",
                 " !" * 50_000, ": !a !b !c 12345678," * 5_000, ": " + "!" * 100_000 + " 1", "[!" * 50_000 + " 1",
                 ",&a" * 33_000 + " 1", "!<" * 50_000 + "> 1", "[!<," * 25_000, "\na: [!a\u00a01, &b 2]" * 5_000,
                 ("\na: [" + "!a\u00a01, " * 500 + "]") * 50,
                 # line breaks that are no `\n` read as spaces too (privacy-s55)
                 ": 030\u2028" * 16_000, "\u2028" * 100_000, "\na: '0\u2029" * 16_000,
                 # numbers as a mapping's keys (privacy-s55)
                 "\n0301234567: a" * 7_000, "\na:" + "\n - {0301234567: a}" * 5_000,
                 "\na: {" + "".join(f"0{n:09}: a, " for n in range(2_000)) + "}\n#" + "x" * 70_000):
        # 60 times a scan: salvage reads each line by some thirty patterns, each reading of the note (as written,
        # its full-width colons and other line breaks read) and the parts YAML reads; linear cases take 10 to 38
        # times a scan, a quadratic one on these runs thousands of times
        assert _within_times_a_scan(lambda line: salvaged_names("people/z.md", f"k{line}".encode()), text, 60)


def test_tags_compare_as_tags_read():
    assert {tag_key(t) for t in (" #Confidential", "# confidential ", "ＣＯＮＦＩＤＥＮＴＩＡＬ", "con\u200bfidential")} \
        == {"confidential"}


# --- end to end: the mentor's site and every export ---------------------------------------------------

JOURNAL = {
    "netjournal.toml": """
        [audience.mentor]
        exclude_tags = ["confidential"]
        """,
    "people/zelda-quokkason.md": "---\nname: Zelda Quokkason\naliases: [ZQ, Zeddy]\nprivate: true\n---\nHidden.\n",
    "people/wang.md": "---\nname: 王小明\ntags: [\" #Confidential \"]\n---\nHidden too.\n",
    "people/pat.md": """
        ---
        name: Pat Public
        org: Zelda Quokkason Consulting
        aliases: [Pat]
        links: {"Zelda Quokkason's blog": "https://example.org/pat", "site": "https://zelda-quokkason.example",
                "old": "https://zeddysblog.example"}
        email: [pat@example.org, zelda.quokkason@example.org, zeddys.pal@example.org]
        tags: [friend-of-zelda-quokkason, zeddysfan, peer]
        ---
        I met Zelda
        Quokkason at the meetup; **Zelda** Quokkason and Zel\u00adda Quok\u200bkason, &#90;elda
        Quokkason, ZQ (twice: zq) and 我和王小明喝咖啡.
        """,
    "interactions/2026/coffee.md": """
        ---
        date: 2026-11-03
        with: [Pat]
        title: Coffee about Zelda\u00a0Quokkason
        topics: [ZQ, hiring]
        gave: [an intro to Zeddy]
        follow_ups:
          - {what: ask Zelda Quokkason about it, due: 2026-12-01}
        ---
        [[Zeddy]] came too; so did [[Pat|my friend]].
        """,
}


def test_hidden_names_reach_no_audience_output(make_journal, tmp_path):
    root = make_journal(JOURNAL)
    output = _as_read(audience_output(root, tmp_path / "mentor").decode("utf-8"))
    for name in ("zelda", "quokkason", "zeddy", "王小明"):
        assert name not in output, name
    assert b"zq" not in (tmp_path / "mentor" / "people" / "pat.html").read_bytes().lower()
    pat = (tmp_path / "mentor" / "people" / "pat.html").read_text(encoding="utf-8")
    assert "I met someone at the meetup" in pat and "my friend" in pat  # the rest is still there
    shown = pat.replace("<wbr>", "")  # addresses may break at @, / and dots
    assert "https://example.org/pat" in shown and "pat@example.org" in shown  # so are links and addresses


def test_redacting_aliases_keeps_what_aliases_refer_to(make_journal, tmp_path):
    """`redact = ["aliases"]` removes aliases from what the mentor sees, not the interactions, stakeholders
    and introducers they name (item 9)."""
    root = make_journal({
        "netjournal.toml": '[audience.mentor]\nredact = ["aliases"]\n',
        "people/ada.md": "---\nname: Ada Lovelace\naliases: [The Countess]\n---\n",
        "people/bob.md": "---\nname: Bob Babbage\nintroduced_by: The Countess\n---\n",
        "interactions/2026/a.md": "---\ndate: 2026-11-01\nwith: The Countess\n---\nWith [[The Countess]].\n",
        "goals/g.md": "---\ntitle: Engines\nstakeholders: [The Countess]\n---\n",
    })
    owner = analyze(root, TODAY)
    mentor = analyze(root, TODAY, audience=owner.config.audience("mentor"))
    assert [mentor.journal.participants[i.id] for i in mentor.journal.interactions] == [("ada",)]
    assert mentor.journal.introducer == {"bob": "ada"} and mentor.journal.stakeholders == {"g": ("ada",)}
    assert mentor.journal.people["ada"].aliases == ()
    exported = json.loads(run_cli("export", "json", root, "--audience", "mentor").output)
    assert [p["aliases"] for p in exported["people"]] == [[], []]
    audience_output(root, tmp_path / "mentor")
    ada = (tmp_path / "mentor" / "people" / "ada.html").read_text(encoding="utf-8")
    assert '<a class="wikilink" href="../people/ada.html">The Countess</a>' in \
        (tmp_path / "mentor" / "interactions" / "2026.html").read_text(encoding="utf-8")
    assert "Bob Babbage" in ada and "Engines" in ada


def test_check_warns_of_short_or_shared_names_of_hidden_people(make_journal):
    root = make_journal({
        "people/zelda.md": "---\nname: Zelda Quokkason\naliases: [ZQ, Pat]\nprivate: true\n---\n",
        "people/pat.md": "---\nname: Pat Public\naliases: [Pat]\n---\n",
        "people/al.md": "---\nname: Al\nprivate: true\n---\n",
        "people/bo.md": "---\nname: Bo Visible\naliases: [Bo]\n---\n",  # visible: nothing to warn of
    })
    found = findings_of(analyze(root, TODAY), "ambiguous-alias")
    assert sorted((f.path, f.line) for f in found) == [("people/al.md", 2), ("people/zelda.md", 3),
                                                        ("people/zelda.md", 3)]
    messages = " ".join(f.message for f in found)
    assert "'ZQ'" in messages and "'Pat'" in messages and "'Al'" in messages
    result = run_cli("check", root, "--today", TODAY.isoformat())
    assert "[ambiguous-alias]" in result.output


def test_a_goals_tasks_name_no_hidden_person_and_keep_their_private_passages(make_journal, tmp_path):
    """Found by an adversarial review: a goal's dated task naming a hidden person was redacted on the goal
    page but shown as written on the follow-ups page, the dashboard and the calendars (a goal's tasks are
    follow-ups since issue 28, and were not redacted as interactions' are)."""
    root = make_journal({
        "netjournal.toml": "[audience.mentor]\n",
        "people/zelda.md": "---\nname: Zelda Quokkason\naliases: [ZQ-canary]\nprivate: true\n---\n",
        "people/alice.md": "---\nname: Alice Apple\n---\n",
        "goals/g.md": "---\ntitle: Promotion\nstakeholders: [alice, zelda]\n---\n"
                      "- [ ] call [[zelda]] about the budget 📅 2026-11-25\n- [ ] email ZQ-canary 📅 2026-11-24\n"
                      "<!-- private -->\n- [ ] the secret errand 📅 2026-11-23\n<!-- /private -->\n",
    })
    shared = audience_output(root, tmp_path / "mentor")
    for secret in (b"zelda", b"quokkason", b"zq-canary", b"secret errand"):
        assert secret not in shared, secret
    assert b"about the budget" in shared  # the task is there, its person redacted


def test_a_hidden_turkish_name_in_capitals_reaches_no_audience(make_journal, tmp_path):
    root = make_journal({
        "netjournal.toml": "[audience.mentor]\n",
        "people/ipek.md": "---\nname: İpek Yılmaz\nprivate: true\n---\nHidden.\n",
        "people/pat.md": "---\nname: Pat Public\n---\nMet IPEK YILMAZ, then ipek yilmaz, then &Idot;pek Yılmaz.\n"})
    output = audience_output(root, tmp_path / "mentor").decode("utf-8")  # lower-cased
    assert "ipek" not in output and "yilmaz" not in output and "yılmaz" not in output and "idot" not in output
    assert "met someone, then someone, then someone." in output


def test_the_journals_title_and_owner_name_no_hidden_person(make_journal, tmp_path):
    """The settings' title and owner are on every page (<title>, header, footer), the calendar's name and
    the JSON export: a hidden person's name in them reads "someone" for an audience, as in a note; the
    owner's site and exports show them as written."""
    title = "Jordan + Zelda Quokkason notes, with Kit Kinsman"
    root = make_journal({
        "netjournal.toml": f'[journal]\ntitle = "{title}"\nowner = "Jordan (and Kit Kinsman)"\n\n'
                           '[audience.mentor]\nexclude_tags = ["family"]\n',
        "people/zelda-quokkason.md": "---\nname: Zelda Quokkason\nprivate: true\n---\n",
        "people/kit.md": "---\nname: Kit Kinsman\ntags: [family]\n---\n",
        "people/pat.md": "---\nname: Pat Public\n---\n"})
    output = audience_output(root, tmp_path / "mentor").decode("utf-8")  # lower-cased
    for name in ("zelda", "quokkason", "kinsman"):
        assert name not in output, name
    mentor = (tmp_path / "mentor" / "index.html").read_text(encoding="utf-8")
    assert "<title>Jordan + someone notes, with someone</title>" in mentor and "Jordan (and someone)" in mentor
    assert run_cli("build", root, "-o", tmp_path / "owner", "--today", TODAY.isoformat()).exit_code == 0
    owner = (tmp_path / "owner" / "index.html").read_text(encoding="utf-8")
    assert f"<title>{title}</title>" in owner and "Jordan (and Kit Kinsman)" in owner
    assert json.loads(run_cli("export", "json", root).output)["title"] == title
    calendar = run_cli("export", "ics", root).stdout_bytes.replace(b"\r\n ", b"").decode("utf-8")
    assert "X-WR-CALNAME:" + title.replace(",", "\\,") + ": follow-ups\r\n" in calendar  # unfolded, commas escaped


def test_names_nested_too_deeply_for_one_pattern_are_found_with_a_few():
    """Found by helper-44: 600 aliases, each a prefix of the next (x, xx, …), nest the trie too deeply for
    the regular expression compiler, and the pattern of each name in turn, used instead, was 6 MB: a
    mentor's build of a 2 MB note took 180 s. Now the names are split in halves until each half compiles."""
    names = ["Zelda Quokkason", *("x" * k for k in range(1, 601))]
    matcher = NameMatcher(names)
    assert 1 < len(matcher.patterns()) <= 4
    assert matcher.redact("met Zelda Quokkason, x, " + "x" * 300 + " and " + "x" * 600 + ".") == \
        "met someone, someone, someone and someone."
    assert matcher.redact("x" * 601) == "x" * 601


def test_a_persons_link_whose_address_names_a_hidden_person_when_decoded_is_not_shared(make_journal, tmp_path):
    """Found by helper-44: `?keywords=Zelda%20Quokkason` in a visible person's links reached the mentor's
    site, JSON and vCard: the address was read without decoding its escapes."""
    root = make_journal({
        "netjournal.toml": "[audience.mentor]\n",
        "people/zelda.md": "---\nname: Zelda Quokkason\nprivate: true\n---\n",
        "people/pat.md": "---\nname: Pat Public\nlinks:\n  search: https://example.org/?keywords=Zelda%20Quokkason\n"
                         "  home: https://pat.example.org\n---\n"})
    shared = audience_output(root, tmp_path / "mentor")
    assert b"pat.example.org" in shared and b"quokkason" not in shared


def test_the_goals_roles_of_the_settings_name_no_hidden_person(make_journal, tmp_path):
    """Found by helper-47: `[goals] roles` reached the mentor's dashboard and JSON export inside the finding
    about a stakeholder's unknown role; the roles are read as a stakeholder's role is, so a role naming a
    hidden person still matches the settings for the mentor."""
    root = make_journal({
        "netjournal.toml": '[goals]\nroles = ["Zeddy whisperer"]\n[audience.mentor]\n',
        "people/zelda-quokkason.md": "---\nname: Zelda Quokkason\naliases: [Zeddy]\nprivate: true\n---\n",
        "people/pat.md": "---\nname: Pat Public\n---\n", "people/sam.md": "---\nname: Sam Second\n---\n",
        "goals/promo.md": "---\ntitle: Promotion\nstakeholders:\n  - {who: pat, role: champion}\n"
                          "  - {who: sam, role: Zeddy whisperer}\n---\n"})
    shared = audience_output(root, tmp_path / "mentor")
    assert b"role 'champion' of pat public" in shared and b"zeddy" not in shared
    assert b"of sam second" not in shared  # the redacted role is still a known one


def test_a_hidden_persons_first_name_is_hidden_where_it_names_them_alone(make_journal, tmp_path):
    """Found by helper-49: netjournal reads "send Zelda the deck" as a promise to the hidden Zelda Quokkason
    (a capitalised first name that is only hers), but the mentor read "Zelda" in it, in the calendar and
    in notes. A first name two people share names neither, and stays; so does one not capitalised."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zelda-quokkason.md": "---\nname: Zelda Quokkason\nprivate: true\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nLunch with Zelda on Friday; a zelda plant.\n",
             "interactions/2026/a.md": "---\ndate: 2026-11-20\nwith: [pat]\n---\n- [ ] send Zelda the deck 📅 2026-11-25\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor")
    assert b"lunch with someone on friday; a zelda plant" in shared and b"send someone the deck" in shared
    shared = audience_output(make_journal({**files, "people/zelda-two.md": "---\nname: Zelda Two\n---\n"}),
                             tmp_path / "mentor2")
    assert b"lunch with zelda on friday" in shared


@pytest.mark.parametrize("text", [
    "Ask Quokkason about the budget.",  # the surname alone
    "Lunch with Quokkason, Zelda.",  # surname first, as a directory lists people
    "Lunch with Zelda M. Quokkason.",  # a middle initial
    "Lunch with Dr Zelda Quokkason.",  # after a title
    "Lunch with Zelda Maria Quokkason.",  # a middle name
    "Lunch with QUOKKASON.",
    "Dinner with the Quokkasons.",  # helper-54: a family
])
def test_each_word_of_a_hidden_persons_name_is_hidden_where_it_names_them(make_journal, tmp_path, text):
    """Left alone at stop 45, taken up at stop 46: only the full name and the first name were hidden, so the
    mentor read "Ask Quokkason" or "Lunch with someone M. Quokkason". Each capitalised word of a hidden
    person's name is hidden now, on the terms the first name was (test below: not a word of a shown name,
    an initial or a title)."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zelda-quokkason.md": "---\nname: Zelda Maria Quokkason\nprivate: true\n---\n",
             "people/pat.md": f"---\nname: Pat Public\n---\n{text} A quokkason plant.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor")
    assert b"pat public" in shared and b"a quokkason plant" in shared
    assert b"quokkason" not in shared.replace(b"a quokkason plant", b"") and b"zelda" not in shared
    assert b"maria" not in shared


@pytest.mark.parametrize(("name", "text"), [
    ("Quokkason, Zelda", "Ask Quokkason. Met Zelda today."),  # helper-54: punctuation inside the name
    ("Zelda Quokkason, PhD", "Ask Quokkason. Met Zelda today."),
    ("Zelda (Zed) Quokkason", "Ask Zed about it."),
    ('Zelda "Zed" Quokkason', "Ask Zed about it."),
    ("Zelda", "Ask Quokkason."),  # a word of the id (people/zelda-quokkason.md)
    ("田中 花子", "田中さんに聞く。花子さん。"),  # a script without capitals: every word counts as written so
    ("José Müller", "Mail müller@example.org, see müller-consulting.de."),  # helper-59: accents in an address
])
def test_each_word_of_a_hidden_name_is_found_however_the_name_is_written(make_journal, tmp_path, name, text):
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zelda-quokkason.md": f"---\nname: '{name}'\naliases: [Zelda Birdwhistle]\nprivate: true\n---\n",
             "people/pat.md": f"---\nname: Pat Public\n---\n{text} Ask Birdwhistle.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "pat public" in shared
    for word in ("quokkason", "zelda", "zed ", "birdwhistle", "田中", "花子", "müller", "josé"):
        assert word not in shared, word


def test_each_word_of_an_accented_hidden_name_is_one_word(make_journal, tmp_path):
    """Found reading the change: a name's words were split at its accents (read as marks after the letters),
    so `José Núñez` gave "jose", "nu", "n" and "ez": "Ask Núñez" was shown and every capital "Ez" hidden."""
    files = {"netjournal.toml": '[audience.mentor]\nexclude_tags = ["family"]\n',
             "people/jn.md": "---\nname: José Núñez\nprivate: true\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nAsk Núñez, ŁUCJA and Đặng. Ez Nu Ng.\n",
             "people/lw.md": "---\nname: Łucja Wójcikowska\ntags: [family]\n---\n",
             "people/dv.md": "---\nname: Đặng Văn\nprivate: true\n---\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "ask someone, someone and someone. ez nu ng." in shared


def test_addresses_roles_kinds_and_authors_naming_a_hidden_person_in_lower_case_are_hidden(make_journal, tmp_path):
    """helper-55: written in lower case, as addresses, roles (lower-cased when read), kinds and names are,
    a hidden person's name words reached the mentor: `https://linkedin.com/in/quokkason` and
    `zquokkason@example.org` in notes, titles and follow-ups (and the calendar), a stakeholder's role
    `Quokkason`, a kind `quokkason` (shown as "Quokkason with Pat Public"), a comment's author."""
    files = {"netjournal.toml": '[goals]\nroles = ["Quokkason-liaison"]\n[audience.mentor]\n',
             "people/zq.md": "---\nname: Zelda Quokkason\naliases: [Zeddy Quokkason-Bramblewick]\nprivate: true\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nSee https://linkedin.com/in/quokkason, "
                              "<https://quokkason.dev> and [her blog](https://blog.example/zelda). See pat.example.org.\n",
             "goals/g.md": "---\ntitle: A goal\nstakeholders:\n  - {who: pat, role: Quokkason}\n"
                           "  - {who: pat, role: Quokkason-liaison}\n---\n",
             "interactions/2026/a.md": "---\ndate: 2026-11-20\nwith: [pat]\nkind: quokkason\ntitle: see quokkason.dev\n"
                                       "---\n- [ ] email zquokkason@example.org 📅 2026-11-25\n",
             "comments/c.md": "---\nauthor: zeddy quokkason-bramblewick\ndate: 2026-11-21\nabout: pat\n---\nNoted.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "pat.example.org" in shared and "noted." in shared and "a goal" in shared
    for word in ("quokkason", "zelda", "bramblewick"):
        assert word not in shared, word


@pytest.mark.parametrize("case", ["owner hidden", "duplicate id", "aliases redacted"])
def test_only_what_the_audience_reads_spares_a_hidden_name_word(make_journal, tmp_path, case):
    """helper-55: the owner's name spared its words even when the owner is the hidden person; so did the
    aliases of a note the audience never sees (one whose id another note has too) or does not read
    (`redact = ["aliases"]`)."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zq.md": "---\nname: Zelda Quokkason\nprivate: true\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nAsk Quokkason. Zelda said.\n"}
    if case == "owner hidden":
        files["netjournal.toml"] = '[journal]\nowner = "Zelda Quokkason"\ntitle = "Quokkason network"\n[audience.mentor]\n'
    elif case == "duplicate id":
        files["people/b/sam.md"] = "---\nname: Sam Second\naliases: [Quokkason, Zelda]\n---\n"
        files["people/sam.md"] = "---\nname: Sam Second\n---\n"
    else:
        files["netjournal.toml"] = '[audience.mentor]\nredact = ["aliases"]\n'
        files["people/sam.md"] = "---\nname: Sam Second\naliases: [Quokkason, Zelda]\n---\n"
    shared = audience_output(make_journal(files), tmp_path / "mentor")
    assert b"pat public" in shared and b"quokkason" not in shared and b"zelda" not in shared


@pytest.mark.parametrize(("hidden", "text"), [
    ("Zelda Quokkason", "Send Zelda the deck."),  # helper-56: the owner, Zelda Smith, spared "Zelda" in notes
    ("Van Quokkason", "Ask Van about it."),  # helper-56: a particle that is a first name (Van Morrison)
])
def test_the_owners_name_and_particles_spare_no_hidden_first_name_in_notes(make_journal, tmp_path, hidden, text):
    """The owner's name spares its words in the settings' title and owner only, which name the owner; in a
    note "Zelda" may be the hidden Zelda as well as the owner. A hidden name's first word is a name even
    when it is a particle elsewhere."""
    files = {"netjournal.toml": '[journal]\nowner = "Zelda Smith"\ntitle = "Zelda Smith\'s network"\n'
                                "[audience.mentor]\n",
             "people/zq.md": f"---\nname: {hidden}\nprivate: true\n---\n",
             "people/pat.md": f"---\nname: Pat Public\n---\n{text}\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor")
    assert b"zelda smith&#39;s network" in shared or b"zelda smith's network" in shared
    assert text.lower().encode() not in shared and b"quokkason" not in shared


def test_hidden_name_words_break_no_ordinary_word_label_or_visible_name(make_journal, tmp_path):
    """helper-56: any token with `.`, `:` or `/` was taken for an address ("she will." became "she
    someone"); a hidden name of three letters was looked for inside every label ("annual-review" became
    "someoneual-review", the author Joanne Visible "Josomeonee Visible"); "Jon" with -es hid "Jones"."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/wr.md": "---\nname: Will Rose\nprivate: true\n---\n",
             "people/gh.md": "---\nname: Grace Hopper\nprivate: true\n---\n",
             "people/ann.md": "---\nname: Ann Hidden\nprivate: true\n---\n",
             "people/jh.md": "---\nname: Jon Hidden\nprivate: true\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nI think she will. It was disgraceful. Prices rose/fell. "
                              "We will: go. The Dow Jones fell.\n",
             "goals/g.md": "---\ntitle: A goal\nstakeholders:\n  - {who: pat, role: Planner}\n---\n",
             "interactions/2026/a.md": "---\ndate: 2026-11-20\nwith: [pat]\nkind: annual-review\n"
                                       "topics: [planning, channels]\n---\nFine.\n",
             "comments/c.md": "---\nauthor: Joanne Visible\ndate: 2026-11-21\nabout: pat\n---\nNoted.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor")
    for kept in (b"i think she will. it was disgraceful. prices rose/fell. we will: go. the dow jones fell.",
                 b"annual-review", b"planning", b"channels", b"planner", b"joanne visible"):
        assert kept in shared, kept


def test_an_address_holding_a_hidden_name_is_hidden_however_it_is_written(make_journal, tmp_path):
    """helper-56: a person's links left out `https://zeddyshop.example` for a hidden alias Zeddy, but the
    same address in a note's text was shown; helper-57: so was a domain after any character (quotes,
    `**`, `site:`), and an e-mail whose `@` was an entity, an escape or full width, or a domain with a soft
    hyphen. Only the address goes: the markup around it stays."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zq.md": "---\nname: Zelda Quokkason\naliases: [Zeddy]\nprivate: true\n---\n",
             "people/pat.md": "---\nname: Pat Public\nlinks:\n  shop: https://zeddyshop.example\n---\n"
                              "Shop at https://zeddyshop.example today. See “quokkason.dev”, **quokkason.dev**, "
                              "site:quokkason.dev, zquokkason&#64;example.org, zquokkason%40example.org, "
                              "zquokkason＠example.org and quok\u00adkason.dev. Mail ann@example.org; v1.2 at 10:30, e.g. "
                              # helper-59: a URL's path past a parenthesis, an apostrophe or an escaped space
                              "See https://en.wikipedia.org/wiki/Jane_(quokkason), https://x.org/it's-quokkason and "
                              "https://x.org/a%20zquokkason.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "shop at someone today." in shared and "zeddy" not in shared and "quokkason" not in shared
    assert "mail ann@example.org; v1.2 at 10:30, e.g." in shared and "<strong>someone</strong>" in shared
    assert "see someone), someone and someone." in shared


@pytest.mark.parametrize(("hidden", "shown", "kept"), [
    ("Eve Hidden", "Pat Public", "developer.mozilla.org"),  # helper-57: a name of three letters, inside
    ("Daniel Kim", "Danielle Moore", "danielle.moore@example.org"),  # inside a shown name
])
def test_an_address_holding_a_short_or_shown_name_is_kept(make_journal, tmp_path, hidden, shown, kept):
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/h.md": f"---\nname: {hidden}\nprivate: true\n---\n",
             "people/s.md": f"---\nname: {shown}\n---\nSee {kept} today.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert f"see {kept} today." in shared


def test_a_name_word_capitalised_after_its_particle_is_hidden(make_journal, tmp_path):
    """helper-55: "Call d'Arcy" was shown for a hidden Jean d'Arcy: the word begins with a small letter."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/ja.md": "---\nname: \"Jean d'Arcy\"\nprivate: true\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nCall d'Arcy, then d’Arcy, dʼArcy, d＇Arcy. "
                              "A d'arcy-style hat.\n"}  # helper-59: every character read as an apostrophe
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "call someone, then someone, someone, someone. a d&#39;arcy-style hat." in shared or \
        "call someone, then someone, someone, someone. a d'arcy-style hat." in shared


def test_a_hidden_persons_own_address_phone_and_link_are_hidden_where_a_visible_note_repeats_them(
        make_journal, tmp_path):
    """helper-60: an address holding no word of the name (`jq.secret@gmail.com`), a phone and a link of a
    hidden person reached the mentor from a visible person's fields and notes (at 6ab7c4f too)."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zelda.md": "---\nname: Zelda Quokkason\nemail: jq.secret@gmail.com\nphone: \"+44 7700 900123\"\n"
                                "links:\n  github: https://github.com/jqsecret\nprivate: true\n---\n",
             "people/pat.md": "---\nname: Pat Public\nemail: [pat@example.org, jq.secret@gmail.com]\n"
                              "phone: [\"+44 7700 900123\"]\nlinks:\n  friend: https://github.com/jqsecret\n---\n"
                              "Ask jq.secret@gmail.com or +44 7700 900123 or https://github.com/jqsecret. Gmail is fine.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "pat@example.org" in shared and "gmail is fine." in shared
    for secret in ("jq.secret", "7700 900123", "jqsecret"):
        assert secret not in shared, secret


#: A hidden person's phone as their note writes it, for the forms a visible note may repeat it in
ZELDAS_PHONE = 'phone: "+44 7700 900123"'


@pytest.mark.parametrize(("own", "repeated"), [
    ('email: "Zelda Q <jq.secret@gmail.com>"', "jq.secret@gmail.com"),
    ("email: mailto:jq.secret@gmail.com", "write to jq.secret@gmail.com"),
    ('phone: "tel:+44 7700 900123"', "+44 7700 900123"),
    ('phone: "mobile: +44 7700 900123 ext. 5"', "+44 7700 900123"),
    *((ZELDAS_PHONE, repeated) for repeated in ("+447700900123", "07700 900123", "+44 (0)7700 900-123")),
    ("links: {in: 'https://www.linkedin.com/in/jqsecret?originalSubdomain=uk'}", "linkedin.com/in/jqsecret"),
    ("links: {gh: 'https://github.com/jqsecret'}", "http://github.com/jqsecret/"),
    ("links: {gh: '<https://github.com/jqsecret>'}", "see github.com/jqsecret for code"),
    # helper-63: markup, other spaces and digits, numbers next to other numbers, a number after a short one
    *((ZELDAS_PHONE, repeated) for repeated in (
        "07700 **900123**", "07700\u2009900123", "０７７００ ９００１２３", "07700 9&#48;0123", "call 07700 900123 2 times",
        "07700 900123. 3 times", "07700 900123 / 020 7946 0999 (hers)", "07700 900123 (10am-2pm)")),
    ('phone: "9-5 weekdays: +44 7700 900123"', "+44 7700 900123"),
    ('phone: "+44 20 7946 0999 or 07700 900123"', "07700 900123"),
    # helper-64: spaced separators, a bracketed area code, markup around it, other digits, a field's forms
    *((ZELDAS_PHONE, repeated) for repeated in (
        "07700 – 900123", "07700  900123", "(07700) 900123", "_07700 900123_", "⁰⁷⁷⁰⁰ ⁹⁰⁰¹²³",
        "on 2026-11-02 07700 900123")),
    ('phone: "(07700) 900123"', "+44 7700 900123"), ('phone: "07700 – 900123"', "+44 7700 900123"),
    ('phone: "+44 7700 900123/020 7946 0999"', "07700 900123"),
    ("links: {signal: '+44 7700 900123'}", "07700 900123"),
    ('phone: "+44 7700 900123 / 020 7946 0999"', "07700 900123"),
    ('phone: "030/77009001"', "(030) 77009001"), ('phone: "030/77009001"', "+49 3077009001"),  # helper-65
    # contacts as labelled mappings, or nested deeper than the format says: read, never dropped (fail closed)
    ("phone:\n  mobile: '+44 7700 900123'\n  work: '020 7946 0999'", "07700 900123"),
    ("email:\n  work: jq.secret@gmail.com\n  home: zq@example.org", "jq.secret@gmail.com"),
    ("phone: [{mobile: '+44 7700 900123', work: '020 7946 0999'}]", "07700 900123"),
    ("phone: {mobile: ['+44 7700 900123']}", "07700 900123"), ("email: [[jq.secret@gmail.com]]", "jq.secret@gmail.com"),
    ("links: {gh: {url: 'https://github.com/jqsecret'}}", "github.com/jqsecret"),
    ("links: [{gh: 'https://github.com/jqsecret', web: 'https://zq.example.org'}]", "github.com/jqsecret"),
    # glued to the letters before it, as in a tag or a link's text
    *((ZELDAS_PHONE, repeated) for repeated in ("#tel07700900123", "call07700 900123", "wa.me/447700900123",
                                                "Tel+447700900123", "tel07700-900123", "Tel(07700) 900123")),
    ('phone: "tel07700900123"', "+44 7700 900123"), ("links: {whatsapp: 'https://wa.me/447700900123'}", "07700 900123"),
    ("links: ['https://telegram.me/+447700900123']", "07700 900123"),
    # helper-67: a contact's key mistyped (`check` reports it), as tags' and aliases' count already
    ('Phone: "+44 7700 900123"', "07700 900123"), ("e-mail: jq.secret@gmail.com", "jq.secret@gmail.com"),
    ("link: [https://github.com/jqsecret]", "github.com/jqsecret"),
    # helper-70: a key that says the field, a link to a number of another messenger
    ('mobile: "+44 7700 900123"', "07700 900123"), ("website: https://github.com/jqsecret", "github.com/jqsecret"),
    ("links: ['https://line.me/R/ti/p/+447700900123']", "07700 900123"),
    ("links: ['imessage://+447700900123']", "07700 900123"),
    # helper-66: a link written as the key, a number as a key, a number with more after it, over two lines,
    # in a link's label; a number's groups apart by a link's or an image's markup
    ("links: {'https://github.com/jqsecret': github}", "see github.com/jqsecret"),
    ("phone: {07700 900123: true}", "07700 900123"), ("email: {jq.secret@gmail.com: 2019-03-01}", "jq.secret@gmail.com"),
    ("phone: '+44 7700 900123-123'", "07700 900123"), ("phone: '07700 900123 24/7'", "07700 900123"),
    ("phone: '07700 900123 9-17'", "07700 900123"), ("phone: '07700 900123/12'", "+44 7700 900123"),
    ('phone: "07700\\t900123"', "07700 900123"), ("phone: |\n  07700\n  900123", "07700 900123"),
    ("links: {'signal +44 7700 900123': 'https://signal.me/#p/abc'}", "07700 900123"),
    (ZELDAS_PHONE, "[07700](https://x.example) 900123")])
def test_a_hidden_persons_contact_is_hidden_however_either_note_writes_it(make_journal, tmp_path, own, repeated):
    """helper-61: a hidden person's contact was looked for only as their note writes it, whole: an address
    with a name around it, a `tel:` number, a number grouped another way or without its country code, a
    link with a query or another scheme reached the mentor."""
    shared = mentor_view(make_journal, tmp_path, own, f"Ask: {repeated}. The meeting is on 2026-11-01.")
    assert "someone" in shared and "the meeting is on 2026-11-01." in shared
    for secret in ("jq.secret", "7700", "７７００", "⁷⁷⁰⁰", "jqsecret"):
        assert secret not in shared, secret


@pytest.mark.parametrize(("field", "repeated", "secrets"), [
    ("07700 900123 020 7946 0999", "020 7946 0999, or 07700 900123", ("7946", "7700")),
    ("212 555 0123 212 555 0199", "(212) 555-0199 or +1 212 555 0123", ("555", "0199")),
    ("since 2019-03-01 07700 900123", "07700 900123", ("7700",))])
def test_each_of_several_numbers_written_one_after_another_in_a_hidden_field_is_hidden(
        make_journal, tmp_path, field, repeated, secrets):
    """More digits than one number has were no number: several written in one field, one space apart or
    after a date, reached the mentor. The date itself hides nothing."""
    shared = mentor_view(make_journal, tmp_path, f'phone: "{field}"', f"Ask: {repeated}. We met on 2019-03-01.")
    assert "someone" in shared and "we met on 2019-03-01." in shared
    for secret in secrets:
        assert secret not in shared, secret


@pytest.mark.parametrize("links", ["links:\n  github: https://github.com/jqsecret", "links: [https://github.com/jqsecret]"])
def test_the_contacts_of_a_person_note_that_cannot_be_loaded_are_hidden(make_journal, tmp_path, links):
    """helper-61: a person note with a typo (a repeated key) may be private: its names were hidden, but its
    e-mail, phone and links, which the lenient reading did not look for, reached the mentor."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": "---\nname: Zelda Quokkason\nname: Zelda Q\nemail: jq.secret@gmail.com\n"
                                        f"phone: '+44 7700 900123'\n{links}\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nMail jq.secret@gmail.com, call 07700 900123, see "
                              "https://github.com/jqsecret. Gmail and GitHub are fine.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "gmail and github are fine." in shared
    for secret in ("jq.secret", "7700", "jqsecret"):
        assert secret not in shared, secret


def test_a_note_that_cannot_be_loaded_hides_contacts_under_keys_that_say_their_field(make_journal, tmp_path):
    """helper-73: the lenient reading of a broken person note read only keys close to `phone`, `email` and
    `links`: its `mobile:`, `github:` and `twitter:` reached the mentor. What says there is none stays."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": "---\nname: Zelda Quokkason\nname: Zelda Q\nmobile: '+45 30 12 34 56'\n"
                                        "github: zq_codes42\ntwitter: '@zeddy'\nlinkedin: unknown\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nRing 30 12 34 56, see zq_codes42 and @zeddy; unknown.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "ring someone, see someone and @someone; unknown." in shared


def test_a_contact_after_a_thousand_flow_parts_of_a_broken_note_is_hidden(make_journal, tmp_path):
    """helper-s53-d: a broken note's flows are taken apart, a thousand parts at most (each part costs a close
    match of its key), so a long flow first (`tags: {t0, ..., t1000}`) left the contacts of a broken flow after
    it unread and they reached the mentor; past the thousand, a part whose key says a contact is read still."""
    tags = "tags: {" + ", ".join(f"t{n}" for n in range(1001)) + "}\n"
    for fields, secret in (('socials: {github: zrgh42, x: "oops}\n', "zrgh42"),
                           ('socials: [{github: zrgh42}, {x: "oops}]\n', "zrgh42"),
                           ('contact: {tel: 0301234567, x: "oops}\n', "0301234567"),
                           # a value a comma splits goes on with its key (helper-s53-e)
                           ('socials: {github: "zrgh41,zrgh42", x: "oops}\n', "zrgh42"),
                           # and a part repeated is read again: what goes on at the next line is its value
                           ('a: {github: zrgh41, x: "oops}\nb: {github: zrgh41\n  zrgh42, x: "oops}\n', "zrgh42"),
                           # and a piece of a value is read however often it comes (helper-s53-f)
                           ('contact: {tel: 0301, 23, 23, 45}\nx9: [oops\n', "0301 23 23 45")):
        shared = _hidden_note_view(make_journal, tmp_path / secret / str(len(fields)), True, tags + fields,
                                   f"See github.com/{secret} and call {secret}.")
        assert secret not in shared, fields
    # a part left out (a name) ends the contact before it: what goes on at the next line is the flow's
    shared = _hidden_note_view(make_journal, tmp_path / "name", True,
                               tags + 'family: [{email: pp@example.org, name: Pat\n  Public}]\nx9: [oops\n',
                               "The mentorship program. Pat Public is here. Public talks.")
    assert "pat public is here. public talks." in shared


def _hidden_note_view(make_journal, tmp_path, broken: bool, fields: str, shown: str) -> str:
    """The mentor's view of a journal of Zelda Quokkason, hidden below private/people/ with FIELDS in her
    front matter (BROKEN: with a second `name:`, so that her note cannot be loaded and is read leniently),
    and Pat Public, shown, whose note's body is SHOWN."""
    twice = "name: Zelda Q\n" if broken else ""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": f"---\nname: Zelda Quokkason\n{twice}{fields}---\n",
             "people/pat.md": f"---\nname: Pat Public\n---\n{shown}\n"}
    return audience_output(make_journal(files), tmp_path / "mentor").decode()


@pytest.mark.parametrize("broken", [False, True])
def test_contacts_under_a_misspelt_profile_or_phone_key_are_hidden(make_journal, tmp_path, broken):
    """A typo in a key that says a contact (`twiter:`, `githb:`, `mobil:`) left what it holds unknown to
    the redaction, in a note that loads and in one that cannot be loaded: the hidden person's handles and
    number reached the mentor. What says there is none stays, as under the key spelt right."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "twiter: '@zeddy'\ngithb: zq_codes42\n"
                               "mobil: '+45 30 12 34 56'\nlinkdin: unknown\n",
                               "Ring 30 12 34 56, see zq_codes42 and @zeddy; unknown.")
    assert "ring someone, see someone and @someone; unknown." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("contacts", [
    "twitter_handle: zq_codes42\nwork_email: zq@example.org\nmobile_phone: '+45 30 12 34 56'",
    "GitHub-Username: zq_codes42\nPersonal E-mail: zq@example.org\nPhone Number: '+45 30 12 34 56'",
    "Links:\n  github: zq_codes42\nemail: zq@example.org\nphone: '+45 30 12 34 56'",
    # helper-76: a key in words, numbered, or with a mistyped qualifier (fcb6461 let these through)
    "linked_in: zq_codes42\nemail_adress: zq@example.org\nmobile_2: '+45 30 12 34 56'",
    "twitter/x: zq_codes42\nE-mail adress: zq@example.org\ntel.: '+45 30 12 34 56'",
    "web_site: zq_codes42.example.org\ngithub_2: zq_codes42\nemail: zq@example.org\nphone_numer: '+45 30 12 34 56'",
    "Linked In: zq_codes42\nemail: zq@example.org\ntelefone: '+45 30 12 34 56'",
    "github: zq_codes42\nemail: zq@example.org\nMobile/WhatsApp: '+45 30 12 34 56'"])
def test_contacts_under_keys_of_several_words_are_hidden(make_journal, tmp_path, broken, contacts):
    """helper-75: a key that says a contact with words around it (`twitter_handle`, `work_email`,
    `mobile_phone`), one written with spaces in a note that cannot be loaded (`Phone Number:`), and a
    handle under a profile's label below a mistyped `Links:` reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               f"{contacts}\n",
                               "Ring 30 12 34 56, mail zq@example.org, see zq_codes42.")
    assert "ring someone, mail someone, see someone." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_contacts_under_keys_spelt_right_are_hidden_whatever_they_hold(make_journal, tmp_path, broken):
    """helper-78: 616ae45 asked every handle for a letter and every number for seven digits and no date;
    under a key spelt right (`twitter:`, `mobile:`, `Phone:`) a handle of digits and a number written like
    a date reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "twitter: '@8675309'\ngithub: '31337'\n"
                               "mobile: '2012-34-56'\nPhne: '2012-10-05'\n"
                               # helper-79: b5a8934 read a mistyped `links` as a guess, asking for a named domain
                               "link: 'zq.dev:8443'\nLinsk:\n  home: 'zq.web3?ref=me'\n",
                               "Follow @8675309, see github.com/31337, ring 2012-34-56 or 2012-10-05, "
                               "zq.dev:8443, zq.web3?ref=me.")
    for secret in ("8675309", "31337", "2012-34-56", "2012-10-05", "zq.dev", "zq.web3"):
        assert secret not in shared, secret


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize(("contacts", "secrets"), [
    # keys of other services and numbers: read as a profile's or a phone's
    ("gitlab: zq_codes42\nskype: zq.live\nfax: '+45 30 12 34 56'", ("zq_codes42", "zq.live", "30 12 34 56")),
    ("x_handle: zq_codes42\ntelegram: '@zq.live'\ncontact_number: '+45 30 12 34 56'",
     ("zq_codes42", "zq.live", "30 12 34 56")),
    ("facebook: zq_codes42\ndiscord: zq.live\nlandline: '030 12 34 56 78'", ("zq_codes42", "zq.live", "34 56 78")),
    # inside another key's mapping or list
    ("contact:\n  phone: '+45 30 12 34 56'\n  email: zq@example.org\n"
     "socials:\n  - twitter: zq_codes42\n  - site: https://zq.live/me", ("30 12 34 56", "zq@example", "zq_codes42")),
    # what is surely one under any key
    ("notes: reach her at zq@example.org or +45 30 12 34 56\nweird: [https://github.com/zq_codes42]\n"
     "home_line: 030 12 34 56 78", ("zq@example", "30 12 34 56", "zq_codes42", "34 56 78"))])
def test_contacts_under_other_keys_or_inside_others_are_hidden(make_journal, tmp_path, broken, contacts, secrets):
    """A hidden person's contact under a key of a service not read before (`gitlab`, `skype`, `fax`,
    `x_handle`), inside another key (`contact: {phone: …}`), or surely one whatever its key (an address, a
    profile's link, a number dialled from abroad, a number with a trunk 0 written alone) reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, f"{contacts}\n",
                               "Ring +45 30 12 34 56 or 030 12 34 56 78, mail zq@example.org, see zq_codes42 "
                               "and zq.live.")
    for secret in secrets:
        assert secret not in shared, secret


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize(("contacts", "secrets"), [
    # helper-80: what f259487 still let through
    ("notes: write to zq@example.org!\nsee: 'code at github.com/zq_codes42, or wa.me/4530123456'",
     ("zq@example", "zq_codes42", "4530123456")),
    ("home_line: 0301234567\nnotes: 'tel:0401234567'", ("0301234567", "0401234567")),
    ("contact: {tel: '30.12.34.56', github: zq_codes42}", ("30.12.34.56", "zq_codes42")),
    ("contact:\n  phone: '30 12 34 56'\n  skype: zq.live\n  email: zq@example.org",
     ("30 12 34 56", "zq.live", "zq@example")),
    ("Telefon: '30 12 34 56'\ncourriel: zq@example.org\nskype_name: zq.live", ("30 12 34 56", "zq@example", "zq.live")),
    # helper-80's list of what was left: more German keys, a full-width plus
    ("Rufnummer: '30 12 34 56'\nE-Post: zq@example.org", ("30 12 34 56", "zq@example")),
    ("notes: 'ruf \uff0b45 30 12 34 56 an'", ("30 12 34 56",)),
    # helper-s54-a: a key's colon and a space that is no ASCII one after it (an editor's no-break space), YAML
    # reads as one text (or refuses the note): the value a key with a space there would have held reached the
    # mentor, at the top level, as a list's item, in quotes, or a whole number YAML would have read
    ("dad:\u00a0'0301234567'\nmum:\u3000'0401234567'\nson:\u202f4530123456", ("0301234567", "0401234567", "4530123456")),
    ("family:\n  - dad:\u202f'0301234567'\n  - mum: \u2007'0401234567'\n  - son:\u2003 4530123456",
     ("0301234567", "0401234567", "4530123456")),
    ("kin: \"dad:\u205fhome:\u00a00301234567\"\nfamily: [mum:\u1680'0401234567']", ("0301234567", "0401234567")),
    # a full-width colon, as a CJK input method types it, with or without a space (the reviewer's)
    ("dad\uff1a0301234567\nkin: 'mum\uff1a 0401234567'", ("0301234567", "0401234567")),
    # helper-s54-c: and a key's full-width colon read line by line (its value was a text's, no contact's)
    ("email\uff1azq@example.org\nlinks:\n  github\uff1a zq_codes42", ("zq@example", "zq_codes42")),
    # helper-s54-c: an address in CJK's full-width brackets or before its full stop (read as the address's)
    ("notes: '\u5199\u4fe1\u7ed9\uff08zq@example.org\uff09\u3002'", ("zq@example",)),
    ("kin: [\u300czq@example.org\u3002\u300d, '\u90ae\u7bb1 zq@example.org\uff0c\u8c22\u8c22']", ("zq@example",)),
    # helper-s54-c: a profile's link after a CJK letter (no host's: `见github.com/zq`, see github.com/zq)
    ("notes: '\u89c1github.com/zq_codes42\u3002'", ("zq_codes42",)),
    ("notes: '\u5199\u4fe1\u7ed9zq@example.org\u3002'", ("zq@example",)),  # and so an address
    ("notes: 'zq\uff20example.org'", ("zq@example",)),  # helper-s54-c: and one with a full-width at sign
    # helper-s54-c: such a value before a sentence's full stop, CJK's full-width one too
    ("notes: \"\u7535\u8bdd\uff1a0301234567\u3002\"\nkin: ['dad:\u00a00401234567.']", ("0301234567", "0401234567")),
    # and so in full-width digits, a value of its own (helper-s54-c: its trunk 0 was looked for in ASCII only)
    ("dad\uff1a\uff10\uff13\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\n"
     "kin: '\uff10\uff14\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17'", ("0301234567", "0401234567")),
    # so after a list's dash, and over lines YAML folds into one text (a key of words before a value's end)
    ("kin:\n  -\u00a0'0301234567'\n  -\u3000 4530123456\nfamily:\n  my dad:\u2009'0401234567'\n  my mum:\u00a0x",
     ("0301234567", "4530123456", "0401234567")),
    # helper-s54-b: so below a key, where YAML reads it as a text, no mapping (a note that loads): a handle
    ("links:\n  github:\u00a0zq_codes42\nphone:\n  telegram:\u202fzq.live", ("zq_codes42", "zq.live")),
    # and a number's groups apart by a narrow no-break or a thin space, as a phone's are read (helper-s54-b)
    ("kin: ['030\u202f1234567', 'ring\u00a0+45\u200930\u200912\u200934\u200956']", ("0301234567", "30 12 34 56")),
    # helper-s54-a: read line by line, a label after another contact's key in a phone field was read as that
    # contact's (`home:` as a label of telegram's handle), its number not a phone's; also where YAML refuses
    # the field itself, and a flow list of mappings there
    ("phone: {mobile: '+45 30 12 34 56', telegram: zq_codes42,\n  home: 030 1234567, work: 040 1234567}",
     ("30 12 34 56", "zq_codes42", "0301234567", "0401234567")),
    ("phone:\n  telegram: zq_codes42\n  home: 030 1234567 }\n  work: [040 1234567", ("zq_codes42", "0301234567", "0401234567")),
    ("phone: [{telegram: zq_codes42},\n  {home: 030 1234567}]", ("zq_codes42", "0301234567")),
    ("contact:\n  mobile: {skype: zq.live,\n    home: 030 1234567}}", ("zq.live", "0301234567")),  # below another key
    # another contact's key inside a phone's mapping below a key that is no contact field, in a note that loads
    # (helper-s54-a: `telegram: zq` there was read as a phone's label, and its handle reached the mentor)
    ("contact:\n  phone: {telegram: zq_codes42, home: 030 1234567}", ("zq_codes42", "0301234567")),
    # and deeper: in a list, under the profile's key as a list or a mapping (the reviewer's)
    ("contact: {phone: [{telegram: zq_codes42}], mobile: {skype: [zq.live]}}", ("zq_codes42", "zq.live")),
    ("contact: {phone: {telegram: {handle: zq_codes42}}}", ("zq_codes42",)),
    # helper-s54-c: a profile's key below labels longer than a label's most was dropped, and its handle shown
    ("contact: " + "{phone: [" * 18 + "{telegram: zq_codes42}" + "]}" * 18, ("zq_codes42",)),
    ("phone: {the work phone of the old office: {the second line, used on weekdays only: {the third one of them: "
     "{telegram: zq_codes42}}}}", ("zq_codes42",)),
    # helper-s54-c: a mapping that says its kind below another contact's key was read as that contact's
    ("contact: {phone: [{type: telegram, value: zq_codes42}], email: {service: skype, user: zq.live}}",
     ("zq_codes42", "zq.live")),
    # helper-s54-b: a handle under a profile's label in a phone field below another key, read as a phone's
    ("contact:\n  phone: {telegram: zq.live, skype: zq_codes42}", ("zq.live", "zq_codes42")),
    # helper-s54-b: a number under a label in an e-mail field (hidden as written whole: `home: 030 …`)
    ("email: {home: 030 1234567, work: zq@example.org}", ("0301234567", "zq@example")),
    ("links: {telegram: zq.live,\n  home: 030 1234567}", ("zq.live", "0301234567"))])  # read as telegram's
def test_contacts_in_sentences_flow_mappings_and_lists_of_mappings_are_hidden(make_journal, tmp_path, broken,
                                                                              contacts, secrets):
    """helper-80: an address ending a sentence, a profile's link without `https://`, a lone number with a
    trunk 0 or a `tel:` link in a note that cannot be loaded, contacts in a flow mapping or below another
    contact in one, and under keys in other languages."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, f"{contacts}\n",
                               "Ring 30 12 34 56, 30.12.34.56, 0301234567 or 0401234567, mail zq@example.org, "
                               "see zq_codes42, zq.live and wa.me/4530123456.")
    for secret in secrets:
        assert secret not in shared, secret


def test_contacts_in_a_list_of_mappings_that_name_their_kind_are_hidden(make_journal, tmp_path):
    """helper-80: `[{type: phone, value: …}]`, `[{service: github, user: …}]` (in a note that loads; read
    leniently, a note that cannot be loaded gives only what is surely a contact there)."""
    shared = _hidden_note_view(make_journal, tmp_path, False,
                               "contacts: [{type: phone, value: '30 12 34 56'}, {type: email, value: zq@example}]\n"
                               "socials: [{service: github, user: zq_codes42}]\n",
                               "Ring 30 12 34 56, mail zq@example, see zq_codes42; github and phone.")
    assert "ring someone, mail someone, see someone; github and phone." in shared


@pytest.mark.parametrize("aliases", ["  Zeddy: old friend", '  - "Zeddy": old friend', "  - nick: Zeddy",
                                     "  - Signal: work\n  - Zeddy", "  - zeddy: old friend", "  - 小泽: 老朋友\n  - Zeddy"])
def test_a_broken_notes_alias_written_as_a_mapping_is_hidden(make_journal, tmp_path, aliases):
    """`- Zeddy: nick` under `aliases:` is a mapping to YAML: read leniently, its key is an alias, and its
    value if written as a name (helper-82: not `old friend` or `work`; helper-83: a key in lower case or in
    a script without case is one too; an alias that is a contact's key is one)."""
    shared = _hidden_note_view(make_journal, tmp_path, True, f"aliases:\n{aliases}\n",
                               "Zeddy called; old friend, work; 小泽.")
    assert "someone called; old friend, work;" in shared.casefold()
    assert "小泽" not in shared or "小泽" not in aliases


@pytest.mark.parametrize("broken", [False, True])
def test_sure_contacts_hide_no_site_page_amount_or_coordinates(make_journal, tmp_path, broken):
    """helper-80: f259487 read `dropbox.com/home` as x.com's, the handle `home` of `x.com/home`, and
    `+1 200 000` (an amount) or `+55.755826` (a latitude) as numbers dialled from abroad; helper-83:
    `+1.234.567`."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "notes: 'https://dropbox.com/home, https://x.com/home, +1 200 000 EUR, "
                               "+55.755826, +1.234.567 EUR'\n"
                               # a number in a longer text is none, after a key's no-break space too (helper-s54-a)
                               "kin: ['dad: 0309999999', 'mum:\u00a0call 0308888888 evenings', 'since:\u00a02019-03-01']\n"
                               # nor one beside a phone field, not inside it (helper-s54-b: read line by line, it was
                               # read as the field's, as a label after another contact's key in it is)
                               "contact:\n  phone: {telegram: zq.live}\n  notes: call 0307777777 evenings\n"
                               # in a flow, after the phone's flow closed, on its line or the next
                               "circle: {phone: {telegram: zq.live},\n  notes: call 0306666666 evenings}\n"
                               "relatives: {phone: {telegram: zq.live,\n  home: 030 1234567}, notes: call 0305555555}\n",
                               "The home page, 1 200 000 EUR at 55.755826, 1.234.567 EUR; 0309999999, 0308888888, "
                               "0307777777, 0306666666, 0305555555 since 2019-03-01.")
    assert ("the home page, 1 200 000 eur at 55.755826, 1.234.567 eur; 0309999999, 0308888888, 0307777777, "
            "0306666666, 0305555555 since 2019-03-01." in shared.casefold())


@pytest.mark.parametrize("broken", [False, True])
def test_contacts_in_a_hidden_persons_body_are_hidden(make_journal, tmp_path, broken):
    """helper-82: 7cd86d3 stopped reading a hidden person's body for what is surely a contact, and her own
    address, number and profile there reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "---\nReach me at **zq@example.org** or +45 30 12 34 56; code at "
                               "https://github.com/zq_codes42, x.com/@zeddy_q, tel:030 1234 5678, +500 12345\n",
                               "Mail zq@example.org, ring 30 12 34 56, 030 1234 5678 or +500 12345, see "
                               "github.com/zq_codes42 and https://x.com/@zeddy_q.")
    for secret in ("zq@example", "30 12 34 56", "zq_codes42", "zeddy_q", "1234 5678", "12345"):
        assert secret not in shared, secret


_KINDS_NAMED = [("socials: [{type: twitter, name: zq_codes42}]", "zq_codes42"),
                ("socials: [{service: github, login: zq_codes42}]", "zq_codes42"),
                ("contacts: [{Type: Phone, Value: '30 12 34 56'}]", "30 12 34 56"),
                ("contacts: [{type: phone, value: ['30 12 34 56']}]", "30 12 34 56"),
                ("contacts: [{kind: email, addr: zq@example.org}]", "zq@example")]


# read leniently, a note that cannot be loaded gives only what is surely a contact there: the address
@pytest.mark.parametrize(("contacts", "secret", "broken"), [*((*case, False) for case in _KINDS_NAMED),
                                                            (*_KINDS_NAMED[-1], True)])
def test_contacts_in_lists_of_mappings_that_name_their_kind_however_written_are_hidden(make_journal, tmp_path,
                                                                                        broken, contacts, secret):
    """helper-83: 04ea614 read `{type: …, value: …}` only under a few keys written in lower case, and no
    list under them."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, f"{contacts}\n",
                               "Ring 30 12 34 56, mail zq@example.org, see zq_codes42.")
    assert secret not in shared


def test_a_hidden_contact_that_a_shown_persons_name_or_number_resembles_is_hidden(make_journal, tmp_path):
    """helper-83: 04ea614 spared what a hidden person's note gives outside her contact fields when it looked
    like a shown person's: her handle that is a shown relative's surname or a shown person's alias, her
    number whose digits a shown person's number from abroad has, her annex's outshone link."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zelda.md": "---\nname: Zelda Quokkason\nprivate: true\nlinks: {github: zelda_open}\n---\n",
             "private/people/zelda.md": "---\nlinks: {github: quokkason}\ncontact: {twitter: zeddy, phone: "
                                        "'07700 900123'}\n---\n",
             "people/max.md": "---\nname: Max Quokkason\n---\n",
             "people/kim.md": "---\nname: Kim Known\naliases: [Zeddy]\nphone: '+7 700 900123'\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nSee github.com/quokkason, x.com/zeddy, ring 07700 900123.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "see github.com/someone, x.com/someone, ring someone." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_what_a_hidden_persons_note_links_to_of_others_hides_nothing(make_journal, tmp_path, broken):
    """helper-82: a project's or a post's link (`github.com/python/cpython`, `x.com/ThePSF/status/1`,
    `t.me/joinchat/…`) gave a handle, and a community's topic beside its platform (`{topic: Flask,
    platform: discord}`) was read as one."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "notes: 'contributes to https://github.com/python/cpython and github.com/django/django, "
                               "shared https://x.com/ThePSF/status/123 and t.me/joinchat/AbCdEf'\n"
                               + ("" if broken else "communities:\n  - topic: Flask\n    platform: discord\n"),
                               "Loves Python, Django and Flask; follows ThePSF; joinchat; works at GitLab.")
    assert "loves python, django and flask; follows thepsf; joinchat; works at gitlab." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_handles_on_look_alike_sites_and_a_site_pages_word_written_as_a_handle_are_hidden(make_journal, tmp_path,
                                                                                          broken):
    """helper-82: 7cd86d3 read no handle of `fxtwitter.com/…` or `ddinstagram.com/…`, and none written as
    a site's page (`github: events`)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "links: ['https://fxtwitter.com/zeddy_q', 'https://ddinstagram.com/zq_insta']\n"
                               "github: events\n",
                               "Follow zeddy_q and zq_insta; see events.")
    assert "follow someone and someone; see someone." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_the_handles_of_a_hidden_persons_body_links_are_hidden_however_written(make_journal, tmp_path, broken):
    """helper-84: f0d47e1 hid a body's links whole and took no handle of them: `zq_codes42` and `@zqm` written
    on their own reached the mentor; so did a bare link after `...`."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "---\nCode: https://github.com/zq_codes42, see...hachyderm.io/@zqm\n",
                               "See zq_codes42, @zq_codes42, gitlab.com/zq_codes42; toot hachyderm.io/@zqm or @zqm.")
    for secret in ("zq_codes42", "zqm"):
        assert secret not in shared, secret


def test_a_shown_persons_address_spares_a_hidden_body_only_as_the_audience_reads_it(make_journal, tmp_path):
    """helper-84: an address in a hidden person's body that a shown person's private annex gives, or one an
    audience that redacts addresses never sees, was spared; helper-85: or one a note of a duplicate id gives."""
    body = "---\nname: Zelda Quokkason\n---\nMail zq@example.org, pat@example.com.\n"
    files = {"private/people/zelda.md": body, "people/kim.md": "---\nname: Kim Known\n---\nWrote to zq@example.org.\n",
             "people/pat.md": "---\nname: Pat Public\nemail: pat@example.com\n---\nMail pat@example.com.\n",
             "private/people/kim.md": "---\nemail: zq@example.org\n---\n"}
    shared = audience_output(make_journal({"netjournal.toml": "[audience.mentor]\n", **files}), tmp_path / "m1").decode()
    assert "wrote to someone." in shared and "mail pat@example.com." in shared
    files["netjournal.toml"] = '[audience.mentor]\nredact = ["email"]\n'
    shared = audience_output(make_journal(files), tmp_path / "m2").decode()
    assert "wrote to someone." in shared and "pat@example.com" not in shared
    # helper-85: nor by a note whose id another note has too (which of them the audience sees is the model's)
    files["netjournal.toml"] = "[audience.mentor]\n"
    del files["private/people/kim.md"]
    files["people/a/pat.md"] = "---\nname: Pat A\n---\n"
    files["people/kim.md"] = "---\nname: Kim Known\n---\nWrote to pat@example.com.\n"
    shared = audience_output(make_journal(files), tmp_path / "m3").decode()
    assert "wrote to someone." in shared
    # and a handle of words of two shown names is neither's (`kim-public`); one of Pat Public's is his
    del files["people/a/pat.md"]
    files["private/people/zelda.md"] = body.replace("pat@example.com", "https://github.com/pat-public, "
                                                    "https://github.com/kim-public")
    files["people/kim.md"] = "---\nname: Kim Known\n---\nSee @kim-public, @pat-public.\n"
    shared = audience_output(make_journal(files), tmp_path / "m4").decode()
    assert "see @someone, @pat-public." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_mapping_whose_other_values_name_no_kind_hides_no_name(make_journal, tmp_path, broken):
    """helper-84: `{name: Pat, company: X}` read `X` (x.com) as the kind of a contact and hid the shown Pat;
    a kind is said under `type:`, `service:`, `platform:` and the like. And a note that cannot be loaded
    reads an alias mapping's lower-case keys (`nick: Zedster`)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "family: [{name: Pat, company: X}]\n" + ("aliases:\n  nick: Zedster\n" if broken else ""),
                               "Pat Public met Zedster.")
    assert "pat public met " + ("someone" if broken else "zedster") + "." in shared


def test_links_in_a_hidden_persons_body_hide_no_shown_name(make_journal, tmp_path):
    """helper-80, 82 and 83: the body of a hidden person's note speaks of others: `github.com/pat-public`
    there hid the shown Pat's name, and Pat's own address was hidden from his page. A handle of words of a
    shown name and a shown person's address are theirs; `github.com/django` still hides `Django`."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": "---\nname: Zelda Quokkason\nnotes: forked https://github.com/patpublic/x\n"
                                        # helper-s54-b: a text's lines are no keys for a key's no-break space
                                        "about: |\n  github: patpublic\n  github:\u00a0patpublic\n"
                                        "links:\n  x:\u00a0zq_codes42\n"
                                        "---\nPat is https://github.com/pat-public, pat@example.com; github.com/django.\n",
             "people/pat.md": "---\nname: Pat Public\nemail: pat@example.com\nlinks: {github: patpublic}\n---\n"
                              "Pat Public said hi (pat@example.com), likes Django. See zq_codes42.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "pat public said hi (pat@example.com), likes someone." in shared  # an organisation's: fail closed
    assert "patpublic" in shared and "zq_codes42" not in shared


def test_an_annexs_contacts_that_the_shared_notes_own_outshine_are_hidden(make_journal, tmp_path):
    """The owner sees the shared note's e-mail, phone and links over its private annex's; an audience hides
    the annex's too, and the annex's aliases (helper-80)."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zelda.md": "---\nname: Zelda Quokkason\nprivate: true\nemail: zelda@example.com\n"
                                "phone: '+45 11 22 33 44'\nlinks: {github: zelda_open}\n---\n",
             "private/people/zelda.md": "---\nemail: zq@example.org\nphone: '+45 30 12 34 56'\n"
                                        "links: {github: zq_codes42}\naliases: [Zedster]\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nMail zq@example.org, ring 30 12 34 56, see zq_codes42. "
                              "Zedster called.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    for secret in ("zq@example", "30 12 34 56", "zq_codes42", "zedster"):
        assert secret not in shared, secret


def test_an_alias_after_an_explicit_key_with_a_colon_in_it_is_hidden(make_journal, tmp_path):
    """helper-76: in a note that cannot be loaded, `: Zeddy Quokky: nicknames` after `? aliases` was read as
    a key of its own (fcb6461), and the alias reached the mentor."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": "---\nname: Zelda Quokkason\nname: Zelda Q\n? aliases\n: Zeddy Quokky: nicknames\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nSaw Zeddy Quokky today.\n"}
    assert "saw someone today." in audience_output(make_journal(files), tmp_path / "mentor").decode().replace(
        "someone someone", "someone")


@pytest.mark.parametrize("broken", [False, True])
def test_a_key_that_only_looks_like_a_profile_key_hides_no_word(make_journal, tmp_path, broken):
    """helper-75: `linked:` read as a mistyped `linkedin:` hid its value (`2023`, `work`) in every visible
    note, and so did a profile key's status (`linkedin: connected`)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "linked: '2023'\nlinking: work\n"
                               "linkedin: connected\ntwitter_account: deleted\ncall: '2026-12-01'\n"
                               # helper-77: words, numbers and dates under keys read as contact keys
                               "twitter_users: 5000\nx_no: 150\nx1: 340\ntwitter_page: '2019'\n"
                               "house_number: 1200000\nsignals: '2026-11-03'\nlinkedin_profile: updated\n"
                               "ex_twitter: '2021'\n"
                               # helper-78: a key that describes a profile is not its handle
                               "github_account: work\nlinkedin_page: company\nwork_website: v2.0.1\n"
                               # helper-79
                               "website: '@home'\nemailed: '2026-10-10'\n"
                               # helper-s54-b: a label after another contact's key in an e-mail field, read as
                               # the field's where YAML refuses the note, hid its words everywhere
                               "email: {skype: zq.live,\n  via: the plan was updated, note: guests 5000}\n",
                               "In 2023 we connected at work; the old one was deleted. "
                               "We meet on 2026-12-01 and 2026-11-03. 5000 guests, 1200000 views, rooms 150 and 340; "
                               "since 2019 and 2021 the plan was updated. The company shipped v2.0.1 @home on 2026-10-10.")
    assert ("in 2023 we connected at work; the old one was deleted. we meet on 2026-12-01 and 2026-11-03. 5000 "
            "guests, 1200000 views, rooms 150 and 340; since 2019 and 2021 the plan was updated. the company "
            "shipped v2.0.1 @home on 2026-10-10.") in shared


@pytest.mark.parametrize("handles", ["links:\n  github: zqcodes\n  twitter: '@zeddy'", "links:\n  - github: zqcodes\n"
                                     "  - twitter: '@zeddy'", "links: [github: zqcodes, 'twitter: @zeddy']",
                                     "github: [zqcodes, zq42]\ntwitter: {main: '@zeddy'}"])
def test_the_handles_of_a_note_that_cannot_be_loaded_are_hidden(make_journal, tmp_path, handles):
    """helper-74: handles under a label in `links:` or in a flow list of a broken note were kept only as
    written whole (`github: zqcodes`), and a list under `github:` failed the handle test as a whole."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": f"---\nname: Zelda Quokkason\nname: Zelda Q\n{handles}\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nSee @zqcodes, zqcodes and @zeddy.\n"}
    assert "see @someone, someone and @someone." in audience_output(make_journal(files), tmp_path / "mentor").decode()


def test_what_a_note_that_cannot_be_loaded_says_of_contacts_hides_no_word_or_date(make_journal, tmp_path):
    """helper-63: the contacts salvaged from a broken note were told from names by their look: a link
    without a scheme and a phone with a remark were names (`GitHub`, `Reception` hidden everywhere), and a
    link holding a date was a phone (every `2026-11-01` hidden); labelled items were not read at all."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": "---\nname: Zelda Q\nname: Zelda Q\nemail:\n  - Work: zq@acme.example\n"
                                        "phone: '+44 7700 900123 (mobile, ask Reception)'\n"
                                        "links:\n  GitHub: github.com/jqsecret\n  Signal: +44 7700 900456\n"
                                        "  blog: https://zq.example/2026/11/01/hello\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nGitHub and Reception on 2026-11-01. Mail zq@acme.example, "
                              "call 07700 900123 or 07700 900456.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "github and reception on 2026-11-01." in shared
    for secret in ("zq@acme", "7700"):
        assert secret not in shared, secret


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-32-be"])
def test_a_person_note_in_utf16_or_utf32_without_a_byte_order_mark_hides_its_name(make_journal, tmp_path, codec):
    """helper-61: such a note cannot be loaded (NUL bytes), and the lenient reading of its names read it as
    UTF-8: no name was found, and "Quokkason" reached the mentor."""
    root = make_journal({"netjournal.toml": "[audience.mentor]\n",
                         "people/pat.md": "---\nname: Pat Public\n---\nAsk Quokkason or Zeddy.\n"})
    (root / "private" / "people").mkdir(parents=True)
    (root / "private" / "people" / "zq.md").write_bytes(
        "---\nname: Zelda Quokkason\naliases: [Zeddy]\n---\n".encode(codec))
    shared = audience_output(root, tmp_path / "mentor")
    assert b"pat public" in shared and b"quokkason" not in shared and b"zeddy" not in shared


def test_a_hidden_phone_in_an_id_or_over_two_lines_of_a_broken_note_is_hidden(make_journal, tmp_path):
    """helper-64: an id holding a hidden person's number (`people/tel-07700900123.md`) was kept, and a broken
    note's number over two lines was read as two short ones."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": "---\nname: Zelda Q\nname: Zelda Q\nphone: +44 7700\n  900123\n---\n",
             "people/tel-07700900123.md": "---\nname: Pat Public\n---\nCall 07700 900123.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "pat public" in shared and "7700" not in shared


@pytest.mark.parametrize(("field", "repeated", "secret"), [
    ("+44-20-7946-0999", "020 7946 0999", "7946"), ("0049-30-1234-5678", "+49 30 12345678", "12345678"),
    ("+39.06.1234.5678", "06 1234 5678", "1234"), ("tel:+44-20-7946-0999", "+44 20 7946 0999", "7946")])
def test_a_hidden_number_grouped_by_dashes_or_dots_is_no_date(make_journal, tmp_path, field, repeated, secret):
    """helper-67: `44-20-7946` read as a date, so `+44-20-7946-0999` was no number and reached the mentor."""
    shared = mentor_view(make_journal, tmp_path, f'phone: "{field}"', f"Ask: {repeated}. Since 2019-03-01.")
    assert "someone" in shared and "since 2019-03-01." in shared and secret not in shared


def test_a_short_accented_name_word_hides_no_word_it_reads_as_without_its_accents(make_journal, tmp_path):
    """helper-67: once accents were read through, a hidden Tô Thị Ái, Hé Wěi or Lê Thị Hồng hid every `To`,
    `He`, `AI` and `Le` written with a capital. A word of four letters or fewer is found only with its
    accents as written now; the whole name and longer words still without them."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/tta.md": "---\nname: Tô Thị Ái\nprivate: true\n---\n",
             "people/hw.md": "---\nname: Hé Wěi\nprivate: true\n---\n",
             "people/lth.md": "---\nname: Lê Thị Hồng\nprivate: true\n---\n",
             "people/ann.md": "---\nname: Ann Lee\n---\nTo do: ask about the AI roadmap. He said yes. Le Monde, "
                              "Hong Kong. Asked Tô and Hé; met Le Thi Hong and Hồng; Wei came.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "to do: ask about the ai roadmap. he said yes. le monde, hong kong. asked someone and someone; met " \
        "someone and someone; wei came." in shared


def test_a_short_accented_alias_or_id_hides_no_word_it_reads_as_without_its_accents(make_journal, tmp_path):
    """helper-69: the rule for short accented words held for words of names only: an alias `Ái` or `Hồng`
    still hid every `ai`, `AI` and `Hong`, also inside ids. And written as an entity or escape, an
    accented word must still be found."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/tta.md": "---\nname: Tô Thị Ái\naliases: [Ái, Hồng, Bär]\nprivate: true\n---\n",
             "people/hw.md": "---\nname: Hé Wěi\nprivate: true\n---\n",
             "people/ann.md": "---\nname: Ann Lee\n---\nThe AI team said ai is hard; the bar in Hong Kong; see "
                              "[[hongkong-trip]]. Asked H&eacute;, H%C3%A9 and B&auml;r.\n",
             "interactions/2026/hongkong-trip.md": "---\ndate: 2026-11-01\nwith: [ann]\n---\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "the ai team said ai is hard; the bar in hong kong;" in shared and "hongkong-trip" in shared
    assert "asked someone, someone and someone." in shared


def test_a_short_name_word_whose_accents_are_often_left_out_is_found_without_them(make_journal, tmp_path):
    """helper-70: a short word was found only with its accents as written, also where they are mostly left
    out (Hebrew and Arabic vowel points, Russian ё, Greek capitals) or put on another letter (Vietnamese
    `Thuỷ` for `Thủy`): `מיכל`, `Петр`, `ΖΩΗ`, `Hoà` reached the mentor. A short word of ASCII's letters needs
    some accent as written, wherever it is; one of another script none. A visible `Hong` spares no `Hồng`,
    and a short name of two words counts its letters (`Đỗ An` hid `do an audit`)."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             **{f"people/p{index}.md": f"---\nname: {name}\nprivate: true\n---\n" for index, name in enumerate(
                 ["מִיכָל כֹּהֵן", "عُمَر خَالِد", "Пётр Ильин", "Ζωή Ρέα", "Lê Thị Thủy", "Hòa Phạm", "Lê Thị Hồng",
                  "Đỗ An"])},
             "people/hong-kim.md": "---\nname: Hong Kim\n---\n",
             "people/ann.md": "---\nname: Ann Lee\n---\nמיכל, عمر, Петр, ΖΩΗ, Thuỷ, Hoà and Hồng said hi. Met Hong "
                              "Kim. We do an audit; Do an audit.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "someone, someone, someone, someone, someone, someone and someone said hi. met hong kim. we do an " \
        "audit; do an audit." in shared


def test_a_short_name_with_a_space_or_quote_of_another_kind_is_no_accented_name(make_journal, tmp_path):
    """helper-71: a no-break space or a curly apostrophe made a short name count as written with accents,
    so `Bo Li` and `K'Ng` written plainly reached the mentor; a short accented name skipped where written
    without accents took `An Smith` of `Le An Smith` with it; and inside labels and addresses `Đỗ An` still
    hid the `do-an` of `todo-analysis`."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/p7.md": '---\nname: "Bo\\u00a0Li"\nprivate: true\n---\n',
             "people/p8.md": '---\nname: Kai Ng\naliases: ["K’Ng"]\nprivate: true\n---\n',
             "people/p9.md": "---\nname: Lê An\nprivate: true\n---\n",
             "people/p10.md": "---\nname: An Smith\nprivate: true\n---\n",
             "people/p11.md": "---\nname: Đỗ An\nprivate: true\n---\n",
             "people/bo.md": "---\nname: Bo Chen\n---\n", "people/li.md": "---\nname: Li Wei\n---\n",
             "people/an.md": "---\nname: An Nguyen\n---\n", "people/will.md": "---\nname: Will Smith\n---\n",
             "people/aldo.md": "---\nname: Aldo Anderson\nemail: aldo.anderson@example.com\ntags: [todo-analysis]\n"
                               "---\nAsked Bo Li about it; met K'Ng too. Team: Le An Smith.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "asked someone about it; met someone too. team: le someone." in shared
    assert "aldo.anderson@example.com" in shared and "todo-analysis" in shared


@pytest.mark.parametrize(("hidden", "shown", "stays"), [
    ("phone: ['+45 20 15 20 19', '+45 20 26 11 01']", "At Acme 2015-2019, then 2015 – 2019. Met 2026-11-01.",
     "at acme 2015-2019, then 2015 – 2019. met 2026-11-01."),
    ("phone: ['+1 212 555 0123', '+33 1 23 45 67 89']", "Order 2555 0123 and 23456789.", "order 2555 0123 and 23456789."),
    ("phone: '(+45) 20 12 34 56'", "Call +45 20 12 34 56, +4520123456 or 0045 20123456.", "call someone, someone or someone."),
    ("phone: '20 12 34 56'", "Call +45 20 12 34 56 or 0045 20123456.", "call someone or someone."),
    ("linkedin: unknown\ngithub: private\nmail: ask first\nwebsite: none yet", "It is unknown; private; ask first; "
     "none yet.", "it is unknown; private; ask first; none yet.")])
def test_eight_digit_numbers_years_and_placeholder_contacts(make_journal, tmp_path, hidden, shown, stays):
    """helper-71: a national number cut from any country code hid years, dates and other eight digits; a
    bracketed country code, or none in the hidden field, was no match for the number written otherwise;
    a placeholder under a key that says a contact's field (`linkedin: unknown`) hid that word everywhere."""
    assert stays in mentor_view(make_journal, tmp_path, hidden, shown)


@pytest.mark.parametrize(("hidden", "shown", "stays"), [
    ("phone: ['+32 2 123 45 67', '+377 93 15 20 00', '+353 1 234 5678']", "Office 02 123 45 67, 93 15 20 00, (01) 234 5678.",
     "office someone, someone, someone."),
    ("phone: '+45 22 33 44 55'", "Oslo: +47 22 33 44 55.", "oslo: +47 22 33 44 55."),
    ("twitter: '@zq_codes'\ngithub: zqcodes42", "Follow @zq_codes, see github.com/zqcodes42.", "follow @someone, see github.com/someone."),
    # helper-73: handles of letters only, `in/…` and `@name@server` under a profile's key
    ("github: zqcodes\ntwitter: '@zeddy'\nlinkedin: in/zq-4242\nmastodon: '@zq@hachyderm'",
     "See github.com/zqcodes, @zeddy, linkedin in/zq-4242, @zq@hachyderm.",
     "see github.com/someone, @someone, linkedin someone, @someone."),
    # helper-74: short handles, a handle on its own, a profile given as its link
    ("github: zq42\nlinkedin: in/zq-4242\nmastodon: '@zqm@hachyderm.io'", "See zq42, zq-4242 and hachyderm.io/@zqm.",
     "see someone, someone and hachyderm.io/@someone."),
    ("github: https://github.com/zqcodes\ntwitter: https://twitter.com/zeddy", "Ask @zqcodes or zeddy.",
     "ask @someone or someone."),
    ("links: ['https://github.com/python/cpython']", "Python is fine.", "python is fine."),  # a project, no handle
    ("phone: '+45 20 12 34 56'\nemail: zee.4520123456@mail.dk", "Cc zee.4520123456@mail.dk on it.", "cc someone on it."),
    ("phone: '+45 20 12 34 56'", "Contacts: Zelda+4520123456, Zelda Quokkason(0045)20123456.",
     "contacts: someonesomeone, someonesomeone."),
    ("aliases: [ZQ7]\nphone: '+45 20 12 34 56'", "Badge ZQ7-20123456 expired.", "badge someone-someone expired."),
    # helper-s54-b: a national number of nine digits after another number (ten were needed there), and one
    # number of a run of several that holds a hidden one (the whole run was hidden)
    ("phone: '+49 30 1234567'", "Order 987654321 030 1234567.", "order 987654321 someone."),
    ("phone: 030 1234567", "Ref 0123456789. 030 123 4567 is hers.", "ref 0123456789. someone is hers."),
    # helper-s54-b: a value before another key's no-break space without its last group (a key's words dropped)
    ("kin: \"dad:\u00a0030 123 45 67 mum:\u00a0x\"", "Dad 030 123 45 67; room 030 123 45.", "dad someone; room 030 123 45.")])
def test_numbers_names_and_handles_found_together(make_journal, tmp_path, hidden, shown, stays):
    """helper-72: eight digits after a trunk 0 (`02 123 45 67` of `+32 2 123 45 67`) were no national number;
    handles under `twitter:` and `github:` were no contacts; numbers hidden before names left an address
    holding one, or a name glued to one, half shown; a number of another country with the same eight
    digits was hidden."""
    assert stays in mentor_view(make_journal, tmp_path, hidden, shown)


def test_a_modifier_letter_is_no_accent(make_journal, tmp_path):
    """helper-72: `ʻ` of an alias `Noʻe` counted as an accent, so `No’e` written with a curly quote leaked."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/noelani.md": '---\nname: Noelani Kahale\naliases: ["Noʻe"]\nprivate: true\n---\n',
             "people/pat.md": "---\nname: Pat Public\n---\nMet No‘e, No’e and Noʻe.\n"}
    assert "met someone, someone and someone." in audience_output(make_journal(files), tmp_path / "mentor").decode()


def test_several_numbers_in_a_hidden_field_hide_no_colleagues_last_groups(make_journal, tmp_path):
    """helper-69: each run of seven digits of a field of several numbers was a number, so `212 555 0123`
    after another number hid the `555 0123` of anyone's `+1 646 555 0123`."""
    shared = mentor_view(make_journal, tmp_path,
                         "phone: '07700 900123 212 555 0123'\nlinks: {'talks 2015-2019': 'https://zq.dev/talks'}",
                         "Call +1 646 555 0123. At Acme 2015-2019. Hers: 212 555 0123 and 07700 900123.")
    assert "call +1 646 555 0123. at acme 2015-2019. hers: someone and someone." in shared


@pytest.mark.parametrize(("field", "repeated"), [
    ("+45 20 12 34 56", "20 12 34 56"), ("+65 9123 4567", "9123 4567"), ("+852 5123 4567", "5123 4567")])
def test_a_hidden_number_dialled_in_its_own_country_is_hidden(make_journal, tmp_path, field, repeated):
    """helper-70: where a number has eight digits and no trunk prefix (Denmark, Singapore, Hong Kong), the
    way it is dialled at home was no match for the number written with its country code."""
    shared = mentor_view(make_journal, tmp_path, f'phone: "{field}"', f"Ring {repeated}. Order 12345678.")
    assert "ring someone. order 12345678." in shared


def test_years_and_hours_in_a_hidden_persons_fields_hide_no_years_or_hours(make_journal, tmp_path):
    """helper-70: a link's label with a line's digits in all (`talks 2015-2019, 2020-2023`), and hours in
    a phone field, gave numbers of their years and hours, which hid every `2015-2019` and `9.00-17.00`."""
    shared = mentor_view(make_journal, tmp_path, "phone: '07700 900123 (9.00-17.00)'\n"
                         "links: ['talks 2015-2019, 2020-2023: https://example.org/zq']",
                         "At Acme 2015-2019 and 2020-2023; hours 9.00-17.00; call 07700 900123.")
    assert "at acme 2015-2019 and 2020-2023; hours 9.00-17.00; call someone." in shared


def test_a_colleagues_number_on_the_same_switchboard_stays(make_journal, tmp_path):
    """helper-67: the first groups of a hidden number (`+1 212 555`) counted as a number of their own, so a
    colleague's `+1 212 555 0199` became `+someone 0199`."""
    shared = mentor_view(make_journal, tmp_path, "phone: ['+1 212 555 0123', '+44 20 7946 0999']",
                         "Desks: +1 212 555 0199 and +44 20 7946 0100.", "phone: '+1 212 555 0199'")
    assert "desks: +1 212 555 0199 and +44 20 7946 0100." in shared and "tel:+1 212 555 0199" in shared


def test_the_digits_of_a_hidden_persons_links_hide_no_date_address_or_id(make_journal, tmp_path):
    """helper-66: every link's digits counted as a number, so a hidden person's blog post of 2019-03-01 hid
    every date 2019-03-01, their router's address every mention of it; only a link to a number counts now.
    And a number glued to letters is one only of digits and spaces: `v3.12.5550123` is a version."""
    shared = mentor_view(make_journal, tmp_path,
                         "phone: '+1 312 555 0123'\nlinks: ['https://zq.dev/20190301-launch', 'https://zq.dev/talks/"
                         "2019-2024', 'http://192.168.178.20:8123', 'https://tracker.example/issues/1234567', "
                         "'https://orcid.org/0000-0002-1825-0097']",
                         "Joined on 2019-03-01; at Acme 2019-2024; router 192.168.178.20; ticket 1234567; ORCID "
                         "0000-0002-1825-0097; python3.12.5550123 and v3.12.5550123.", "phone: '+49 30 2019 2024'")
    assert "joined on 2019-03-01; at acme 2019-2024; router 192.168.178.20; ticket 1234567; orcid " \
        "0000-0002-1825-0097; python3.12.5550123 and v3.12.5550123." in shared
    assert "+49 30 2019 2024" in shared


def test_a_long_key_over_many_contacts_is_not_written_once_for_each():
    """helper-66: each value under a key was given the key as its label: a 24 KB note of a long key over
    thousands of numbers made megabytes of labelled numbers, and a mentor's build took 35 s (quadratic)."""
    from netjournal.load import load_note

    key, values = "k" * 4000, ", ".join(["1"] * 4000)
    note = load_note("people", "people/z.md", f"---\nname: Z\nphone:\n  ? {key}\n  : [{values}]\n---\n".encode())
    assert key in note.record.phone and sum(map(len, note.record.phone)) < 3 * (len(key) + len(values))


def test_a_short_number_or_a_bare_domain_of_a_hidden_person_hides_nothing_else(make_journal, tmp_path):
    """helper-61: a hidden person's `phone: 11-01` (no phone number: under seven digits) hid every date
    holding it; a link to a site's bare domain may be an employer's and is hidden only whole."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zelda.md": "---\nname: Zelda Quokkason\nphone: 11-01\nlinks: {site: 'https://northwind.example'}\n"
                                "private: true\n---\n",
             "people/pat.md": "---\nname: Pat Public\nphone: '+1 312 555 0123'\n---\nMet 2026-11-01 at "
                              "northwind.example. Call (312) 555-0123. Build 3.12.5550123, v3.12.5550123. "
                              "Berlin: +49 7700 900123. Since 2019-03-01. Munich: +49 89 12345678, order 12345678.\n",
             "people/amy.md": "---\nname: Amy Hidden\nphone: ['+1 212 555 0123', '+44 7700 900123 (since 2019-03-01)', "
                              "'030/12345678']\n"
                              "private: true\n---\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "met 2026-11-01 at northwind.example. call (312) 555-0123. build 3.12.5550123, v3.12.5550123. " \
        "berlin: +49 7700 900123. since 2019-03-01. munich: +49 89 12345678, order 12345678." in shared
    assert "tel:+1 312 555 0123" in shared  # helper-63: Pat's own number, not Amy's, though they end alike


def test_each_word_of_a_name_salvaged_from_a_note_that_cannot_be_loaded_is_hidden(make_journal, tmp_path):
    """helper-54: a person note with a typo (a repeated key) may be private, so its names are hidden; their
    words were not ("Ask Quokkason. Zelda said."), on the path meant to fail closed. "The" of an alias
    `The Boss` is no name (helper-52)."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zq.md": "---\nname: Zelda Quokkason\naliases: [The Boss]\ntags: [a]\ntags: [b]\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nAsk Quokkason. Zelda said. The meeting went well.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor")
    assert b"the meeting went well" in shared and b"quokkason" not in shared and b"zelda" not in shared


def test_words_of_hidden_names_are_found_in_tags_addresses_topics_and_the_title(make_journal, tmp_path):
    """helper-54: tags, e-mail addresses, link addresses, topics and the journal's title were looked at for
    full names only: `tags/quokkason.html`, `bob@quokkason-family.org`, `https://quokkason.example/`."""
    files = {"netjournal.toml": '[journal]\ntitle = "Network (Quokkason era)"\n[audience.mentor]\n',
             "people/zq.md": "---\nname: Zelda Quokkason\nprivate: true\n---\n",
             "people/bob.md": "---\nname: Bob Visible\ntags: [Quokkason, quokkason-family, friend]\n"
                              "email: bob@quokkason-family.org\nlinks:\n  blog: https://quokkason.example/blog\n---\n",
             "interactions/2026/a.md": "---\ndate: 2026-11-20\nwith: [bob]\ntopics: [quokkason-wedding, budget]\n---\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "bob visible" in shared and "friend" in shared and "budget" in shared and "network (someone era)" in shared
    assert "quokkason" not in shared


@pytest.mark.parametrize(("owner", "hidden", "shown", "text"), [
    ("Sam Owner", "Alice Smith", "Bob Smith, PhD", "Thank Bob Smith, PhD."),  # helper-54: a shown name's words
    ("Sam Owner", "Alice Smith", "Smith, Bob", "Thank Smith, Bob."),
    ("Sam Owner", "Professor Zelda Quokkason", "Bob Visible", "Professor Bob Visible came."),  # a title
    ("Sam Owner", "Maria de la Cruz", "Bob Visible", "La Jolla with Bob Visible."),  # a particle
])
def test_a_hidden_name_word_spares_shown_names_the_owners_titles_and_particles(make_journal, tmp_path, owner, hidden,
                                                                              shown, text):
    files = {"netjournal.toml": f'[journal]\nowner = "{owner}"\n[audience.mentor]\n',
             "people/hidden.md": f"---\nname: '{hidden}'\nprivate: true\n---\n",
             "people/shown.md": f"---\nname: '{shown}'\n---\n",
             "people/pat2.md": f"---\nname: Sam Second\n---\n{text}\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor")
    assert text.lower().encode() in shared


@pytest.mark.parametrize("extra", [
    {},  # helper-51: written as an entity or an escape, the first letter is a capital all the same
    {"people/zelda-bebop.md": "---\nname: Zelda Bebop\nprivate: true\n---\n"},  # two hidden Zeldas
])
def test_a_hidden_first_name_is_hidden_however_it_is_written_and_whoever_else_hides_it(make_journal, tmp_path, extra):
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/zelda-quokkason.md": "---\nname: Zelda Quokkason\nprivate: true\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nMeet &#90;elda, &#x5A;elda and "
                              "[Zelda](https://x.example/%5aelda) soon.\n", **extra}
    shared = audience_output(make_journal(files), tmp_path / "mentor")
    assert b"pat public" in shared and b"zelda" not in shared and b"5aelda" not in shared


@pytest.mark.parametrize(("hidden", "shown", "text"), [
    ("Mary Quokkason", "Mary-Ann Smith", "Lunch with Mary-Ann Smith."),  # a part of a shown name (helper-52)
    ("Jean Quokkason", "Jean.Luc Smith", "Lunch with Jean.Luc Smith."),
    ("Lee Quokkason", "Ann Lee", "Lunch with Ann Lee."),
    ("**Pat** Quokkason", "Pat Public", "Lunch with Pat Public."),  # read through its markup, as the matcher reads
    ("A. Quokkason", "Pat Public", "A plan. I met Pat Public."),  # an initial
    ("Dr Quokkason", "Pat Public", "Dr Pat Public came."),  # a title
    ("Zelda Public", "Pat Public", "Lunch with Pat Public."),  # a surname a shown person has too
    ("Zelda van Quokkason", "Pat van Public", "Lunch with Pat van Public."),
])
def test_a_hidden_first_name_never_hides_what_the_audience_may_see(make_journal, tmp_path, hidden, shown, text):
    """Over-hiding helper-52 found in the first-name rule (now the rule for every word of the name): a word of a shown person's name, an initial or a
    title was taken for a hidden first name, and the mentor read "someone-Ann Smith" or "someone plan"."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "people/hidden.md": f"---\nname: '{hidden}'\nprivate: true\n---\n",
             "people/shown.md": f"---\nname: {shown}\n---\n",
             "people/pat2.md": f"---\nname: Sam Second\n---\n{text}\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor")
    assert text.lower().encode() in shared and b"quokkason" not in shared


@pytest.mark.parametrize("broken", [False, True])
def test_handles_under_matrix_threads_line_and_vk_keys_are_hidden(make_journal, tmp_path, broken):
    """`matrix:`, `threads:`, `line:` and `vk:` said no profile: a hidden person's handles under them (a
    Matrix id `@user:server` too), and in her body of a VK or LINE profile's link, reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "matrix: '@zq_m:matrix.org'\nthreads: '@zq_threads'\nline: zq_line42\nvk: zq_vk\n"
                               "---\nAlso vk.com/zq_vk2 and https://line.me/R/ti/p/~zq_line7.\n",
                               "See @zq_m:matrix.org, @zq_m, @zq_threads, zq_line42, vk.com/zq_vk and zq_vk; zq_vk2, "
                               "zq_line7.")
    for secret in ("zq_m", "zq_threads", "zq_line42", "zq_vk", "zq_line7"):
        assert secret not in shared, secret


@pytest.mark.parametrize("broken", [False, True])
def test_line_as_a_word_hides_nothing_but_a_line_id(make_journal, tmp_path, broken):
    """`line` is a word: under `line:` only what holds a letter (or is a phone number) is a LINE id, and a
    key of other words around it (`product_line`, `line_manager`) says no profile; an interaction's `line:`
    and prose are read as before. (`home_line: 0301234567` is a number: hidden, as it was.)"""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": f"---\nname: Zelda Quokkason\n{'name: Zelda Q' + chr(10) if broken else ''}"
                                        "line: zq_line42\nproduct_line: widgets\nline_manager: Sales\n"
                                        "home_line: '0301234567'\n---\nBottom line: she sells widgets.\n",
             "private/people/amy.md": "---\nname: Amy Hidden\nline: '42'\n---\n",
             "people/pat.md": "---\nname: Pat Public\n---\nAsk zq_line42, ring 0301234567.\n",
             "interactions/2026/review.md": "---\ndate: 2026-11-01\nwith: [pat]\ntitle: Line review\nline: sales\n---\n"
                                           "The bottom line: Sales and widgets grew; line 42 shipped.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "ask someone, ring someone." in shared
    assert "line review" in shared and "the bottom line: sales and widgets grew; line 42 shipped." in shared


@pytest.mark.parametrize("fields", ["line: '+45 30 12 34 56'", "threads: '+4530123456'", "vk: +45 30 12 34 56",
                                    "line_id: '+45 30 12 34 56'", "line: 030 1234 5678", "notes: +4530123456",
                                    "emergency_contact: +4530123456"])
def test_a_number_under_a_profile_key_or_read_by_yaml_as_a_whole_number_is_hidden(make_journal, tmp_path, fields):
    """Found by helper-87: a number under `line:`, `threads:` or `vk:` (keys of a profile's handle, which a
    number with spaces or a `+` is not) was read as nothing, where before those keys said a profile it was
    read as surely a contact; and one that YAML read as a whole number (`+4530123456` unquoted) under any
    other key lost its `+`, and was read as nothing too."""
    shown = "Ring 030 1234 5678." if "030" in fields else "Ring +45 30 12 34 56 or 30 12 34 56."
    shared = _hidden_note_view(make_journal, tmp_path, False, fields + "\n", shown)
    assert "ring someone" in shared and "1234 5678" not in shared and "30 12 34 56" not in shared


def test_a_site_pages_link_is_hidden_with_its_first_parameter_alone(make_journal, tmp_path):
    """Found by helper-88: a hidden person's `facebook.com/profile.php?id=…&sk=about` or YouTube video with
    `&t=30s` reached the mentor when a shown note wrote it without the later parameters."""
    shared = _hidden_note_view(make_journal, tmp_path, False,
                               "links: ['https://www.facebook.com/profile.php?id=100012345678&sk=about',"
                               " 'https://www.youtube.com/watch?v=zqVID1234&t=30s']\n",
                               "See https://www.facebook.com/profile.php?id=100012345678 and "
                               "https://www.youtube.com/watch?v=zqVID1234.")
    assert "100012345678" not in shared and "zqvid1234" not in shared


@pytest.mark.parametrize("where", ["annex", "redacted"])
def test_a_profile_the_audience_does_not_see_a_shown_person_give_spares_no_hidden_page(make_journal, tmp_path, where):
    """A shown person's profile spares the profile above a page a hidden body names only as the audience
    reads that person: given in their private annex, or with the audience redacting links, it does not (as
    a shown address spares a hidden one)."""
    pat_links = "---\nname: Pat Public\nlinks: ['https://github.com/patpublic']\n---\n"
    files = {"netjournal.toml": '[audience.mentor]\n' + ('redact = ["links"]\n' if where == "redacted" else ""),
             "private/people/zelda.md": "---\nname: Zelda Quokkason\n---\nMy fork: github.com/patpublic/tool\n",
             "people/pat.md": pat_links if where == "redacted" else "---\nname: Pat Public\n---\n",
             "people/kim.md": "---\nname: Kim Known\n---\nSee github.com/patpublic for it.\n"}
    if where == "annex":
        files["private/people/pat.md"] = pat_links
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "see someone for it." in shared and "github.com/patpublic" not in shared


@pytest.mark.parametrize("zelda", ["links: ['https://github.com/zqcodes/dotfiles']\n",
                                   "notes: 'mine: github.com/zqcodes/dotfiles'\n",
                                   "---\nMine: https://github.com/zqcodes/dotfiles"])
def test_a_shown_persons_link_to_a_hidden_persons_page_spares_no_profile(make_journal, tmp_path, zelda):
    """Found by helper-89: a shown Pat linking to a page of Zelda's (`github.com/zqcodes/shared-tool`) counted
    as Pat giving the profile above it, and spared Zelda's own `github.com/zqcodes`: only a shown person's
    links as written spare."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": f"---\nname: Zelda Quokkason\n{zelda}\n---\n",
             "people/pat.md": "---\nname: Pat Public\nlinks: ['https://github.com/zqcodes/shared-tool']\n---\n",
             "people/kim.md": "---\nname: Kim Known\n---\nHer code: github.com/zqcodes now.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "her code: someone now." in shared


@pytest.mark.parametrize("written", ["notes: 'tw https://twitter.com/#!/zeddy_q'\n",
                                     "---\nOld: https://twitter.com/#!/zeddy_q"])
def test_an_old_twitter_link_under_another_key_or_in_the_body_is_hidden(make_journal, tmp_path, written):
    """Found by helper-89: outside the contact fields `twitter.com/#!/zeddy_q` was read as no profile's link
    (cut at its `#`): it and its handle reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, False, written + "\n",
                               "Follow zeddy_q, twitter.com/zeddy_q or https://twitter.com/#!/zeddy_q.")
    assert "zeddy_q" not in shared


def test_a_site_pages_ids_are_hidden_in_any_order_and_its_other_parameters_in_nobodys_link(make_journal, tmp_path):
    """Found by helper-89: a site page's link was also looked for with its first parameter alone, which leaked
    the id given after another parameter (`watch?t=30s&v=…`, `m.youtube.com`, `youtu.be/…`), and hid anyone's
    `watch?app=desktop` (Kim's link was cut to `https://www.someone&v=…`). Its ids are looked for alone."""
    shared = _hidden_note_view(make_journal, tmp_path, False,
                               "links: ['https://m.youtube.com/watch?app=desktop&v=dQzq1234567',"
                               " 'https://www.facebook.com/profile.php?sk=about&id=100012345']\n",
                               "See youtube.com/watch?t=30s&v=dQzq1234567, youtu.be/dQzq1234567 and "
                               "facebook.com/profile.php?ref=bookmarks&id=100012345. Kim's: "
                               "https://www.youtube.com/watch?app=desktop&v=kimvid12345")
    assert "dqzq1234567" not in shared and "100012345" not in shared
    assert "https://www.youtube.com/watch?app=desktop&amp;v=kimvid12345" in shared


@pytest.mark.parametrize("broken", [False, True])
def test_an_old_twitter_links_handle_is_hidden(make_journal, tmp_path, broken):
    """Found by helper-88: `twitter.com/#!/zeddy_q` (Twitter's links before 2012) gave no handle: the
    fragment was cut off before the handle was looked for."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "links: ['https://twitter.com/#!/zeddy_q']\n",
                               "Follow zeddy_q, twitter.com/zeddy_q.")
    assert "zeddy_q" not in shared


def test_a_quoted_id_of_many_digits_is_no_number_from_abroad(make_journal, tmp_path):
    """Found by helper-88: digits alone under any key were read as dialled from abroad, so a hidden person's
    `employee_id: '123456789'` hid a shown note's invoice number; only a whole number YAML read (unquoted,
    its `+` lost) is."""
    shared = _hidden_note_view(make_journal, tmp_path, False, "employee_id: '123456789'\n", "Invoice 123456789.")
    assert "invoice 123456789." in shared


def test_a_page_a_hidden_body_names_hides_no_shown_profile_nor_site_section(make_journal, tmp_path):
    """Found by helper-87: a hidden person's body naming a page (`github.com/patpublic/tool`, an Instagram
    post, a YouTube video) hid the profile or section above it everywhere: the shown Pat's own GitHub link,
    every `instagram.com/p/…` and `youtube.com/watch?v=…`. The pages themselves stay hidden, and the profile
    above a page of her own (helper-88: `github.com/zq_codes42/dotfiles` hid no `github.com/zq_codes42`)."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": "---\nname: Zelda Quokkason\nlinks: ['https://www.youtube.com/watch?v=zq1']\n"
                                        "---\nLikes github.com/patpublic/tool and https://www.instagram.com/p/ABC123/."
                                        " My code: https://github.com/zq_codes42/dotfiles\n",
             "people/pat.md": "---\nname: Pat Public\nlinks: ['https://github.com/patpublic']\n---\n"
                              "See https://www.instagram.com/p/XYZ789/, youtube.com/watch?v=pat2 and "
                              "github.com/patpublic/tool. Zelda's: github.com/zq_codes42.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "github.com/patpublic" in shared and "instagram.com/p/xyz789" in shared and "watch?v=pat2" in shared
    assert "github.com/patpublic/tool" not in shared and "zq1" not in shared and "zq_codes42" not in shared


@pytest.mark.parametrize("broken", [False, True])
def test_percent_encoded_profiles_and_spelt_addresses_in_other_brackets_are_hidden(make_journal, tmp_path, broken):
    """Found by helper-87: a profile's link percent-encoded (`linkedin.com/in/zo%C3%AB-q…`, `matrix.to/#/%40…`)
    gave no handle, and an address spelt with full-width, angle or Markdown-escaped brackets none."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "links: ['https://www.linkedin.com/in/zo%C3%AB-quokk-4242/',"
                               " 'https://matrix.to/#/%40zqmx%3Amatrix.org']\n---\n"
                               "Write to zq.one（at）example（dot）org or zq.two<at>example<dot>org, "
                               "or zq.three \\[at\\] example \\[dot\\] org.\n",
                               "See zoë-quokk-4242, @zqmx:matrix.org; mail zq.one@example.org, "
                               "zq.two@example.org or zq.three@example.org.")
    for secret in ("quokk-4242", "zqmx", "zq.one", "zq.two", "zq.three"):
        assert secret not in shared, secret


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("fields", ["threads: zqthreads\nline: zqline\nmatrix: zqmx\n",
                                    "threads_handle: zqthreads\nline_id: zqline\nmatrix: zqmx\n",
                                    "contact: {threads: zqthreads, line: zqline, matrix: zqmx}\n",
                                    "links: {threads: zqthreads, line: zqline, matrix: zqmx}\n"])
def test_a_handle_of_letters_only_under_line_threads_or_matrix_is_hidden(make_journal, tmp_path, broken, fields):
    """Found by helper-88: a handle of letters alone under `threads:`, `line:` or `matrix:` reached the mentor
    once those keys asked for a digit, `_`, `.` or `@` (so that `line: business` hid no "business"). A word
    under them is hidden all the same, as `github: events` hides "events": fail closed."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, fields,
                               "Follow zqthreads on Threads, zqline on LINE and zqmx on Matrix.")
    assert "follow someone on threads, someone on line and someone on matrix." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("key", ["numero", "Número", "numéro", "numero_2", "Numéro de téléphone",
                                 "numero di telefono"])
def test_a_number_under_numero_is_hidden(make_journal, tmp_path, broken, key):
    """`numero:` (Italian, and Spanish and French with their accents) says a phone number; a hidden
    person's number under it, written without a country code or trunk 0, reached the mentor. A key of
    several words may have `de` or `di` between them."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, f"{key}: '30 12 34 56'\n",
                               "Ring 30 12 34 56 or 3012 3456. Room 12.")
    assert "ring someone or someone. room 12." in shared


@pytest.mark.parametrize("hidden", ["phone: +4530123456", "phone: 4530123456", "mobile: +4530123456",
                                    "phone: [+4530123456]", "phone: {mobile: +4530123456}",
                                    "contact: {phone: +4530123456}"])
def test_a_number_yaml_reads_as_a_whole_number_is_hidden_as_dialled_at_home(make_journal, tmp_path, hidden):
    """Unquoted, `+4530123456` is the whole number 4530123456 to YAML, its `+` dropped: the number as
    dialled in Denmark (`30 12 34 56`) reached the mentor, though `'+4530123456'` quoted hid it."""
    shared = mentor_view(make_journal, tmp_path, hidden,
                         "Ring 30 12 34 56, +45 30 12 34 56 or 4530123456. Order 12345678.")
    assert "ring someone, someone or someone. order 12345678." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("hidden", ["email: ada [at] example [dot] com", "email: ada(at)example(dot)com",
                                    "email: ada at example dot com", "mail: 'Ada AT example DOT com'",
                                    "e-mail: ada [at] example.com", "contact: {email: ada (at) example (dot) com}",
                                    "email: ada{at}example{dot}com"])
def test_an_address_spelt_out_in_a_contact_field_is_hidden(make_journal, tmp_path, broken, hidden):
    """An address written so that no program reads it (`ada [at] example [dot] com`) in a hidden person's
    contact field was hidden only as written: `ada@example.com` and its other spellings reached the mentor
    (and under `mail:`, with no `@`, it was no address at all)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, f"{hidden}\n",
                               "Mail ada@example.com, ada [at] example [dot] com, ada(at)example(dot)com, ada{at}"
                               "example{dot}com or ada at example dot com; we met at noon.")
    assert "mail someone, someone, someone, someone or someone; we met at noon." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_an_address_spelt_out_in_brackets_in_a_body_or_other_key_is_hidden(make_journal, tmp_path, broken):
    """In a hidden person's body or under another key, `[at]` and `(at)` with `[dot]`, `(dot)` or dots spell
    an address; `at … dot` in words is prose there (`works at acme dot com` hides nothing)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "notes: 'or bo(at)example(dot)org'\n---\nWrite to ada [at] example [dot] com, or "
                               "ada.l [ at ] mail.example.net. She works at acme dot com.\n",
                               "Mail ada@example.com, bo@example.org or ada.l@mail.example.net. Pat works at acme "
                               "dot com, and at acme.com.")
    assert "mail someone, someone or someone. pat works at acme dot com, and at acme.com." in shared


def _seconds(call) -> float:
    """The CPU seconds CALL takes this process: the other test processes sharing the cores do not count (timed
    by the clock, a run of 0.1 s under them took 2.3 times its ratio to a scan of 0.02 s, which fit between)."""
    started = time.process_time()
    call()
    return time.process_time() - started


@functools.lru_cache(maxsize=1)
def _scan_seconds(text: str, times: int) -> float:
    """How long a scan of TEXT that matches each of its characters takes, best of TIMES. Kept for the next
    call: a test times several patterns on one line (a scan of 100,000 characters costs about 0.01 s)."""
    scan = re.compile(r"[\s\S]")
    return min(_seconds(lambda: sum(1 for _ in scan.finditer(text))) for _ in range(times))


def _within_times_a_scan(run, text: str, most: float) -> bool:
    """Does RUN(TEXT) take at most MOST times as long as a scan of TEXT that matches each of its characters?
    A ratio, whatever the machine's speed: a pattern linear on TEXT takes about as long as the scan or less;
    one that backtracks over a run of 100,000 characters, hundreds to thousands of times as long (`a*b` on
    100,000 `a`s: 1,300 times a scan). The runs of these tests are of 100,000 characters, not the 200,000
    of load's fast path (tests/test_load.py): they were a fifth of the suite's time; and of 50,000 in the
    three families of many cases (_CONTACT_RUNS, _PROFILE_LINES, texts under any key: `a*b` on 50,000 `a`s
    takes 650 times a scan). Both are timed once;
    only a RUN slower than that is timed again, up to three times, against the scan timed anew, best of
    three (timing each scan three times first was a sixth of these tests' time, and a scan timed slow only
    widens a bound that a backtracking pattern misses a thousandfold)."""
    if _seconds(lambda: run(text)) <= most * _scan_seconds(text, 1):
        return True
    _scan_seconds.cache_clear()
    floor = _scan_seconds(text, 3)
    return any(_seconds(lambda: run(text)) <= most * floor for _ in range(3))


#: Lines of 100,000 characters or so, of runs of what a spelt-out address may hold or skip
_SPELT_LINES = ["a [at] " * 14_286, "a(at)" * 20_000, "a at " * 20_000, "a [at] b" + " [dot] b" * 12_500,
                "a at b" + " dot b" * 16_666, "[" * 100_000, "(at)" * 25_000, " " * 100_000, "a" * 100_000,
                "a" + " " * 100_000 + "at", "a.+-" * 25_000, "a (at" + " " * 100_000, "a(at)b(dot)" * 9_000,
                "a at b dot " * 10_000, "a [ at ]" + " " * 100_000 + "b", "a at b" + " " * 100_000 + "dot",
                "a at b." * 14_000, "a@b [dot] " * 10_000, "a{at}b{dot}" * 9_000, "{" * 100_000,
                # behind Markdown's emphasis or HTML entities
                "a **at** " * 11_000, "a *" * 33_000, "a _" * 33_000, " _" * 50_000, "_" * 100_000,
                "a _at_ b" + " _dot_ b" * 12_500, "a **[at]** b" + " **[dot]** b" * 8_000, "a ***" * 20_000,
                "&#32;" * 20_000 + "at", "a&#32;at&#32;b&#32;dot&#32;" * 8_000, "a &#91;at&#93; " * 7_000,
                "&amp;" * 20_000,
                # a dot spelt out in the local part
                "a dot " * 16_500, "a [dot] " * 12_500, "a dot" + " " * 100_000 + "b at", "a [dot] b (at) " * 6_500,
                # each read from each dot spelt out in its local part on too
                "a [dot] b [dot] c [dot] d [at] e [dot] f " * 5_000, "a dot b dot c dot d at e dot f " * 6_500,
                # and from each dot as a dot in its last 64 characters (helper-s53-c)
                ("a." * 100 + "zq [at] e [dot] f ") * 900, ("a." * 30 + "zq at e dot f ") * 2_700]


@pytest.mark.parametrize("line", _SPELT_LINES, ids=lambda line: repr(line[:12]))
def test_spelt_out_addresses_are_found_in_linear_time(line):
    from netjournal.contacts import SPELT, SPELT_IN_BRACKETS, spelt_addresses

    for pattern in (SPELT, SPELT_IN_BRACKETS):
        assert _within_times_a_scan(lambda text, spelt=pattern: spelt_addresses(text, spelt), line, 10)


_PROFILES_SHOWN = ("See linkedin.com/in/ada-l, https://www.linkedin.com/in/ada-l/ and ada-l; github.com/adacodes and "
                   "https://github.com/adacodes?tab=repositories. Python is fine.")


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("hidden", [
    "links: ['https://www.linkedin.com/in/ada-l/details/experience/', 'github.com/adacodes/repo']",
    "linkedin: https://www.linkedin.com/in/ada-l/details/experience/\ngithub: https://github.com/adacodes/repo",
    "notes: 'see https://www.linkedin.com/in/ada-l/details/experience/ and github.com/adacodes/repo/issues'",
    "---\nMe: https://www.linkedin.com/in/ada-l/details/experience/, github.com/adacodes/repo, and "
    "https://github.com/python/cpython"])
def test_a_profiles_sub_page_hides_the_profile(make_journal, tmp_path, broken, hidden):
    """A page below a hidden person's profile (`linkedin.com/in/ada-l/details/experience/`, a repository
    `github.com/adacodes/repo`) in her fields or body was no profile's link: the profile and its handle
    reached the mentor. The profile's link is hidden; its handle where the page names a person (`/in/`):
    `github.com/python/cpython` is a project, and Python a word; a shown person's own profile is theirs."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, f"{hidden}\n", _PROFILES_SHOWN)
    for secret in ("ada-l", "github.com/adacodes"):
        assert secret not in shared, secret
    assert "python is fine." in shared


#: Lines of 50,000 characters or so, of runs of what a profile's link, a page below it or a handle may hold
_PROFILE_LINES = ["github.com/" * 4_500, "github.com/a/" * 3_750, "linkedin.com/in/a/" * 2_750,
                  "www.github.com/a/" * 2_750, "vk.com/" * 7_000, "line.me/R/ti/p/~" * 3_000,
                  "github.com/" + "a" * 50_000 + "/", "a:" * 25_000, "@a:" * 16_500, "a.a:" * 12_500,
                  "linkedin.com/in/" + "a" * 50_000 + "/b", "github.com/a/" + "b" * 50_000, "github.com/a/b " * 3_500,
                  "x.com/a/" + "/" * 50_000, "reddit.com/u/a/" * 3_250, "a" * 50_000 + ":", "a." * 25_000,
                  "a.a/@a/" * 7_000, "a.a/@" * 10_000, "matrix.to/#/@a:" * 3_250, "a.a/@a:" * 7_000,
                  # helper-87: each `/@` of a link ran to its end (a link of 200,000 took 67 s)
                  "https://x.example" + "/@a?" * 12_500 + " x", "https://x.example" + "/@a:" * 12_500 + "?",
                  # LinkedIn's old and mobile profiles, a page on another of a site's hosts
                  "linkedin.com/pub/a/1/" * 4_750, "linkedin.com/mwlite/" * 2_500, "de.linkedin.com/in/a/" * 4_750,
                  "m.facebook.com/a/b " * 2_625, "a" * 16 + "." + "b" * 50_000 + "/", ("a" * 16 + ".") * 2_925 + "/",
                  # old Twitter links' paths after their `#`
                  "twitter.com/#!" * 3_500, "twitter.com/#/" * 3_500, "https://x.example" + "/#!" * 16_500 + " x",
                  "https://twitter.com/" + "#/" * 25_000,
                  # a site's page's query after a slash, its ids of letters alone
                  "https://x.example/watch/?" + "v=a&" * 12_500, "https://x.example/watch?" + "v=abcdef&" * 5_500,
                  "https://x.example/watch" + "/?" * 25_000,
                  # the hosts a short handle's profile is looked for on, and its forms
                  "fxtwitter.com/" * 3_500, "youtube.com/c/" * 3_500, "bsky.app/profile/" * 2_750,
                  "instagr.am/" * 4_500, "x.com/zx_" * 5_500, "x.com/\x00" * 7_000, "hachyderm.io/@" * 3_500,
                  "@zm@" * 12_500, "hachyderm.io/web/@" * 2_750, "@zx:" * 12_500, "twitter.com/#!z" * 3_250,
                  "x.com/z_" * 6_250, "x.com/_" * 7_000, "x.com/_z_" * 5_500, "mas.to/users/" * 3_750,
                  "matrix:u/zx:" * 4_000, "github.com/%7A" * 3_500, "github.com/a%" * 3_750,
                  # a video's link in each shape
                  "youtu.be/" * 5_500, "https://youtu.be/" + "a" * 50_000, "youtube.com/embed/a" * 2_500,
                  "https://youtube.com/watch?" + "v=abcdef&" * 5_500,
                  # a label written in a link's text, a blank that is no ASCII space after its colon (privacy-s55)
                  ":\u00a0" * 25_000, "github:\u2007" * 6_250, "a" * 50_000 + ":\u00a0",
                  # and what a reader does not see inside a handle, left out (privacy-s55)
                  "a\u200b" * 25_000, "github.com/\u200b" * 4_250, "@\u00ad" * 25_000]
#: Short handles, whose profiles' links are looked for on the lines above
_SHORT_HANDLES = [("github", "zq"), ("x", "@zx"), ("mastodon", "@zm@hachyderm.io"), ("matrix", "@zx:matrix.org"),
                  ("GitHub handle", "z-"), ("links", "youtube: zy"), ("x", "z_"), ("instagram", "_z"),
                  ("links", "mas.to/users/zqmast"), ("mastodon", "https://mas.to/users/zqm")]


@pytest.mark.parametrize("line", _PROFILE_LINES, ids=lambda line: repr(line[:12]))
def test_profiles_pages_and_handles_are_found_in_linear_time(line):
    """The patterns of a profile's page and of a handle (`sure_contacts` runs some fifteen patterns), and
    of a short handle's profiles."""
    from netjournal.contacts import contact_forms, sure_contacts
    from netjournal.profiles import ShortHandles, link_handles

    assert _within_times_a_scan(ShortHandles(_SHORT_HANDLES).spans, line, 25)
    assert _within_times_a_scan(sure_contacts, line, 25)
    assert _within_times_a_scan(lambda text: contact_forms([], [], [text]), line, 25)
    assert _within_times_a_scan(lambda text: link_handles("matrix", text), line, 25)


@pytest.mark.parametrize("line", ["a" + "_" * 100_000 + "b", "a_" * 50_000, "\\_" * 50_000, "&#95;" * 20_000,
                                  "%5F" * 33_000, "x.com/z_" * 12_500])
def test_underscores_that_are_no_emphasis_are_found_in_linear_time(line):
    """What a short handle's profile is looked for in: a reading without its marks, but a `_` that is no
    emphasis (redaction._marks_read_through)."""
    from netjournal.redact import readings
    from netjournal.redaction import _marks_read_through

    assert _within_times_a_scan(lambda text: [_marks_read_through(read, text) for read in readings(text)], line, 25)


@pytest.mark.parametrize("broken", [False, True])
def test_a_fediverse_post_and_a_matrix_link_hide_the_profile(make_journal, tmp_path, broken):
    """A post below a hidden person's Mastodon profile (`hachyderm.io/@zqm/1234567`) hid no profile, and a
    `matrix.to` link no Matrix id (`@zq_mx:matrix.org`): both reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "links: ['https://hachyderm.io/@zqm/1234567', 'https://matrix.to/#/@zq_mx:matrix.org']\n",
                               "See hachyderm.io/@zqm, @zq_mx:matrix.org and zq_mx.")
    for secret in ("hachyderm.io/@zqm", "zq_mx"):
        assert secret not in shared, secret


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("fields", ["github: zq\ntwitter: '@zx'\nlinkedin: in/zl\n",
                                    "links: {github: zq, x: zx, linkedin: 'in/zl'}\n",
                                    "contact: {github_handle: zq, twitter: '@zx', linkedin: zl}\n"])
def test_a_short_handle_under_a_profile_key_hides_its_profiles_link(make_journal, tmp_path, broken, fields):
    """A handle of under three characters is not looked for alone (`zq` is too often something else), and
    its profile's link was not looked for either: `github: zq` left `github.com/zq` on the mentor's site.
    A longer handle it begins is another person's."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, fields,
                               "See github.com/zq, https://x.com/zx, twitter.com/zx/status/1 and "
                               "linkedin.com/in/zl; Pat's: github.com/zqcodes.")
    assert "see someone, https://someone, someone/status/1 and someone; pat's: github.com/zqcodes." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("hidden", [
    "links: ['https://www.linkedin.com/pub/zqpub42/12/345/678', 'https://linkedin.com/mwlite/in/zqlite42']\n---\n"
    "Also de.linkedin.com/in/zqde42/details/experience and m.facebook.com/zqfb42/photos",
    "notes: 'see linkedin.com/pub/zqpub42/12/345/678, linkedin.com/mwlite/in/zqlite42, "
    "de.linkedin.com/in/zqde42/details/experience and m.facebook.com/zqfb42/photos'\n"])
def test_old_and_mobile_linkedin_and_facebook_links_are_hidden(make_journal, tmp_path, broken, hidden):
    """LinkedIn's old public profiles (`linkedin.com/pub/zqpub42/12/345/678`) and its mobile ones
    (`linkedin.com/mwlite/in/…`) gave no handle, and a page below a profile on another of a site's hosts
    (`de.linkedin.com/in/…/details`, `m.facebook.com/…/photos`), written without `https://`, was no page:
    the profiles and handles reached the mentor. LinkedIn's search by name (`/pub/dir/…`) names no handle."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, hidden + "\n",
                               "See zqpub42, linkedin.com/in/zqlite42, zqde42, facebook.com/zqfb42; search "
                               "linkedin.com/pub/dir/ann/lee for the dir.")
    for secret in ("zqpub42", "zqlite42", "zqde42", "zqfb42"):
        assert secret not in shared, secret
    assert "search linkedin.com/pub/dir/ann/lee for the dir." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("hidden", ["links: ['https://twitter.com/#!zeddy_q', 'https://twitter.com/#/zeddy_r']\n",
                                    "notes: 'old https://twitter.com/#!zeddy_q and twitter.com/#/zeddy_r'\n",
                                    "---\nOld: twitter.com/#!zeddy_q and https://twitter.com/#/zeddy_r\n"])
def test_an_old_twitter_link_without_its_slash_or_its_bang_gives_its_handle(make_journal, tmp_path, broken, hidden):
    """`twitter.com/#!zeddy_q` (no slash after the `#!`) and `twitter.com/#/zeddy_r` gave no handle, where
    `twitter.com/#!/zeddy_q` did (helper-88): the handles, and the profiles written otherwise, reached the
    mentor. A fragment of any other link (`#readme`) is none."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, hidden,
                               "Follow zeddy_q and zeddy_r, twitter.com/zeddy_q, x.com/zeddy_r; see the readme.")
    assert "follow someone and someone, someone, x.com/someone; see the readme." in shared


@pytest.mark.parametrize("hidden", ["contact: {emergency: +4530123456}", "kin: [{mum: [+4530123456]}]",
                                    "notes: 30123456", "contact: {other: !!int 30_12_34_56}",
                                    "notes: '+45_30_12_34_56'", "home_line: '030_1234_5678'"])
def test_a_whole_number_nested_of_eight_digits_or_with_underscores_is_hidden(make_journal, tmp_path, hidden):
    """A number YAML reads as a whole one was a phone's only directly under a key (`notes: +4530123456`),
    not inside a mapping or list; of eight digits (`30123456`, a Danish number) it was read as an amount
    (`+30123456`), which a `+` written in a sentence may be, but YAML's number has none of its own; and
    written with underscores, as YAML 1.1 writes a whole number, it was no number dialled from abroad."""
    shown = "Fax 030 1234 5678." if "030" in hidden else "Ring 30 12 34 56 or +45 30 12 34 56."
    shared = mentor_view(make_journal, tmp_path, hidden, shown + " Order 12345678.")
    assert ("fax someone." if "030" in hidden else "ring someone or someone.") + " order 12345678." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("hidden", ["phone: 30:12:34:56", "phone: '30:12:34:56 (9:00-17:00)'",
                                    "mobile: '+45 30:12:34:56'"])
def test_a_number_grouped_by_colons_is_hidden(make_journal, tmp_path, broken, hidden):
    """A number whose groups are apart by colons (`30:12:34:56`) was no number: in a hidden person's field
    it hid nothing, and written so in a shown note it was not found. Hours and times are none."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, hidden + "\n",
                               "Ring 30 12 34 56, 30:12:34:56 or 3012 3456. Open 9:00-17:00; at 10:30:00.")
    assert "ring someone, someone or someone. open 9:00-17:00; at 10:30:00." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("hidden", ["lineid: zqline\nNº: '30 12 34 56'\n", "LineID: zqline\nN°: '30 12 34 56'\n",
                                    "githubuser: zqline\n№: '30 12 34 56'\n",
                                    "contact: {lineid: zqline, Nº: '30 12 34 56'}\n"])
def test_a_profiles_key_glued_to_its_handles_word_and_n_o_are_contact_keys(make_journal, tmp_path, broken, hidden):
    """`lineid` (`line_id` written as one word, as LINE writes it) and `Nº` (número, numéro) said no contact:
    the hidden person's LINE id and number under them reached the mentor. Under `Nº` only a phone's digits
    count (it says a number, not whose)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, hidden,
                               "Add zqline; ring 30 12 34 56. Room 12.")
    assert "add someone; ring someone. room 12." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_site_pages_link_with_a_slash_before_its_query_and_an_id_of_letters_are_hidden(make_journal, tmp_path,
                                                                                        broken):
    """`youtube.com/watch/?v=…` was looked for only so written, and an id of letters alone (which may be a
    word) not alone: a shown note's `youtube.com/watch?v=…`, or the id given after another parameter, reached
    the mentor. Such an id is looked for with its parameter's name; Kim's own video stays."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "links: ['https://www.youtube.com/watch/?v=zqVIDabcdef', "
                               "'https://www.youtube.com/watch?v=zqOTHERabcd']\n",
                               "See youtube.com/watch?v=zqVIDabcdef, youtube.com/watch/?v=zqOTHERabcd and "
                               "youtube.com/watch?t=30s&v=zqVIDabcdef. Kim's: youtube.com/watch?v=kimVIDabcde.")
    assert "zqvidabcdef" not in shared and "zqotherabcd" not in shared
    assert "kim's: youtube.com/watch?v=kimvidabcde." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("hidden", ["email: ada@example.com", "email: 'ada **at** example **dot** com'",
                                    "email: 'ada &#91;at&#93; example &#91;dot&#93; com'", "mail: 'ada _(at)_ example.com'"])
def test_an_address_spelt_out_behind_entities_or_emphasis_is_hidden(make_journal, tmp_path, broken, hidden):
    """An address spelt out (`ada at example dot com`) was found only written plainly: behind HTML entities
    (`ada&#32;at&#32;…`, `&#91;at&#93;`) or Markdown's emphasis (`ada *at* example *dot* com`, `_(at)_`) it
    reached the mentor, and a hidden person's field so written gave no address. Prose stays."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, hidden + "\n",
                               "Mail ada@example.com, ada &#91;at&#93; example &#91;dot&#93; com, ada&#32;at&#32;"
                               "example&#32;dot&#32;com, ada *at* example *dot* com, ada **[at]** example.com or "
                               "ada _(at)_ example _(dot)_ com; we met **at** noon.")
    assert "mail someone, someone, someone, someone, someone or someone; we met <strong>at</strong> noon." in shared


def test_a_whole_number_in_a_note_that_cannot_be_loaded_is_hidden_as_yaml_would_read_it(make_journal, tmp_path):
    """Read leniently, a note that cannot be loaded gave no number of a value YAML reads as a whole number
    (`notes: 4530123456`, `- 30123456`), where the note loaded hides it (its `+` lost, a phone's digits). A
    quoted one is an id, as in a note that loads."""
    shared = _hidden_note_view(make_journal, tmp_path, True,
                               "notes: 4530123456 # hers\nkin:\n  - 30123457\nother: {x: 4530123458, y: 1}\n"
                               "employee_id: '123456789'\n",
                               "Ring 30 12 34 56, 30 12 34 57 or +45 30 12 34 58. Invoice 123456789.")
    assert "ring someone, someone or someone. invoice 123456789." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_short_mastodon_or_twitter_handle_hides_its_profile_on_its_server_or_in_twitters_old_links(
        make_journal, tmp_path, broken):
    """A Mastodon handle of under three characters (`@zm@hachyderm.io`) hid its profile on its server
    (`hachyderm.io/@zm`) no more than a short handle its profile's link, nor a short Twitter one its old
    link (`twitter.com/#!/zx`)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "mastodon: '@zm@hachyderm.io'\ntwitter: zx\n",
                               "See hachyderm.io/@zm and twitter.com/#!/zx; Pat's: hachyderm.io/@zmpat.")
    assert "see someone and someone; pat's: hachyderm.io/@zmpat." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_placeholder_handle_of_no_letter_or_digit_hides_no_profiles_site(make_journal, tmp_path, broken):
    """A handle of no letter or digit (`twitter: '--'`, `github: __`, `x: '@_'`) is a placeholder: its
    profile's link was `twitter.com/--`, and every bare `twitter.com`, `x.com` and `github.com` in a shown
    note went, a shown person's own profiles with them."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "twitter: '--'\ngithub: __\nx: '@_'\nmastodon: '@.'\nbluesky: '@__'\ngitlab: ___\n",
                               "Pat: x.com/patpub, github.com/patpub; GitHub is github.com and X is x.com. Fill "
                               "in ___ here.")
    assert "pat: x.com/patpub, github.com/patpub; github is github.com and x is x.com. fill in ___ here." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_short_handle_hides_no_longer_handle_it_begins(make_journal, tmp_path, broken):
    """`github: zq` hid `github.com/zq-tools` and `x: zx` `x.com/zx_y`, other accounts: only the whole
    handle is its profile (then the link's end, a page below it, its query or a sentence's end)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "github: zq\nx: zx\n",
                               "Org github.com/zq-tools, x.com/zx_y and x.com/zx.y; hers github.com/zq/repo, "
                               "x.com/zx?s=20, x.com/zx#top and x.com/zx.")
    assert ("org github.com/zq-tools, x.com/zx_y and x.com/zx.y; hers someone/repo, someone?s=20, someone#top "
            "and someone.") in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_short_handles_profile_is_hidden_through_entities_markup_and_invisible_characters(make_journal, tmp_path,
                                                                                          broken):
    """helper-94: ShortHandles looked only at a text holding a `/` or `@` as written, and read markup only
    around the handle: `x.com&#47;zx`, `github.com/z*q*`, `z&shy;q`, `x.com/@zx` and `x.com//zx` reached the
    mentor (a name matcher, before ShortHandles, had hidden them)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "github: zq\nx: zx\n",
                               "See x.com&#47;zx, www&#46;x&#46;com&#47;zx, github.com/z*q*, github.com/z&shy;q, "
                               "github.com/z\u200bq, x.com/@zx, twitter.com/@zx, https://x.com//zx and github.com//zq.")
    assert "zx" not in shared.replace("someone", "") and "zq" not in shared.replace("someone", "")


@pytest.mark.parametrize("broken", [False, True])
def test_a_short_mastodon_or_matrix_handle_given_by_any_form_of_its_link_hides_the_others(make_journal, tmp_path,
                                                                                        broken):
    """helper-94: a short handle's link was read only as `host/@zm`: given as `hachyderm.io/users/zm`,
    `fosstodon.org/web/@zn` or `matrix.to/#/@zx:matrix.org` (its server after a colon), its other forms
    reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "mastodon: 'https://hachyderm.io/users/zm'\nmatrix: 'https://matrix.to/#/@zx:matrix.org'"
                               "\nlinks: ['https://fosstodon.org/web/@zn']\n",
                               "Toot hachyderm.io/@zm or @zm@hachyderm.io; fosstodon.org/@zn, @zn@fosstodon.org; "
                               "ping @zx:matrix.org.")
    assert not re.search(r"\b(zm|zn|zx)\b", shared.replace("someone", ""))


@pytest.mark.parametrize("broken", [False, True])
def test_a_short_handles_profile_hides_no_handle_with_an_underscore_or_letters_more(make_journal, tmp_path, broken):
    """helper-95: reading markup through, a `_` inside a handle was taken for emphasis and an entity after it
    for nothing, so a shown `x.com/z_x` (Pat's own, too) and `x.com/zx&shy;y` (read `zxy`) were hidden."""
    files = {"netjournal.toml": "[audience.mentor]\n",
             "private/people/zelda.md": "---\nname: Zelda Quokkason\n" + ("name: Zelda Q\n" if broken else "")
             + "x: zx\ngithub: zq\n---\n",
             "people/pat.md": "---\nname: Pat Public\nx: '@z_x'\nlinks: ['https://x.com/z_x']\n---\n"
                              "Mine x.com/z_x, github.com/z_q, x.com/zx&shy;y; hers x.com/_zx_ and x.com/zx.\n"}
    shared = audience_output(make_journal(files), tmp_path / "mentor").decode()
    assert "mine x.com/z_x, github.com/z_q, x.com/zx\u00ady; hers someone and someone." in shared
    assert "https://x.com/z_x" in shared  # Pat's own link


@pytest.mark.parametrize("broken", [False, True])
def test_a_short_handle_with_an_underscore_at_its_edge_hides_its_profile(make_journal, tmp_path, broken):
    """helper-s53: read for emphasis, a `_` at a short handle's edge (`z_`, `_z`: Twitter's, Instagram's) was
    dropped, as written or escaped (`\\_`, `&#95;`, `%5F`), so its profile's link reached the mentor; another
    handle it begins (`z_q`) is another's."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "x: z_\ninstagram: _z\n",
                               "See x.com/z_, x.com/z\\_, x.com/z&#95;, x.com/z%5F, x.com/@z_ and instagram.com/_z; "
                               "Pat's x.com/z_q.")
    assert "see someone, someone, someone, someone, someone and someone; pat's x.com/z_q." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_short_handles_profile_hides_no_handle_with_an_underscore_that_is_no_emphasis(make_journal, tmp_path,
                                                                                        broken):
    """helper-s53: a `_` is no emphasis in a run of them inside a word, escaped, or written as an entity or a
    percent-escape, but reading markup through dropped it there: a shown `x.com/z__x`, `x.com/z&#95;x`,
    `x.com/z\\_x` or `x.com/z%5Fx` was hidden for a hidden `x: zx`."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "x: zx\n",
                               "Mine x.com/z__x, x.com/z&#95;x, x.com/z\\_x, x.com/zx&lowbar; and x.com/z%5Fx; "
                               "hers x.com/zx.")
    assert "mine x.com/z__x, x.com/z_x, x.com/z_x, x.com/zx_ and x.com/z%5fx; hers someone." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_video_is_hidden_on_youtubes_live_and_no_cookie_links_too(make_journal, tmp_path, broken):
    """helper-95: `youtube.com/live/ID`, `youtube.com/v/ID` and `youtube-nocookie.com/embed/ID` were no
    shape of a hidden video's link."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "links: ['https://youtu.be/dQzqAbcDefG']\n",
                               "Watch youtube.com/live/dQzqAbcDefG, youtube.com/v/dQzqAbcDefG or "
                               "https://www.youtube-nocookie.com/embed/dQzqAbcDefG.")
    assert "dqzqabcdefg" not in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_label_names_a_profile_by_its_last_word_or_words_naming_a_handle_after_it(make_journal, tmp_path, broken):
    """helper-94: any word of a label named its profile, so `Twitter thread: highlights` made `highlights` a
    hidden handle, and a shown note's "highlights" became "someone"."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "links: ['Twitter thread: highlights']\n",
                               "Pat's highlights from the meeting.")
    assert "pat's highlights from the meeting." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_short_handle_hides_its_profile_on_each_host_a_longer_ones_is_read_on(make_journal, tmp_path, broken):
    """A short handle's profile was looked for on a site's main host only: `fxtwitter.com/zx`,
    `twitter.com/#!zx`, `ddinstagram.com/zi`, `linkedin.com/pub/zl/1/2/3` and the like reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "twitter: zx\ninstagram: zi\nlinkedin: zl\ntelegram: zt\nfacebook: zf\nyoutube: zy\n",
                               "See twitter.com/#!zx, twitter.com/#/zx, fxtwitter.com/zx/status/1, vxtwitter.com/zx, "
                               "fixupx.com/zx, ddinstagram.com/zi, instagr.am/zi, linkedin.com/pub/zl/1/2/3, "
                               "linkedin.com/mwlite/in/zl, telegram.me/zt, fb.com/zf, youtube.com/c/zy and "
                               "youtube.com/user/zy.")
    assert ("see someone, someone, someone/status/1, someone, someone, someone, someone, someone/1/2/3, someone, "
            "someone, someone, someone and someone.") in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("fields", ["links: {'GitHub handle': zq, main: 'github: zr', 'GitHub user': zqcodes}\n"
                                    "x: {main: zx}\n",
                                    "links: ['github: zq', 'github: zr', 'x: zx', 'github: zqcodes']\n"])
def test_a_short_handle_under_a_label_naming_its_profile_hides_its_profiles_link(make_journal, tmp_path, broken,
                                                                                   fields):
    """Only a label's last word was read as its profile's (`GitHub handle` was none), and a label written in
    the link (`links: ['github: zq']`) not at all: a short handle's profile, and a longer one alone, reached
    the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, fields, "See github.com/zq, github.com/zr, x.com/zx and zqcodes.")
    assert "see someone, someone, someone and someone." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("fields", ["mastodon: 'https://hachyderm.io/@zm'\n", "mastodon: '@zm@hachyderm.io'\n"])
def test_a_short_mastodon_handle_hides_its_other_forms(make_journal, tmp_path, broken, fields):
    """A short Mastodon handle given as its link (`https://hachyderm.io/@zm`) hid nothing else, and none hid
    its profile's other pages on its server (`/users/zm`, `/web/@zm`)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, fields,
                               "Toot @zm@hachyderm.io; hachyderm.io/users/zm; hachyderm.io/web/@zm; Pat's "
                               "hachyderm.io/@zmpat.")
    assert "toot @someone; someone; someone; pat's hachyderm.io/@zmpat." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_mastodon_handle_given_by_a_bare_or_users_link_hides_its_other_forms(make_journal, tmp_path, broken):
    """helper-s53: a short Mastodon handle given by its link without `https://` (`hachyderm.io/users/zm`,
    `fosstodon.org/@zn`) gave no handle, a longer one given by `/users/` none either (only `/@` names one),
    and a Matrix id was not looked for in the `matrix:` URI (`matrix:u/zx:matrix.org`): their other forms
    reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "mastodon: hachyderm.io/users/zm\nmatrix: '@zx:matrix.org'\n"
                               "links: ['fosstodon.org/@zn', 'https://mas.to/users/zqmast']\n",
                               "Toot @zm@hachyderm.io, @zn@fosstodon.org, @zqmast@mas.to, mas.to/@zqmast; chat "
                               "matrix:u/zx:matrix.org. Pat's mas.to/@zqmastpat.")
    assert "toot @someone, @someone, @someone, someone; chat matrix:u/someone. pat's mas.to/@zqmastpat." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_contacts_in_a_list_of_mappings_are_hidden_when_the_note_cannot_be_loaded_too(make_journal, tmp_path, broken):
    """helper-s53: read leniently line by line, a note that could not be loaded gave no contact from a flow
    list of mappings (`socials: [{github: zqgh42}]`), a mapping that says its kind (`{type: github, value:
    zr}`) or a list's number (`kin: [0301234567]`), which the note loaded hides; a mapping that says no kind
    names nobody (`{name: Pat, company: X}`)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "socials: [{github: zqgh42}, {x: zx}]\ncontacts:\n  - type: github\n    value: zr\n"
                               "accounts: [{type: github, value: zrgh42}]\nkin: [0301234567]\n"
                               "family: [{name: Pat, company: X}]\n",
                               "See zqgh42, x.com/zx, github.com/zr and zrgh42; ring 030 1234567. Pat Public met X.")
    assert "see someone, someone, someone and someone; ring someone. pat public met x." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_number_yaml_reads_as_a_decimal_or_with_underscores_is_hidden(make_journal, tmp_path, broken):
    """helper-s53: YAML reads `phone: +45.30123450` unquoted as the decimal 45.3012345 (its last zero lost),
    and YAML 1.1 `dad: 4_530_123_456` as the whole number 4530123456: the hidden number reached the mentor
    (as `+45 30 12 34 50`, `30 12 34 56`). A decimal's digits are looked for with any zeros after them."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "phone: +45.30123450\ndad: 4_530_123_456\n",
                               "Ring +45 30 12 34 50 or 30 12 34 56. Invoice 45.301234, 30 12 34 5.")
    assert "ring someone or someone. invoice 45.301234, 30 12 34 5." in shared


@pytest.mark.parametrize("line", ["1" + "_1" * 100_000, "1" + "_" * 200_000 + "1", "1" * 200_000 + "_",
                                  ":\u00a0" * 50_000 + "1", "a:\u00a0" + "1_" * 50_000,
                                  ":" + " " * 100_000 + "\u00a0" + "1" * 10, "a:\u00a0b c d e " * 7_000],
                         ids=lambda line: repr(line[:12]))
def test_numbers_with_underscores_are_read_in_linear_time(line):
    from netjournal.unlisted import contacts_outside

    assert _within_times_a_scan(lambda text: contacts_outside({"k": text}), line, 25)


@pytest.mark.parametrize("broken", [False, True])
def test_a_percent_encoded_profile_link_without_https_under_any_key_is_hidden(make_journal, tmp_path, broken):
    """helper-s53: a profile's link written without `https://` was read up to its first percent-escape
    (`github.com/z%71handle` as `github.com/z`): its handle reached the mentor, and a shown `github.com/z`,
    another's, was hidden. It is read decoded too, as a link with `https://` is."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "notes: 'see github.com/z%71handle and x.com/%7A%78'\n",
                               "See github.com/zqhandle, zqhandle, github.com/z%71handle and x.com/zx; Pat's "
                               "github.com/z.")
    assert "see someone, someone, someone and someone; pat's github.com/z." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_an_address_spelt_out_with_a_dot_in_its_local_part_is_hidden(make_journal, tmp_path, broken):
    """helper-s53: an address spelt out was read only with its local part as written (`jo.q [at] …`): `jo dot
    q at example dot org` and `jo [dot] q [at] …`, as often written, reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "email: jo.q@example.org\n",
                               "Write jo dot q at example dot org, jo [dot] q [at] example [dot] org or jo *dot* q "
                               "*at* example *dot* org; Pat's jo dot qq at example dot org.")
    assert "write someone, someone or someone; pat's jo dot qq at example dot org." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_mapping_saying_its_kind_under_links_or_a_mistyped_key_hides_its_handle_not_the_kind(make_journal, tmp_path,
                                                                                              broken):
    """helper-s53: in a note that loads, `links: [{type: github, value: zr}]` made `github` a hidden link (a
    shown "GitHub" was hidden) and gave no handle, and under a mistyped key (`links2:`) such a mapping gave
    none either: the handles reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "links: [{type: github, value: zr}]\nlinks2: [{type: github, value: zrgh42}]\n",
                               "See github.com/zr, zrgh42 and github.com/zrgh42. Pat likes GitHub.")
    assert "see someone, someone and github.com/someone. pat likes github." in shared


def test_a_whole_number_written_otherwise_in_a_note_that_cannot_be_loaded_is_hidden(make_journal, tmp_path):
    """Read leniently, a whole number was found only one space after its key or dash: after a tab or more
    spaces, behind a tag or an anchor (`!!int`, `&m`), on the line below its key, or as a mapping's key it
    reached the mentor, where the note loaded hides it."""
    shared = _hidden_note_view(make_journal, tmp_path, True,
                               "notes:  30123456\nkin:\n  -   30123457\nother:\t30123458\nmore: !!int 30123459\n"
                               "mum: &m 30123460\nnext:\n  30123461\npairs: {30123462: dad}\n? 30123463\n: mum\n",
                               "Ring 30 12 34 56, 30 12 34 57, 30 12 34 58, 30 12 34 59, 30 12 34 60, 30 12 34 61, "
                               "30 12 34 62 or 30 12 34 63. Invoice 123456789.")
    assert "ring someone, someone, someone, someone, someone, someone, someone or someone. invoice 123456789." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_video_id_of_letters_is_hidden_in_each_shape_of_its_link(make_journal, tmp_path, broken):
    """A YouTube id of letters alone was looked for only as its link gave it (`watch?v=…`): written
    `youtu.be/…`, `/embed/…` or `/shorts/…`, or given so and written `watch?v=…`, it reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "links: ['https://www.youtube.com/watch?v=zqVIDabcdef', 'https://youtu.be/zqOTHERabcd']\n",
                               "See https://youtu.be/zqVIDabcdef, youtube.com/embed/zqVIDabcdef, "
                               "youtube.com/shorts/zqVIDabcdef and youtube.com/watch?v=zqOTHERabcd. Kim's: "
                               "youtu.be/kimVIDabcde.")
    assert "zqvidabcdef" not in shared and "zqotherabcd" not in shared
    assert "kim's: youtu.be/kimvidabcde." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_profile_link_without_https_before_a_percent_that_escapes_nothing_is_hidden(make_journal, tmp_path,
                                                                                     broken):
    """helper-s53-b: since 3da6e07 no link without `https://` ended before a `%`, so one before a `%` that
    is no percent-escape (`github.com/zqhandle%`, `…%zz`, `…%25` decoded) was no link at all: its handle
    reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "notes: 'github.com/zqhandle% of it, github.com/zrhandle%zz, github.com/zshandle%25'\n",
                               "See github.com/zqhandle, github.com/zrhandle and github.com/zshandle.")
    assert "see someone, someone and someone." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_an_address_spelt_out_after_a_word_and_a_dot_spelt_out_is_hidden(make_journal, tmp_path, broken):
    """helper-s53-b: since 07a05a6 a dot spelt out may be in an address's local part, so a word and such a dot
    before a hidden address spelt out (`n [dot] zq [at] …`, `the dot zq at …`) made it another's: it reached
    the mentor, where before it was hidden."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "email: zq@example.com\n",
                               "Write n [dot] zq [at] example [dot] com or the dot zq at example dot com; "
                               "Pat's n [dot] zqq [at] example [dot] com.")
    assert "write n [dot] someone or the dot someone; pat's n [dot] zqq [at] example [dot] com." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_decimal_of_few_digits_under_a_key_that_says_no_phone_hides_no_number(make_journal, tmp_path, broken):
    """helper-s53-b: since 5e517a1 each decimal a hidden note holds, under any key, was looked for as a phone's
    digits with any zeros after them: `score: 1.5`, `height: 1.8` or `version: 2.0` hid a shown `15 000 000`,
    `18 000 000` or `+45 20 00 00 00`. Under a key that says a phone it still is, and under another one of a
    phone's digits before its zeros (`dad: +45.30123480`)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "score: 1.5\nstats: {height: 1.8}\nversion: 2.0\nbudget: 25000000.0\n"
                               "mobile: +45.30123450\ncontact: [{type: phone, value: +45.30123460}, "
                               "{home_tel: +45.30123470}]\ndad: +45.30123480\n",
                               "Pat raised 15 000 000 kr, 18 000 000, 150000000 and 250 000 000; ring +45 20 00 00 "
                               "00. Not 30 12 34 50, 30 12 34 60, 30 12 34 70 or 30 12 34 80.")
    assert ("pat raised 15 000 000 kr, 18 000 000, 150000000 and 250 000 000; ring +45 20 00 00 00. "
            "not someone, someone, someone or someone.") in shared


def test_a_flow_list_going_on_at_a_lines_start_is_read_when_the_note_cannot_be_loaded(make_journal, tmp_path):
    """helper-s53-b: YAML reads a flow list of mappings on at the next line's start (`socials: [{github:
    zqgh42},` then `{x: zx}]`), but read in parts that line began another, and neither was read: in a note
    that could not be loaded, zqgh42 reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, True, "socials: [{github: zqgh42},\n{x: zx}]\n",
                               "See zqgh42 and x.com/zx.")
    assert "see someone and someone." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_phone_written_as_a_whole_decimal_is_hidden(make_journal, tmp_path, broken):
    """helper-s53-b: a number a spreadsheet wrote as a decimal (`phone: +4530123456.0`) was read with the
    decimal's zero (`45301234560`): the number reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, "phone: +4530123456.0\nmobile: 4530123457.0\n",
                               "Ring 30 12 34 56 or 30 12 34 57.")
    assert "ring someone or someone." in shared


def test_contacts_after_a_long_value_are_read_when_the_note_cannot_be_loaded(make_journal, tmp_path):
    """helper-s53-b: read in parts (4a8c4b0), a note that could not be loaded was read by YAML only up to its
    first 32 KiB: a long value first (`bio:`) left the keys after it unread, and a flow list of mappings
    there (`socials: [{github: zqgh42}]`) reached the mentor. A part too long is passed over."""
    shared = _hidden_note_view(make_journal, tmp_path, True, "bio: " + "x" * 33_000 + "\nsocials: [{github: zqgh42}]\n",
                               "See zqgh42 ok.")
    assert "see someone ok." in shared


def test_contacts_yaml_reads_in_parts_are_kept_after_many_read_line_by_line(make_journal, tmp_path):
    """helper-s53-b: of a note that could not be loaded, 200 names and contacts are kept; those YAML reads in
    its parts (4a8c4b0) came last, so after 200 numbers read line by line `socials: [{github: zqgh42}]`
    reached the mentor. What YAML reads that is not read line by line has 200 of its own."""
    numbers = "".join(f"k{i}: +45 30 12 {i:04d}\n" for i in range(210))
    shared = _hidden_note_view(make_journal, tmp_path, True, numbers + "socials: [{github: zqgh42}]\n",
                               "See zqgh42 ok.")
    assert "see someone ok." in shared


@pytest.mark.parametrize("after", ["[oops", ", x", "{a: 1}", "]", "}"])
def test_a_line_beginning_with_a_bracket_after_a_closed_flow_leaves_its_contacts_read(make_journal, tmp_path, after):
    """helper-s53-c: since 2d3ca65 a line beginning with `[`, `]`, `{`, `}` or `,` goes on the part before it,
    so a closed flow list before one (`socials: [{github: zqgh42}]` then `[oops`) became a part YAML could not
    read: in a note that could not be loaded the handle and the number reached the mentor (privacy-s53 read
    them). What comes before the first such line is read alone too."""
    shared = _hidden_note_view(make_journal, tmp_path, True,
                               f"socials: [{{github: zqgh42}}]\n{after}\nkin: ['0301234567']\n}}\n",
                               "See zqgh42 and github.com/zqgh42; ring 030 123 4567.")
    assert "see someone and github.com/someone; ring someone." in shared


def test_contacts_yaml_reads_in_parts_are_kept_after_many_decimals(make_journal, tmp_path):
    """helper-s53-c: what YAML reads in a broken note's parts has 200 of its own (6a87b88), but each decimal
    there is read as a phone with any zeros after it, up to eight readings: after 30 decimals (`readings:
    [12.345678, …]`) the cap was full and `socials: [{github: zqgh42}]`, `kin: ['0301234567']` reached the
    mentor. A number's readings with zeros after it count once."""
    readings = ", ".join(f"{12 + i}.{345678 + 7 * i}" for i in range(40))
    shared = _hidden_note_view(make_journal, tmp_path, True,
                               f"readings: [{readings}]\nsocials: [{{github: zqgh42}}]\nkin: ['0301234567']\n",
                               "See zqgh42 ok; ring 030 123 4567.")
    assert "see someone ok; ring someone." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_ordinary_decimals_of_a_hidden_note_hide_no_shown_numbers(make_journal, tmp_path, broken):
    """helper-s53-c: under a key that says no phone a decimal with seven digits before its zeros was read as
    a phone's (7775e70), also one below 1, one with a long whole part and a whole one with zeros after it:
    `ratio: 0.12345678`, `money: 1234567.50`, `population: 1234567.0` hid a shown 12345678, 1234567.50
    and 12345670. A phone's dot comes after its country's or area's code (`dad: +45.30123480`), and a whole
    decimal is its whole number."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "ratio: 0.12345678\nmoney: 1234567.50\npopulation: 1234567.0\ndad: +45.30123480\n"
                               "mum: +35321.4567890\n",
                               "Pat counted 12345678, paid 1234567.50 and saw 12345670; ring 30 12 34 80 or 021 456 7890.")
    assert "pat counted 12345678, paid 1234567.50 and saw 12345670; ring someone or someone." in shared


def test_a_hidden_address_spelt_out_after_dotted_words_is_hidden(make_journal, tmp_path):
    """helper-s53-c: a hidden address is hidden after a word and a dot (`pat.zq@example.org`), and spelt out
    after a spelt dot (`pat [dot] zq [at] …`, 1c66ff4), but not spelt out after a dot as a dot (`a.b.zq [at]
    example [dot] org`): it reached the mentor. Linear: 200,000 characters of `a.` before one."""
    shared = _hidden_note_view(make_journal, tmp_path, False, "email: zq@example.org\n",
                               "Mail a.b.zq [at] example [dot] org or " + "a." * 100_000 + "zq [at] example [dot] org.")
    assert "zq [at]" not in shared
    assert "mail a.b.someone or a.a." in shared and "a.a.someone." in shared


def test_a_handle_in_a_flow_list_of_mappings_on_a_broken_line_is_hidden(make_journal, tmp_path):
    """helper-s53-c: a flow list of mappings on a line YAML cannot read (`socials: [{github: zqgh42}, {x:
    "oops}]`) was read neither line by line (only a flow mapping, `contact: {github: …}`, was taken apart)
    nor in parts (4a8c4b0): the handle reached the mentor. It is taken apart as a flow mapping is."""
    shared = _hidden_note_view(make_journal, tmp_path, False, 'socials: [{github: zqgh42}, {x: "oops}]\n',
                               "See zqgh42 and github.com/zqgh42 ok.")
    assert "see someone and github.com/someone ok." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_decimal_under_a_key_ending_in_a_phones_word_is_read_as_a_phone(make_journal, tmp_path, broken):
    """helper-s53-c: since 63c2444 a decimal is read with any zeros after it only under a key that says a
    phone, and `emergency_phone:`, `dad_mobile:`, `phones:` say none (words around it that leave it no
    contact's key): `emergency_phone: +45.30100000`, 45.301 to YAML, reached the mentor (5e517a1 hid it). A
    key whose last word says a phone says one here; `signal_strength: 1.5` still none."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "emergency_phone: +45.30100000\nfamily: {dad_mobile: +45.30200000}\n"
                               "phones: [+45.30300000]\nsignal_strength: 1.5\n",
                               "Ring 30 10 00 00, 30 20 00 00 or 30 30 00 00; raised 15 000 000.")
    assert "ring someone, someone or someone; raised 15 000 000." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_decimal_under_a_key_whose_last_two_words_say_a_phone_is_read_as_a_phone(make_journal, tmp_path, broken):
    """helper-s53-d: 2242529 read a key's last word only, and `mums_phone_number:`, `sister_mobile_number:`
    say a phone in their last two: `mums_phone_number: +45.30100000`, 45.301 to YAML, reached the mentor.
    `phone_model: 1234567.5` is still no phone's."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "mums_phone_number: +45.30100000\nfamily: {sister_mobile_number: +45.30200000}\n"
                               "phone_model: 1234567.5\n",
                               "Ring 30 10 00 00 or 30 20 00 00; model 12345675.")
    assert "ring someone or someone; model 12345675." in shared


@pytest.mark.parametrize("key", ["a" * 200_000 + "1b", "ab1" * 66_000, "abc_" * 50_000 + "phone",
                                 "a_" * 100_000, "ab_1" * 50_000 + "x"])
def test_a_keys_last_word_is_read_in_linear_time(key):
    from netjournal.unlisted import _says_phone

    assert _within_times_a_scan(_says_phone, key, 10)


@pytest.mark.parametrize("spelt", ["jo [dot] info [at] example [dot] org", "jo dot info at example dot org",
                                   "jo.info [at] example [dot] org"])
@pytest.mark.parametrize("key", ["email", "notes"])
def test_a_hidden_address_spelt_with_a_dot_hides_no_address_it_ends_with(make_journal, tmp_path, spelt, key):
    """helper-s53-c: since 1c66ff4 an address spelt out is read from each dot in its local part on, also the
    hidden person's own (`email: jo [dot] info [at] example [dot] org`, `notes: write jo [dot] info [at] …`),
    which hid a shown `info@example.org` (07a05a6 had stopped that); a shown note is read so, the hidden
    person's address whole (in brackets under another key; spelt in words it is read only under a contact's)."""
    shared = _hidden_note_view(make_journal, tmp_path, False, f"{key}: write {spelt}\n" if key == "notes"
                               else f"{key}: {spelt}\n", "Write to info@example.org or jo.info@example.org today.")
    shown = "someone" if key == "email" or "[at]" in spelt else "jo.info@example.org"
    assert f"write to info@example.org or {shown} today." in shared


def test_a_quoted_name_with_a_comma_in_a_broken_flow_list_of_mappings_hides_no_name(make_journal, tmp_path):
    """helper-s53-d: 161b820 left a name in a flow list of mappings of a note that cannot be loaded blank, and
    a blank line goes on with the key before it: the rest of `name: "Publica, Patricia"` after its comma was
    read as an address of `email:` before it, and a shown Patricia Publica's name was hidden (as `note: Patty`
    after a name as a label of `twitter:`)."""
    shared = _hidden_note_view(make_journal, tmp_path, True,
                               'family: [{email: zq@example.org, name: "Publica, Patricia"},'
                               ' {twitter: zq42, name: Pat Public, note: Patty}]\n',
                               "Patricia Publica and Patty came; write zq@example.org.")
    assert "patricia publica and patty came; write someone." in shared


def test_a_contact_labelled_by_a_name_in_a_broken_flow_list_of_mappings_is_hidden(make_journal, tmp_path):
    """helper-s53-d: what follows a name left out in a flow list of mappings of a note that cannot be loaded
    goes on under the list's key (42858e3 ended that key: `phones: [{name: Mum, number: 0301234567}]` then
    reached the mentor)."""
    shared = _hidden_note_view(make_journal, tmp_path, True,
                               'phones: [{name: Mum, number: 0301234567}, {x: "oops}]\n'
                               'github: [{name: main, user: zqgh42}, {x: "oops}]\n',
                               "Call 0301234567, see zqgh42.")
    assert "call someone, see someone." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_whole_decimal_under_a_phone_key_is_read_with_its_zeros(make_journal, tmp_path, broken):
    """helper-s53-d: 647f039 read a whole decimal as its whole number only, under a key that says a phone too:
    `phone: +453010.0000` is 453010.0 to YAML, and +45 30 10 00 00 reached the mentor (privacy-s53-b hid
    it). Under another key it is still its whole number: `population: 1234567.0` is no 12345670."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "phone: +453010.0000\nmobile: +4530200.000\npopulation: 1234567.0\n",
                               "Ring +45 30 10 00 00 or +45 30 20 00 00; 12345670 people.")
    assert "ring someone or someone; 12345670 people." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_number_whose_groups_are_apart_by_a_figure_or_other_space_is_hidden(make_journal, tmp_path, broken):
    """privacy-s55: a number's groups apart by a figure space (U+2007, as a typesetter aligns digits) or an en,
    em, punctuation or hair space were read as two numbers, under a key that says no phone: `kin:
    "030\u20071234567"` hid no 030 1234567. They are a separator wherever an ASCII space is one."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "kin: \"030\u20071234567\"\nmum: '040\u20021234567'\n"
                               "son: ['+45\u200730\u200312\u200834\u200a56', '050\u2007\u20071234567\u2007']\n",
                               "Ring 030 1234567, 030\u20071234567, 040 1234567, +45 30 12 34 56 or 050 1234567. "
                               "Room 12.")
    assert "ring someone, someone, someone, someone or someone. room 12." in shared


@pytest.mark.parametrize("space", ["\u2007", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2008", "\u200a",
                                   "\u2009", "\u202f", "\u00a0", "\u2007\u2007", "\u2007-\u2007", "\u2007 "])
def test_a_shown_number_whose_groups_are_apart_by_any_space_is_found(space):
    """privacy-s55: as written, not only as read (redact.reader_text reads such spaces as spaces)."""
    from netjournal.contacts import Phones, phone_spans

    text = f"Ring 030{space}1234567."
    assert phone_spans(text, Phones(["0301234567"])) == [(5, len(text) - 1)]


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("fields", [
    "kin: &a\u00a00301234567\nmum: !!str\u00a00401234567\naunt: !a &b !c 4530123456\n",
    "son: !a !b !c 0301234567\ndad: &d\u00a0!b\u2007!!str '0401234567'\naunt: !a\u00a0&b\u00a0!c\u00a04530123456\n",
    # in a flow or a list: the part YAML refused for it was read for none of its numbers, the one beside it too
    "kin: [0301234567, &a\u00a00401234567, !a !b !c 4530123456]\n",
    "kin:\n  - 0301234567\n  - !a !b 0401234567\n  - &a !b\u00a0!c 4530123456\n",
    "kin: {dad: !a\u00a00301234567, mum: [!a 0401234567], aunt: !a !b !c 4530123456}\n"])
def test_a_number_behind_an_anchor_or_tags_and_a_no_break_space_is_hidden(make_journal, tmp_path, broken, fields):
    """privacy-s55: an anchor or a tag with a no-break space after it (`kin: &a\u00a00301234567`, `kin:
    !!str\u00a00301234567`), or three of them, makes YAML refuse the note, and read leniently the value was
    no number with a trunk 0, its anchor and tags kept (nor a whole number behind three): it reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, fields,
                               "Ring 030 1234567 or 0401234567; +45 30 12 34 56 too. Room 12.")
    assert "ring someone or someone; someone too. room 12." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_an_alias_or_handle_behind_an_anchor_and_a_no_break_space_is_hidden(make_journal, tmp_path, broken):
    """privacy-s55: read leniently, an anchor was taken for the whole value up to an ASCII space, and the alias
    or handle behind it and a no-break space (`aliases: &a\u00a0Zeddy`) reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken,
                               "aliases:\n  - &a\u00a0Zeddy\ngithub: &g\u00a0zq_codes42\n",
                               "Hi Zeddy, see zq_codes42. Room 12.")
    assert "hi someone, see someone. room 12." in shared


@pytest.mark.parametrize("fields", ["notes: &n |\n  github:\u00a0pat\n", "notes: !!str >-\n  github:\u00a0pat\n",
                                    "notes: &n !!str |2\n  github:\u00a0pat\n", "notes:\n  - &n |\n    github:\u00a0pat\n",
                                    "? |\n  github:\u00a0pat\n: x\n", "notes:\n  ? !!str |\n    github:\u00a0pat\n  : x\n"])
def test_a_block_scalars_text_behind_an_anchor_tag_or_explicit_key_hides_no_shown_handle(make_journal, tmp_path,
                                                                                          fields):
    """privacy-s55: in a note that loads, a block scalar begun behind an anchor, a tag or `?` (`notes: &n |`)
    was not seen to begin, so its text `github:\u00a0pat` was read as a key and hid a shown `pat`, as with
    `notes: |` it does not (notes._odd_key saw it begin: load read it with a pattern of its own)."""
    shared = _hidden_note_view(make_journal, tmp_path, False, fields, "Pat's github pat.")
    assert "pat's github pat." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("fields", ["links: \"github:\u00a0zq_codes42\"\n", "links: ['github:\u2007zq_codes42']\n",
                                    "links: |\n  github:\u00a0zq_codes42\n", "links: &l >-\n  github:\u202fzq_codes42\n"])
def test_a_handle_under_a_label_written_in_a_links_text_with_a_no_break_space_is_hidden(make_journal, tmp_path,
                                                                                         broken, fields):
    """privacy-s55: a profile's label written in a link's text (`links: ['github: zq']`) was read so only with an
    ASCII space after its colon: with a no-break space, in quotes or a block scalar's text, the handle reached
    the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, fields, "See zq_codes42. Pat's github pat.")
    assert "see someone. pat's github pat." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("fields", ["phone: \"030\u200b1234567\"\nmobile: '040\u00ad123\u206045\u200d67'\n",
                                    "kin: \"030\u20121234567\"\nmum: '040\u200b1234567'\n",
                                    "phone: \"030\u20281234567\"\nkin: ['+49\u200b40\u2011123\u00ad4567']\n"])
def test_a_number_with_an_invisible_character_or_another_dash_inside_is_hidden(make_journal, tmp_path, broken, fields):
    """privacy-s55: a hidden person's number with a zero-width space, a soft hyphen or a word joiner inside (as
    a page it is copied from may hold), or a figure dash, a hyphen or a line separator between its groups,
    was read as two numbers, in a phone field too, though a shown number so written is read through them:
    030 1234567 reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, fields,
                               "Ring 030 1234567 or 040-1234567. Room 12.")
    assert "ring someone or someone. room 12." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("fields", ["github: zq\u200b_codes42\n", "links: ['https://github.com/zq_\u00adcodes42']\n",
                                    "links: {x: '@zq_codes\u206042'}\n"])
def test_a_handle_with_an_invisible_character_inside_is_hidden(make_journal, tmp_path, broken, fields):
    """privacy-s55: a hidden person's handle with a zero-width space, a soft hyphen or a word joiner inside (as a
    page it is copied from may hold) gave no handle, or a short one: the handle reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, fields, "See zq_codes42 and @zq_codes42. Room 12.")
    assert "see someone and @someone. room 12." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("fields", ["kin: {0301234567: dad, '+45 30 12 34 56': mum}\n",
                                    "kin:\n  - {dad: {0301234567: home}}\n'+45 30 12 34 56': mum\n",
                                    "? 0301234567\n: dad\nkin: {&a\u00a0'+45 30 12 34 56': mum}\n"])
def test_a_number_written_as_a_mappings_key_is_hidden(make_journal, tmp_path, broken, fields):
    """privacy-s55: a number with a trunk 0 or a country code was read as one in a hidden note's values only:
    written as a mapping's key (`kin: {0301234567: dad}`, a phone book's way), it reached the mentor."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, fields, "Ring 030 1234567 or +45 30 12 34 56. Room 12.")
    assert "ring someone or someone. room 12." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("fields", [
    "contact: |\n  phone: 030 1234567\n  github: zq_codes42\n", "contacts: |\n  github: zq_codes42\n  phone: 030 1234567\n",
    "links: |\n  github: zq_codes42\n  phone: 030 1234567\n", "contact_details: \"phone: 030 1234567\\ngithub: zq_codes42\"\n",
    "contact: ['phone: 030 1234567', 'github:\tzq_codes42']\n", "socials: {main: 'github:zq_codes42', tel: 'home: 030 1234567'}\n",
    "contact: &c |\n  github:\u00a0zq_codes42\n  phone:\u00a0030 1234567\n", "contact: !!str >-\n  github: zq_codes42\n\n  phone: 030 1234567\n",
])
def test_a_contact_keys_text_of_labelled_lines_is_read_as_its_contacts(make_journal, tmp_path, broken, fields):
    """helper-s55-attack: under a key that holds contacts, a text of `label: value` lines (a block scalar, a
    quoted text) was read as text, so `contact: |` then `  phone: 030 1234567` and `  github: zq_codes42`
    reached the mentor when the note loaded. Each line is read as if YAML had read that key."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, fields, "Ring 030 1234567, see zq_codes42.")
    assert "ring someone, see someone." in shared


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("after", ["\t", "\u00a0\u00a0", "\u200b", "\u2060", ""])
def test_a_links_label_with_any_blanks_or_none_after_its_colon_hides_the_handle(make_journal, tmp_path, broken, after):
    """helper-s55-attack: 6dc60b1 read one blank after a label's colon in a link's text (`github:\u00a0zq`)."""
    shared = _hidden_note_view(make_journal, tmp_path, broken, f'links: ["github:{after}zq_codes42"]\n', "See zq_codes42.")
    assert "see someone." in shared


@pytest.mark.parametrize("line", ["a:" * 50_000, ("a" * 39 + ":") * 2_500, "- " * 50_000 + "a: b", "\na: b" * 20_000,
                                  ":" * 100_000, "a" * 100_000 + ": b", "\n" + ("x" * 41 + ":") * 2_400, "\uff1a" * 100_000,
                                  "\n- github: " + "a" * 100_000, "\nphone: " + "1_" * 50_000, "\na: 1" * 20_000,
                                  ",a:" * 33_000, "1. " * 33_000 + "a: b", '"' * 100_000, '"a": ' * 20_000,
                                  ",;|" * 33_000, "a:::" * 25_000, "\u2028a: b" * 20_000, "a: b, " * 20_000,
                                  "," + " " * 100_000 + "a", "x: y" + " a: b" * 20_000, "x: " + "(a: " * 25_000,
                                  "# " * 50_000 + "a: b", "github: a" + "_" * 100_000 + " b"],
                         ids=lambda line: repr(line[:12]))
def test_a_contact_keys_labelled_lines_are_read_in_linear_time(line):
    from netjournal.unlisted import contacts_outside

    assert _within_times_a_scan(lambda text: contacts_outside({"contact": text}), line, 25)


def test_past_a_thousand_labels_a_contact_keys_lines_still_give_its_numbers():
    """Each label's key is matched against the contacts' keys (28 us a label); past 1,000 labels a line's
    value is read as a text's: what is surely a contact there is still hidden."""
    from netjournal.contacts import salvaged
    from netjournal.unlisted import contacts_outside

    found = contacts_outside({"contact": "".join(f"\nk{n}: x" for n in range(1_500)) + "\nmum: 0307654321\n"})
    assert salvaged("phone", "0307654321") in found


#: Fields of a hidden person's note under a key that holds contacts, each giving the handle HANDLE
_CONTACT_TEXTS_WRITTEN_OTHERWISE = [
    # a profile's key written with capitals or words (helper-s55-attack2, the reviewer)
    "contact: |\n  GitHub: HANDLE\n", "socials: |\n  Twitter: HANDLE\n", "contact: |\n  X: HANDLE\n",
    "contact: 'GitHub: HANDLE'\n", "contact: |\n  **GitHub:** HANDLE\n", "contact: |\n  GitHub handle: HANDLE\n",
    # a quoted key; a folded text's lines, one to YAML; several on a line; words after the handle
    'contact: |\n  "github": HANDLE\n', "socials: >\n  github: HANDLE\n  twitter: HANDLE\n",
    "contact: 'phone: 030 1234567, github: HANDLE'\n", "contact: |\n  email: zq@example.org | github: HANDLE\n",
    "contact: |\n  github: HANDLE (main)\n",
    # Markdown before the key
    "contact: |\n  1. github: HANDLE\n", "contact: |\n  > github: HANDLE\n", "contact: |\n  \u2022 github: HANDLE\n",
    "contact: |\n  - __github__: HANDLE\n", "contact: |\n  (github): HANDLE\n", "contact: |\n  github::: HANDLE\n",
    # a key that holds contacts below another, or spelt otherwise
    'details: {contact: "github: HANDLE"}\n', "people:\n  - contact: |\n      github: HANDLE\n",
    "ContactInfo: |\n  github: HANDLE\n", "socials2: |\n  github: HANDLE\n", "Kontaktdaten: |\n  github: HANDLE\n",
    # lines apart by another line break
    'contact: "phone: 030 1234567\\Lgithub: HANDLE"\n', 'contact: "phone: 030 1234567\\rgithub: HANDLE"\n',
]


def _hidden_people_view(make_journal, tmp_path, broken: bool, fields: list[str], shown: str) -> str:
    """As _hidden_note_view, with a hidden person for each of FIELDS (one journal: a build each would be a
    build a case)."""
    twice = "name: Zelda Q\n" if broken else ""
    files = {"netjournal.toml": "[audience.mentor]\n", "people/pat.md": f"---\nname: Pat Public\n---\n{shown}\n"}
    files.update({f"private/people/zelda-{n}.md": f"---\nname: Zelda Quokkason {chr(97 + n % 26) * (1 + n // 26)}\n"
                  f"{twice}{written}---\n" for n, written in enumerate(fields)})
    return audience_output(make_journal(files), tmp_path / "mentor").decode()


@pytest.mark.parametrize("broken", [False, True])
def test_a_contact_keys_text_of_keys_written_otherwise_is_read_as_its_contacts(make_journal, tmp_path, broken):
    """helper-s55-attack2 and the reviewer: what 7e63737 read only when written as `github: zq` on a line. Each
    case a hidden person of its own, with a handle of its own."""
    handles = [f"zq_{n:02d}x" for n in range(len(_CONTACT_TEXTS_WRITTEN_OTHERWISE))]
    shared = _hidden_people_view(make_journal, tmp_path, broken,
                                 [fields.replace("HANDLE", handle) for fields, handle
                                  in zip(_CONTACT_TEXTS_WRITTEN_OTHERWISE, handles, strict=True)],
                                 " ".join(f"See {handle}." for handle in handles))
    assert [handle for handle in handles if handle in shared] == []


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize("fields,shown,expected", [
    # a short handle read through what no reader sees: its profile's link is hidden, as `github: zq`'s is
    ("github: z\u200bq\n", "See https://github.com/zq today.", "see https://someone today."),
    ("notes: 'call tel:030\u200b1234567 now'\n", "See 030 1234567 today.", "see someone today."),  # a dialled number
])
def test_what_no_reader_sees_inside_a_short_handle_or_a_dialled_number_hides_it(make_journal, tmp_path, broken,
                                                                               fields, shown, expected):
    """The reviewer: 4d3c567 read a handle through a zero-width space for its own lookup, not for a short
    handle's profile; 0541d0b read numbers so, not a `tel:` link's."""
    assert expected in _hidden_note_view(make_journal, tmp_path, broken, fields, shown)


@pytest.mark.parametrize("start", ['"my #notes": |', "'it''s #1': |"])
def test_a_block_scalar_under_a_quoted_key_with_a_hash_hides_no_shown_handle(make_journal, tmp_path, start):
    """helper-s55-attack: b5b4cfd's pattern took ` #` in a quoted key for a comment, so the block's text was
    read as keys and `github:\u00a0pat_pub` in it hid a shown Pat's handle (c610c61 kept it)."""
    shared = _hidden_note_view(make_journal, tmp_path, False, f"{start}\n  github:\u00a0pat_pub\n",
                               "Pat is pat_pub on GitHub.")
    assert "pat is pat_pub on github." in shared


@pytest.mark.parametrize("line", ['"' * 100_000 + "|", "'" * 100_000 + "|", "'' " * 50_000 + ": |", ' "a"' * 25_000 + "|",
                                  'a"' * 50_000 + ":|", "'" + "''" * 50_000 + "|", "a #" * 33_000 + ": |"],
                         ids=lambda line: repr(line[:12]))
def test_where_a_block_scalar_begins_is_found_in_linear_time(line):
    from netjournal.notes import starts_block_scalar

    assert _within_times_a_scan(starts_block_scalar, line, 25)


@pytest.mark.parametrize("broken", [False, True])
def test_a_contact_texts_words_under_a_profiles_key_are_no_handle(make_journal, tmp_path, broken):
    """helper-s55-attack3: d43313f read a profile's value's first word as a handle whatever it was: every
    `the` of every shown page was hidden. Now only a word a handle may be (a digit, `_`, `.` or `@` in it),
    and not what says there is none; as at the top level, where these hide nothing."""
    shown = ("Pat's repo is great; see it. Answers: none. Instagram is private. Sam uses Slack instead. Pat Public "
             "and the team met at the office. She is on it. Not yet, maybe.")
    shared = _hidden_people_view(make_journal, tmp_path, broken, [
        "contact: |\n  github: the one Pat shares\n", "contact: |\n  github: see Pat's repo\n",
        "contact: |\n  github: Pat Public (shared account)\n", "contact: |\n  telegram: Slack instead\n",
        "contact: |\n  linkedin: not yet\n", "online_presence: 'github: She is on it'\n", "contact: |\n  twitter: none\n",
        "contact: |\n  instagram: private\n"], shown)
    assert shown.lower() in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_contact_texts_bracketed_folded_or_headed_key_is_read(make_journal, tmp_path, broken):
    """helper-s55-attack3: the last key of a bracketed line kept its `}`, a folded text's middle key and a
    heading's key were not read. Each case a hidden person of its own, with a handle of its own."""
    cases = ["contact: '{github: zqalt77, telegram: HANDLE}'\n", "contact: '[github: zqalt77, telegram: HANDLE]'\n",
             "contact: |\n  (github: zqalt77; telegram: HANDLE)\n", "contact: |\n  github: zqalt77 (twitter: HANDLE)\n",
             "contact: '{\"github\": \"zq_codes42\", \"twitter\": \"HANDLE\"}'\n",
             "contact: >\n  github: zqalt77\n  twitter: HANDLE\n  phone: 030 1234567\n", "contact: |\n  ## Twitter: HANDLE\n"]
    handles = [f"zq_tw{n:02d}x" for n in range(len(cases))]
    shared = _hidden_people_view(make_journal, tmp_path, broken,
                                 [case.replace("HANDLE", handle) for case, handle in zip(cases, handles, strict=True)],
                                 " ".join(f"And {handle} too." for handle in handles))
    assert [handle for handle in handles if handle in shared] == []


def test_a_contact_text_shared_by_many_keys_through_an_alias_is_read_once():
    """A thousand `contactN: *x` keys of one aliased list were a thousand readings of it (27 KB took 1.7 s):
    ten times as many keys take about as long, not ten times."""
    import yaml

    from netjournal.unlisted import contacts_outside

    def seconds(keys: int) -> float:
        big = "[" + ", ".join(f'"a{n}: 0301{n:06d}"' for n in range(1_000)) + "]"
        data = yaml.safe_load(f"x: &x {big}\n" + "".join(f"contact{n}: *x\n" for n in range(keys)))
        return min(_seconds(lambda: contacts_outside(data)) for _ in range(3))

    assert seconds(2_000) < 4 * seconds(200)


def test_a_note_that_cannot_be_loaded_hides_contacts_past_its_thousandth_line(make_journal, tmp_path):
    """helper-s55-attack2: salvage reads a broken note's first 1,000 lines as keys; a phone, a handle and an
    address after them reached the mentor. Past them each line is read as a key and its value too."""
    fields = "".join(f"k{n}: v{n}\n" for n in range(1_000)) + "phone: 030 1234567\ngithub: zq_codes42\nemail: zq@example.org\n"
    shared = _hidden_note_view(make_journal, tmp_path, True, fields,
                               "Ring 030 1234567, see zq_codes42, mail zq@example.org.")
    assert "ring someone, see someone, mail someone." in shared


@pytest.mark.parametrize("broken", [False, True])
def test_a_handle_under_handle_username_ig_or_tg_is_hidden(make_journal, tmp_path, broken):
    """Listed open two stops running (helper-s55-attack3): `handle:`, `username:` and the short keys of
    Instagram and Telegram said no contact, at a note's top level or in a contact text, so the handle under
    them showed wherever a shown note wrote it."""
    keys = ("handle", "username", "user_name", "ig", "tg", "insta")
    fields = [f"{key}: zq_codes{n}\n" for n, key in enumerate(keys)]
    fields += [f"contact: |\n  {key}: zq_texts{n}\n" for n, key in enumerate(keys)]
    shown = " ".join(f"See zq_codes{n} and zq_texts{n} there." for n in range(len(keys)))
    view = _hidden_people_view(make_journal, tmp_path, broken, fields, shown)
    assert "zq_codes" not in view and "zq_texts" not in view


@pytest.mark.parametrize("broken", [False, True])
@pytest.mark.parametrize(("fields", "shown", "link"), [
    ("ig: zq\n", "See https://instagram.com/zq today.", "instagram.com/zq "),
    ("insta: zq\n", "See https://instagram.com/zq today.", "instagram.com/zq "),
    ("ig_handle: zq\n", "See instagram.com/zq today.", "instagram.com/zq "),
    ("tg: zx\n", "See https://t.me/zx today.", "t.me/zx "),
    ("tg: '@zx'\n", "See https://t.me/zx today.", "t.me/zx "),
    ("contact: |\n  ig: zq\n", "See https://instagram.com/zq today.", "instagram.com/zq "),
    ("contact: {tg: zx}\n", "See https://t.me/zx today.", "t.me/zx "),
])
def test_a_short_handle_under_a_profiles_short_name_hides_its_profiles_link(make_journal, tmp_path, broken, fields,
                                                                              shown, link):
    """helper-116: a handle of under three characters is looked for only in its profile's links, and `ig`,
    `insta` and `tg` named no site: Instagram's and Telegram's links of it reached the mentor."""
    assert link not in _hidden_note_view(make_journal, tmp_path, broken, fields, shown)


@pytest.mark.parametrize("broken", [False, True])
def test_handle_and_username_numbered_plural_or_with_words_around_hide_the_handle(make_journal, tmp_path, broken):
    """helper-116 and helper-117: `handle` and `username` are words that leave a profile's key that key
    (`twitter_handle`), so `work_handle` was a key of such words only."""
    cases = ["handle_2", "user_name_2", "my_handle", "work_handle", "personal_username", "Handle #2", "user handle",
             "handle_name", "handle/username", "new_handle", "old_handle", "current_handle", "public_handle",
             "handle (old)",
             # and those 688cd0c let go (helper-118)
             "account_handle", "contact_handle", "profile_handle", "handle_id", "handle (id)", "handle_account",
             "Handle (profile)", "account_username", "Profile Username", "username_id", "user name (account)",
             "handle \u2116 2", "Handle N\u00ba 2", "handle no. 2", "handle nr 2", "handle_num_2", "link_handle",
             "page_handle", "handle_address",
             # and username with a word after it, which no verb has (helper-119)
             "username_new", "Username (current)", "username_public", "user_name_new", "Username (business)",
             "handle (office)", "username_contact", "username_page"]
    fields = [f"{key}: zq_{n:02d}x\n" for n, key in enumerate(cases)]
    shown = " ".join(f"See zq_{n:02d}x." for n in range(len(cases)))
    view = _hidden_people_view(make_journal, tmp_path, broken, fields, shown)
    assert "see " in view and [key for n, key in enumerate(cases) if f"zq_{n:02d}x" in view] == []


@pytest.mark.parametrize("broken", [False, True])
def test_what_a_hidden_person_handles_is_no_handle(make_journal, tmp_path, broken):
    """helper-117, of 93f3d85: `handles: billing` says what she handles; read as a key of handles, it hid the word
    billing in every shown note (and a shown person's own `handles:` showed as a link on their page)."""
    cases = {"handles: billing": "billing", "handles_account: Acme": "acme", "handles2024: budgets": "budgets",
             "my_handles: escalations": "escalations", "handles (main): onboarding": "onboarding",
             "handle_of: complaints": "complaints", "work_handles: payroll": "payroll", "usernames: shared": "shared",
             "contact: |\n  handles: audits": "audits", "handle_page: wiki": "wiki", "handle_link: docs": "docs",
             # a verb and its object (helper-118)
             "handle_new: hires": "hires", "handle_public: press": "press", "handle_user: support": "support",
             "handle_previous: reviews": "reviews", "no_handle: mastodon": "mastodon"}
    shown = " ".join(f"Pat does {word} now." for word in cases.values())
    view = _hidden_people_view(make_journal, tmp_path, broken, [f"{fields}\n" for fields in cases], shown)
    assert [word for word in cases.values() if f"pat does {word} now." not in view] == []
    from netjournal.engine import build_site

    files = {"people/pat.md": "---\nname: Pat Public\nhandles: billing\nhandle_of: complaints\n---\nPat.\n"}
    owner = output_bytes(build_site(make_journal(files), TODAY, tmp_path / "owner").out).decode()
    assert "handle: billing" not in owner and "handle: complaints" not in owner
