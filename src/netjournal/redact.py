"""Names found in text as a reader sees it, and replaced: how shared views hide people.

A reader does not see a note's characters. Markdown emphasis, escapes and brackets, HTML entities, soft
hyphens and zero-width characters vanish; a line break, a tab or a non-breaking space reads as a space;
`Ｚ` reads as `Z`, `’` as `'`; case does not matter, nor do accents (a name is often typed without them;
a short one is found only written with some: NameMatcher's `accented`). `reader_text` maps text to that reading:
Unicode NFKD, case-folded, white space as spaces, Markdown's markup as NUL (read through inside a name, a
word boundary at its edges), invisible characters and accents as \x01 (read through everywhere),
entities decoded; and it keeps what maps each offset back to the text. `NameMatcher` finds names in the reading with one
regular expression shaped as a trie of the names (possessive quantifiers, so each position follows at
most one path through it: time linear in the text's length for a given set of names), and `redact`
replaces the text each match was read from.

Word boundaries count where words are separated by spaces: `Al` is not found in `Albert`. In scripts
written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar, Tibetan) and in
Korean (whose particles attach to names) a name is found inside a run of text, and a name written with
a space there is also found without it.
"""
from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter
from urllib.parse import unquote

SOMEONE = "someone"

# Ignorable characters a reader does not see (Unicode's default-ignorable code points, roughly)
# and Arabic's tatweel (ـ, which only draws a letter out) and the interlinear annotation characters
_INVISIBLE_RANGES = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x0640, 0x0640), (0x115F, 0x1160),
                     (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F),
                     (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB),
                     (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF))
# Scripts written without spaces between words, and Hangul (whose particles attach to names)
_NOSPACE = ("\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u3040-\u30ff\u3130-\u318f"
            "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff"
            "\uff66-\uff9f\U00020000-\U0003ffff")
_NOSPACE_CHAR = re.compile(f"[{_NOSPACE}]")
# Markdown's markup characters: read through (a reader sees `**Zelda** Q` as `Zelda Q`)
_MARKUP = "*_~`\\[]"
# Written between the parts of a name, read as the space between them: `zelda.quokkason@…`, `zelda-q`,
# `?q=zelda+quokkason`, a table's `| Zelda | Quokkason |`
_SEPARATORS = " \x00\x01.-/@|+"
#: Characters a reader takes for an apostrophe (O’Brien, dʼArcy): read as `'`
_APOSTROPHE_LIKE = "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02bb\uff07\u00b4"
# Combining overline, low lines, overlays (tilde, strokes, solidi), double overline, and the marks for
# symbols (enclosing circle, square, keycap …)
_DECORATIONS = (0x0305, 0x0332, 0x0333, *range(0x0334, 0x0339), 0x033F, *range(0x20D0, 0x20F1))
# The combining diacritical marks (what NFKD makes of é, ñ, ö, ș …), Hebrew's points and accents, and
# Arabic's vowel marks (not their punctuation)
_ACCENTS = (*range(0x0300, 0x0370), *range(0x0591, 0x05BE), 0x05BF, 0x05C1, 0x05C2, 0x05C4, 0x05C5, 0x05C7,
            *range(0x064B, 0x0660), 0x0670)


