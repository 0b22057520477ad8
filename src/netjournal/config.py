"""netjournal.toml -> a frozen Config plus findings, all problems reported in one pass (like MkDocs)."""
from __future__ import annotations

import difflib
import hashlib
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import read_regular_file
from .findings import CODES, Finding, Source
from .paths import CONFIG_NAME
from .redact import tag_key
from .values import ValueProblem, parse_duration

CONFIG_LIMIT = 1024 * 1024  # a settings file; anything larger is not one


def real_output(out: Path) -> Path:
    """The output folder OUT names, absolute. A symlink is followed: the folder it points at is the output
    (and is checked as one); replacing the link with a folder would leave that folder stale and the link
    astray."""
    return Path(os.path.realpath(out)) if os.path.islink(out) else Path(os.path.abspath(out))


def path_tag(path: Path) -> str:
    """A short name for a folder (a journal, an output) in file names in the cache folder."""
    return hashlib.sha256(os.path.realpath(path).encode("utf-8")).hexdigest()[:12]


REDACTABLE = ("aliases", "org", "role", "email", "phone", "links", "location", "met", "body")


@dataclass(frozen=True)
class Audience:
    """Who a build is for. The owner sees everything; any other audience fails closed."""

    name: str
    exclude_private: bool = True
    redact: frozenset[str] = frozenset()  # person fields left out
    exclude_tags: frozenset[str] = frozenset()  # people with these tags, interactions with these topics (tag_key)
    problems: tuple[str, ...] = ()  # settings that could not be read exactly: nothing is built for it then

    @property
    def is_owner(self) -> bool:
        return self.name == OWNER


OWNER = "owner"
#: Asks that are blank checks (`vague-ask`), compared without case, punctuation or filler words
VAGUE_ASKS = ("help", "any advice", "advice", "support", "anything you can do", "whatever you can", "a favour",
              "a favor", "a hand", "input", "thoughts", "ideas", "guidance", "a chat", "help with anything")


@dataclass(frozen=True)
class Config:
    """Settings with their defaults; every duration is in days."""

    owner: str = ""
    title: str = "Network journal"
    default_cadence: int = 90
    tag_cadences: tuple[tuple[str, int], ...] = ()
    reciprocity_window: int = 180
    reciprocity_threshold: int = 3
    favour_grace: int = 90  # a favour received is "give back" after this long
    thanks_grace: int = 7  # an introduction, referral or interview help is "thanks owed" after this long
    narrow_after: int = 4
    due_soon: int = 7
    undated_due: int = 14  # a follow-up without a due date is due once it has been open this long
    # a first interaction of these kinds, or with someone with these tags, may ask: a new job's 1:1s
    cold_ask_exempt_kinds: frozenset[str] = frozenset({"onboarding"})
    cold_ask_exempt_tags: frozenset[str] = frozenset({"manager", "team"})
    cold_ask_expires: int = 60  # a cold ask older than this is history, not a warning
    # people with these tags are exempt from the give-and-take balance: with a manager the work is the give
    reciprocity_exempt_tags: frozenset[str] = frozenset({"manager"})
    # a stakeholder map's roles besides the built-in ones; and the roles `goal-decider-cold` watches
    extra_roles: tuple[str, ...] = ()
    key_roles: frozenset[str] = frozenset({"decider", "gatekeeper"})
    # `vague-ask`: asks that are these phrases, or shorter than this many words that say something
    vague_asks: tuple[str, ...] = VAGUE_ASKS
    ask_min_words: int = 2
    # congratulations are suggested for changes of these kinds, for at most this many days after the change
    congratulate_kinds: frozenset[str] = frozenset({"promotion", "new-job"})
    congratulate_within: int = 90
    site_output: str = "_site"
    ignore_codes: frozenset[str] = field(default_factory=frozenset)
    audiences: tuple[Audience, ...] = ()

    def audience(self, name: str) -> Audience | None:
        """The named audience; `owner` is built in. A name used without a table gets the safe defaults."""
        if name == OWNER:
            return Audience(OWNER, exclude_private=False)
        return next((a for a in self.audiences if a.name == name), None)

    def tag_cadence(self, tag: str) -> int | None:
        for name, days in self.tag_cadences:
            if name == tag.casefold():
                return days
        return None


def _shown(value: Any) -> str:
    """VALUE as a message shows it: a TOML string, list or table, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueProblem(f"expected a string, got {value!r}")
    return value


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10_000:
        raise ValueProblem(f"expected a whole number from 1 to 9999, got {value!r}")
    return value


def _duration(value: Any) -> int:
    return parse_duration(value)


def _codes(value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueProblem(f"expected a list of finding codes, got {value!r}")
    unknown = [v for v in value if v not in CODES]
    if unknown:
        raise ValueProblem(f"unknown finding {'code' if len(unknown) == 1 else 'codes'}: {', '.join(unknown)}")
    return frozenset(value)


def _words(value: Any) -> frozenset[str]:
    """A list of kinds or tags, compared as notes have them: case folded, a tag's leading # dropped."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueProblem(f"expected a list of strings, got {value!r}")
    return frozenset(v.strip().lstrip("#").casefold() for v in value if v.strip().lstrip("#"))


