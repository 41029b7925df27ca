/**
 * Versions: save the draft as a version with a message; compare the draft with a version on
 * the editor's graph and as text, or any two (draft included) side by side in the compare view.
 */
import { useEffect, useState } from "react";

import { listVersions, createVersion, getVersion, isViewOnly, type VersionSummary } from "../api/workflows";
import { parseDocument } from "../asl/document";
import { compareStates } from "../graph/compare";
import { useEditor, useEditorStore } from "../store";
import type { CompareStatus } from "../store/view-slice";
import { CompareView } from "./compare-view";
import { TextDiff } from "./text-diff";
import { useVersionSources } from "./version-sources";

export function VersionsPanel({ onClose, onRun }: { onClose(): void; onRun?(number: number): void }) {
  const store = useEditorStore();
  const workflow = useEditor((s) => s.workflow);
  const compare = useEditor((s) => s.compare);
  const text = useEditor((s) => s.text);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [removed, setRemoved] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [sideBySide, setSideBySide] = useState<{ before: string; after: string } | null>(null);
  const sources = useVersionSources(versions ?? []);

  const refresh = () => {
    if (workflow) listVersions(workflow).then(setVersions, (e: Error) => setError(e.message));
  };
  useEffect(refresh, [workflow]);

  const save = async () => {
    if (!workflow) return;
    setBusy(true);
    setError(null);
    try {
      await store.getState().saveNow();
      if (store.getState().saveStatus !== "saved") throw new Error("Save the draft first (see the status above)");
      await createVersion(workflow, message, store.getState().revision);
      setMessage("");
      refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const compareWith = async (number: number) => {
    if (!workflow) return;
    try {
      const version = await getVersion(workflow, number);
      const before = parseDocument(version.definition, version.format);
      const diff = compareStates(before.root, store.getState().doc.root);
      const statuses: Record<string, CompareStatus> = {};
      for (const id of diff.added) statuses[id] = "added";
      for (const id of diff.changed) statuses[id] = "changed";
      setRemoved(diff.removed);
      store.getState().setCompare({ label: `v${number}`, statuses, otherText: version.definition });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <aside className="side-panel versions-panel" aria-label="Versions">
      <header className="side-panel-head">
        <strong>Versions</strong>
        <button type="button" className="link-button" onClick={() => { store.getState().setCompare(null); onClose(); }}>
          Close
        </button>
      </header>
      {!isViewOnly(workflow) && (
        <div className="version-save">
          <input type="text" placeholder="What changed?" aria-label="Version message" value={message} onChange={(e) => setMessage(e.target.value)} />
          <button type="button" className="primary-button" disabled={busy} onClick={() => void save()}>
            Save version
          </button>
        </div>
      )}
      {error && <div className="field-error">{error}</div>}
      <ul className="version-list">
        {versions?.map((v) => (
          <li key={v.number} className={compare?.label === `v${v.number}` ? "active" : ""}>
            <div>
              <a href={`${workflow?.links.page}versions/${v.number}/`} title={`Open version ${v.number}'s page`}>
                <strong>v{v.number}</strong>
              </a>{" "}
              <span className="muted">{new Date(v.created_at).toLocaleString()} · {v.author ?? "?"}</span>
              <div className="version-message">{v.message || <span className="muted">(no message)</span>}</div>
            </div>
            <div className="version-actions">
              {onRun && (
                <button type="button" className="small-button" title={`Start an execution of version ${v.number}`} onClick={() => onRun(v.number)}>
                  Run
                </button>
              )}
              <button type="button" className="small-button" onClick={() => void compareWith(v.number)}>
                Compare
              </button>
              <button type="button" className="small-button" title={`v${v.number} and the draft side by side`} onClick={() => setSideBySide({ before: String(v.number), after: "draft" })}>
                Side by side
              </button>
            </div>
          </li>
        ))}
        {versions?.length === 0 && <li className="muted">No versions yet.</li>}
      </ul>
      {versions && versions.length > 1 && (
        <button
          type="button"
          className="small-button"
          onClick={() => {
            const [latest, previous] = [...versions].sort((a, b) => b.number - a.number);
            setSideBySide({ before: String(previous.number), after: String(latest.number) });
          }}
        >
          Compare two versions
        </button>
      )}
      {sideBySide && <CompareView sources={sources} initial={sideBySide} onClose={() => setSideBySide(null)} />}
      {compare && (
        <div className="compare-result">
          <h4>Draft against {compare.label}</h4>
          <div className="compare-legend">
            <span className="legend added">{Object.values(compare.statuses).filter((s) => s === "added").length} added</span>
            <span className="legend changed">{Object.values(compare.statuses).filter((s) => s === "changed").length} changed</span>
            <span className="legend removed">{removed.length} removed</span>
          </div>
          {removed.length > 0 && <div className="muted">Removed: {removed.map((id) => decodeURIComponent(id.split("/").pop()!.replace(/~1/g, "/").replace(/~0/g, "~"))).join(", ")}</div>}
          <TextDiff before={compare.otherText} after={text} beforeLabel={compare.label} afterLabel="Draft" />
          <button type="button" className="small-button" onClick={() => store.getState().setCompare(null)}>
            Clear comparison
          </button>
        </div>
      )}
    </aside>
  );
}
