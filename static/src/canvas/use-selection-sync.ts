/**
 * xyflow's selection into the store: the selected states (the store keeps them by id, so the
 * inspector and the code view follow), the selected arrows to the caller (Delete removes them).
 */
import type { OnSelectionChangeParams } from "@xyflow/react";
import { useCallback } from "react";

import type { EditorStore } from "../store";

export function useSelectionSync(store: EditorStore, onEdgeSelection: (ids: string[]) => void) {
  return useCallback(
    ({ nodes: chosen, edges }: OnSelectionChangeParams) => {
      const ids = chosen.filter((n) => n.type === "state" || n.type === "container").map((n) => n.id);
      const current = store.getState().selected;
      if (ids.length !== current.length || ids.some((id, i) => id !== current[i])) store.getState().select(ids);
      onEdgeSelection(edges.map((e) => e.id));
    },
    [store, onEdgeSelection],
  );
}
