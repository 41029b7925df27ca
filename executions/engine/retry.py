"""Retry: which Retrier answers an error, and how long to wait before the next attempt.

AWS: the first Retrier whose ErrorEquals matches applies; each Retrier counts its own
attempts; the wait is IntervalSeconds x BackoffRate^attempt, capped by MaxDelaySeconds;
JitterStrategy FULL waits a uniformly random share of that; MaxAttempts 0 never retries.
"""

from __future__ import annotations

import random

from designer.asl.errors import error_matches
from designer.asl.model import Retrier


def retry_delay(
    retriers: tuple[Retrier, ...], counts: list[int], error: str, rng: random.Random
) -> float | None:
    """Seconds to wait before retrying after `error`, or None when no retry applies.
    `counts` holds each Retrier's attempts so far and is updated."""
    for i, retrier in enumerate(retriers):
        if not error_matches(tuple(retrier.error_equals), error):
            continue
        if counts[i] >= retrier.max_attempts:
            return None
        delay = retrier.interval_seconds * (retrier.backoff_rate ** counts[i])
        if retrier.max_delay_seconds is not None:
            delay = min(delay, retrier.max_delay_seconds)
        if retrier.jitter_strategy == "FULL":
            delay = rng.uniform(0, delay)
        counts[i] += 1
        return delay
    return None
