/**
 * A state on the run view's graph: the designer's look (accent and icon per type) with the run
 * status around it. The status comes from the run store by state id (its definition path), never
 * from node data; a Map counts its iterations by status.
 */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { createContext, memo, useContext } from "react";

import type { ContainerFlowNode, StateFlowNode } from "../canvas/flow-types";
import { StateIcon } from "../canvas/state-icon";
import { StateName } from "../canvas/state-name";
import { iterationCounts, type RunStatus } from "../live/run-model";
import type { DiffStatus } from "../panels/compare-graph";
import { stateKind } from "../states/registry";
import { useRun } from "./execution-store";

/** With the draft beside the run: states of the run's definition changed or removed since. */
export const RunDiffContext = createContext<ReadonlyMap<string, DiffStatus>>(new Map());

export const STATUS_LABEL: Record<RunStatus | "not-reached", string> = {
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  caught: "Caught",
  aborted: "Aborted",
  "not-reached": "Not reached",
};

function RunStateNodeView({ data, selected }: NodeProps<StateFlowNode | ContainerFlowNode>) {
  const { state } = data;
  const kind = stateKind(state.type);
  const store = useRun();
  const status = store.statuses.get(state.id) ?? "not-reached";
  const visits = store.visitsOf(state.id);
  const counts = state.type === "Map" && visits.length ? iterationCounts(visits) : null;
  const container = state.groupIds.length > 0 && !("collapsed" in data && data.collapsed);
  const service = "service" in data ? data.service : undefined;
  const diff = useContext(RunDiffContext).get(state.id);
  return (
    <div
      className={`run-node ${container ? "run-container" : "run-state"} run-${status}${selected || store.selected === state.id ? " selected" : ""}${diff ? ` diff-${diff}` : ""}`}
      data-diff={diff}
      style={{ "--accent": kind.color } as React.CSSProperties}
      data-state-name={state.name}
      data-run-status={status}
      title={`${state.name}: ${STATUS_LABEL[status]}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="run-node-head">
        <div className="run-node-icon">
          <StateIcon path={kind.icon} color={kind.color} />
        </div>
        <div className="run-node-text">
          <div className="run-node-name">
            <StateName name={state.name} />
          </div>
          {counts ? (
            <div className="run-node-meta run-iterations" aria-label="Iterations">
              {(["succeeded", "failed", "running", "aborted"] as const).map((key) =>
                counts[key] || key === "succeeded" ? (
                  <span key={key} className={`run-iter run-iter-${key}`} data-count={key}>
                    {counts[key]} {STATUS_LABEL[key].toLowerCase()}
                  </span>
                ) : null,
              )}
            </div>
          ) : (
            <div className="run-node-meta">{service ? `${service} · ${state.type}` : state.type}</div>
          )}
        </div>
        <span className={`run-pip run-pip-${status}`} aria-label={STATUS_LABEL[status]}>
          {visits.length > 1 ? `×${visits.length}` : ""}
        </span>
      </div>
      {/* A Succeed or Fail state's handle only carries its arrow to the end marker. */}
      <Handle type="source" position={Position.Bottom} isConnectable={false} className={kind.terminal ? "end-handle" : undefined} />
    </div>
  );
}

export const RunStateNode = memo(RunStateNodeView);
