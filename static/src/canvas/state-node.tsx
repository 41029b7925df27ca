/** A state on the canvas: accent and icon by type, service badge for integrations. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";

import { stateKind } from "../states/registry";
import type { StateFlowNode } from "./flow-types";
import { NodeBadges, useCompareClass } from "./node-badges";
import { StateIcon } from "./state-icon";
import { StateName } from "./state-name";

function StateNodeView({ id, data, selected }: NodeProps<StateFlowNode>) {
  const { state, service } = data;
  const kind = stateKind(state.type);
  const compare = useCompareClass(id);
  return (
    <div
      className={`state-node type-${kind.type.toLowerCase()}${selected ? " selected" : ""}${compare}`}
      style={{ "--accent": kind.color } as React.CSSProperties}
      data-state-name={state.name}
      title={state.name}
    >
      <Handle type="target" position={Position.Top} />
      <div className="state-icon">
        <StateIcon path={kind.icon} color={kind.color} />
      </div>
      <div className="state-text">
        <div className="state-name">
          <StateName name={state.name} />
        </div>
        <div className="state-meta">{service ? `${service} · ${state.type}` : state.type}</div>
      </div>
      <NodeBadges id={id} hasRetry={state.hasRetry} hasCatch={state.hasCatch} />
      {/* A Succeed or Fail state has no transition to draw from, only its arrow to the end marker. */}
      {kind.terminal ? <Handle type="source" position={Position.Bottom} isConnectable={false} className="end-handle" /> : <Handle type="source" position={Position.Bottom} />}
    </div>
  );
}

export const StateNode = memo(StateNodeView);
