/**
 * A state on the run view's graph: the designer's look (accent and icon per type) with the run
 * status around it. The status comes from the run store by state name, never from node data.
 */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";

import type { ContainerFlowNode, StateFlowNode } from "../canvas/flow-types";
import { StateIcon } from "../canvas/state-icon";
import type { RunStatus } from "../live/run-model";
import { stateKind } from "../states/registry";
import { useRun } from "./execution-store";

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
  const status = store.statuses.get(state.name) ?? "not-reached";
  const visits = store.run.byName.get(state.name)?.length ?? 0;
  const container = state.groupIds.length > 0 && !("collapsed" in data && data.collapsed);
  const service = "service" in data ? data.service : undefined;
  return (
    <div
      className={`run-node ${container ? "run-container" : "run-state"} run-${status}${selected || store.selected === state.name ? " selected" : ""}`}
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
          <div className="run-node-name">{state.name}</div>
          <div className="run-node-meta">{service ? `${service} · ${state.type}` : state.type}</div>
        </div>
        <span className={`run-pip run-pip-${status}`} aria-label={STATUS_LABEL[status]}>
          {visits > 1 ? `×${visits}` : ""}
        </span>
      </div>
      {!kind.terminal && <Handle type="source" position={Position.Bottom} isConnectable={false} />}
    </div>
  );
}

export const RunStateNode = memo(RunStateNodeView);
