"""Retry arithmetic: per-Retrier counts, backoff, MaxDelaySeconds, jitter, MaxAttempts 0."""

import random

from designer.asl.model import Retrier
from executions.engine.retry import retry_delay


def test_first_matching_retrier_counts_its_own_attempts_with_backoff():
    retriers = (
        Retrier(("A",), interval_seconds=1, max_attempts=2, backoff_rate=3.0),
        Retrier(("States.ALL",)),
    )
    counts = [0, 0]
    rng = random.Random(0)
    assert retry_delay(retriers, counts, "A", rng) == 1
    assert retry_delay(retriers, counts, "A", rng) == 3
    assert retry_delay(retriers, counts, "A", rng) is None  # A's retrier is spent; no fall-through
    assert retry_delay(retriers, counts, "B", rng) == 1
    assert counts == [2, 1]


def test_max_delay_caps_and_max_attempts_zero_never_retries():
    capped = (
        Retrier(
            ("States.ALL",), interval_seconds=10, max_attempts=5, backoff_rate=10.0, max_delay_seconds=30
        ),
    )
    counts = [0]
    delays = [retry_delay(capped, counts, "X", random.Random(0)) for _ in range(3)]
    assert delays == [10, 30, 30]
    assert retry_delay((Retrier(("States.ALL",), max_attempts=0),), [0], "X", random.Random(0)) is None


def test_full_jitter_stays_within_the_backoff():
    retriers = (Retrier(("States.ALL",), interval_seconds=8, max_attempts=50, jitter_strategy="FULL"),)
    counts = [0]
    rng = random.Random(1)
    first = retry_delay(retriers, counts, "X", rng)
    assert 0 <= first <= 8


def test_runtime_errors_are_never_retried():
    assert retry_delay((Retrier(("States.ALL",)),), [0], "States.Runtime", random.Random(0)) is None
