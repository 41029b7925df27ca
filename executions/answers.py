"""The engine's answers from the outside world (task results, keyed ids), logged append-only
with the history rows instead of rewritten whole in every checkpoint.

A checkpoint used to carry every answer so far, and every transition rewrote it: a Map of
1,000 Task iterations wrote its first answer 1,000 times, quadratic bytes in the number of
tasks. Now each commit attaches the answers it is the first to see to the last of its event
rows (under ``_answers``, a key GetExecutionHistory leaves out), in the same transaction as the
events and the checkpoint; the checkpoint keeps only the answers of a commit without events.
A resume (or a redrive) gathers them back from the rows in event order, then the checkpoint's.
What the engine's replay sees is therefore exactly what it saw before: the answers known at the
last commit.

Answers are stored as JSON text, not as objects: PostgreSQL's jsonb reorders object keys (by
length, then bytes), and a task's result replayed with its keys reordered serializes to another
output than the one its event recorded, so the resumed run diverges (found by the soak).
"""

from __future__ import annotations

import json

KEY = "_answers"


def _stored(answers: dict) -> str:
    return json.dumps(answers, separators=(",", ":"))


def _loaded(stored: dict | str) -> dict:
    # Rows and checkpoints written before answers were kept as text hold objects.
    return json.loads(stored) if isinstance(stored, str) else stored


class AnswerLog:
    """Which answers of one running execution are committed already."""

    def __init__(self, logged: dict | None = None) -> None:
        # key -> the answer object committed; the engine replaces an answer, never edits one.
        self.logged: dict[str, dict] = dict(logged or {})

    def split(self, events: list[dict], checkpoint: dict | None) -> tuple[list[dict], dict | None, dict]:
        """The events and checkpoint to commit, with the answers not yet committed moved onto
        the last event (or left in the checkpoint when there is none), and those answers, to
        ``mark`` once the commit succeeded."""
        if checkpoint is None:
            return events, checkpoint, {}
        results = unlogged(checkpoint)
        new = {key: answer for key, answer in results.items() if self.logged.get(key) is not answer}
        if not events:
            return events, {**checkpoint, "results": _stored(new)}, {}
        if new:
            events = [*events[:-1], {**events[-1], KEY: _stored(new)}]
        return events, {**checkpoint, "results": {}}, new

    def mark(self, committed: dict) -> None:
        self.logged.update(committed)


def gather(events: list[dict]) -> tuple[list[dict], dict]:
    """The stored events without their logged answers, and those answers in commit order."""
    answers: dict = {}
    clean = []
    for event in events:
        if KEY in event:
            event = dict(event)
            answers.update(_loaded(event.pop(KEY)))
        clean.append(event)
    return clean, answers


def unlogged(checkpoint: dict) -> dict:
    """The answers a stored checkpoint holds (those of a commit without events)."""
    return _loaded(checkpoint.get("results") or {})
