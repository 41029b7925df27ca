/**
 * The designer: palette | canvas (+ problems) | inspector | code. The toolbar goes into the page's
 * header row (`#editor-toolbar`) when there is one. Palette, inspector and code are toggled panels;
 * the code view (CodeMirror) loads only when first shown.
 */
import { ReactFlowProvider } from "@xyflow/react";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createPortal } from "react-dom";

import { isViewOnly } from "../api/workflows";
import { EditorCanvas } from "../canvas/editor-canvas";
import { FindBox } from "../panels/find-box";
import { Inspector } from "../panels/inspector";
import { Palette } from "../panels/palette";
import { ProblemsList } from "../panels/problems-list";
import { Toolbar, type Panel } from "../panels/toolbar";
import { useShortcuts } from "../panels/use-shortcuts";
import type { RunTarget } from "../run/run-dialog";
import { useEditor, useEditorStore } from "../store";
import { idleLazy } from "./idle-lazy";

const CodeView = lazy(() => import("../panels/code-view").then((m) => ({ default: m.CodeView })));
// Versions/compare and the conflict dialog (with the diff library) come after the first paint.
const VersionsPanel = idleLazy(() => import("../panels/versions-panel").then((m) => m.VersionsPanel));
const ConflictDialog = idleLazy(() => import("../panels/conflict-dialog").then((m) => m.ConflictDialog));
const RunDialog = lazy(() => import("../run/run-dialog").then((m) => ({ default: m.RunDialog })));

/** Below this width the side panels float over the canvas instead of taking columns from it. */
const NARROW = 1100;
const PANELS_KEY = "symphony.editor.panels";

/** The author's last choice, else by width: code beside the graph only on wide screens. */
function initialPanels(): Record<Panel, boolean> {
  const wide = window.innerWidth >= NARROW;
  const byWidth = { palette: wide, inspector: wide, code: window.innerWidth >= 1600 };
  try {
    return { ...byWidth, ...(JSON.parse(localStorage.getItem(PANELS_KEY) ?? "{}") as Partial<Record<Panel, boolean>>) };
  } catch {
    return byWidth;
  }
}

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.innerWidth < NARROW);
  useEffect(() => {
    const query = window.matchMedia(`(max-width: ${NARROW - 0.02}px)`);
    const change = () => setNarrow(query.matches);
    query.addEventListener("change", change);
    return () => query.removeEventListener("change", change);
  }, []);
  return narrow;
}

function Notices() {
  const store = useEditorStore();
  const notice = useEditor((s) => s.notice);
  const offer = useEditor((s) => s.backupOffer);
  if (!notice && !offer) return null;
  return (
    <div className="notice-banner" role="status">
      {offer ? (
        <>
          This browser holds text you did not save ({new Date(offer.at).toLocaleString()}), made before someone saved a newer draft.
          <button type="button" onClick={() => store.getState().restoreBackup()}>
            Restore it
          </button>
          <button type="button" onClick={() => store.getState().discardBackup()}>
            Discard
          </button>
        </>
      ) : (
        <>
          {notice}
          <button type="button" className="link-button" onClick={() => store.setState({ notice: null })}>
            Dismiss
          </button>
        </>
      )}
    </div>
  );
}

export function EditorApp() {
  return (
    <ReactFlowProvider>
      <Editor />
    </ReactFlowProvider>
  );
}

function Editor() {
  const store = useEditorStore();
  const [finding, setFinding] = useState(false);
  const [versions, setVersions] = useState(false);
  // The run dialog, open on the draft or a version number.
  const [running, setRunning] = useState<RunTarget | null>(null);
  const workflow = useEditor((s) => s.workflow);
  const [panels, setPanels] = useState(initialPanels);
  const narrow = useNarrow();
  const edgeSelection = useRef<string[]>([]);
  const problems = useEditor((s) => s.problems.length);
  const conflict = useEditor((s) => s.conflict !== null);
  const selection = useEditor((s) => s.selected.join("\n"));
  const actions = useMemo(() => ({ find: () => setFinding(true) }), []);
  // Stable: the canvas hands it to React Flow, which re-subscribes (and re-reports) when it changes.
  const onEdgeSelection = useCallback((ids: string[]) => (edgeSelection.current = ids), []);
  useShortcuts(store, edgeSelection, actions);

  const toggle = useCallback((panel: Panel) => {
    setPanels((current) => {
      const next = { ...current, [panel]: !current[panel] };
      localStorage.setItem(PANELS_KEY, JSON.stringify(next));
      return next;
    });
  }, []);
  // On a narrow screen the inspector floats; selecting a state brings it up (set while rendering:
  // it shows in the same frame as the selection).
  const raiseFor = narrow ? selection : "";
  const [raisedFor, setRaisedFor] = useState(raiseFor);
  if (raisedFor !== raiseFor) {
    setRaisedFor(raiseFor);
    if (raiseFor && !panels.inspector) setPanels({ ...panels, inspector: true });
  }
  // Showing a problem's line needs the code view.
  useEffect(() => {
    const open = () => setPanels((current) => (current.code ? current : { ...current, code: true }));
    window.addEventListener("symphony:reveal", open);
    return () => window.removeEventListener("symphony:reveal", open);
  }, []);

  // Nothing to drag in from a palette onto a workflow one may only read.
  const palette = panels.palette && !isViewOnly(workflow);
  const side = versions || panels.inspector;
  const classes = ["editor", narrow ? "narrow" : "", palette ? "with-palette" : "", side ? "with-side" : "", panels.code ? "with-code" : ""];
  const slot = document.getElementById("editor-toolbar");
  const onRun = workflow?.can_run ? () => setRunning("draft") : undefined;
  const toolbar = <Toolbar onFind={() => setFinding((f) => !f)} onRun={onRun} onVersions={() => setVersions((v) => !v)} panels={panels} onToggle={toggle} />;
  const prepareDraft = useCallback(async () => {
    await store.getState().saveNow();
    const { saveStatus, saveError } = store.getState();
    if (saveStatus !== "saved") throw new Error(`The draft is not saved${saveError ? `: ${saveError}` : ""}; save it, then run.`);
  }, [store]);

  return (
    <div className={classes.filter(Boolean).join(" ")}>
      {slot ? createPortal(toolbar, slot) : <div className="editor-bar">{toolbar}</div>}
      {palette && <Palette />}
      <main className="canvas-area">
        {problems > 0 && (
          <div className="stale-banner" role="status">
            The code has syntax errors: the graph shows the last valid version. Fix the code to edit the graph.
          </div>
        )}
        {finding && <FindBox onClose={() => setFinding(false)} />}
        <Notices />
        <div className="canvas">
          <EditorCanvas onEdgeSelection={onEdgeSelection} />
        </div>
        <ProblemsList />
      </main>
      {versions ? (
        <Suspense fallback={<aside className="inspector muted">Loading versions…</aside>}>
          <VersionsPanel onClose={() => setVersions(false)} onRun={onRun && ((number: number) => setRunning(number))} />
        </Suspense>
      ) : (
        panels.inspector && <Inspector />
      )}
      {panels.code && (
        <section className="code-panel" aria-label="Code">
          <Suspense fallback={<div className="code-loading muted">Loading the code view…</div>}>
            <CodeView />
          </Suspense>
        </section>
      )}
      {running !== null && workflow && (
        <Suspense fallback={null}>
          <RunDialog workflow={workflow} initialTarget={running} prepareDraft={prepareDraft} onClose={() => setRunning(null)} />
        </Suspense>
      )}
      {conflict && (
        <Suspense fallback={null}>
          <ConflictDialog />
        </Suspense>
      )}
    </div>
  );
}
