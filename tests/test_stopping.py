"""How commands stop (stopping.py): the handlers each kind of command sets, and the signals a command was
started ignoring (`nohup netjournal build`, `nohup netjournal daemon &`), which stay ignored. What a stop
does to a build is in test_build_interrupted.py, to serve in test_serve_lifecycle.py, to the daemon in
test_daemon.py."""
import signal

import pytest

from netjournal.stopping import stop_by_exiting, stop_on_signal, unwind_on_stop_signals

SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


@pytest.fixture
def handlers():
    """The test's signal handlers are put back after it."""
    before = {number: signal.getsignal(number) for number in SIGNALS}
    yield
    for number, handler in before.items():
        signal.signal(number, handler)


@pytest.mark.parametrize("install", [unwind_on_stop_signals, stop_by_exiting])
def test_a_hang_up_the_command_was_started_ignoring_stays_ignored(handlers, install):
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    install()
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, signal.SIG_IGN)


def test_a_one_shot_command_unwinds_with_the_status_of_the_signal(handlers):
    for number in SIGNALS:
        signal.signal(number, signal.SIG_DFL)
    unwind_on_stop_signals()
    assert all(signal.getsignal(number) is stop_on_signal for number in SIGNALS)
    for number, stop in ((signal.SIGTERM, SystemExit), (signal.SIGHUP, SystemExit), (signal.SIGINT, KeyboardInterrupt)):
        with pytest.raises(stop) as raised:
            signal.raise_signal(number)
        if stop is SystemExit:
            assert raised.value.code == 128 + number


def test_the_daemon_ends_with_status_0_on_sigterm_and_a_hang_up(handlers):
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    stop_by_exiting()
    for number in (signal.SIGTERM, signal.SIGHUP):
        with pytest.raises(SystemExit) as raised:
            signal.raise_signal(number)
        assert raised.value.code == 0


def test_serve_keeps_a_hang_up_it_was_started_ignoring(handlers):
    from netjournal.stopping import StopSignals

    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    StopSignals().install()
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, signal.SIG_IGN)
