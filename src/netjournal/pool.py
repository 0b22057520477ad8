"""The one process pool: worker processes that read notes or render pages for one build and end with it.

Workers are forked from the building process, which has the collector off (so a worker's collections
touch none of the model's memory), and only while it runs no other thread (forking beside threads can
deadlock: serve and the daemon read and render by themselves once they serve). Each worker ends as soon
as the process that started it does, however that ends (die_with_parent), so a build that is killed
leaves no worker behind; no server process is started, so nothing outlives the build. The command's
SIGTERM and Ctrl-C stop a build by unwinding (stop_on_signal), but never inside a step that must not be
cut in two (stops_held): handing work to the pool, whose lock a stop could leave held, or swapping sites.
"""
from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

#: Below this many items of work, one process is quicker than starting workers.
PARALLEL_FROM = 2

_held: list[int] | None = None  # while stops are held: the stop signals that came meanwhile
_shared: Any = None  # the pool of the build under way (build_workers), which every part of it uses


def stop_on_signal(number: int, _frame: object = None) -> None:
    """The `netjournal` command's handler of SIGTERM and SIGINT: stop by unwinding (SystemExit with the
    status a shell gives a process killed by the signal; KeyboardInterrupt for Ctrl-C), so that a build
    removes its staging folder and its workers; within `stops_held`, once that is over."""
    if _held is not None:
        _held.append(number)
        return
    if number == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + number)


@contextmanager
def stops_held() -> Iterator[None]:
    """A step a stop must not cut in two (a step inside the process pool's code; swapping the old site for
    the new): a stop signal that comes meanwhile (see stop_on_signal) stops the build once it is over."""
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


def worker_count() -> int:
    return min(os.cpu_count() or 1, 8)


def die_with_parent() -> None:
    """In a worker process: end it as soon as the process that started it ends, however that ends (killed
    too): a killed build must leave no worker reading notes or writing pages. multiprocessing's own
    mechanism: the parent's sentinel, readable once the parent is gone."""
    import multiprocessing
    import threading

    global _held
    _held = None  # forked inside a held step (_submit)
    # A stop raised in a worker while it writes a result leaves half a message in the pipe, and the
    # executor's reader waits forever for the rest. So a worker does not unwind: Ctrl-C, which the terminal
    # sends to the whole group, is the building process's to act on (it cancels the work and the workers
    # end between items), and SIGTERM ends a worker at once, which the executor's terminate of a broken
    # pool relies on (caught, it left a worker blocked writing to a pipe nobody read, and the build hung).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="netjournal-parent-watch", daemon=True).start()


def _context():
    import multiprocessing

    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


@contextmanager
def _main_script_hidden() -> Iterator[None]:
    """Workers run netjournal's code only: hide the caller's main script from multiprocessing, which would
    otherwise run it again in each new worker (the whole script, if it has no `__name__` guard)."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved: dict[str, object] = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


@contextmanager
def build_workers() -> Iterator[None]:
    """One pool for a whole build, its workers forked now, while the building process is small: forked
    once the model is made, each held a snapshot of it that the builder went on changing (at L, 885 MiB
    that each worker kept and the builder had copied). Inside, `workers` gives this pool."""
    global _shared
    if _shared is not None:
        yield
        return
    with workers() as pool:
        if pool is not None:
            try:
                _result(_submit(pool, os.getpid))  # the executor forks its workers at the first task
            except (OSError, RuntimeError):
                pool = None
        _shared = pool
        try:
            yield
        finally:
            _shared = None


@contextmanager
def workers() -> Iterator[Any]:
    """A process pool for one part of a build (a concurrent.futures executor): the build's own, if one
    is open (build_workers); or None where workers cannot or must not be had: one core, other threads
    running, no semaphores."""
    import threading
    from concurrent.futures import ProcessPoolExecutor

    if _shared is not None:
        yield _shared
        return
    if worker_count() < 2 or threading.active_count() > 1:
        yield None
        return
    try:
        pool = ProcessPoolExecutor(worker_count(), mp_context=_context(), initializer=die_with_parent)
    except (OSError, RuntimeError, NotImplementedError):
        yield None
        return
    with _main_script_hidden():
        try:
            yield pool
        finally:
            # a build that ends well has taken every result; a stopped one waits only for the work that runs
            with stops_held():
                pool.shutdown(wait=True, cancel_futures=True)


def parallel_map(work: Callable[..., Any], items: list[tuple], weight: Callable[[tuple], int] | None = None,
                 on_done: Callable[[int], None] | None = None) -> list | None:
    """WORK(*item) for each of ITEMS in worker processes, results in order; ON_DONE(weight of the item) as
    each is done. None when workers cannot be had: the caller works here."""
    global _shared
    if len(items) < PARALLEL_FROM:
        return None
    try:
        with workers() as pool:
            if pool is None:
                return None
            futures = [_submit(pool, _call, (work, item)) for item in items]
            results = []
            for item, future in zip(items, futures, strict=True):
                results.append(_result(future))
                if on_done is not None:
                    on_done(weight(item) if weight is not None else 1)
            return results
    except (OSError, RuntimeError):  # a worker died (the pool is broken), or none could be started
        _shared = None  # the rest of the build starts a pool of its own if it needs one
        return None


def stream(pool: Any, items: Iterable[tuple[Any, Any]], work: Callable[[list], list],
           prepare: Callable[[Any], Any] = lambda item: item, chunk_size: int = 8) -> Iterator[tuple[Any, Any]]:
    """WORK (a list of prepared items -> a list of results) on chunks of ITEMS ((tag, item) pairs) in
    POOL: (tag, result) in order. Items are taken and PREPAREd as workers need them, a few chunks ahead,
    so a long stream is never held whole."""
    ahead = 4 * worker_count()
    queue: list[tuple[list, Any]] = []
    chunk: list[tuple[Any, Any]] = []

    def submit() -> None:
        prepared = [prepare(item) for _, item in chunk]
        queue.append(([tag for tag, _ in chunk], _submit(pool, work, prepared)))
        chunk.clear()

    def collect(tags: list, future: Any) -> Iterator[tuple[Any, Any]]:
        yield from zip(tags, _result(future), strict=True)

    for pair in items:
        chunk.append(pair)
        if len(chunk) == chunk_size:
            submit()
            while len(queue) > ahead:
                yield from collect(*queue.pop(0))
    if chunk:
        submit()
    while queue:
        yield from collect(*queue.pop(0))


# A stop raised by the signal handler inside the executor's own code can leave one of its locks held or
# released twice: its shutdown then waits forever, or a wait fails with RuntimeError and the build goes on
# without workers. So the executor is only ever entered with stops held, in short steps; a stop that came
# meanwhile is raised between them.

def _submit(pool: Any, work: Callable[..., Any], *args: Any) -> Any:
    with stops_held():
        return pool.submit(work, *args)


def _result(future: Any) -> Any:
    """FUTURE's result, waited for a tenth of a second at a time: a stop comes between the waits."""
    from concurrent.futures import wait

    while True:
        with stops_held():
            if wait([future], timeout=0.1).done:
                return future.result()


def _call(task: tuple[Callable[..., Any], tuple]) -> Any:
    work, item = task
    return work(*item)
