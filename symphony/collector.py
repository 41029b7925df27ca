"""Python's cyclic garbage collector, set for a process that holds thousands of executions in
flight (the web process with its runner, and ``manage.py runner``).

- What is loaded by the time the process serves lives as long as it: frozen, the collector's
  full passes need not walk it again (they did, holding the GIL 60-110 ms each).
- A young collection after 20,000 net allocations, not CPython's 700: each young pass promoted
  the in-flight executions' objects, and every few promotions forced a full pass over all of
  them, 25-70 ms with 2,000 in flight, during which no timer fires
  (tests/bench/bench_timers.py: p99 lateness 34-48 ms at 700, 7-8 ms at 20,000, and a little
  less CPU per execution in bench_runner.py). Ended runs are freed as they end, by reference
  counting (executions.effects.DurableEffects.close), so what waits longer for a pass is rare.
"""

import gc

YOUNG_THRESHOLD = 20_000


def settle() -> None:
    """Call once the process has loaded what it serves with."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
