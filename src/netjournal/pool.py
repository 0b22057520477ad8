"""The one process pool: worker processes that read notes or render pages for one build and end with it.

Workers are forked from the building process, which has the collector off (so a worker's collections
touch none of the model's memory), and only while it runs no other thread (forking beside threads can
deadlock: serve and the daemon read and render by themselves once they serve). Each worker ends as soon
as the process that started it does, however that ends (die_with_parent), so a build that is killed
leaves no worker behind; no server process is started, so nothing outlives the build. The command's
stop signals stop a build by unwinding (stopping.py), but never inside a step that must not be cut in two
(stops_held): forking the workers and ending them, or swapping sites. A stopped build kills its
workers; one whose worker died midway stops using the pool (WorkersLost): each worker has its own pipes,
so nothing the dead one left half-written is ever waited for.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from . import stopping
from .stopping import stops_held

#: Below this many items of work, one process is quicker than starting workers.
PARALLEL_FROM = 2

_shared: Any = None  # the pool of the build under way (build_workers), which every part of it uses


def worker_count() -> int:
    return min(os.cpu_count() or 1, 8)


def die_with_parent() -> None:
    """In a worker process: end it as soon as the process that started it ends, however that ends (killed
    too): a killed build must leave no worker reading notes or writing pages. multiprocessing's own
    mechanism: the parent's sentinel, readable once the parent is gone."""
    import multiprocessing
    import threading

    stopping.forget_held()  # forked inside a held step (workers)
    # A worker does not unwind: Ctrl-C and the terminal's hang-up, which reach the whole group, are the
    # building process's to act on (it kills its workers), and SIGTERM ends a worker at once, as SIGKILL would.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
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


class WorkersLost(RuntimeError):
    """A worker process ended in the middle of its work (killed): the pool cannot go on."""


class _Worker:
    """A worker process and the parent's ends of its two pipes (tasks in, results out). Each worker has
    pipes of its own: a worker killed halfway through sending a result leaves its pipe closed mid-message,
    which the parent reads as the end of the file (only the worker held that pipe's writing end). With one
    result queue shared by every worker (concurrent.futures), the parent instead waited forever for the rest
    of the message, and a build that a SIGTERM to its process group stopped while rendering hung in 1 of
    13 tries."""

    def __init__(self, context: Any, inherited: list[Any]) -> None:
        tasks_out, self.tasks = context.Pipe(duplex=False)
        self.results, results_in = context.Pipe(duplex=False)
        self.process = context.Process(target=_serve, args=(tasks_out, results_in, [*inherited, self.tasks,
                                                                                    self.results]),
                                       daemon=True, name="netjournal-worker")
        self.process.start()
        tasks_out.close()  # the worker's ends: held by it alone from now on
        results_in.close()

    def give(self, work: Callable[..., Any], args: tuple) -> None:
        try:
            self.tasks.send((work, args))
        except OSError as exc:  # the worker is gone
            raise WorkersLost(f"a worker process ended: {exc}") from None

    def take(self) -> Any:
        try:
            done, value = self.results.recv()
        except (EOFError, OSError):  # ended before it sent its result whole
            raise WorkersLost("a worker process ended before it finished its work") from None
        if not done:
            raise value
        return value


def _serve(tasks: Any, results: Any, inherited: list[Any]) -> None:
    """A worker's life: do each task it is given, until told to stop (None) or its parent is gone."""
    for connection in inherited:  # the parent's ends of this and earlier workers' pipes, copied by fork
        connection.close()
    die_with_parent()
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        work, args = task
        try:
            outcome: tuple[bool, Any] = (True, work(*args))
        except Exception as exc:  # noqa: BLE001 - the parent raises it
            outcome = (False, exc)
        try:
            results.send(outcome)
        except Exception as exc:  # noqa: BLE001 - a result or an error that does not pickle
            results.send((False, RuntimeError(f"a worker's result could not be sent: {type(exc).__name__}: {exc}")))
        # what the task freed goes back: a worker keeps the heap its largest task needed, and two of them
        # held 140 MiB PSS at the cold build's peak at L (1,037 MiB in all; 990 with this)
        del task, work, args, outcome
        give_back_freed_memory()


