"""The long-running commands: `serve` (a live site while you edit) and `daemon` (the engine kept in memory,
answering `netjournal build`)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .cli import (
    CommandError,
    _end_process,
    _in_the_command,
    _owner_output,
    _Progress,
    journal_dir,
    main,
    resolve_today,
    say,
    today_option,
)
from .values import printable


@main.command()
@journal_dir
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The output folder `netjournal build` writes (default: [site] output in netjournal.toml).")
@today_option
def daemon(journal: Path, out: Path | None, today: dt.datetime | None) -> None:
    """Keep the site built, so `netjournal build` after an edit takes a fraction of a second.

    The daemon builds the owner's site once, then keeps the journal's model in memory, watches the notes
    (watchdog) and rebuilds the pages a save changes right after it. While it runs, `netjournal build` of
    this journal into the same folder asks it instead of reading every note. A rebuild after a save is as
    of the date the last `build` asked for (at first, --today or today). Builds with --strict, --since or
    --audience build by themselves, as without a daemon. Stop it with Ctrl-C, or `kill` (a daemon started
    with & in a script ignores Ctrl-C, as the shell asks); closing its terminal stops it too, unless it was
    started with nohup. The next build without it starts from the notes it saved.

    \b
    Examples:
      netjournal daemon ~/journal &     # then, after each edit:
      netjournal build ~/journal        # answered by the daemon
      kill %1                           # stop it
    """
    from .daemon import Daemon
    from .site.write import UnsafeOutput
    from .stopping import stop_by_exiting, unwind_on_stop_signals

    target = _owner_output(journal, out)
    try:
        keeper = Daemon(journal, target, resolve_today(today), log=lambda line: say(line, err=True))
    except (OSError, UnsafeOutput) as exc:
        raise CommandError(str(exc)) from None
    if keeper.warning:
        say(f"warning: {keeper.warning}", err=True)
    say(f"building {journal} into {target} …", err=True)
    _in_the_command(unwind_on_stop_signals)  # as `build`: a stop during the first build ends it and its workers
    try:
        first = keeper.build(keeper.today)
    except Exception as exc:  # noqa: BLE001 - a broken template override, say: nothing to keep built
        keeper.close()
        raise CommandError(f"the first build failed, the site is as it was: {type(exc).__name__}: {exc}"
                                   ) from None
    say(f"built {first.pages} pages from {first.note_count} notes in {first.seconds:.1f} s", err=True)
    # `kill` and a closed terminal stop it as cleanly as Ctrl-C (its address file removed, its notes saved
    # for the next build), from before it says it runs: a kill right after that line must not leave the file
    _in_the_command(stop_by_exiting)
    try:
        keeper.listen()
        say(f"the daemon is running: `netjournal build {journal}` asks it (Ctrl-C to stop)")
        sys.stdout.flush()  # a script waiting for that line reads a pipe
        keeper.run()
    except KeyboardInterrupt:
        say("stopped", err=True)
    finally:
        keeper.close()


@main.command()
@journal_dir
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Anything but loopback exposes your notes to your network.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in your web browser.")
@today_option
def serve(journal: Path, port: int, host: str, open_browser: bool, today: dt.datetime | None) -> None:
    """Serve the site and rebuild it whenever a note changes; open pages reload themselves.

    The site is built into a temporary folder (your _site/ is not touched). A broken note shows as a
    banner on every page until the next good save. Stop with Ctrl-C.
    """
    from .serve import LOOPBACK_NAMES, Server
    from .stopping import StopSignals

    fixed = today.date() if today is not None else None
    resolve_today(today)  # a SOURCE_DATE_EPOCH that is no day stops serve now, not at a rebuild
    try:  # a control character or a mark that reorders is in no host name (a socket encodes it as IDNA)
        valid = printable(host) == host and bool(host.encode("idna"))
    except UnicodeError:
        valid = False
    if not valid:
        raise CommandError(f"--host {host!r} is no host name or address")
    if host.strip("[]").lower() not in LOOPBACK_NAMES:
        click.secho(f"WARNING: serving on {printable(host)}: anyone who can reach this machine can read your "
                    "journal.", fg="red", bold=True, err=True)
    stop = StopSignals()  # before the temporary site exists: Ctrl-C, SIGTERM or SIGHUP remove it
    stop.install()
    from .config import load_config
    from .walk import find_note_files

    shown = journal.resolve()
    count = len(find_note_files(journal, skip=(journal / load_config(journal)[0].site_output,)).notes)
    held: list[str] = []  # lines of the first build wait until its progress bar is done
    holding = True

    def log(line: str) -> None:
        if holding:
            held.append(line)
        else:
            say(line, err=True)

    try:
        with _Progress("reading notes", 2000, count) as bar:
            server = Server(journal, lambda: fixed or resolve_today(None), host=host, port=port, log=log,
                            progress=bar, stop=stop,
                            on_listening=lambda: say(f"building the journal at {shown} …", err=True))
    except OSError as exc:
        raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:  # during the first build: Server removed what it had made
        say("stopped", err=True)
        _end_process(0)
    try:
        for line in held:
            say(line, err=True)
        holding = False
        say(f"serving {shown} at {server.url} (Ctrl-C to stop)")
        sys.stdout.flush()  # a script waiting for that line reads a pipe
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)
        server.serve_forever()
    except KeyboardInterrupt:
        say("stopped", err=True)
    finally:
        server.stop()
    _end_process(0)  # stopped as asked: status 0, whatever an interrupt inside exec() told Python