def _table() -> dict[int, str]:
    """What str.translate makes of each character that reads otherwise, one for one (offsets stay)."""
    table: dict[int, str] = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    table.update({ord(c): "\x00" for c in _MARKUP})
    for start, end in (*_INVISIBLE_RANGES, (0x00, 0x08), (0x0E, 0x1B), (0x7F, 0x84), (0x86, 0x9F)):
        table.update({cp: "\x01" for cp in range(start, end + 1)})
    for space in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000":
        table[ord(space)] = " "
    table.update({cp: " " for cp in (*range(0x2000, 0x200B), 0x2800)})  # and the braille blank
    # the middle dots written between the parts of a name in Japanese (・) and Chinese (·) read as a dot
    table.update({ord(c): "." for c in "\u00b7\u2027\u2e31\u30fb\uff65"})
    table.update({ord(c): "'" for c in _APOSTROPHE_LIKE})
    table.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\uff02\u00ab\u00bb"})
    table.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"})
    # Turkish case: "İPEK" is "ipek" in lower case and "YILMAZ" is "yılmaz". Unicode folds İ to i and a
    # combining dot above, and I to i, never to ı: the dot above is read through (so ė, ż read as e, z too)
    # and ı reads as i, so that no spelling of such a name in either case hides it from the matcher
    table[0x0307] = "\x01"
    table[0x0131] = "i"
    # Marks that decorate a letter without changing which letter it is (struck through, underlined,
    # overlined, slashed, circled: what "fancy text" generators put on every letter) read through
    table.update({cp: "\x01" for cp in _DECORATIONS})
    # Accents are read through: a name is often typed without them (`Jose Nunez` for José Núñez, `Nguyen`,
    # `Zoe`; Ș and Ț written with a cedilla on older keyboards), and so are Hebrew and Arabic vowel points,
    # mostly left out; the letters Unicode does not decompose read as their base letter (`Lukasz`, `Oystein`)
    table.update({cp: "\x01" for cp in _ACCENTS})
    table.update({ord(c): base for c, base in zip("łøđħŧƀƚȥɨ", "lodhtblzi", strict=True)})
    return table


_TABLE = _table()
#: What a reader does not see (_INVISIBLE_RANGES), left out: str.translate's table
_UNSEEN: dict[int, None] = {cp: None for start, end in _INVISIBLE_RANGES for cp in range(start, end + 1)}


def visible(text: str) -> str:
    """TEXT without what a reader does not see (a zero-width space, a soft hyphen, a word joiner), as a handle
    copied from a page may hold (`zq\u200b_codes42` is `zq_codes42`: privacy-s55)."""
    return text if text.isascii() else text.translate(_UNSEEN)
# Marks read through that stay on the last letter of a name found (an accent, a strike …): replaced with it
_TRAILING_MARKS = frozenset(chr(cp) for cp in (*_ACCENTS, *_DECORATIONS))
# A mark written as an entity or a percent-escape (`&#776;`, `%CC%81`)
_ESCAPED_MARK = re.compile(r"&#(?:[0-9]{1,7}|[xX][0-9a-fA-F]{1,6});|(?:%[0-9A-Fa-f]{2}){2}")
_QUOTE_MARKERS = re.compile(r"(?m)^[ \t]*(?:>[ \t]?)+")  # indented too: a quote inside a list item
# A reader sees the text of an HTML tag (raw HTML is shown as text) and the text of a link, not where it
# goes (its destination and title, its reference label, an image's `!`): both readings are searched (see
# reader_text's `markup`)
_TAGS_AND_DESTINATIONS = re.compile(r"<[^<>\n]{0,300}>|\]\([^()\n]{0,2000}\)|\]\[[^\[\]\n]{0,999}\]|!(?=\[)")
# Entities, percent-escapes and punycode labels (a URL shown decoded, as in an autolink, or read as it would
# be) and non-ASCII
_TO_FOLD = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
                      r"|%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2}|[0-9A-Fa-f])*"  # with hex digits after: `%2520`
                      r"|(?<![a-z0-9-])xn--[a-z0-9-]{1,59}|[^\x00-\x7f]+")


def _unescaped(escapes: str) -> str:
    """Percent-escapes decoded, and again while that leaves escapes (`%2520` is `%20` shown, a space read)."""
    for _ in range(3):
        decoded = unquote(escapes, errors="replace")
        if decoded == escapes:
            break
        escapes = decoded
    return escapes


def _punycode(label: str) -> str:
    """An internationalized domain's label (`xn--jos-nez-dya8e9d`) as it is shown (`josé-núñez`)."""
    try:
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label


def has_markup(text: str) -> bool:
    """Might TEXT hold what _TAGS_AND_DESTINATIONS reads through?"""
    return "<" in text or "](" in text or "][" in text or "![" in text


