/** The run view: header, live graph beside the selected state, execution payloads, events. */
import { ReactFlowProvider } from "@xyflow/react";

import type { ExecutionData, PendingTask } from "./execution-data";
import { ExecutionEvents } from "./execution-events";
import { ExecutionGraph } from "./execution-graph";
import { ExecutionHeader } from "./execution-header";
import { JsonBlock } from "./execution-json";
import { StatePanel } from "./execution-state-panel";
import { useRun } from "./execution-store";

export function ExecutionApp({ data, tasks }: { data: ExecutionData; tasks: PendingTask[] }) {
  const store = useRun();
  const outcome = store.run.execution;
  const ended = outcome.status !== "RUNNING";
  return (
    <div className="run-view">
      <ExecutionHeader data={data} tasks={tasks} />
      <div className="run-main">
        <section className="run-card run-graph" aria-label="Graph">
          <ReactFlowProvider>
            <ExecutionGraph />
          </ReactFlowProvider>
        </section>
        <StatePanel />
      </div>
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
