"""Small value parsers shared by the config and the notes: durations (cadences) and dates."""
from __future__ import annotations

import calendar
import datetime as dt
import json
import re

_DURATION = re.compile(r"^\s*(\d{1,5})\s*([dwmy]?)\s*$", re.IGNORECASE)
_DAYS_PER_UNIT = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}

#: `cadence: none` means "never remind me about this person".
NO_CADENCE = 0


class ValueProblem(ValueError):
    """A value that cannot be read; the message is shown to the user as is."""


def parse_duration(value: object, *, allow_none: bool = False) -> int:
    """`14d`, `6w`, `3m`, `1y` or a number of days -> days. `none` -> NO_CADENCE when allowed."""
    if isinstance(value, bool):
        raise ValueProblem(f"expected a duration like 30d, 6w, 3m or 1y, got {value!r}")
    if isinstance(value, int):
        if 0 < value <= 36500:
            return value
        raise ValueProblem(f"a duration must be between 1 and 36500 days, got {value}")
    if isinstance(value, str):
        if allow_none and value.strip().lower() in ("none", "never"):
            return NO_CADENCE
        match = _DURATION.match(value)
        if match:
            days = int(match.group(1)) * _DAYS_PER_UNIT[match.group(2).lower()]
            if 0 < days <= 36500:
                return days
    shown = value if not isinstance(value, str) or len(value) < 60 else value[:57] + "..."
    extra = " or none" if allow_none else ""
    raise ValueProblem(f"expected a duration like 30d, 6w, 3m, 1y{extra}, got {shown!r}")


def format_duration(days: int) -> str:
    if days == NO_CADENCE:
        return "none"
    if days % 365 == 0:
        return f"{days // 365}y"
    return f"{days}d"


#: A date, and perhaps a time of day and a time zone after it: YAML's timestamp (`2026-11-18 10:00`,
#: `2026-11-18T10:00:30.5Z`, `2026-11-18 10:00 +01:00`), seconds optional as people write times.
DATE_TIME = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
                        r"(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]*)?)?"
                        r"(?:[ \t]*(?:Z|[-+]([0-9]{1,2})(?::([0-9]{2}))?))?)?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


def date_of(text: str) -> dt.date | None:
    """The date TEXT starts with, when TEXT is a date with perhaps a time of day (`DATE_TIME`) and both are
    possible (no 25:00, no February 30); else None. The time is read only to be checked: the date counts,
    as written, whatever the time zone."""
    match = DATE_TIME.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone_hour, zone_minute = match.groups()
    if hour is not None and (int(hour) > 23 or int(minute) > 59 or int(second or 0) > 60
                             or int(zone_hour or 0) > 23 or int(zone_minute or 0) > 59):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _impossible(text: str, match: re.Match) -> str:
    """Why TEXT, a date (and time) in DATE_TIME's form (MATCH), is none: `2026-02-30 does not exist:
    February 2026 has 28 days`."""
    year, month, day = (int(part) for part in match.groups()[:3])
    date_text = text[:match.end(3)]
    if not 1 <= month <= 12:
        return f"{date_text} does not exist: there is no month {match.group(2)} (months run 01 to 12)"
    if year == 0:
        return f"{date_text} does not exist: years start at 0001"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{date_text} does not exist: {_MONTH_NAMES[month - 1]} {year} has {days} days"
    return (f"{text} is not a time: after the date {date_text}, hours run 00 to 23, minutes 00 to 59 (and a "
            "time zone's too)")


def days_text(days: int) -> str:
    """`1 day`, `7 days`: a number of days as a heading says it."""
    return count_text(days, "day")


def count_text(count: int, word: str) -> str:
    """`1 note`, `3 notes`, `0 errors`: COUNT and WORD (whose plural adds an s), as a sentence says them."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def parse_date(value: object) -> dt.date:
    """A YAML date or a `YYYY-MM-DD` string, perhaps with a time of day after it -> date. Datetimes keep
    their date. A text in that form that is not in the calendar says why."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        day = date_of(text)
        if day is not None:
            return day
        match = DATE_TIME.fullmatch(text)
        if match is not None:
            raise ValueProblem(_impossible(text, match))
    shown = value if not isinstance(value, str) or len(value) < 60 else value[:57] + "..."
    raise ValueProblem(f"expected a date as YYYY-MM-DD, got {shown!r}")


_YEARLESS = re.compile(r"(?:--)?([0-9]{2})-?([0-9]{2})")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


