"""The commands that write notes: init, new person, log and import (registered on cli.main)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from .cli import (
    DAY,
    CommandError,
    _choose,
    journal_option,
    main,
    resolve_today,
    say,
    today_option,
)


@main.command()
@click.argument("journal", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--owner", default="", help="Your name, for the site's title.")
@click.option("--example", is_flag=True, help="Add a sample person (people/ada-lovelace.md) to see the site with.")
@click.option("--git", "git", is_flag=True, help="Run `git init` in the journal, with its .gitignore in place.")
def init(journal: Path, owner: str, example: bool, git: bool) -> None:
    """Start a new journal: netjournal.toml, people/ interactions/ goals/, a README and a .gitignore for the
    site, caches and private/. Refuses, writing nothing, if any of it is there already.
    """
    from .authoring import init_journal
    from .notewriter import WriteRefused

    try:
        created = init_journal(journal, owner, example=example, git=git)
    except WriteRefused as exc:
        raise CommandError(str(exc)) from None
    for path in created:
        say(f"created {path}")
    say(f"next: cd {journal} && netjournal new person \"Grace Hopper\" && netjournal serve")


@main.group()
def new() -> None:
    """Create a note from a template (a journal may override templates/new-person.md)."""


def _open_editor(path: Path, no_edit: bool) -> None:
    """Open $VISUAL or $EDITOR on PATH, a note just written. An editor that fails or ends with an error is
    said to, with the note: it is written and kept (the command had said nothing of it, and a second try
    found that it existed)."""
    if no_edit or not (os.environ.get("VISUAL") or os.environ.get("EDITOR")):
        return
    try:
        click.edit(filename=str(path))
    except click.ClickException as exc:
        raise CommandError(f"{path} is written and kept, but the editor failed ({exc.message}): open the note "
                           "yourself, or say --no-edit") from None


@new.command("person")
@click.argument("name")
@journal_option
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for several).")
@click.option("--org", default="", help="Organisation.")
@click.option("--role", default="", help="Role or title.")
@click.option("--no-edit", is_flag=True, help="Do not open $VISUAL/$EDITOR on the new note.")
def new_person_command(name: str, journal: Path, tags: tuple[str, ...], org: str, role: str, no_edit: bool) -> None:
    """Write people/<id>.md for NAME (the id is NAME in lower case with dashes), print its path and open
    your editor. Refuses an id that exists. Fields you leave empty (`met:`, `email:` …) wait for you in
    the note.

    \b
    Example:  netjournal new person "Ada Lovelace" --tag mentor --org "Analytical Engines"
    """
    from .authoring import new_person
    from .notewriter import WriteRefused

    try:
        path = new_person(journal, name, list(tags), org, role)
    except WriteRefused as exc:
        raise CommandError(str(exc)) from None
    say(str(path))
    _open_editor(path, no_edit)


@main.command()
@click.argument("people", nargs=-1, required=True)
@journal_option
@click.option("--kind", default="meeting", show_default=True, help="coffee, call, email, meeting, intro, …")
@click.option("--date", "date", type=DAY, default=None, metavar="YYYY-MM-DD",
              help="When it happened (default: today).")
@click.option("--title", default="", help="A short title (the site falls back to kind and people).")
@click.option("--topic", "topics", multiple=True, help="What you talked about (repeatable).")
@click.option("--gave", multiple=True, help="Something you offered them (repeatable).")
@click.option("--asked", multiple=True, help="Something you asked of them (repeatable).")
@click.option("--received", multiple=True, help="Something they gave you (repeatable).")
@click.option("--follow-up", "follow_ups", multiple=True, help="Something you promised (repeatable).")
@click.option("--due", "dues", multiple=True, type=DAY, metavar="YYYY-MM-DD",
              help="Due date of the --follow-up given in the same position.")
@click.option("-m", "--message", "messages", multiple=True,
              help="The note's text (repeatable: each one is a paragraph).")
@click.option("--no-edit", is_flag=True, help="Do not open $VISUAL/$EDITOR on the new note.")
@today_option
def log(people: tuple[str, ...], journal: Path, kind: str, date: dt.datetime | None, title: str,
        topics: tuple[str, ...], gave: tuple[str, ...], asked: tuple[str, ...], received: tuple[str, ...],
        follow_ups: tuple[str, ...], dues: tuple[dt.datetime, ...], messages: tuple[str, ...], no_edit: bool,
        today: dt.datetime | None) -> None:
    """Log an interaction with PEOPLE (ids, names or aliases) as interactions/YYYY/<date>-<kind>-<id>.md,
    named after the first of them who is not private (or hidden from an audience), else after nobody.

    \b
    Examples:
      netjournal log ada --kind coffee --gave "an intro to Grace"
      netjournal log "Grace H" ada --kind call --follow-up "send the deck" --due 2027-01-15
      netjournal log ada --topic databases --asked "feedback on my case" -m "She will speak for it."
    """
    from .authoring import FollowUpText, InteractionText, find_person, log_interaction
    from .config import Audience
    from .load import load_journal
    from .model import build_journal
    from .notewriter import WriteRefused
    from .redaction import hidden_person

    if len(dues) > len(follow_ups):
        raise click.UsageError("each --due goes with a --follow-up given before it")
    loaded = load_journal(journal)
    journal_model, _ = build_journal(loaded.records)
    audiences = [*loaded.config.audiences, Audience("any")]  # whom any audience may not see: not in a file name
    hidden = frozenset(pid for pid, p in journal_model.people.items() if any(hidden_person(p, a) for a in audiences))
    ids = []
    for query in people:
        ids.append(_choose(journal_model, find_person(journal_model, query)))
    items = [FollowUpText(what, dues[i].date() if i < len(dues) else None) for i, what in enumerate(follow_ups)]
    when = date.date() if date is not None else resolve_today(today)
    interaction = InteractionText(tuple(dict.fromkeys(ids)), when, kind, title, topics, gave, asked, received,
                                  tuple(items), "\n\n".join(messages), hidden)
    try:
        path = log_interaction(journal, interaction)
    except WriteRefused as exc:
        raise CommandError(str(exc)) from None
    say(str(path))
    _open_editor(path, no_edit)


@main.command("import")
@click.argument("source", type=click.Choice(["vcard", "google", "linkedin"]))
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@journal_option
@click.option("--merge", is_flag=True, help="Fill empty fields of people who already exist (matched by email or "
                                            "name) instead of skipping them.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
def import_command(source: str, files: tuple[Path, ...], journal: Path, merge: bool, dry_run: bool) -> None:
    """Import contacts as people notes: vcard (.vcf, vCard 2.1/3.0/4.0), google (Google Contacts CSV,
    current or legacy layout) or linkedin (Connections.csv; `Connected On` becomes `met`).

    Never overwrites: a contact that matches a person by email or name is reported and skipped (or, with
    --merge, fills only that person's absent or empty fields, adding text and changing none). Cards in one
    file that are the same person become one note, so importing a file again changes nothing. A file
    that cannot be read, or a contact that cannot be written, writes nothing.

    \b
    Examples:
      netjournal import vcard ~/Downloads/contacts.vcf --dry-run
      netjournal import linkedin Connections.csv --journal ~/journal
    """
    from .importers import READERS, ImportProblem, apply_plan, plan_import
    from .notewriter import WriteRefused
    from .values import count_text

    for path in files:
        try:
            contacts = READERS[source](path)
            plan = plan_import(journal, contacts, f"{source} ({path.name})", merge)
        except ImportProblem as exc:
            raise CommandError(str(exc)) from None
        if not dry_run:
            try:
                apply_plan(plan)
            except WriteRefused as exc:
                raise CommandError(f"{path.name}: {exc}") from None
        verb = "would " if dry_run else ""
        for target, _ in plan.new:
            say(f"{verb}create {target}")
        for merged in plan.merges:
            say(f"{verb}fill {', '.join(merged.filled)} in {merged.path}")
            for key, reason in merged.left:
                say(f"  left {key} empty: {reason}")
        for name, reason in plan.skipped:
            say(f"skip {name}: {reason}")
        combined = f", {count_text(plan.combined, 'duplicate card')} combined" if plan.combined else ""
        say(f"{path.name}: {len(plan.new)} new, {len(plan.merges)} merged, {len(plan.skipped)} skipped"
                   + combined + (" (dry run: nothing written)" if dry_run else ""), err=True)
