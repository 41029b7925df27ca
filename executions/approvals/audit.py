"""The approvals audit log as CSV: every decision on the requests of an account (who, when, what,
the comment, from which address, what became of it), streamed row by row (Django's "Streaming
large CSV files"), so a long history never sits in memory."""

import csv
from collections.abc import Iterator

from executions.approvals.models import ApprovalDecision, DecisionOutcome

HEADER = [
    "at",
    "request",
    "title",
    "target",
    "step",
    "reviewer",
    "decision",
    "comment",
    "address",
    "outcome",
    "error",
]
# A cell that starts with one of these is a formula to a spreadsheet (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object that hands back what is written, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows(account_id: str | None) -> Iterator[str]:
    """CSV lines of the decisions on ``account_id``'s requests (every account's for None), oldest
    first."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    decisions = ApprovalDecision.objects.select_related("request__target", "request__task").order_by(
        "at", "id"
    )
    if account_id is not None:
        decisions = decisions.filter(request__account_id=account_id)
    labels: dict[tuple[int, int], str] = {}
    for decision in decisions.iterator(chunk_size=500):
        request = decision.request
        key = (request.pk, decision.step)
        if key not in labels:
            labels[key] = next(
                (s.label for s in request.steps.filter(position=decision.step)), f"step {decision.step + 1}"
            )
        closed = decision.outcome == DecisionOutcome.CLOSED  # the run stopped waiting
        what = (
            "approve"
            if decision.approve
            else ("close" if closed else "reject" if decision.username else "expire")
        )
        yield writer.writerow(
            [
                _cell(decision.at.isoformat()),
                request.pk,
                _cell(request.title),
                _cell(request.target.name if request.target else "(local run)"),
                _cell(labels[key]),
                _cell(decision.username or ("(run)" if closed else "(deadline)")),
                what,
                _cell(decision.comment),
                _cell(decision.address),
                decision.outcome,
                _cell(decision.error),
            ]
        )
