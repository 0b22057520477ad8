"""The command line: thin click commands that parse options, make one call and format the result.

Exit codes are decided here only: 0 clean, 1 errors (or warnings under --strict), 2 usage errors.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__

if TYPE_CHECKING:
    from collections.abc import Callable

EXAMPLES_CHECK = """
\b
Examples:
  netjournal check                      # the journal here (or in a folder above)
  netjournal check ~/journal --strict   # fail on warnings too (CI, pre-commit)
  netjournal check --format json | jq '.[] | select(.severity == "error")'
  netjournal check --today 2026-11-22   # reproducible: as if today were that date
"""


class CommandError(click.ClickException):
    """A command's error, shown without control characters: its message may quote a note (a name, a path,
    a template's error), and a terminal acts on escape sequences (a note from a shared journal could erase
    the lines above it or retitle the window)."""

    def format_message(self) -> str:
        from .values import printable

        return printable(self.message)


class BadValue(click.BadParameter):
    """An option's value that cannot be used (exit status 2), shown as CommandError is: it may quote the
    journal's settings (an audience's name) or a note."""

    def format_message(self) -> str:
        from .values import printable

        return printable(super().format_message())


def say(message: str, err: bool = False, nl: bool = True) -> None:
    """click.echo of MESSAGE without control characters (see CommandError): what a command prints of notes."""
    from .values import printable

    click.echo(printable(message), err=err, nl=nl)


def resolve_today(today: dt.datetime | None) -> dt.date:
    """--today, else SOURCE_DATE_EPOCH, else the real date."""
    from .values import ValueProblem, today_from_environment

    if today is not None:
        return today.date()
    try:
        return today_from_environment(dict(os.environ)) or dt.date.today()
    except ValueProblem as exc:
        raise click.UsageError(str(exc)) from None


def analyze_with_progress(journal: Path, today: dt.date):
    """analyze(), with a progress bar on a terminal when there are many notes to read."""
    from .analyze import analyze
    from .config import load_config
    from .walk import find_note_files

    config, _ = load_config(journal)
    files = find_note_files(journal, skip=(journal / config.site_output,))
    with _Progress("reading notes", 2000, len(files.notes)) as bar:
        return analyze(journal, today, files=files, on_loaded=bar)


class _Progress:
    """A progress bar on stderr, on a terminal only, and only for jobs of AT_LEAST steps (smaller ones finish
    within a second). Call it with (steps done[, total]); the bar appears once the total is known."""

    def __init__(self, label: str, at_least: int, total: int | None = None) -> None:
        self.label, self.at_least, self.total = label, at_least, total
        self._shown = ExitStack()  # the bar, once it appears
        self._update: Callable[[int], None] | None = None  # its update

    def __call__(self, done: int, total: int | None = None) -> None:
        if self._update is None and (total or self.total or 0) >= self.at_least and sys.stderr.isatty():
            self._update = self._shown.enter_context(
                click.progressbar(length=total or self.total, label=self.label, file=sys.stderr)).update
        if self._update is not None:
            self._update(done)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc) -> None:
        self._shown.__exit__(*exc)


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


class NotAJournal(CommandError):
    """A command that reads or writes a journal was run where there is none: one line, exit status 2."""

    exit_code = 2


def _locate_journal(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """The journal a command works on: the folder given, which must be one, or else the current folder or
    the nearest folder above it that is one (as git finds its repository)."""
    from .config import find_journal, is_journal

    if value is not None:
        if is_journal(value):
            return value
        raise NotAJournal(f"{value} is not a netjournal journal (it has no netjournal.toml, people/ or "
                          f"interactions/): give your journal's folder, or start one with `netjournal init {value}`")
    found = find_journal(Path("."))
    if found is None:
        raise NotAJournal(f"no netjournal journal in {Path.cwd()} or any folder above it: cd into your journal, "
                          "give its folder, or start one with `netjournal init`")
    return found


class Day(click.DateTime):
    """A YYYY-MM-DD option: click's DateTime (the value is a datetime at midnight), whose error says what
    is wrong with the date in the user's words (`2026-02-30 does not exist: February 2026 has 28 days`)."""

    name = "date"

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def convert(self, value, param, ctx):
        if isinstance(value, dt.datetime):
            return value
        from .values import ValueProblem, parse_day

        try:
            return dt.datetime.combine(parse_day(str(value)), dt.time())
        except ValueProblem as exc:
            self.fail(str(exc), param, ctx)


DAY = Day()

journal_dir = click.argument(
    "journal", required=False, default=None, callback=_locate_journal,
    type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path))
