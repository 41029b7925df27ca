/**
 * The approval page, once decided (templates/executions/task_approval.html `#approval-outcome`):
 * follows the execution's live history and says what the workflow did with the answer.
 */
import { createRoot } from "react-dom/client";

import { decisionOutcome, type DecisionOutcome } from "../live/decision-outcome";
import { streamExecution } from "../live/execution-stream";
import { applyEvent, createRun } from "../live/run-model";

const STATUS_TEXT: Record<string, string> = { RUNNING: "Running", SUCCEEDED: "Succeeded", FAILED: "Failed", TIMED_OUT: "Timed out", ABORTED: "Aborted", PENDING_REDRIVE: "Pending redrive" };

function Outcome({ outcome, executionUrl }: { outcome: DecisionOutcome; executionUrl: string }) {
  return (
    <>
      <h2>What the workflow did with your answer</h2>
      <p>
        <span className={`run-badge status-${outcome.status.toLowerCase()}`} data-status={outcome.status} id="approval-outcome-status">
          {STATUS_TEXT[outcome.status] ?? outcome.status}
        </span>
        {outcome.status === "RUNNING" && <span className="muted"> · following it live</span>}
      </p>
      {outcome.sentences.map((sentence) => (
        <p key={sentence} className={outcome.failedAt && sentence.startsWith("The execution") ? "approval-outcome-failure" : undefined}>
          {sentence}
        </p>
      ))}
      <a className="btn" href={executionUrl}>
        Open the execution
      </a>
    </>
  );
}

export function followDecision(element: HTMLElement): void {
  const { executionId, state, executionUrl } = element.dataset;
  if (!executionId || !state || !executionUrl) return;
  const run = createRun();
  const root = createRoot(element);
  let frame = 0;
  // Many events may arrive at once (the backlog): draw once per frame.
  const render = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => root.render(<Outcome outcome={decisionOutcome(run, state)} executionUrl={executionUrl} />));
  };
  streamExecution({
    executionId,
    lastEventId: () => run.lastEventId,
    onEvents: (events) => events.filter((event) => applyEvent(run, event)).length > 0 && render(),
    onStatus: render,
  });
}
