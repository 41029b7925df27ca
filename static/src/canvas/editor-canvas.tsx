/**
 * The canvas: <ReactFlow> wired to the store. Node data is derived from the ASL graph; drags
 * pin positions in the layout record; connect/reconnect/delete/drop become graph edits.
 */
import {
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type EdgeTypes,
  type NodeChange,
  type NodeTypes,
  type OnSelectionChangeParams,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { connect, reconnect } from "../graph/edit";
import { startMarkerId } from "../layout/elk-layout";
import { freeSpot } from "../layout/free-spot";
import { STATE_SIZE } from "../layout/sizes";
import { useLayout } from "../layout/use-layout";
import { useEditor, useEditorStore } from "../store";
import { addNewState, insertNewStateOnEdge, scopeFor } from "../store/editing";
import { stateKind } from "../states/registry";
import { ContainerNode } from "./container-node";
import { toFlow } from "./flow-elements";
import type { FlowNode, TransitionFlowEdge } from "./flow-types";
import { GroupNode } from "./group-node";
import { LevelOfDetail } from "./level-of-detail";
import { MarkerNode } from "./marker-node";
import { readPaletteDrop } from "./palette-drop";
import { StateNode } from "./state-node";
import { TransitionEdge } from "./transition-edge";

/** Past this many states the canvas opens at the start rather than fitting everything. */
const LARGE = 80;

const nodeTypes: NodeTypes = { state: StateNode, container: ContainerNode, group: GroupNode, marker: MarkerNode };
const edgeTypes: EdgeTypes = { transition: TransitionEdge };

function reuse<T>(old: T | undefined, fresh: T, same: (a: T, b: T) => boolean): T {
  return old !== undefined && same(old, fresh) ? old : fresh;
}

function sameNode(a: FlowNode, b: FlowNode): boolean {
  if (a.type !== b.type || a.parentId !== b.parentId || a.selected !== b.selected || a.hidden !== b.hidden) return false;
  if (a.position.x !== b.position.x || a.position.y !== b.position.y || a.width !== b.width || a.height !== b.height) return false;
  return JSON.stringify(a.data) === JSON.stringify(b.data);
}

function sameEdge(a: TransitionFlowEdge, b: TransitionFlowEdge): boolean {
  if (a.source !== b.source || a.target !== b.target || a.data?.kind !== b.data?.kind || a.data?.label !== b.data?.label) return false;
  if (a.data?.labelSlot !== b.data?.labelSlot || a.data?.stub !== b.data?.stub) return false;
  return JSON.stringify(a.data?.route) === JSON.stringify(b.data?.route);
}

export function EditorCanvas({ onEdgeSelection }: { onEdgeSelection(ids: string[]): void }) {
  const store = useEditorStore();
  const graph = useEditor((s) => s.graph);
  const positions = useEditor((s) => s.positions);
  const collapsed = useEditor((s) => s.collapsed);
  const selected = useEditor((s) => s.selected);
  const fitRequest = useEditor((s) => s.fitRequest);
  const { boxes, routes, ready } = useLayout(graph, collapsed);
  const flow = useReactFlow();
  const flowStore = useStoreApi();

  // Nodes and edges that did not change keep their identity (the measured node xyflow holds, for
  // nodes), so an edit re-renders and re-measures only what it touched.
  const current = useRef<{ nodes: Map<string, FlowNode>; edges: Map<string, TransitionFlowEdge> }>({ nodes: new Map(), edges: new Map() });
  const derived = useMemo(() => {
    // Nothing is drawn before the first layout: every node would sit at the origin.
    if (boxes.size === 0) return { nodes: [], edges: [] };
    const fresh = toFlow({ graph, boxes, routes, positions, collapsed: new Set(collapsed), selected: new Set(selected) });
    const nodes = fresh.nodes.map((node) => reuse(current.current.nodes.get(node.id), node, sameNode));
    const edges = fresh.edges.map((edge) => reuse(current.current.edges.get(edge.id), edge, sameEdge));
    current.current = { nodes: new Map(nodes.map((n) => [n.id, n])), edges: new Map(edges.map((e) => [e.id, e])) };
    return { nodes, edges };
  }, [graph, boxes, routes, positions, collapsed, selected]);
  const [nodes, setNodes] = useState<FlowNode[]>(derived.nodes);
  useEffect(() => setNodes(derived.nodes), [derived.nodes]);

  // Fit once the first layout lands, and whenever asked (Auto-layout).
  const fitted = useRef(false);
  const fitAsked = useRef(fitRequest);
  useEffect(() => {
    if (!ready) return;
    if (!fitted.current || fitAsked.current !== fitRequest) {
      fitted.current = true;
      fitAsked.current = fitRequest;
      const start = boxes.get(startMarkerId(""));
      // A large definition fitted whole is unreadable: open at its start instead.
      if (graph.states.length > LARGE && start) {
        // At this zoom the names alone are drawn, ~12 px on screen (LevelOfDetail): a screenful of
        // states from the start marker down.
        const zoom = 0.5;
        const below = (flowStore.getState().height || 800) / zoom / 2 - 40;
        requestAnimationFrame(() => void flow.setCenter(start.x + 14, start.y + below, { zoom, duration: 0 }));
      } else requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1.1, duration: 0 }));
    }
    // Fitting depends on the layout being ready, not on every later graph change.
  }, [ready, fitRequest, flow]);

  // A state added off screen (placed beside its neighbours, or pasted) is brought into view by the
  // smallest pan; the zoom and the other nodes' places stay.
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  // Fit view shows the whole graph however large: the zoom may go as low as fitting it takes.
  const minZoom = useMemo(() => {
    let [right, bottom] = [0, 0];
    for (const box of boxes.values()) [right, bottom] = [Math.max(right, box.x + box.width), Math.max(bottom, box.y + box.height)];
    return right && width && height ? Math.min(0.05, (0.85 * Math.min(width / right, height / bottom))) : 0.05;
  }, [boxes, width, height]);
  const flowSize = useRef({ width, height });
  flowSize.current = { width, height };
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    const before = seen.current;
    seen.current = new Set(derived.nodes.filter((n) => !n.hidden).map((n) => n.id));
    if (!before || before.size === 0) return;
    const added = derived.nodes.filter((n) => !before.has(n.id) && !n.hidden && (n.type === "state" || n.type === "container")).map((n) => n.id);
    if (added.length === 0) return;
    const frame = requestAnimationFrame(() => {
      const { width, height } = flowSize.current;
      const bounds = flow.getNodesBounds(added);
      const { x, y, zoom } = flow.getViewport();
      const margin = 40;
      const pan = (start: number, size: number, view: number, offset: number) => {
        const [low, high] = [start * zoom + offset, (start + size) * zoom + offset];
        if (high - low > view - 2 * margin || low < margin) return margin - low;
        return high > view - margin ? view - margin - high : 0;
      };
      const dx = pan(bounds.x, bounds.width, width, x);
      const dy = pan(bounds.y, bounds.height, height, y);
      if (dx || dy) void flow.setViewport({ x: x + dx, y: y + dy, zoom }, { duration: 200 });
    });
    return () => cancelAnimationFrame(frame);
  }, [derived.nodes, flow]);

  // A side panel shown or hidden makes the canvas wider or narrower while the window keeps its
  // width: fit again, or on a large graph keep what was in the middle in the middle. (Its height
  // follows the problems list, which must not move the view.)
  const size = useRef({ width, window: window.innerWidth });
  useEffect(() => {
    const before = size.current;
    size.current = { width, window: window.innerWidth };
    if (!fitted.current || before.width === 0 || before.width === width || before.window !== window.innerWidth) return;
    if (store.getState().graph.states.length > LARGE) {
      const { x, y, zoom } = flow.getViewport();
      void flow.setViewport({ x: x + (width - before.width) / 2, y, zoom });
    } else void flow.fitView({ padding: 0.15, maxZoom: 1.1, duration: 0 });
  }, [width, flow, store]);

  // The minimap draws every node: it comes after the canvas is usable, not before.
  const [mapShown, setMapShown] = useState(false);
  useEffect(() => {
    if (!ready || mapShown) return;
    const id = requestIdleCallback(() => setMapShown(true), { timeout: 1000 });
    return () => cancelIdleCallback(id);
  }, [ready, mapShown]);

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    setNodes((nodes) => {
      const next = applyNodeChanges(
        changes.filter((c) => c.type !== "remove"),
        nodes,
      );
      // Remember the measured objects, so the next derivation reuses them.
      for (const node of next) current.current.nodes.set(node.id, node);
      return next;
    });
  }, []);

  const onNodeDragStop = useCallback(
    (_: unknown, __: FlowNode, dragged: FlowNode[]) => {
      for (const node of dragged) if (node.type === "state" || node.type === "container") store.getState().pin(node.id, node.position);
    },
    [store],
  );

  const onSelectionChange = useCallback(
    ({ nodes: chosen, edges }: OnSelectionChangeParams) => {
      const ids = chosen.filter((n) => n.type === "state" || n.type === "container").map((n) => n.id);
      const current = store.getState().selected;
      if (ids.length !== current.length || ids.some((id, i) => id !== current[i])) store.getState().select(ids);
      onEdgeSelection(edges.map((e) => e.id));
    },
    [store, onEdgeSelection],
  );

  const nameOf = (id: string) => store.getState().graph.states.find((s) => s.id === id);

  const onConnect = useCallback(
    (connection: Connection) => {
      const source = nameOf(connection.source);
      const target = nameOf(connection.target);
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
      const source = edge && nameOf(edge.source);
      const target = nameOf(connection.target);
      if (!edge || !source || !target || source.groupId !== target.groupId) return;
      store.getState().apply(reconnect(edge, target.name));
    },
    [store],
  );

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

  return (
    <ReactFlow<FlowNode, TransitionFlowEdge>
      nodes={nodes}
      edges={derived.edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onNodeDragStop={onNodeDragStop}
      onSelectionChange={onSelectionChange}
      onConnect={onConnect}
      onReconnect={onReconnect}
      onDrop={onDrop}
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
      }}
      deleteKeyCode={null}
      // Raising a selected node would raise its arrows too, over its own handles.
      elevateNodesOnSelect={false}
      multiSelectionKeyCode={["Shift", "Meta", "Control"]}
      selectionKeyCode="Shift"
      minZoom={minZoom}
      maxZoom={2}
      onlyRenderVisibleElements={graph.states.length > 300}
      proOptions={{ hideAttribution: true }}
      data-layout-ready={ready || fitted.current}
    >
      <LevelOfDetail />
      <Background gap={20} size={1} color="#d5dbe5" />
      <Controls showInteractive={false} />
      {mapShown && <MiniMap pannable zoomable nodeColor={(n) => (n.type === "state" || n.type === "container" ? stateKind((n as FlowNode & { data: { state: { type: string } } }).data.state.type).color : "#cbd5e1")} />}
    </ReactFlow>
  );
}
