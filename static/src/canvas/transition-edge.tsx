/** A transition: styled by kind (Next, Choice rule, Default, Catch), labelled as text (never HTML). */
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from "@xyflow/react";
import { memo } from "react";

import type { TransitionFlowEdge } from "./flow-types";

function TransitionEdgeView(props: EdgeProps<TransitionFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd, selected } = props;
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 10, offset: 18 });
  const kind = data?.kind ?? "next";
  // Rule, Default and Catch labels sit just above their target, so a Choice's many labels spread out.
  const nearTarget = kind === "choice" || kind === "default" || kind === "catch";
  const x = nearTarget ? targetX : labelX;
  const y = nearTarget ? targetY - 22 : labelY;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`edge-${kind}${selected ? " selected" : ""}`} interactionWidth={18} />
      {data?.label && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label edge-label-${kind}${selected ? " selected" : ""} nopan`}
            style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
            data-edge-id={id}
            title={data.label}
          >
            {data.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const TransitionEdge = memo(TransitionEdgeView);
