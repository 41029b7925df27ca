/**
 * Entry point mounted by templates/designer/workflow_detail.html: `<div id="editor-root" data-workflow-id="...">`.
 * Takes the workflow and its draft from the page's `#editor-data` (fetches them when absent), then
 * renders the designer.
 */
import "@xyflow/react/dist/style.css";
import "./editor.css";

import { createRoot } from "react-dom/client";
import { StrictMode } from "react";

import { getDraftAt, getWorkflow, type Draft, type Workflow } from "../api/workflows";
import { elkEngine } from "../layout/elk-engine";
import { QUICK_LIMIT } from "../layout/use-layout";
import { createEditorStore, EditorContext } from "../store";
import { EditorApp } from "./editor-app";

async function mount(element: HTMLElement): Promise<void> {
  performance.mark("symphony:mount");
  const id = element.dataset.workflowId;
  if (!id) throw new Error("editor-root has no data-workflow-id");
  const root = createRoot(element);
  root.render(<div className="editor-loading">Loading the workflow…</div>);
  try {
    const embedded = document.getElementById("editor-data")?.textContent;
    const { workflow, draft } = embedded
      ? (JSON.parse(embedded) as { workflow: Workflow; draft: Draft })
      : { workflow: await getWorkflow(id), draft: await getDraftAt(element.dataset.apiDraft ?? `/api/workflows/${id}/draft/`) };
    performance.mark("symphony:draft");
    const store = createEditorStore();
    store.getState().connectDraft(workflow, draft);
    // ELK lays out graphs up to QUICK_LIMIT states: load its worker while the first render runs.
    if (store.getState().graph.states.length <= QUICK_LIMIT) elkEngine();
    window.addEventListener("beforeunload", (event) => {
      const state = store.getState();
      if (state.saveStatus !== "saved") {
        state.keepUnsaved();
        event.preventDefault();
      }
    });
    (window as unknown as { symphonyEditor?: typeof store }).symphonyEditor = store;
    root.render(
      <StrictMode>
        <EditorContext.Provider value={store}>
          <EditorApp />
        </EditorContext.Provider>
      </StrictMode>,
    );
  } catch (error) {
    root.render(
      <div className="editor-loading editor-failed" role="alert">
        Could not open this workflow: {error instanceof Error ? error.message : String(error)}
      </div>,
    );
  }
}

const element = document.getElementById("editor-root");
if (element) void mount(element);
