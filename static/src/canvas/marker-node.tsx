/** Start and end markers of a scope. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";

import type { MarkerFlowNode } from "./flow-types";

function MarkerNodeView({ data }: NodeProps<MarkerFlowNode>) {
  return (
    <div className={`marker-node marker-${data.kind}`} title={data.kind === "start" ? "Start" : "End"}>
      {data.kind === "end" && <Handle type="target" position={Position.Top} isConnectable={false} />}
      {data.kind === "start" ? "▶" : ""}
      {data.kind === "start" && <Handle type="source" position={Position.Bottom} isConnectable={false} />}
    </div>
  );
}

export const MarkerNode = memo(MarkerNodeView);
