"""The command line: thin click commands that parse options, make one call and format the result.

Exit codes are decided here only: 0 clean, 1 errors (or warnings under --strict), 2 usage errors.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from . import __version__

EXAMPLES_CHECK = """
\b
Examples:
  netjournal check                      # the journal in the current folder
  netjournal check ~/journal --strict   # fail on warnings too (CI, pre-commit)
  netjournal check --format json | jq '.[] | select(.severity == "error")'
  netjournal check --today 2026-11-22   # reproducible: as if today were that date
"""


def resolve_today(today: dt.datetime | None) -> dt.date:
    """--today, else SOURCE_DATE_EPOCH, else the real date."""
    from .values import today_from_environment

    if today is not None:
        return today.date()
    return today_from_environment(dict(os.environ)) or dt.date.today()


journal_dir = click.argument(
    "journal", required=False, default=".",
    type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path))
today_option = click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
    help="Compute everything as of this date (default: SOURCE_DATE_EPOCH if set, else the real date).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="netjournal")
def main() -> None:
    """Keep notes on the people in your professional life; see who to reach out to.

    A journal is a folder of Markdown notes with YAML front matter: people/, interactions/ and goals/.
    Run `netjournal COMMAND --help` for each command; the journal format is in the README.
    """


@main.command(epilog=EXAMPLES_CHECK)
@journal_dir
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one `path:line: severity: message [code]` per line; json: a list.")
@today_option
@click.option("--strict", is_flag=True, help="Exit 1 on warnings as well as errors.")
def check(journal: Path, output_format: str, today: dt.datetime | None, strict: bool) -> None:
    """Report broken notes, stale contacts, due follow-ups, reciprocity and goal problems.

    JOURNAL is the journal folder (default: the current folder). Exit status: 0 when there are no
    errors, 1 with errors (or with warnings under --strict), 2 for usage errors.
    """
    from .analyze import analyze
    from .findings import Severity, format_json, format_text, summary_line

    analysis = analyze(journal, resolve_today(today))
    findings = analysis.findings
    if output_format == "json":
        click.echo(format_json(findings))
    else:
        if findings:
            click.echo(format_text(findings))
        click.echo(summary_line(findings, analysis.note_count), err=bool(findings) and not sys.stdout.isatty())
    sys.exit(exit_status(findings, strict))


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
def build(journal: Path, out: Path | None, today: dt.datetime | None, strict: bool) -> None:
    """Render the journal as a static HTML site you can open from disk.

    The new site is written beside the old one and swapped in, so a failed build leaves the last good
    site in place. Notes with errors are listed on the dashboard; the rest of the site still builds.
    """
    from .analyze import analyze
    from .findings import Severity, format_text
    from .site.build import build_site
    from .site.write import UnsafeOutput

    analysis = analyze(journal, resolve_today(today))
    errors = [f for f in analysis.findings if f.severity == Severity.ERROR]
    if strict and errors:
        click.echo(format_text(errors), err=True)
        click.echo(f"build failed: {len(errors)} error(s) under --strict; the previous site is unchanged", err=True)
        sys.exit(1)
    try:
        result = build_site(journal, analysis.today, out, analysis=analysis)
    except UnsafeOutput as exc:
        raise click.ClickException(str(exc)) from None
    if errors:
        click.echo(f"{len(errors)} note(s) have errors (listed on the dashboard; `netjournal check` for details)",
                   err=True)
    index = result.out / "index.html"
    click.echo(f"built {result.pages} pages from {analysis.note_count} notes in {result.seconds * 1000:.0f} ms")
    click.echo(f"open {index.resolve().as_uri()}")


def exit_status(findings, strict: bool) -> int:
    from .findings import Severity

    worst = min((f.severity for f in findings), default=None)
    if worst == Severity.ERROR or (strict and worst == Severity.WARNING):
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    main()