@cache
def _fold_char(char: str) -> str:
    """One character as a reader compares it: NFKD, case-folded (Unicode's caseless matching), accents read
    through (_table)."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())
    return folded.translate(_TABLE)


@dataclass(frozen=True)
class Reading:
    """TEXT as a reader sees it, and how its offsets map back: each edit is (reading start, reading end,
    text start, text end) of a stretch whose length differs; elsewhere offsets shift by the edits before."""

    text: str
    edits: tuple[tuple[int, int, int, int], ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the reading's [START, END) was read from."""
        if not self.edits:
            return start, end
        # bisected by their reading start in place: a list of the starts made per match was quadratic in a
        # text of many matches and escapes (2 MB: 287 s)
        index = bisect.bisect_right(self.edits, start, key=_reading_start) - 1
        if index >= 0:
            _, read_end, text_start, text_end = self.edits[index]
            start = text_start if start < read_end else text_end + (start - read_end)
        last = end - 1
        index = bisect.bisect_right(self.edits, last, key=_reading_start) - 1
        if index >= 0:
            _, read_end, _, text_end = self.edits[index]
            end = text_end if last < read_end else text_end + (last - read_end) + 1
        return start, end


_reading_start = itemgetter(0)


@lru_cache(maxsize=4)  # a text is read by a matcher of names, then (unchanged, most often) by one of words
def reader_text(text: str, markup: bool = True) -> Reading:
    """TEXT as a reader sees it (see the module's docstring). With MARKUP false, HTML tags and link
    destinations are read through too (the text a browser shows), else they are read as text."""
    if ">" in text:
        text = _QUOTE_MARKERS.sub(lambda m: " " * len(m.group(0)), text)  # a quote's `>` reads as a space
    if not markup and has_markup(text):
        # markup, read through inside a name and a word boundary at its edges: `*` reads as \x00 (NUL itself
        # reads as an invisible character, which a name may begin after: it would take the tag with it)
        text = _TAGS_AND_DESTINATIONS.sub(lambda m: "*" * len(m.group(0)), text)
    written = text  # entities are decoded as written (`&Idot;` is İ; lowered, `&idot;` is no entity)
    text = text.translate(_TABLE)
    if text.isascii() and "&" not in text and "%" not in text and "xn--" not in text:
        return Reading(text, ())
    edits: list[tuple[int, int, int, int]] = []
    shift = 0  # the reading's length less the text's, so far

    def fold(match: re.Match) -> str:
        nonlocal shift
        found, start = match.group(0), match.start()
        if found[0] in "&%x":
            entity = written[start:match.end()]
            decoded = (html.unescape(entity) if found[0] == "&" else _unescaped(found)
                       if found[0] == "%" else _punycode(found))
            if decoded == entity:
                return found
            out = "".join(_fold_char(c) for c in decoded)
            edits.append((start + shift, start + shift + len(out), start, start + len(found)))
            shift += len(out) - len(found)
            return out
        pieces = [_fold_char(c) for c in found]
        if all(len(piece) == 1 for piece in pieces):
            return "".join(pieces)
        for offset, piece in enumerate(pieces):
            if len(piece) != 1:
                at = start + offset
                edits.append((at + shift, at + shift + len(piece), at, at + 1))
                shift += len(piece) - 1
        return "".join(pieces)

    read = _TO_FOLD.sub(fold, text)
    if not read.isascii():  # marks in the order Unicode puts them in: `ặ` typed as a, breve, dot below
        read = _mark_runs().sub(_in_canonical_order, read)
    return Reading(read, tuple(edits))


@cache
def readings(text: str) -> list[Reading]:
    """TEXT as a reader reads it, markup read as text (a link's destination is text too); and, when it has
    markup, read through (the text a browser shows): what is hidden is looked for in both."""
    return [reader_text(text), *([reader_text(text, markup=False)] if has_markup(text) else [])]


def _mark_runs() -> re.Pattern:
    return re.compile(f"[{marks()}]{{2,}}")


