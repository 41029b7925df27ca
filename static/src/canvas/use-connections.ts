/**
 * Arrows drawn and moved by hand: a new connection becomes a transition (Next, or a Choice's
 * Default, then a new rule), a moved arrow end re-targets its reference. A transition stays
 * inside its own branch or processor.
 */
import type { Connection } from "@xyflow/react";
import { useCallback } from "react";

import { connect, reconnect } from "../graph/edit";
import type { EditorStore } from "../store";
import type { TransitionFlowEdge } from "./flow-types";

function stateOf(store: EditorStore, id: string) {
  return store.getState().graph.states.find((s) => s.id === id);
}

export function useConnections(store: EditorStore) {
  const onConnect = useCallback(
    (connection: Connection) => {
      const source = stateOf(store, connection.source);
      const target = stateOf(store, connection.target);
      if (!source || !target) return;
      if (source.groupId !== target.groupId) {
        store.setState({ editError: "A transition stays inside its own branch or processor" });
        return;
      }
      store.getState().apply(connect(store.getState().doc.root, source.scope, source.name, target.name));
    },
    [store],
  );

  const onReconnect = useCallback(
    (old: TransitionFlowEdge, connection: Connection) => {
      const edge = store.getState().graph.edges.find((e) => e.id === old.id);
      const source = edge && stateOf(store, edge.source);
      const target = stateOf(store, connection.target);
      if (!edge || !source || !target || source.groupId !== target.groupId) return;
      store.getState().apply(reconnect(edge, target.name));
    },
    [store],
  );

  return { onConnect, onReconnect };
}
