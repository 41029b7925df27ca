/** The inspector shell: the machine, one state, or a multi-selection. */
import { useEffect } from "react";

import { isViewOnly } from "../api/workflows";
import { useEditor, useEditorStore } from "../store";
import { deleteSelection } from "../store/editing";
import { MachineForm } from "./machine-form";
import { StateForm } from "./state-form";
import { TestStatePanel } from "./test-state";

export function Inspector() {
  const store = useEditorStore();
  const viewOnly = useEditor((s) => isViewOnly(s.workflow));
  const selected = useEditor((s) => s.selected);
  const state = useEditor((s) => (s.selected.length === 1 ? s.graph.states.find((st) => st.id === s.selected[0]) : undefined));
  const focusPointer = useEditor((s) => s.focusPointer);
  // A diagnostic names a field (its JSON pointer): bring that field into view and focus it.
  useEffect(() => {
    if (!state || !focusPointer?.startsWith(state.id + "/")) return;
    const key = decodeURIComponent(focusPointer.slice(state.id.length + 1).split("/")[0]).replace(/~1/g, "/").replace(/~0/g, "~");
    const label = document.querySelector<HTMLElement>(`.inspector [data-field="${CSS.escape(key)}"]`);
    label?.scrollIntoView({ block: "center" });
    label?.querySelector<HTMLElement>("input, select, textarea")?.focus({ preventScroll: true });
  }, [state, focusPointer]);
  return (
    <aside className="inspector" aria-label="Inspector">
      {/* View only: every field shows its value and none takes an edit. */}
      <fieldset className="inspector-fields" disabled={viewOnly}>
        {selected.length === 0 && <MachineForm />}
        {selected.length === 1 && state && <StateForm state={state} />}
        {selected.length === 1 && state && <TestStatePanel key={state.id} state={state} />}
        {selected.length > 1 && (
          <div className="multi-form">
            <header className="inspector-title">{selected.length} states selected</header>
            <button type="button" className="danger-button" onClick={() => deleteSelection(store)}>
              Delete {selected.length} states
            </button>
          </div>
        )}
      </fieldset>
    </aside>
  );
}
