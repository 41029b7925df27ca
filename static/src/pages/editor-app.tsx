/** The designer: palette | canvas (+ problems) | inspector | code, with the toolbar above. */
import { ReactFlowProvider } from "@xyflow/react";
import { useMemo, useRef, useState } from "react";

import { EditorCanvas } from "../canvas/editor-canvas";
import { CodeView } from "../panels/code-view";
import { ConflictDialog } from "../panels/conflict-dialog";
import { FindBox } from "../panels/find-box";
import { Inspector } from "../panels/inspector";
import { Palette } from "../panels/palette";
import { ProblemsList } from "../panels/problems-list";
import { Toolbar } from "../panels/toolbar";
import { useShortcuts } from "../panels/use-shortcuts";
import { VersionsPanel } from "../panels/versions-panel";
import { useEditor, useEditorStore } from "../store";

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
  const [codeOpen, setCodeOpen] = useState(true);
  const edgeSelection = useRef<string[]>([]);
  const problems = useEditor((s) => s.problems.length);
  const actions = useMemo(() => ({ find: () => setFinding(true) }), []);
  useShortcuts(store, edgeSelection, actions);

  return (
    <div className={`editor${codeOpen ? " with-code" : ""}`}>
      <Toolbar onFind={() => setFinding((f) => !f)} onVersions={() => setVersions((v) => !v)} onToggleCode={() => setCodeOpen((c) => !c)} codeOpen={codeOpen} />
      <Palette />
      <main className="canvas-area">
        {problems > 0 && (
          <div className="stale-banner" role="status">
            The code has syntax errors: the graph shows the last valid version. Fix the code to edit the graph.
          </div>
        )}
        {finding && <FindBox onClose={() => setFinding(false)} />}
        <Notices />
        <div className="canvas">
          <EditorCanvas onEdgeSelection={(ids) => (edgeSelection.current = ids)} />
        </div>
        <ProblemsList />
      </main>
      {versions ? <VersionsPanel onClose={() => setVersions(false)} /> : <Inspector />}
      {codeOpen && (
        <section className="code-panel" aria-label="Code">
          <CodeView />
        </section>
      )}
      <ConflictDialog />
    </div>
  );
}