def _in_canonical_order(run: re.Match) -> str:
    """Unicode's canonical ordering of a run of marks (which normalizing the text would do, but the text
    is read a character at a time): between marks of class 0, sorted by class, stably. Offsets stay."""
    marks, ordered = run.group(0), []
    segment: list[str] = []
    for mark in marks:
        if unicodedata.combining(mark):
            segment.append(mark)
            continue
        ordered += sorted(segment, key=unicodedata.combining)
        segment = []
        ordered.append(mark)
    ordered += sorted(segment, key=unicodedata.combining)
    return "".join(ordered)


def reading_of_name(name: str) -> str:
    """A name as the matcher looks for it: read as text is, markup dropped, each run of separators (white
    space, `.`, `-`, `/`, `@`) one space, since a reader takes any of them between its parts for the name."""
    return re.sub(r"[ .\-/@]+", " ", reader_text(name).text.replace("\x00", "").replace("\x01", "")).strip()


@cache
def marks() -> str:
    """Combining marks (Mn, Mc, Me) of the Basic Multilingual Plane as a character-class body: a mark continues
    a word. (Within the plane the class is one table look-up; the marks of other planes are rare in names.)"""
    ranges: list[list[int]] = []
    for cp in range(0x10000):
        if unicodedata.category(chr(cp))[0] == "M" and not (0xFE00 <= cp <= 0xFE0F):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)


def _spaced_word_char(char: str) -> bool:
    """A letter or digit of a script that separates words with spaces (a word boundary counts there)."""
    return (char.isalnum() or unicodedata.category(char)[0] == "M") and _NOSPACE_CHAR.match(char) is None


