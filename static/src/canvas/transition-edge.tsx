/**
 * A transition: styled by kind (Next, Choice rule, Default, Catch), labelled as text (never HTML).
 * Drawn along ELK's route, its label in the room ELK kept for it, while both ends sit where ELK
 * put them; otherwise (an end dragged, a new node, the quick layout) a step path, its label above
 * the target, stacked with the other labels arriving there, and an arrow to the end marker a stub.
 */
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, useInternalNode, type EdgeProps } from "@xyflow/react";
import { memo } from "react";

import type { Point } from "../layout/elk-layout";
import type { FlowRoute, TransitionFlowEdge } from "./flow-types";

const CORNER = 8;
const LABEL_STACK = 22;
const STUB = 22;

const near = (a: Point, b: Point) => Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5;

/** An orthogonal polyline with its corners rounded. */
export function routePath(points: Point[]): string {
  let path = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(CORNER, Math.hypot(b.x - a.x, b.y - a.y) / 2, Math.hypot(c.x - b.x, c.y - b.y) / 2);
    const towards = (from: Point, to: Point, d: number) => {
      const length = Math.hypot(to.x - from.x, to.y - from.y) || 1;
      return { x: from.x + ((to.x - from.x) * d) / length, y: from.y + ((to.y - from.y) * d) / length };
    };
    const [enter, leave] = [towards(b, a, r), towards(b, c, r)];
    path += ` L${enter.x},${enter.y} Q${b.x},${b.y} ${leave.x},${leave.y}`;
  }
  const last = points[points.length - 1];
  return `${path} L${last.x},${last.y}`;
}

/** The route in flow coordinates, or null when an end is no longer where ELK put it. */
function useRoute(source: string, target: string, route: FlowRoute | undefined): { points: Point[]; label?: { x: number; y: number; width: number; height: number } } | null {
  const from = useInternalNode(source);
  const to = useInternalNode(target);
  if (!route || !from || !to || !near(from.position, route.sourceAt) || !near(to.position, route.targetAt)) return null;
  // Route coordinates are the scope's: the source's parent's origin, which is where xyflow puts it.
  const dx = from.internals.positionAbsolute.x - from.position.x;
  const dy = from.internals.positionAbsolute.y - from.position.y;
  return {
    points: route.points.map((p) => ({ x: p.x + dx, y: p.y + dy })),
    label: route.label && { ...route.label, x: route.label.x + dx, y: route.label.y + dy },
  };
}

function TransitionEdgeView(props: EdgeProps<TransitionFlowEdge>) {
  const { id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd, selected } = props;
  const routed = useRoute(source, target, data?.route);
  const kind = data?.kind ?? "next";
  let path: string;
  let label: { x: number; y: number; width?: number; height?: number };
  if (routed) {
    path = routePath(routed.points);
    const box = routed.label;
    label = box ? { x: box.x + box.width / 2, y: box.y + box.height / 2, width: box.width, height: box.height } : { x: targetX, y: targetY - LABEL_STACK };
  } else if (data?.stub) {
    // A state that ends, placed since the layout (or moved): a long arrow across the graph to the
    // end marker would cross everything; a stub says "ends here" until the next Auto-layout.
    path = `M${sourceX},${sourceY} L${sourceX},${sourceY + STUB}`;
    label = { x: sourceX, y: sourceY };
  } else {
    const [step, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 10, offset: 18 });
    path = step;
    // Rule, Default and Catch labels sit above their target, so a Choice's many labels spread out.
    const nearTarget = kind === "choice" || kind === "default" || kind === "catch";
    label = nearTarget ? { x: targetX, y: targetY - LABEL_STACK * (1 + (data?.labelSlot ?? 0)) } : { x: labelX, y: labelY };
  }
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`edge-${kind}${selected ? " selected" : ""}`} interactionWidth={18} />
      {data?.label && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label edge-label-${kind}${selected ? " selected" : ""} nopan`}
            style={{
              transform: `translate(-50%, -50%) translate(${label.x}px, ${label.y}px)`,
              // In the room ELK kept for it: that size exactly, so it overlaps nothing.
              ...(label.width ? { width: label.width, height: label.height, lineHeight: `${label.height! - 2}px`, padding: "0 6px", boxSizing: "border-box", textAlign: "center" } : {}),
            }}
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
