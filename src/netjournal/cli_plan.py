"""The commands that read the journal in the terminal: due, intro, brief and review (registered on cli.main)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from .cli import (
    DAY,
    BadValue,
    _audience_analysis,
    _choose,
    journal_dir,
    journal_option,
    main,
    resolve_today,
    say,
    stdout_is_terminal,
    today_option,
)


@main.command()
@journal_dir
@click.option("--within", default=None, metavar="DURATION",
              help="How far ahead to look: 7d, 2w, 1m (default: [follow_ups] soon in netjournal.toml, 7d; "
                   "the dashboard's window). Follow-ups without a due date count once open [follow_ups] "
                   "undated_due (14d).")
@today_option
def due(journal: Path, within: str | None, today: dt.datetime | None) -> None:
    """The agenda, most important first: stakeholders of active goals who are due (never-contacted ones
    included), then people you owe thanks, a promise or a give, then people due for contact by how late
    they are for their cadence, then the rest. One entry per person, with the reason in a few words, and
    under it their promises and findings with file and line.

    Coloured on a terminal; plain when piped or when NO_COLOR is set.
    """
    from .agenda import agenda
    from .analyze import analyze
    from .values import ValueProblem, days_text, parse_duration, printable

    try:
        days = parse_duration(within) if within is not None else None
    except ValueProblem as exc:
        raise BadValue(str(exc), param_hint="--within") from None
    analysis = analyze(journal, resolve_today(today))
    days = days if days is not None else analysis.config.due_soon
    entries = agenda(analysis, days)
    color = stdout_is_terminal() and not os.environ.get("NO_COLOR")
    if not entries:
        say(f"Nothing due within {days_text(days)}.")
        return
    title = f"Most important first (due within {days_text(days)})"
    click.echo(click.style(title, bold=True) if color else title, color=color)
    width = len(str(len(entries)))
    for number, entry in enumerate(entries, 1):  # the notes' words without control characters (cli.say)
        name = printable(entry.name)
        name = click.style(name, bold=True, fg="red" if entry.urgent else None) if color else name
        where = f"  ({printable(entry.where)})" if entry.where else ""
        click.echo(f"  {number:>{width}}. {name} — {printable(entry.reason)}{where}", color=color)
        for row in entry.details:
            when = click.style(row.when, fg="red" if row.late else "yellow") if color else row.when
            place = f"  ({printable(row.where)})" if row.where else ""
            click.echo(f"  {'':>{width}}    {when}  {printable(row.text)}{place}", color=color)


@main.command()
@click.argument("person")
@journal_option
@today_option
def intro(person: str, journal: Path, today: dt.datetime | None) -> None:
    """Who can introduce you to PERSON (an id, name or alias) when you never contacted them or lost touch:
    people tied to them by an introduction (`introduced_by`), interactions together, the same `org`, or a
    mention in your notes; warmest first, and those you owe (asked more than you gave lately) last.

    \b
    Examples:
      netjournal intro tomas-reyes
      netjournal intro "Tomas R" --journal ~/journal
    """
    from .analyze import analyze
    from .authoring import find_person
    from .site.planning import intro_text

    analysis = analyze(journal, resolve_today(today))
    pid = _choose(analysis.journal, find_person(analysis.journal, person))
    for line in intro_text(analysis.site(), pid):
        say(line)


@main.command()
@click.argument("person_query", metavar="PERSON")
@journal_option
@click.option("--format", "fmt", type=click.Choice(["text", "md"]), default="text", show_default=True,
              help="md: Markdown, to paste into a note.")
@click.option("--audience", default="owner", show_default=True, metavar="NAME",
              help="Brief as this audience sees the journal (see `build --audience`): its hidden people do not "
                   "exist and are named \"someone\".")
@today_option
def brief(person_query: str, journal: Path, fmt: str, audience: str, today: dt.datetime | None) -> None:
    """Before you meet PERSON (an id, a name, an alias or part of one): who they are and who introduced you,
    the last three conversations and their topics, open follow-ups, the give-and-take balance, a
    congratulation owed or a date coming, and the goals they have a stake in.

    \b
    Examples:
      netjournal brief ada
      netjournal brief "Grace H" --format md >> interactions/2026/2026-12-01-grace.md
    """
    from .authoring import find_person
    from .brief import brief_markdown, brief_text, make_brief

    analysis = _audience_analysis(journal, audience, today)
    pid = _choose(analysis.journal, find_person(analysis.journal, person_query))
    made = make_brief(analysis.site(), pid)
    say(brief_markdown(made) if fmt == "md" else brief_text(made), nl=False)


@main.command("review")
@journal_dir
@click.option("--week", "period", flag_value="week", default=True,
              help="The last seven days, today included (the default).")
@click.option("--since", "since", type=DAY, default=None, metavar="YYYY-MM-DD",
              help="From this day to today instead.")
@click.option("--audience", default="owner", show_default=True, metavar="NAME",
              help="The review as this audience sees the journal (see `build --audience`).")
@today_option
def review_command(journal: Path, period: str, since: dt.datetime | None, audience: str,
                   today: dt.datetime | None) -> None:
    """One digest for the meeting with a mentor: what you gave and asked, who you met, promises made and
    kept, congratulations owed, stakeholders going cold and the goals' readiness. The site's review.html
    shows the last seven days.

    \b
    Examples:
      netjournal review
      netjournal review --since 2026-11-01 --audience mentor
    """
    from .weekly import review_lines, review_start

    analysis = _audience_analysis(journal, audience, today)
    if since is not None and since.date() > analysis.today:
        raise BadValue(f"{since.date()} is after today ({analysis.today})", param_hint="--since")
    site = analysis.site()
    made = site.review(review_start(analysis.today, since.date() if since is not None else None))
    say(f"Review of {made.label}")
    for title, lines in review_lines(site, made):
        say(f"\n{title}")
        for line in lines:
            say(f"  {line}")
