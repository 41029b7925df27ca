/** The run view: header, live graph beside the selected state, the steps as a table or a
 * timeline, execution payloads, events. */
import { ReactFlowProvider } from "@xyflow/react";
import { useMemo, useState } from "react";

import type { ExecutionData, PendingTask } from "./execution-data";
import { DraftCompare, useDraftDiff } from "./execution-draft-compare";
import { ExecutionEvents } from "./execution-events";
import { ExecutionGraph } from "./execution-graph";
import { ExecutionHeader } from "./execution-header";
import { JsonBlock } from "./execution-json";
import { RunDiffContext } from "./execution-run-node";
import { StatePanel } from "./execution-state-panel";
import { ExecutionSteps } from "./execution-steps";
import { useRun } from "./execution-store";
import { ExecutionTimeline } from "./execution-timeline";

export function ExecutionApp({ data, tasks }: { data: ExecutionData; tasks: PendingTask[] }) {
  const store = useRun();
  const outcome = store.run.execution;
  const ended = outcome.status !== "RUNNING";
  const [view, setView] = useState<"table" | "timeline">("table");
  const [comparing, setComparing] = useState(false);
  const draft = useDraftDiff(data.workflow, data.definition, comparing);
  const noMarks = useMemo(() => new Map(), []);
  return (
    <div className="run-view">
      <ExecutionHeader data={data} tasks={tasks} />
      <div className={`run-main${comparing ? " comparing" : ""}`}>
        <section className="run-card run-graph" aria-label="Graph">
          {data.workflow && (
            <button type="button" className="btn run-compare-toggle" aria-pressed={comparing} onClick={() => setComparing(!comparing)} title="Show the workflow's draft beside this run, with the states changed since">
              {comparing ? "Hide the draft" : "Compare with the draft"}
            </button>
          )}
          <RunDiffContext.Provider value={comparing && draft.result ? draft.result.runMarks : noMarks}>
            <ReactFlowProvider>
              <ExecutionGraph />
            </ReactFlowProvider>
          </RunDiffContext.Provider>
        </section>
        {comparing && data.workflow ? <DraftCompare result={draft.result} error={draft.error} pageUrl={data.workflow.links.page} /> : <StatePanel logsUrl={data.logsUrl} workflow={data.workflow} />}
      </div>
      <section className="run-card run-steps-card" aria-label="Steps">
        <div className="run-card-head">
          <h2>Steps</h2>
          <div className="run-tabs" role="tablist" aria-label="Show the steps as">
            {(["table", "timeline"] as const).map((tab) => (
              <button key={tab} type="button" role="tab" aria-selected={view === tab} className={view === tab ? "chosen" : ""} onClick={() => setView(tab)}>
                {tab === "table" ? "Table" : "Timeline"}
              </button>
            ))}
          </div>
        </div>
        {view === "table" ? <ExecutionSteps /> : <ExecutionTimeline startedAt={data.startedAt} />}
      </section>
      <div className={`run-payloads${outcome.error ? " with-error" : ""}`}>
        <div className="run-card">
          <JsonBlock title="Input" value={outcome.input} empty="Loading…" />
        </div>
        <div className="run-card">
          <JsonBlock title="Output" value={outcome.output} empty={ended ? "—" : "Not yet: the execution is running."} />
        </div>
        {outcome.error && (
          <div className="run-card">
            <JsonBlock title="Error" value={outcome.error} tone="error" />
            {outcome.cause && <JsonBlock title="Cause" value={outcome.cause} tone="error" />}
          </div>
        )}
      </div>
      <ExecutionEvents />
    </div>
  );
}
