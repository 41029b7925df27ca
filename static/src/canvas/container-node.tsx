/** A Parallel or Map state drawn as a container of its branches / item processor; collapsible. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";

import { useEditorStore } from "../store";
import { stateKind } from "../states/registry";
import type { ContainerFlowNode } from "./flow-types";
import { NodeBadges, useCompareClass } from "./node-badges";
import { StateIcon } from "./state-icon";
import { StateName } from "./state-name";

function ContainerNodeView({ id, data, selected }: NodeProps<ContainerFlowNode>) {
  const { state, collapsed } = data;
  const kind = stateKind(state.type);
  const store = useEditorStore();
  const compare = useCompareClass(id);
  const count = state.groupIds.length;
  return (
    <div
      className={`container-node type-${kind.type.toLowerCase()}${collapsed ? " collapsed" : ""}${selected ? " selected" : ""}${compare}`}
      style={{ "--accent": kind.color } as React.CSSProperties}
      data-state-name={state.name}
    >
      <Handle type="target" position={Position.Top} />
      <div className="container-header">
        <div className="state-icon">
          <StateIcon path={kind.icon} color={kind.color} />
        </div>
        <div className="state-text">
          <div className="state-name">
            <StateName name={state.name} />
          </div>
          <div className="state-meta">
            {state.type}
            {state.type === "Parallel" ? ` · ${count} branch${count === 1 ? "" : "es"}` : ""}
          </div>
        </div>
        <button
          type="button"
          className="collapse-toggle nodrag"
          title={collapsed ? "Expand" : "Collapse"}
          onClick={(event) => {
            event.stopPropagation();
            store.getState().toggleCollapsed(id);
          }}
        >
          {collapsed ? "+" : "−"}
        </button>
        <NodeBadges id={id} hasRetry={state.hasRetry} hasCatch={state.hasCatch} />
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

export const ContainerNode = memo(ContainerNodeView);
