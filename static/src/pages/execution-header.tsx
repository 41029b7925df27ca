/** Name, status badge, state machine, times, the Stop or Redrive button, and steps waiting for a decision. */
import { lazy, Suspense, useState } from "react";

import { formatDate, formatDuration } from "./execution-format";
import type { ExecutionData, PendingTask } from "./execution-data";
import { useRun } from "./execution-store";
import { useNow } from "./use-now";

const STATUS_TEXT: Record<string, string> = {
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  TIMED_OUT: "Timed out",
  ABORTED: "Aborted",
  PENDING_REDRIVE: "Pending redrive",
};
// RedriveExecution takes these (within 14 days; the server says so if it refuses).
const REDRIVABLE = new Set(["FAILED", "TIMED_OUT", "ABORTED"]);
const RunDialog = lazy(() => import("../run/run-dialog").then((m) => ({ default: m.RunDialog })));

export function ExecutionHeader({ data, tasks }: { data: ExecutionData; tasks: PendingTask[] }) {
  const store = useRun();
  const status = store.run.execution.status !== "RUNNING" ? store.run.execution.status : store.status;
  const running = status === "RUNNING";
  const last = store.run.events[store.run.events.length - 1];
  const stoppedAt = running ? null : (data.stoppedAt ?? last?.timestamp ?? null);
  const now = useNow(running);
  const [rerun, setRerun] = useState(false);
  const workflow = data.workflow;
  const waiting = running ? tasks.filter((t) => store.run.byName.get(t.state)?.some((visit) => visit.status === "running")) : [];
  return (
    <header className="run-card run-header">
      <div className="run-title">
        <div>
          <p className="run-crumbs">
            <a href={data.listUrl}>Executions</a> / {workflow ? <a href={workflow.links.page} title="Open the workflow in the editor">{data.stateMachineName}</a> : data.stateMachineName}
          </p>
          <h1>{data.name}</h1>
        </div>
        <span className={`run-badge run-badge-lg status-${status.toLowerCase()}`} id="execution-status" data-status={status}>
          {STATUS_TEXT[status] ?? status}
        </span>
        {running && (
          <span className={`run-live${store.connected ? " on" : ""}`} title={store.connected ? "Receiving events live" : "The connection dropped; trying again"}>
            {store.connected ? "Live" : "Reconnecting…"}
          </span>
        )}
        <div className="run-actions">
          {workflow?.canRun && (
            <button className="btn" type="button" onClick={() => setRerun(true)} title="Start a new execution with this execution's input (you can change it first)">
              Run again with this input
            </button>
          )}
          {running && data.mayRun && (
            <form method="post" action={data.stopUrl}>
              <input type="hidden" name="csrfmiddlewaretoken" value={data.csrfToken} />
              <button className="btn btn-danger" type="submit">
                Stop execution
              </button>
            </form>
          )}
          {REDRIVABLE.has(status) && data.mayRun && (
            <form method="post" action={data.redriveUrl}>
              <input type="hidden" name="csrfmiddlewaretoken" value={data.csrfToken} />
              <button
                className="btn btn-primary"
                type="submit"
                title="Continue this execution from the step that did not succeed, with the same input; the steps that succeeded are not run again"
              >
                Redrive
              </button>
            </form>
          )}
        </div>
      </div>
      <dl className="run-facts">
        <div>
          <dt>State machine</dt>
          <dd>
            {data.stateMachineName}
            {workflow ? <span className="run-muted"> · workflow {workflow.source}</span> : data.version && <span className="run-muted"> · version {data.version}</span>}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDate(data.startedAt)}</dd>
        </div>
        <div>
          <dt>Stopped</dt>
          <dd>{formatDate(stoppedAt)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{stoppedAt != null ? formatDuration(stoppedAt - data.startedAt) : `${formatDuration(now - data.startedAt)} so far`}</dd>
        </div>
        {data.redriveCount > 0 && (
          <div>
            <dt>Redrives</dt>
            <dd>{data.redriveCount}</dd>
          </div>
        )}
        <div className="run-arn">
          <dt>ARN</dt>
          <dd>
            <code>{data.arn}</code>
          </dd>
        </div>
      </dl>
      {rerun && workflow && (
        <Suspense fallback={null}>
          <RunDialog workflow={workflow} initialTarget={workflow.version ?? "draft"} initialInput={workflow.input} onClose={() => setRerun(false)} />
        </Suspense>
      )}
      {waiting.map((task) => (
        <p className="run-waiting" key={task.url} role="status">
          <strong>{task.state}</strong> is waiting for a decision. <a className="btn btn-primary btn-sm" href={task.url}>Review and decide</a>
        </p>
      ))}
    </header>
  );
}