journal_option = click.option(
    "--journal", "journal", default=None, callback=_locate_journal,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The journal folder (default: the current folder, or the nearest one above it that is a journal).")
today_option = click.option(
    "--today", type=DAY, default=None, metavar="YYYY-MM-DD",
    help="Compute everything as of this date (default: SOURCE_DATE_EPOCH if set, else the real date).")


_ONE_SHOT = False  # True when this process is the `netjournal` command itself: see _end_process


def run() -> None:
    """The `netjournal` command (and `python -m netjournal.cli`)."""
    global _ONE_SHOT
    _ONE_SHOT = True
    main()


def _end_process(status: int = 0) -> None:
    """Exit with STATUS. In the `netjournal` command, exit at once, as mypy does: the journal's model is
    millions of small objects, and freeing them one by one on the way out takes a good part of a second
    at 100,000 notes, for nothing the system does not do when the process ends. Nothing is left to clean
    up by then: the worker processes ended with their build (pool.py). Tests call the commands inside
    their own process: there this is sys.exit."""
    if _ONE_SHOT:
        context = click.get_current_context(silent=True)
        if context is not None:  # what the command asked to be done at its end (call_on_close)
            context.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


#: The commands that live on until stopped: they keep the cycle collector (main)
_LIVE_COMMANDS = frozenset({"serve", "daemon"})


def _without_collector() -> None:
    """In the `netjournal` command, for a command that ends once its work is done: switch the cycle
    collector off for good. Reading a journal makes millions of objects and no garbage cycles worth the
    passes that go over them all: `check` of 100,000 notes took 25.3 s with the collector, 21.0 s
    without. A build runs with it off (engine.py); switched back on, its first pass went over every
    object the build made, 2.0 s after the build had finished, for memory the process gives back when it
    exits a moment later."""
    if _ONE_SHOT:
        import gc

        gc.disable()


def _in_the_command(install_handlers: Callable[[], None]) -> None:
    """Set stop signals' handlers (one of stopping.py's) in the `netjournal` command only, not when main() is
    called by a test or another program, whose signal handlers are its own."""
    if _ONE_SHOT:
        install_handlers()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="netjournal")
@click.pass_context
def main(context: click.Context) -> None:
    """Keep notes on the people in your professional life; see who to reach out to.

    A journal is a folder of Markdown notes with YAML front matter: people/, interactions/ and goals/.
    Run `netjournal COMMAND --help` for each command; the journal format is in
    docs/format.md of netjournal's source repository.
    """
    if context.invoked_subcommand not in _LIVE_COMMANDS:
        _without_collector()


@main.command(epilog=EXAMPLES_CHECK)
@journal_dir
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one `path:line: severity: message [code]` per line; json: a list.")
@today_option
@click.option("--strict", is_flag=True, help="Exit 1 on warnings as well as errors.")
def check(journal: Path, output_format: str, today: dt.datetime | None, strict: bool) -> None:
    """Report broken notes, stale contacts, due follow-ups, reciprocity and goal problems.

    JOURNAL is the journal folder (default: the current folder, or the nearest one above it that is a
    journal). Exit status: 0 when there are no errors, 1 with errors (or with warnings under --strict), 2
    for usage errors and outside a journal.
    """
    from .findings import format_json, format_text, summary_line

    analysis = analyze_with_progress(journal, resolve_today(today))
    findings = analysis.findings
    if output_format == "json":
        say(format_json(findings))
    else:
        if findings:
            say(format_text(findings))
        say(summary_line(findings, analysis.note_count), err=bool(findings) and not sys.stdout.isatty())
    _end_process(exit_status(findings, strict))


EXAMPLES_BUILD = """
\b
Examples:
  netjournal build                         # writes _site/ inside the journal
  netjournal build ~/journal -o /tmp/site  # anywhere else
  netjournal build --strict                # CI: fail when a note has errors
"""


@main.command(epilog=EXAMPLES_BUILD)
@journal_dir
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: [site] output in netjournal.toml, i.e. JOURNAL/_site).")
@today_option
@click.option("--strict", is_flag=True, help="Fail (exit 1, old site kept) when any note has errors.")
@click.option("--audience", default="owner", show_default=True, metavar="NAME",
              help="Whom the site is for: owner (everything), or an [audience.NAME] of netjournal.toml, "
                   "e.g. mentor. Default output for an audience: _site-NAME.")
@click.option("--since", "since", default=None, metavar="REF_OR_DATE",
              help="Add a since.html page of notes added or changed since a git revision or a date.")
