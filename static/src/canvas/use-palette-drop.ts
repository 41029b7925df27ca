/**
 * A palette item dropped on the canvas: onto an arrow it goes between the arrow's two states;
 * elsewhere it lands where it was dropped (inside the branch or processor dropped into), moved
 * to the nearest spot that covers nothing.
 */
import { useReactFlow } from "@xyflow/react";
import { useCallback } from "react";

import { freeSpot } from "../layout/free-spot";
import { STATE_SIZE } from "../layout/sizes";
import type { EditorStore } from "../store";
import { addNewState, insertNewStateOnEdge, scopeFor } from "../store/editing";
import { readPaletteDrop } from "./palette-drop";

export function usePaletteDrop(store: EditorStore) {
  const flow = useReactFlow();

  const onDrop = useCallback(
    (event: React.DragEvent) => {
      event.preventDefault();
      const item = readPaletteDrop(event);
      if (!item) return;
      const element = event.target as Element;
      const edgeId = element.closest("[data-edge-id]")?.getAttribute("data-edge-id") ?? element.closest(".react-flow__edge")?.getAttribute("data-id");
      const edge = edgeId ? store.getState().graph.edges.find((e) => e.id === edgeId) : undefined;
      if (edge) {
        insertNewStateOnEdge(store, edge, item);
        return;
      }
      const groupId = element.closest("[data-group-id]")?.getAttribute("data-group-id") ?? undefined;
      const scope = scopeFor(store, groupId);
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      let position = { x: at.x - 110, y: at.y - 32 };
      if (groupId) {
        const group = flow.getInternalNode(groupId);
        if (group) position = { x: position.x - group.internals.positionAbsolute.x, y: position.y - group.internals.positionAbsolute.y };
      }
      // Next to where it was dropped, on nothing: not over the start marker or another state.
      const siblings = flow
        .getNodes()
        .filter((node) => node.parentId === (groupId ?? undefined) && !node.hidden)
        .map((node) => ({ ...node.position, width: node.measured?.width ?? node.width ?? STATE_SIZE.width, height: node.measured?.height ?? node.height ?? STATE_SIZE.height }));
      const landed = freeSpot({ ...position, ...STATE_SIZE }, siblings);
      addNewState(store, scope, item, { x: landed.x, y: landed.y });
    },
    [store, flow],
  );

  const onDragOver = useCallback((event: React.DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);

  return { onDrop, onDragOver };
}