def parse_yearly(value: object) -> tuple[int | None, int, int]:
    """A day that comes back every year -> (year or None, month, day): a date (`1985-04-15`, as YAML or
    text, or vCard's `19850415`), or a month and day without a year (vCard's and Google's `--04-15`,
    `--0415`, or `04-15`). February 29 is a day of its own (a leap year's, or with no year)."""
    if isinstance(value, (dt.date, dt.datetime)):
        day = parse_date(value)
        return day.year, day.month, day.day
    if isinstance(value, str):
        text = value.strip()
        compact = _COMPACT.fullmatch(text)
        if compact is not None:
            text = f"{compact.group(1)}-{compact.group(2)}-{compact.group(3)}"
        yearless = _YEARLESS.fullmatch(text)
        if yearless is None:
            day = parse_date(text)  # says what is wrong with a date that is not one
            return day.year, day.month, day.day
        month, day_of_month = int(yearless.group(1)), int(yearless.group(2))
        if not 1 <= month <= 12:
            raise ValueProblem(f"{text} does not exist: there is no month {yearless.group(1)} (months run 01 to 12)")
        days = calendar.monthrange(2000, month)[1]  # a leap year: February 29 is a birthday
        if not 1 <= day_of_month <= days:
            raise ValueProblem(f"{text} does not exist: {_MONTH_NAMES[month - 1]} has at most {days} days")
        return None, month, day_of_month
    shown = value if not isinstance(value, str) or len(value) < 60 else value[:57] + "..."
    raise ValueProblem(f"expected a date as YYYY-MM-DD, or --MM-DD without the year, got {shown!r}")


def next_yearly(month: int, day: int, today: dt.date) -> dt.date:
    """The next day on or after TODAY that is MONTH and DAY; February 29 falls on February 28 in other
    years (the last day of February, as most people celebrate it)."""
    for year in (today.year, today.year + 1):
        if year > dt.MAXYEAR:
            break
        last = calendar.monthrange(year, month)[1]
        found = dt.date(year, month, min(day, last))
        if found >= today:
            return found
    return dt.date.max


def parse_day(text: str) -> dt.date:
    """`YYYY-MM-DD` -> date, and nothing else (a command-line option); one not in the calendar says why."""
    if _DAY.fullmatch(text.strip()) is None:
        shown = text if len(text) < 60 else text[:57] + "..."
        raise ValueProblem(f"expected a date as YYYY-MM-DD, got {shown!r}")
    return parse_date(text)


def day_problem(text: str) -> str | None:
    """What is wrong with TEXT, written as a `YYYY-MM-DD` day (`2026-13-01`, `2026-02-30`) that is none; None
    for text written otherwise (a git revision, say) or a day that is one."""
    if _DAY.fullmatch(text) is None:
        return None
    try:
        parse_date(text)
    except ValueProblem as exc:
        return str(exc)
    return None


def date_problem(text: str) -> str:
    """What is wrong with TEXT, which is not a date parse_date reads."""
    try:
        parse_date(text)
    except ValueProblem as exc:
        return str(exc)
    return f"{text!r} is not a date"  # pragma: no cover - only called for text that is not one


def days_after(day: dt.date, days: int) -> dt.date:
    """DAY plus DAYS (fewer: before), held within the calendar Python has (0001-01-01 to 9999-12-31): a
    contact on 9999-12-31 plus a cadence is due at the calendar's end, not an OverflowError."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def today_from_environment(environ: dict[str, str]) -> dt.date | None:
    """SOURCE_DATE_EPOCH as a UTC date, when set (reproducible builds); None otherwise. A value that is no
    number of seconds is a ValueProblem: the reproducible-builds specification asks a tool to stop on it,
    not to build as of another day."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        if not re.fullmatch(r"[0-9]+", epoch):  # ASCII digits only, as `date +%s` writes it (not `1_767…`, `+1`)
            raise ValueError(epoch)
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        shown = epoch if len(epoch) < 40 else epoch[:37] + "..."
        raise ValueProblem(f"SOURCE_DATE_EPOCH={shown!r} is no whole number of seconds since 1970 that a calendar "
                           "has (unset it, or say --today YYYY-MM-DD)") from None


#: What a terminal acts on rather than shows: control characters (its escape sequences among them) but a
#: line break and a tab, and the marks that reorder text (a line's words shown in another order) or break it
_REORDERING = "\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"  # marks that reorder or break a line
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_REORDERING}]"
                      "|\r(?!\n)")  # a line's end written CRLF (a calendar, a card) is one


def printable(text: str) -> str:
    """TEXT for a terminal: each control character as its escape (`\\x1b`, `\\u202e`), shown rather than
    acted on, and never taken for nothing (`ad\\x07a` is no `ada`, a file name can still be found)."""
    return _CONTROL.sub(_escaped, text)


def _escaped(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: Characters JSON leaves as they are that a terminal acts on (`cat` of an export)
_RAW_IN_JSON = re.compile(f"[\x7f-\x9f{_REORDERING}]")


def json_text(value: object) -> str:
    """VALUE as JSON, readable (not ASCII-escaped) but for what a terminal acts on: escaped as \\u…
    (only inside strings: JSON has them nowhere else)."""
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group(0)):04x}",
                            json.dumps(value, ensure_ascii=False, indent=2))


def upper_first(text: str) -> str:
    """TEXT with its first letter made a capital and the rest as written (str.capitalize lowers the rest:
    "Work anniversary at Northwind" would read "at northwind")."""
    return text[:1].upper() + text[1:]