def build(journal: Path, out: Path | None, today: dt.datetime | None, strict: bool, audience: str,
          since: str | None) -> None:
    """Render the journal as a static HTML site you can open from disk.

    The new site is written beside the old one and swapped in, so a failed build leaves the last good
    site in place. Notes with errors are listed on the dashboard; the rest of the site still builds.
    Notes are cached in .netjournal-cache/ beside the output (safe to delete), so the next build parses
    only the notes that changed, and does nothing at all when no note, template or setting did.

    Ctrl-C, `kill` and a closed terminal stop a build and remove its half-written site (exit status 1,
    143, 129); `nohup netjournal build` outlives the terminal.
    """
    started = time.perf_counter()
    from .stopping import unwind_on_stop_signals

    _in_the_command(unwind_on_stop_signals)

    chosen = _audience(journal, audience)
    day = resolve_today(today)
    if since is None and not strict and chosen.is_owner:
        _build_by_daemon(journal, out, day, started)  # returns only when no daemon builds this site

    from jinja2 import TemplateError, TemplateSyntaxError

    from .config import load_config, real_output
    from .engine import Builder, BuildRefused, output_for, state_folder
    from .load import UnknownNames
    from .review import ReviewError, changes_since, without_private_edits
    from .site.write import UnsafeOutput

    review = None
    if since is not None:
        try:
            review = changes_since(journal, since)
        except ReviewError as exc:
            raise BadValue(str(exc), param_hint="--since") from None
        if chosen.exclude_private:  # what changed only inside private passages did not change for them
            review = without_private_edits(journal, review)
    target = real_output(out if out is not None else output_for(journal, load_config(journal)[0].site_output,
                                                                   chosen))
    if strict and not chosen.is_owner:  # a shared site lists no errors: check the owner's notes
        _refuse_errors(analyze_with_progress(journal, day).findings)
    builder = Builder(journal, target, audience=chosen, review=review, state=state_folder(journal, target),
                      strict=strict)
    try:
        with _Progress("reading notes", 2000) as reading, _Progress("rendering pages", 300) as rendering:
            result = builder.build(day, on_read=reading, on_rendered=rendering)
    except BuildRefused as exc:
        _refuse_errors(exc.errors)
    except UnsafeOutput as exc:
        raise CommandError(str(exc)) from None
    except UnknownNames as exc:  # fail closed: a private person's name may be in the shared notes
        raise CommandError(f"build failed, the previous site is unchanged: {exc}") from None
    except OSError as exc:  # a full disk, say: the new site is removed, the old one was never touched
        raise CommandError(f"build failed, the previous site is unchanged: cannot write the site to "
                                   f"{target}: {exc.strerror or exc}") from None
    except TemplateError as exc:  # a journal's own template override is broken
        where = f"{exc.filename or exc.name}:{exc.lineno}: " if isinstance(exc, TemplateSyntaxError) else ""
        raise CommandError(f"build failed, the previous site is unchanged: {where}"
                                   f"{type(exc).__name__}: {exc.message}") from None
    if builder.warning:
        say(f"warning: {builder.warning}", err=True)
    if result.error_count:
        where = "listed on the dashboard" if chosen.is_owner else "not shown to this audience"
        say(_notes_with_errors(result.error_count, where), err=True)
    elapsed = time.perf_counter() - started
    if result.up_to_date:
        say(f"site is up to date: no note, template or setting changed since the last build "
                   f"({result.note_count} notes checked in {elapsed * 1000:.0f} ms)")
    else:
        kept = f" (kept {result.kept} unchanged)" if result.kept else ""
        say(f"built {result.pages} pages{kept} from {result.note_count} notes in {elapsed * 1000:.0f} ms")
    say(f"open {(result.out / 'index.html').resolve().as_uri()}")
    _end_process()


def _refuse_errors(findings) -> None:
    from .findings import Severity, format_text
    from .values import count_text

    errors = [f for f in findings if f.severity == Severity.ERROR]
    if errors:
        say(format_text(errors), err=True)
        say(f"build failed: {count_text(len(errors), 'error')} under --strict; the previous site is unchanged",
            err=True)
        sys.exit(1)


def _owner_output(journal: Path, out: Path | None) -> Path:
    """OUT, else the owner's site folder of the config ([site] output): `engine.output_for` for the
    owner, without importing the site code (the daemon's client runs before it); a symlink followed."""
    from .config import load_config, real_output

    return real_output(out if out is not None else journal / load_config(journal)[0].site_output)


def _notes_with_errors(count: int, where: str) -> str:
    """`1 note has errors (WHERE; …)`, `3 notes have errors (WHERE; …)`."""
    from .values import count_text

    notes = f"{count_text(count, 'note')} {'has' if count == 1 else 'have'}"
    return f"{notes} errors ({where}; `netjournal check` for details)"