def give_back_freed_memory() -> None:
    """Return to the system the free pages of the C heap (glibc's malloc_trim; nothing elsewhere)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).malloc_trim(0)
        except AttributeError:
            pass  # a C library without it (musl)


class Pool:
    """WORKER_COUNT worker processes, started at once, each given one task at a time (so neither side ever
    waits to write to a pipe that the other is not reading)."""

    def __init__(self, count: int) -> None:
        if count < 1:
            raise ValueError(f"a pool needs a worker, not {count}")
        context = _context()
        self.workers: list[_Worker] = []
        self.broken = False
        self.running = 0  # runs begun and not finished: their workers may be busy with results no one takes
        try:
            for _ in range(count):
                self.workers.append(_Worker(context, [end for w in self.workers for end in (w.tasks, w.results)]))
        except BaseException:
            self.close(stopped=True)
            raise

    def run(self, work: Callable[..., Any], items: Iterable[Any], ahead: int) -> Iterator[Any]:
        """WORK(*item) for each of ITEMS (argument tuples): the results, in order. Items are taken while
        the workers work (so that taking one, which may make it, runs beside them), at most AHEAD beyond
        the first result not yet given."""
        from multiprocessing.connection import wait

        if ahead < 1:
            raise ValueError(f"ahead must be at least 1, not {ahead}")
        if self.broken:
            raise WorkersLost("a worker process ended earlier in this build")
        self.running += 1
        pending = iter(items)
        taken: deque[tuple[int, Any]] = deque()  # items taken, not yet given to a worker
        idle = list(self.workers)
        busy: dict[Any, tuple[_Worker, int]] = {}  # a busy worker's results end -> (worker, item number)
        done: dict[int, Any] = {}
        count = given = 0  # items taken; results given
        exhausted = False
        try:
            while True:
                while idle and taken:
                    worker = idle.pop()
                    number, item = taken.popleft()
                    worker.give(work, item)
                    busy[worker.results] = (worker, number)
                while given in done:
                    yield done.pop(given)
                    given += 1
                if exhausted and not busy and not taken:
                    self.running -= 1
                    return
                # without room, some worker is busy: every result before the first missing one was given
                room = not exhausted and count - given < ahead
                for ready in wait(list(busy), timeout=0 if room else None):
                    worker, number = busy.pop(ready)
                    done[number] = worker.take()
                    idle.append(worker)
                if room:
                    item = next(pending, _END)
                    if item is _END:
                        exhausted = True
                    else:
                        taken.append((count, item))
                        count += 1
        except BaseException:
            self.broken = True  # a task half given or a result left in a pipe: no more work for this pool
            raise

    def close(self, stopped: bool = False) -> None:
        """End the workers: told to, once their work is done; killed, if STOPPED or the pool is broken."""
        stopped = stopped or self.broken or self.running > 0
        for worker in self.workers:
            try:
                if stopped:
                    worker.process.kill()
                else:
                    worker.tasks.send(None)
            except (OSError, ValueError):
                pass
        for worker in self.workers:
            worker.process.join(None if stopped else 30)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.process.close()  # its sentinel's descriptor: not left to the collector, off during builds
            worker.tasks.close()
            worker.results.close()


_END = object()


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
        _shared = pool
        try:
            yield
        finally:
            _shared = None


@contextmanager
def workers() -> Iterator[Pool | None]:
    """A process pool for one part of a build: the build's own, if one is open (build_workers); or None
    where workers cannot or must not be had: one core, other threads running (forking beside threads can
    deadlock), no pipes or processes left."""
    import threading

    if _shared is not None:
        yield _shared
        return
    if worker_count() < 2 or threading.active_count() > 1:
        yield None
        return
    with _main_script_hidden():
        pool: Pool | None = None
        stopped = True
        try:
            with stops_held():  # a stop that comes while the workers are forked is raised once they are noted
                try:
                    pool = Pool(worker_count())
                except (OSError, RuntimeError):
                    pool = None
            yield pool
            stopped = False
        finally:
            if pool is not None:
                with stops_held():  # a build that ended well took every result; a stopped one kills its workers
                    pool.close(stopped)


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
            results = []
            for item, result in zip(items, pool.run(work, items, len(items)), strict=True):
                results.append(result)
                if on_done is not None:
                    on_done(weight(item) if weight is not None else 1)
            return results
    except (OSError, RuntimeError):  # a worker died (the pool is broken), or none could be started
        _shared = None  # the rest of the build starts a pool of its own if it needs one
        return None


def stream(pool: Pool, items: Iterable[tuple[Any, Any]], work: Callable[[list], list],
           prepare: Callable[[Any], Any] = lambda item: item, chunk_size: int = 8) -> Iterator[tuple[Any, Any]]:
    """WORK (a list of prepared items -> a list of results) on chunks of ITEMS ((tag, item) pairs) in
    POOL: (tag, result) in order. Items are taken and PREPAREd as workers need them, a few chunks ahead,
    so a long stream is never held whole."""
    pairs = iter(items)
    tags: deque[list] = deque()  # of the chunks given and not yet answered, in order

    def chunks() -> Iterator[tuple[list]]:
        while chunk := list(islice(pairs, chunk_size)):
            tags.append([tag for tag, _ in chunk])
            yield ([prepare(item) for _, item in chunk],)

    for results in pool.run(work, chunks(), 4 * worker_count()):
        yield from zip(tags.popleft(), results, strict=True)