class NameMatcher:
    """Finds any of NAMES in text as a reader sees it (see the module's docstring). With WORDS false, also
    inside words: for ids and file names, where `zeddys-assistant` names Zeddy."""

    def __init__(self, names: Iterable[str], words: bool = True, capitalised: bool = False,
                 accented: Iterable[str] = ()) -> None:
        self.names = tuple(sorted({r for r in map(reading_of_name, names) if r}))
        # ACCENTED names are found only where written with an accent, whichever: `Tô`, `TÔ` or `Tồ`, never
        # `To` (redaction._found_with_accents says which names are). Their own patterns: a match of one
        # written without takes no text from another name (`Le An Smith` holds `An Smith`)
        self.accented = tuple(sorted({r for r in map(reading_of_name, accented) if r} - set(self.names)))
        self.words = words
        self.capitalised = capitalised  # only where the name's first letter is written in capitals (`Will`)
        self._patterns: dict[bool, tuple[re.Pattern, ...]] = {}

    def patterns(self, accented: bool = False) -> tuple[re.Pattern, ...]:
        """The patterns finding the names (ACCENTED: the accented ones), compiled on first use (a matcher no
        text is given costs nothing)."""
        if accented not in self._patterns:
            names = self.accented if accented else self.names
            self._patterns[accented] = _compiled(names, self.words) if names else ()
        return self._patterns[accented]

    def _matches(self, text: str) -> Iterator[tuple[Reading, re.Match, bool]]:
        """(reading, match, of an accented name) for each match in TEXT."""
        if not text:
            return
        for reading in readings(text):
            for accented in (False, True):
                for pattern in self.patterns(accented):
                    for match in pattern.finditer(reading.text):
                        yield reading, match, accented

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The spans of TEXT that read as one of the names, in order, not overlapping; each grown over the
        markup delimiters next to it that it contains some of (so `**Zelda** Q` goes whole)."""
        found: list[tuple[int, int]] = []
        for reading, match, accented in self._matches(text):
            start, end = reading.span(*match.span())
            while end < len(text):  # marks on the name's last letter go with it, as written or escaped
                if text[end] in _TRAILING_MARKS:
                    end += 1
                elif (escaped := _ESCAPED_MARK.match(text, end)) and all(
                        mark in _TRAILING_MARKS for mark in unquote(html.unescape(escaped.group(0)))):
                    end = escaped.end()
                else:
                    break
            inside = {c for c in text[start:end] if c in "*_~`"}
            while start > 0 and text[start - 1] in inside:
                start -= 1
            while end < len(text) and text[end] in inside:
                end += 1
            if self.capitalised and not _capitalised(text[start:end]):
                continue
            if accented and not has_accent(text[start:end]):
                continue
            found.append((start, end))
        return _merged(found)

    def search(self, text: str) -> bool:
        """Does TEXT read as containing one of the names?"""
        if self.accented:  # how a match of an accented name is written counts (spans)
            return bool(self.spans(text))
        return next(self._matches(text), None) is not None

    def redact(self, text: str, replacement: str = SOMEONE) -> str:
        """TEXT with every stretch that reads as one of the names replaced by REPLACEMENT."""
        spans = self.spans(text)
        if not spans:
            return text
        pieces, position = [], 0
        for start, end in spans:
            pieces.append(text[position:start])
            pieces.append(replacement)
            position = end
        pieces.append(text[position:])
        return "".join(pieces)


def has_accent(written: str) -> bool:
    """Does WRITTEN, a stretch of text as a reader sees it (entities and escapes decoded), hold a letter
    with an accent, or one ASCII has not (`ł`, `ı`)? Not a space, a quote, an invisible character, nor a
    modifier letter (`ʻ` of `Noʻe`, written `No’e` as often)."""
    if "xn--" in written:
        return True
    decoded = unicodedata.normalize("NFKD", unquote(html.unescape(written)))
    return any(ord(char) > 127 and (unicodedata.category(char) in _ACCENTED_LETTERS or unicodedata.combining(char))
               for char in decoded)


_ACCENTED_LETTERS = ("Lu", "Ll", "Lt", "Lo")  # not Lm, the modifier letters


#: Between a name's parts: d'Arcy is written with a capital, after its particle
_APOSTROPHES = re.compile(f"['{_APOSTROPHE_LIKE}]")


def _capitalised(text: str) -> bool:
    """Is TEXT, a name as written, capitalised: one of its parts begins with a capital (`Zelda`, `d'Arcy`)?"""
    return any(_written_capital(_first_letter(part)) for part in _APOSTROPHES.split(text))


def _written_capital(letter: str) -> bool:
    """Is LETTER as a name begins: a capital, or a letter of a script without capitals (田, ز)?"""
    return letter.isupper() or letter.istitle() or (letter != "" and letter.lower() == letter.upper())


def _first_letter(text: str) -> str:
    """TEXT's first letter as a reader sees it (`&#90;elda` and `%5aelda` begin with Z), or ""."""
    return next((c for c in unquote(html.unescape(text)) if c.isalpha()), "")


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=8)  # an audience's build makes a few matchers of the same names (redaction.Redaction)
def _compiled(names: tuple[str, ...], words: bool) -> tuple[re.Pattern, ...]:
    """NAMES (sorted) as one trie pattern; or, where they nest too deeply for the regular expression
    compiler (hundreds of names each a prefix of the next), the patterns of each half, and so on: a few
    tries of names that share beginnings, each as quick to match as one, never a pattern per name (600
    names `x` … `x`*600 made that a 6 MB pattern, 18 s to compile and 90 µs a character to match)."""
    return tuple(_halved(names, words))


def _halved(names: tuple[str, ...], words: bool) -> list[re.Pattern]:
    try:
        return [re.compile(_trie_pattern(names, words))]
    except (RecursionError, re.error, OverflowError):
        if len(names) == 1:  # a name too long to compile at all: its first 200 characters are found
            return [re.compile(_trie_pattern((names[0][:200],), words))]
        half = len(names) // 2
        return _halved(names[:half], words) + _halved(names[half:], words)


_END = ""  # the key of a trie node where a name ends


