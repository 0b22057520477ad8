"""How a netjournal command stops: Ctrl-C (SIGINT), `kill` (SIGTERM) and a closed terminal (SIGHUP).

`netjournal build` (and the daemon during its first build) stops by unwinding, so that a build removes its half-written
site and ends its worker processes on the way out, and exits with the status a shell gives a process
killed by the signal (143, 129; Ctrl-C is click's `Aborted!`). A few steps must not be cut in two (forking
the workers and ending them, swapping the old site for the new): a signal that comes during one of them
(`stops_held`) stops the command once the step is over. `serve` sets its own handlers (StopSignals): it
unwinds during its first build and afterwards only asks its server loop to end.
"""
from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_held: list[int] | None = None  # while stops are held: the stop signals that came meanwhile


def stop_on_signal(number: int, _frame: object = None) -> None:
    """The one-shot command's handler of SIGTERM, SIGINT and SIGHUP: stop by unwinding (SystemExit with the
    status a shell gives a process killed by the signal; KeyboardInterrupt for Ctrl-C); within
    `stops_held`, once that is over."""
    if _held is not None:
        _held.append(number)
        return
    if number == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + number)


def _handle(name: str, handler: Callable[[int, object], None], unless_ignored: bool) -> None:
    """Make the signal NAME call HANDLER, where the platform has it (Windows has no SIGHUP). UNLESS_IGNORED:
    a signal the command was started ignoring (`nohup`, `&` in a script) stays ignored."""
    number = getattr(signal, name, None)
    if number is None or unless_ignored and signal.getsignal(number) is signal.SIG_IGN:
        return
    signal.signal(number, handler)


def unwind_on_stop_signals() -> None:
    """Make SIGTERM, SIGINT and SIGHUP stop this process by unwinding (stop_on_signal). A signal the
    command was started ignoring stays ignored."""
    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        _handle(name, stop_on_signal, unless_ignored=True)


def stop_by_exiting() -> None:
    """For the daemon, once built: SIGTERM and SIGHUP end it with status 0, unwinding (SystemExit), as a stop
    it was asked for (a rebuild cut short leaves pages each whole, written one by one; the next build
    makes the rest); a hang-up it was started ignoring (`nohup netjournal daemon &`) stays ignored."""
    _handle("SIGTERM", _exit_asked, unless_ignored=False)
    _handle("SIGHUP", _exit_asked, unless_ignored=True)


def _exit_asked(_number: int, _frame: object = None) -> None:
    raise SystemExit(0)


@contextmanager
def stops_held() -> Iterator[None]:
    """A step a stop must not cut in two (a step inside the process pool's code; swapping the old site for
    the new): a stop signal that comes meanwhile (see stop_on_signal) stops the command once it is over."""
    global _held
    if _held is not None:  # within another such step
        yield
        return
    _held = []
    try:
        yield
    finally:
        came, _held = _held, None
        if came:
            stop_on_signal(came[0])


def forget_held() -> None:
    """In a worker forked inside a held step: the step is its parent's, not its own."""
    global _held
    _held = None


class StopSignals:
    """Ctrl-C (SIGINT), SIGTERM (`kill`) and SIGHUP (the terminal closed) stop serve, and its temporary
    site is removed on the way out. During the first build a signal interrupts it at once
    (KeyboardInterrupt); after it, the signal only asks the HTTP server's loop to end, which it does
    within its poll interval, at a known point (`check`): an interrupt raised wherever the main thread
    happens to be can land in a finalizer, which swallows it (serve then ran on, deaf to the signals it
    had set aside), or in code run by exec(), after which Python exits as if by Ctrl-C however it was
    caught. A signal after the first is ignored, so that none cuts the clean-up short."""

    def __init__(self) -> None:
        self.requested = False
        self.serving = False

    def install(self) -> None:
        _handle("SIGINT", self.on_signal, unless_ignored=False)
        _handle("SIGTERM", self.on_signal, unless_ignored=False)
        _handle("SIGHUP", self.on_signal, unless_ignored=True)  # `nohup netjournal serve` outlives its terminal

    def on_signal(self, signum: int, frame: object) -> None:
        if self.requested:
            return
        self.requested = True
        if not self.serving:  # KeyboardInterrupt, but not inside a held step (stops_held)
            stop_on_signal(signal.SIGINT)

    def check(self) -> None:
        """Raise KeyboardInterrupt if a stop was asked for (one interrupt raised in the build may have
        been swallowed)."""
        if self.requested:
            raise KeyboardInterrupt
