/** A Parallel branch or Map item processor: a labelled lane inside its container. */
import type { NodeProps } from "@xyflow/react";
import { memo } from "react";

import type { GroupFlowNode } from "./flow-types";

function GroupNodeView({ data }: NodeProps<GroupFlowNode>) {
  return (
    <div className={`group-node group-${data.group.kind}`} data-group-id={data.group.id}>
      <div className="group-label">{data.group.label}</div>
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);