def _trie_pattern(names: Iterable[str], words: bool = True) -> str:
    """One regular expression finding NAMES (readings) in a reading: a trie, so that the names sharing a
    beginning are tried together, with possessive quantifiers only (no backtracking into them). With WORDS,
    only where a word begins and ends: the boundary before a name is looked at after its first character
    (a lookbehind of two characters), once per first character; the one after it once, after the trie
    (which, if it fails, gives back the longest name for a shorter one)."""
    word = rf"\w{marks()}"
    separators = f"[{re.escape(_SEPARATORS)}]"
    trie: dict = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[_END] = {}

    def edge(char: str, previous: str, following: str) -> str:
        if char == " ":  # optional beside characters of scripts written without spaces
            optional = _NOSPACE_CHAR.match(previous) or _NOSPACE_CHAR.match(following)
            return separators + ("*+" if optional else "++")
        if char == "'":  # O'Brien, O’Brien, O`Brien and OBrien
            return r"[\x00\x01']*+"
        return r"[\x00\x01]*+" + re.escape(char)

    def branch(node: dict, previous: str) -> str:
        """The pattern of what follows PREVIOUS at NODE; chains of one character are followed in a loop."""
        chain = []
        while len(node) == 1 and _END not in node:
            ((char, child),) = node.items()
            chain.append(edge(char, previous, _first(child)))
            node, previous = child, char
        options = [edge(char, previous, _first(child)) + branch(child, char)
                   for char, child in sorted(node.items()) if char != _END]
        if _END in node:
            options.append("")
        body = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
        return "".join(chain) + body

    # Most positions are passed over at a glance: the pattern begins with one of a few characters. A name
    # may begin after invisible characters, which then begin the match.
    guarded, after_invisible = [], []
    for char, child in sorted(trie.items()):
        start, rest = re.escape(char), branch(child, char)
        guard = (rf"(?:(?<![{word}\x01]{start})|(?<=[{_NOSPACE}]{start}))" if words and _spaced_word_char(char)
                 else "")
        guarded.append(start + guard + rest)
        after_invisible.append(start + rest)
    invisible = rf"\x01(?<![{word}\x01]\x01)" if words else r"\x01(?<!\x01\x01)"
    found = "(?:" + "|".join(guarded) + rf"|{invisible}\x01*+(?:" + "|".join(after_invisible) + "))"
    if not words:
        return found
    # after the name: not a letter of a spaced script (skipping invisible characters), unless the name
    # ends with no such letter
    return found + rf"(?:(?<![{word}])|(?<=[{_NOSPACE}])|(?=\x01*+(?:\Z|[^{word}\x01]|[{_NOSPACE}])))"


def _first(node: dict) -> str:
    """The first character of some name continuing at NODE (for the separator rule), or ""."""
    return next((char for char in node if char != _END), "")


_DROP_INVISIBLE = {cp: None for start, end in _INVISIBLE_RANGES for cp in range(start, end + 1)}


def tag_key(text: str) -> str:
    """A tag as tags compare, in notes and in an audience's `exclude_tags`: NFKC, invisible characters
    dropped, each run of white space one space, a leading `#` and the white space around it dropped, case
    folded (`" #Confidential"`, `"confidential"` and `"ＣＯＮＦＩＤＥＮＴＩＡＬ"` are one tag)."""
    text = " ".join(unicodedata.normalize("NFKC", text).translate(_DROP_INVISIBLE).split())
    return text.lstrip("#").strip().casefold()


_TAG_PARTS = re.compile(r"[/;,#\s|+.:\\&\-\u2044\u2215]+")


def tag_readings(tags: Iterable[str]) -> set[str]:
    """TAGS as an audience's `exclude_tags` look at them: each as tag_key reads it, and each of its parts
    (an Obsidian nested tag `confidential/hr`, tags run together in one: `#confidential #hr`), fail closed."""
    readings: set[str] = set()
    for tag in tags:
        read = tag_key(tag)  # its parts are read already: folded, no invisible characters, split at white space
        readings.update((read, *_TAG_PARTS.split(read)))
    readings.discard("")
    return readings
