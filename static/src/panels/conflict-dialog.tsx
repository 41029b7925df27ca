/** Someone else saved the draft first: keep theirs, or overwrite with ours — with the difference shown. */
import { useEditor, useEditorStore } from "../store";
import { TextDiff } from "./text-diff";

export function ConflictDialog() {
  const store = useEditorStore();
  const conflict = useEditor((s) => s.conflict);
  const text = useEditor((s) => s.text);
  if (!conflict) return null;
  return (
    <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-labelledby="conflict-title">
      <div className="dialog conflict-dialog">
        <h2 id="conflict-title">Someone else saved this draft</h2>
        <p>
          {conflict.updated_by ?? "Another editor"} saved revision {conflict.revision} while you were editing. Your changes are not saved yet.
        </p>
        <TextDiff before={conflict.definition} after={text} beforeLabel="Theirs" afterLabel="Yours" />
        <div className="dialog-actions">
          <button type="button" onClick={() => void store.getState().resolveConflict("theirs")}>
            Discard mine, load theirs
          </button>
          <button type="button" className="primary-button" onClick={() => void store.getState().resolveConflict("mine")}>
            Keep mine (overwrite theirs)
          </button>
        </div>
      </div>
    </div>
  );
}
