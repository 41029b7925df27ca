/** The inspector shell: the machine, one state, or a multi-selection. */
import { useEditor, useEditorStore } from "../store";
import { deleteSelection } from "../store/editing";
import { MachineForm } from "./machine-form";
import { StateForm } from "./state-form";

export function Inspector() {
  const store = useEditorStore();
  const selected = useEditor((s) => s.selected);
  const state = useEditor((s) => (s.selected.length === 1 ? s.graph.states.find((st) => st.id === s.selected[0]) : undefined));
  return (
    <aside className="inspector" aria-label="Inspector">
      {selected.length === 0 && <MachineForm />}
      {selected.length === 1 && state && <StateForm state={state} />}
      {selected.length > 1 && (
        <div className="multi-form">
          <header className="inspector-title">{selected.length} states selected</header>
          <button type="button" className="danger-button" onClick={() => deleteSelection(store)}>
            Delete {selected.length} states
          </button>
        </div>
      )}
    </aside>
  );
}
