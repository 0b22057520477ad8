"""The process pool (pool.py) used directly, as the engine uses it: results in order whatever each item
costs, nothing left behind when a work raises or a caller stops taking results, arguments that cannot work
refused instead of waited on. Each case runs in a process of its own, where no other thread runs (a pool
is only forked where none does)."""
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def run(script: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_results_come_in_order_whatever_each_item_costs():
    assert run("""
import random, time
from netjournal.pool import Pool, parallel_map

def work(n, cost, size):
    time.sleep(cost)
    return n, b"x" * size

random.seed(5)
items = [(n, random.choice([0, 0, 0.01, 0.03]), random.choice([0, 10, 100_000, 2_000_000])) for n in range(60)]
expected = [work(*item) for item in items]  # made here, one by one, once (each took 0.6 s of sleeps)
pool = Pool(2)
ok = all(list(pool.run(work, items, ahead)) == expected for ahead in (1, 3, 100))
pool.close()
print(ok, parallel_map(work, items) == expected)
""") == ["True", "True"]


def test_a_work_that_raises_leaves_no_descriptor_open_while_the_collector_is_off():
    """Builds run with the cyclic collector off; a raised exception's traceback holds the pool in a
    cycle: its workers' descriptors are closed by the pool itself, not by the collector (4 a map before)."""
    assert run("""
import gc, os
from netjournal.pool import parallel_map

def fails_on_one(n):
    if n == 1:
        raise ValueError(n)
    return n

gc.disable()
before = len(os.listdir("/proc/self/fd"))
for _ in range(20):
    try:
        parallel_map(fails_on_one, [(n,) for n in range(5)])
    except ValueError:
        pass
print(len(os.listdir("/proc/self/fd")) - before)
""") == ["0"]


def test_a_pool_left_with_results_not_taken_ends_at_once():
    """Workers busy sending results no one takes (a caller that stopped iterating) are killed, not told to
    stop and waited for: that waited 30 s a worker before."""
    assert run("""
import time
from netjournal.pool import workers

def large(n):
    time.sleep(0.1)
    return bytes(1_000_000)  # more than a pipe holds: its worker waits for someone to read it

started = time.perf_counter()
with workers() as pool:
    results = pool.run(large, [(n,) for n in range(10)], 10)
    next(results)
print(time.perf_counter() - started < 10)
""") == ["True"]


def test_arguments_that_would_wait_forever_are_refused():
    assert run("""
from netjournal.pool import Pool

pool = Pool(2)
for ahead in (0, -1):
    try:
        list(pool.run(pow, [(2, 3)], ahead))
    except ValueError:
        print("refused")
pool.close()
try:
    Pool(0)
except ValueError:
    print("refused")
""") == ["refused"] * 3
