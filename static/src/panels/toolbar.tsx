/**
 * The editor's tools: save status, undo/redo, find, auto-layout, import/export, versions, the panel
 * toggles and save. The page's header row holds it (see pages/editor-app.tsx).
 */
import { useReactFlow } from "@xyflow/react";
import { useRef } from "react";

import { isViewOnly } from "../api/workflows";
import { toJsonTextOf, toYamlText } from "../asl/convert";
import { detectFormat } from "../asl/document";
import { useEditor, useEditorStore } from "../store";
import { downloadText, exportImage } from "./export-image";

const STATUS: Record<string, string> = {
  saved: "Saved",
  dirty: "Unsaved…",
  saving: "Saving…",
  conflict: "Conflict: someone else saved",
  error: "Not saved",
};

export type Panel = "palette" | "inspector" | "code";

interface ToolbarProps {
  onFind(): void;
  /** Absent when the user may not run this workflow. */
  onRun?(): void;
  onVersions(): void;
  panels: Record<Panel, boolean>;
  onToggle(panel: Panel): void;
}

const PANEL_TITLES: Record<Panel, string> = { palette: "Palette", inspector: "Inspector", code: "Code" };

export function Toolbar({ onFind, onRun, onVersions, panels, onToggle }: ToolbarProps) {
  const store = useEditorStore();
  const workflow = useEditor((s) => s.workflow);
  const status = useEditor((s) => s.saveStatus);
  const saveError = useEditor((s) => s.saveError);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const revision = useEditor((s) => s.revision);
  const file = useRef<HTMLInputElement>(null);
  const flow = useReactFlow();
  const baseName = workflow?.name ?? "workflow";
  const viewOnly = isViewOnly(workflow);

  const exportAs = (kind: string) => {
    const { doc, text } = store.getState();
    if (kind === "json") downloadText(doc.format === "json" ? text : toJsonTextOf(doc), `${baseName}.asl.json`, "application/json");
    if (kind === "yaml") downloadText(doc.format === "yaml" ? text : toYamlText(doc), `${baseName}.asl.yaml`, "application/yaml");
    if (kind === "svg" || kind === "png") void exportImage(kind, flow.getNodesBounds(flow.getNodes()), `${baseName}.${kind}`);
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      {viewOnly ? (
        <span className="view-only" title="Your roles let you read this workflow, not change it: an author or its owner can.">
          View only
        </span>
      ) : (
        <span className={`save-status status-${status}`} title={saveError ?? (status === "saved" ? `All changes saved (revision ${revision})` : `Revision ${revision}`)} data-status={status}>
          {STATUS[status]}
          {status === "error" && saveError ? `: ${saveError}` : ""}
        </span>
      )}
      <div className="toolbar-group">
        {!viewOnly && (
          <>
            <button type="button" className="icon-button" onClick={() => store.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">
              ↶
            </button>
            <button type="button" className="icon-button" onClick={() => store.getState().redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
              ↷
            </button>
          </>
        )}
        <button type="button" onClick={onFind} title="Find a state (Ctrl+F)">
          Find
        </button>
        <button type="button" onClick={() => store.getState().autoLayoutAll()} title="Lay the whole graph out again (forgets moved positions) and fit it in view">
          Auto-layout
        </button>
      </div>
      <div className="toolbar-group">
        {!viewOnly && (
          <button type="button" onClick={() => file.current?.click()} title="Import a JSON or YAML definition">
            Import
          </button>
        )}
        <input
          ref={file}
          type="file"
          accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml"
          hidden
          onChange={async (event) => {
            const chosen = event.target.files?.[0];
            event.target.value = "";
            if (!chosen) return;
            const text = await chosen.text();
            const format = /\.ya?ml$/i.test(chosen.name) ? "yaml" : /\.json$/i.test(chosen.name) ? "json" : detectFormat(text);
            store.getState().setText(text, "import", format);
            store.getState().autoLayoutAll();
          }}
        />
        <select
          aria-label="Export"
          value=""
          onChange={(event) => {
            exportAs(event.target.value);
            event.target.value = "";
          }}
        >
          <option value="">Export…</option>
          <option value="json">JSON</option>
          <option value="yaml">YAML</option>
          <option value="svg">SVG image</option>
          <option value="png">PNG image</option>
        </select>
        <button type="button" onClick={onVersions}>
          Versions
        </button>
      </div>
      <div className="toolbar-group segmented" aria-label="Panels">
        {(Object.keys(PANEL_TITLES) as Panel[]).filter((panel) => !(viewOnly && panel === "palette")).map((panel) => (
          <button key={panel} type="button" className={panels[panel] ? "toggled" : ""} onClick={() => onToggle(panel)} aria-pressed={panels[panel]} title={`Show or hide the ${PANEL_TITLES[panel].toLowerCase()}`}>
            {PANEL_TITLES[panel]}
          </button>
        ))}
      </div>
      <div className="toolbar-group">
        {!viewOnly && (
          <button type="button" className="primary-button" onClick={() => void store.getState().saveNow()} disabled={status === "saved"} title="Save now (Ctrl+S)">
            Save
          </button>
        )}
        {onRun && (
          <button type="button" className="primary-button run-button" onClick={onRun} title="Start an execution of the draft or a version and watch it live">
            ▶ Run
          </button>
        )}
      </div>
    </div>
  );
}