def _build_by_daemon(journal: Path, out: Path | None, day: dt.date, started: float) -> None:
    """Have a running `netjournal daemon` build the owner's site, and end the process with its word;
    return when there is none for this journal and output (build here, then)."""
    from .daemon import ask_daemon

    target = _owner_output(journal, out)
    answer = ask_daemon(journal, target, day.isoformat())
    if answer is None:
        return
    if "failed" in answer:
        raise CommandError(f"the daemon's build failed, the previous site is unchanged: {answer['failed']}")
    if answer["errors"]:
        say(_notes_with_errors(answer["errors"], "listed on the dashboard"), err=True)
    elapsed = time.perf_counter() - started
    say(f"built {answer['pages']} pages (wrote {answer['written']} files) from {answer['notes']} notes "
               f"in {elapsed * 1000:.0f} ms, by the running `netjournal daemon`")
    say(f"open {(target / 'index.html').resolve().as_uri()}")
    _end_process()


def _audience(journal: Path, name: str):
    """The named audience of the journal's config, or a usage error listing the known ones."""
    from .config import load_config

    config, _ = load_config(journal)
    chosen = config.audience(name)
    if chosen is None:
        known = ", ".join(["owner", *(a.name for a in config.audiences)])
        raise BadValue(f"no [audience.{name}] in netjournal.toml (known: {known})", param_hint="--audience")
    if chosen.problems:  # a setting that cannot be read exactly might have meant to keep anyone out
        raise CommandError(f"refusing to build for audience {name!r}: {'; '.join(chosen.problems)} "
                                   "(in netjournal.toml)")
    return chosen


def _audience_analysis(journal: Path, audience: str, today: dt.datetime | None):
    from .analyze import analyze
    from .load import UnknownNames

    try:
        return analyze(journal, resolve_today(today), audience=_audience(journal, audience))
    except UnknownNames as exc:  # fail closed, as `build` does
        raise CommandError(str(exc)) from None


@main.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["ics", "json", "csv", "vcard"]))
@journal_dir
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output). An existing file is replaced atomically; the "
                   "journal's own files (config, git files, templates, notes) never are.")
@click.option("--audience", default="owner", show_default=True, metavar="NAME",
              help="Export what this audience may see (see `build --audience`).")
@today_option
def export_command(fmt: str, journal: Path, out: Path | None, audience: str, today: dt.datetime | None) -> None:
    """Export the journal: ics (open follow-ups, contact reminders, congratulations and important dates
    for a calendar), json (the whole model, schema in docs/export.schema.json), csv (one row per person)
    or vcard (people as vCard 4.0).

    \b
    Examples:
      netjournal export ics -o ~/follow-ups.ics
      netjournal export json --audience mentor > mentor.json
      netjournal export csv | column -s, -t
    """
    from .export import EXPORTERS
    from .paths import kept_file

    kept = None if out is None else kept_file(journal, out)
    if kept is not None:
        raise CommandError(f"refusing to write an export to {out}: {kept}; choose another file with -o")
    content = EXPORTERS[fmt](_audience_analysis(journal, audience, today).site())
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    if out is None:
        if stdout_is_terminal():  # shown, not piped: without control characters (see say)
            say(data.decode("utf-8"), nl=False)
        else:
            click.echo(data, nl=False)
        return
    from .fsutil import atomic_write

    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, data)
    say(f"wrote {out}", err=True)


def _choose(journal_model, match) -> str:
    """One person id for a command-line query: the match, a choice asked on a terminal, or a clear error."""
    described = [f"{journal_model.people[pid].name} ({pid})" for pid in match.ids]
    if match.how == "suggest":
        hint = f" — did you mean {' or '.join(described)}?" if described else \
            "; add them with `netjournal new person \"Full Name\"`"
        raise CommandError(f"no such person {match.query!r}{hint}")
    if len(match.ids) == 1:
        if match.how == "partial":
            say(f"{match.query!r} → {described[0]}", err=True)
        return match.ids[0]
    if not stdin_is_terminal():
        raise CommandError(f"{match.query!r} could be {', '.join(described)}; use the id")
    say(f"{match.query!r} could be:", err=True)
    for number, text in enumerate(described, 1):
        say(f"  {number}. {text}", err=True)
    choice = click.prompt("which one", type=click.IntRange(1, len(described)), err=True)
    return match.ids[choice - 1]


def exit_status(findings, strict: bool) -> int:
    from .findings import Severity

    worst = min((f.severity for f in findings), default=None)
    if worst == Severity.ERROR or (strict and worst == Severity.WARNING):
        return 1
    return 0


# The commands that write notes, those that read the journal in the terminal, and the long-running serve
# and daemon live in modules of their own; importing them adds them to `main`.
from . import cli_notes, cli_plan, cli_serve  # noqa: E402, F401

if __name__ == "__main__":  # pragma: no cover
    # run as a script this module is __main__; the commands are registered on netjournal.cli's own `main`
    from netjournal.cli import run as _run

    _run()