def _roles(value: Any) -> tuple[str, ...]:
    """More stakeholder roles, compared as goal notes have them: case folded."""
    return tuple(sorted(_words(value)))


def _phrases(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueProblem(f"expected a list of phrases, got {value!r}")
    return tuple(v.strip() for v in value if v.strip())


def _change_kinds(value: Any) -> frozenset[str]:
    from .records import CHANGE_KINDS

    kinds = _words(value)
    unknown = sorted(kinds - set(CHANGE_KINDS))
    if unknown:
        kinds_word = "kind" if len(unknown) == 1 else "kinds"
        raise ValueProblem(f"unknown {kinds_word} {', '.join(unknown)}; known: {', '.join(CHANGE_KINDS)}")
    return kinds


def _relative_folder(value: Any) -> str:
    text = _str(value)
    if not text.strip():
        raise ValueProblem("expected a folder name, got an empty string")
    return text


# section -> key -> (Config attribute, parser). [cadence.tags] is handled on its own.
_SCHEMA: dict[str, dict[str, tuple[str, Callable[[Any], Any]]]] = {
    "journal": {"owner": ("owner", _str), "title": ("title", _str)},
    "cadence": {"default": ("default_cadence", _duration)},
    "reciprocity": {"window": ("reciprocity_window", _duration),
                    "threshold": ("reciprocity_threshold", _positive_int),
                    "grace": ("favour_grace", _duration),
                    "thanks_grace": ("thanks_grace", _duration),
                    "narrow_after": ("narrow_after", _positive_int),
                    "exempt_tags": ("reciprocity_exempt_tags", _words),
                    "cold_ask_exempt_kinds": ("cold_ask_exempt_kinds", _words),
                    "cold_ask_exempt_tags": ("cold_ask_exempt_tags", _words),
                    "cold_ask_expires": ("cold_ask_expires", _duration)},
    "follow_ups": {"soon": ("due_soon", _duration), "undated_due": ("undated_due", _duration)},
    "goals": {"roles": ("extra_roles", _roles), "key_roles": ("key_roles", _words)},
    "asks": {"vague": ("vague_asks", _phrases), "min_words": ("ask_min_words", _positive_int)},
    "congratulations": {"kinds": ("congratulate_kinds", _change_kinds), "within": ("congratulate_within", _duration)},
    "site": {"output": ("site_output", _relative_folder)},
    "checks": {"ignore": ("ignore_codes", _codes)},
}
_AUDIENCE_KEYS = {"exclude_private", "redact", "exclude_tags"}


def _did_you_mean(name: str, known: Iterable[str], form: str = "{}") -> str:
    """`; did you mean window?` for a key NAME that is not one of KNOWN, if one is spelled close to it."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean {form.format(close[0])}?" if close else ""


def _line_of(text: str, section: str, key: str | None) -> int | None:
    """The line of `key = …` inside `[section]` (or of the header when key is None); tomllib gives none."""
    lines = text.splitlines()
    header = re.compile(r"^\s*\[\s*" + re.escape(section).replace(r"\.", r"\s*\.\s*") + r"\s*\]")
    start = None
    for number, line in enumerate(lines, 1):
        if header.match(line):
            start = number
            if key is None:
                return number
            continue
        if start is not None:
            if re.match(r"^\s*\[", line):
                start = None
            elif key is not None and re.match(r"^\s*" + re.escape(key) + r"\s*=", line):
                return number
    return start


def parse_config(text: str, path: str = CONFIG_NAME) -> tuple[Config, list[Finding]]:
    """Parse the text of netjournal.toml. Bad values keep their defaults and give one finding each."""
    findings: list[Finding] = []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        findings.append(Finding("config-invalid", f"netjournal.toml does not parse: {exc}",
                                Source(path, int(match.group(1)) if match else None)))
        return Config(), findings

    values: dict[str, Any] = {}
    for section, table in data.items():
        if section == "audience":
            values["audiences"] = _audiences(table, text, path, findings)
            continue
        if section not in _SCHEMA:
            findings.append(Finding("config-unknown-key", f"unknown section [{section}]"
                                    f"{_did_you_mean(section, [*_SCHEMA, 'audience'], '[{}]')}",
                                    Source(path, _line_of(text, section, None))))
            continue
        if not isinstance(table, dict):
            findings.append(Finding("config-invalid", f"{section} should be a [{section}] table",
                                    Source(path, None)))
            continue
        for key, value in table.items():
            where = Source(path, _line_of(text, section, key))
            if section == "cadence" and key == "tags":
                values["tag_cadences"] = _tag_cadences(value, text, path, findings)
                continue
            if key not in _SCHEMA[section]:
                findings.append(Finding("config-unknown-key", f"unknown key {section}.{key}"
                                        f"{_did_you_mean(key, _SCHEMA[section])}", where))
                continue
            attribute, parser = _SCHEMA[section][key]
            try:
                values[attribute] = parser(value)
            except ValueProblem as exc:
                findings.append(Finding("config-invalid", f"{section}.{key}: {exc}; using the default", where))
    return Config(**values), findings


def _tag_cadences(value: Any, text: str, path: str, findings: list[Finding]) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, dict):
        findings.append(Finding("config-invalid", "cadence.tags should be a table of tag = duration",
                                Source(path, _line_of(text, "cadence.tags", None))))
        return ()
    result = []
    for tag, duration in value.items():
        try:
            result.append((tag.casefold(), parse_duration(duration, allow_none=True)))
        except ValueProblem as exc:
            findings.append(Finding("config-invalid", f"cadence.tags.{tag}: {exc}; tag ignored",
                                    Source(path, _line_of(text, "cadence.tags", tag))))
    return tuple(result)


def _audiences(value: Any, text: str, path: str, findings: list[Finding]) -> tuple[Audience, ...]:
    """[audience.NAME] tables. A bad value makes that setting its safest form, never the laxest."""
    if not isinstance(value, dict):
        findings.append(Finding("config-invalid", "audience should be tables like [audience.mentor]",
                                Source(path, _line_of(text, "audience", None))))
        return ()
    result = []
    for name, table in value.items():
        section = f"audience.{name}"
        if name == OWNER or not isinstance(table, dict):
            problem = "owner is built in" if name == OWNER else "not a table"
            findings.append(Finding("config-invalid", f"[{section}]: {problem}",
                                    Source(path, _line_of(text, section, None))))
            continue
        exclude_private, redact, tags = True, set(), set()
        problems = []
        for key, item in table.items():
            where = Source(path, _line_of(text, section, key))
            if key not in _AUDIENCE_KEYS:  # a typo of exclude_tags would publish whom it meant to keep out
                close = difflib.get_close_matches(key, sorted(_AUDIENCE_KEYS), n=1, cutoff=0.6)
                problems.append(f"unknown key {section}.{key}" + (f" (did you mean {close[0]}?)" if close else ""))
                findings.append(Finding("config-invalid", f"{problems[-1]}; nothing is built for this audience "
                                        "until it is fixed", where))
            elif key == "exclude_private":
                if item is not False and item is not True:
                    findings.append(Finding("config-invalid", f"{section}.exclude_private: expected true or "
                                            "false; private notes stay excluded", where))
                exclude_private = item is not False
            elif key == "redact":
                if not isinstance(item, list) or not all(isinstance(v, str) for v in item):
                    findings.append(Finding("config-invalid", f"{section}.redact: expected a list of field names, "
                                            f"got {_shown(item)}; redacting all of them", where))
                    redact = set(REDACTABLE)  # unreadable redaction list: redact everything redactable
                    continue
                unknown = [v for v in item if v not in REDACTABLE]
                if unknown:  # a typo must not un-redact a field: redact them all until it is fixed
                    fields_word = "field" if len(unknown) == 1 else "fields"
                    findings.append(Finding("config-invalid", f"{section}.redact: unknown {fields_word} "
                                            f"{', '.join(unknown)}; known: {', '.join(REDACTABLE)}; redacting "
                                            "all of them", where))
                redact = set(REDACTABLE) if unknown else set(item)
            else:  # exclude_tags: whom it meant cannot be guessed, so nothing is built until it is readable
                keys = [tag_key(v) for v in item] if isinstance(item, list) and all(isinstance(v, str) for v in item) \
                    else None
                if keys is None or not all(keys):
                    problems.append(f"{section}.exclude_tags: expected a list of tags such as [\"confidential\"], "
                                    f"got {_shown(item)}")
                    findings.append(Finding("config-invalid", f"{problems[-1]}; nothing is built for this audience "
                                            "until it is fixed", where))
                else:
                    tags = set(keys)
        result.append(Audience(name, exclude_private, frozenset(redact), frozenset(tags), tuple(problems)))
    return tuple(result)


def load_config(root: Path) -> tuple[Config, list[Finding]]:
    """Read ROOT/netjournal.toml if there is one; a journal without it uses the defaults."""
    path = root / CONFIG_NAME
    try:
        raw = read_regular_file(path, CONFIG_LIMIT)
    except FileNotFoundError:
        return Config(), []
    except OSError as exc:
        return Config(), [Finding("config-invalid", f"cannot read netjournal.toml: {exc.strerror}",
                                  Source(CONFIG_NAME))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Config(), [Finding("config-invalid", "netjournal.toml is not UTF-8", Source(CONFIG_NAME))]
    return parse_config(text)


def is_journal(folder: Path) -> bool:
    """Does FOLDER hold a journal (netjournal.toml, people/ or interactions/)?"""
    return (folder / CONFIG_NAME).is_file() or (folder / "people").is_dir() or (folder / "interactions").is_dir()


def find_journal(start: Path) -> Path | None:
    """START if it is a journal, else the nearest folder above it that is, as git finds its repository;
    None when there is none up to the root."""
    if is_journal(start):
        return start
    for folder in Path(os.path.abspath(start)).parents:
        if is_journal(folder):
            return folder
    return None
