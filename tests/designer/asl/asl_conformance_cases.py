"""Recorded AWS executions (../shared/conformance) for driving the evaluators directly."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
CASES_DIR = REPO_ROOT / ".." / "shared" / "conformance" / "cases"
CORPUS_DIR = REPO_ROOT / ".." / "shared" / "asl-corpus"


@cache
def load_cases(category: str) -> tuple[dict[str, Any], ...]:
    """Every case of a category, sorted by id."""
    cases = [json.loads(p.read_text()) for p in sorted((CASES_DIR / category).glob("*.json"))]
    return tuple(sorted(cases, key=lambda case: case["id"]))


def case_input(case: dict[str, Any]) -> Any:
    text = case["input"]
    return {} if text is None else json.loads(text)


def only_state(case: dict[str, Any]) -> dict[str, Any]:
    states = case["definition"]["States"]
    assert len(states) == 1, case["id"]
    return next(iter(states.values()))


def strip_state_prefix(cause: str) -> str:
    """AWS's cause without "An error occurred while executing the state 'X' (...). "."""
    marker = "). "
    if cause.startswith("An error occurred while executing the state") and marker in cause:
        return cause.split(marker, 1)[1]
    return cause
