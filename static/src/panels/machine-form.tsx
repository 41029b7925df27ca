/** The inspector when nothing is selected: the machine's own fields. */
import { at, field, keys, scalar, text } from "../asl/value";
import { useEditor, useEditorStore } from "../store";
import { setFieldOps } from "./field-edit";
import { Field, NumberInput, SelectInput, TextInput } from "./inputs";

export function MachineForm() {
  const store = useEditorStore();
  const root = useEditor((s) => s.doc.root);
  const stateCount = useEditor((s) => s.graph.states.length);
  const set = (key: string, value: unknown) => store.getState().apply(setFieldOps(root, [], key, value === undefined ? undefined : { value }), [], `machine:${key}`);
  return (
    <div className="machine-form">
      <header className="inspector-title">
        <span className="inspector-type">State machine</span>
        <span className="muted">{stateCount} states</span>
      </header>
      <Field label="Comment" wide>
        <TextInput label="Machine comment" multiline value={text(field(root, "Comment"))} onChange={(v) => set("Comment", v)} />
      </Field>
      <Field label="StartAt">
        <SelectInput label="StartAt" value={text(field(root, "StartAt"))} options={keys(at(root, ["States"]))} onChange={(v) => v && set("StartAt", v)} />
      </Field>
      <Field label="TimeoutSeconds">
        <NumberInput label="TimeoutSeconds" value={scalar(field(root, "TimeoutSeconds"))} onChange={(v) => set("TimeoutSeconds", v)} />
      </Field>
      <Field label="QueryLanguage">
        <SelectInput label="Machine QueryLanguage" value={text(field(root, "QueryLanguage"))} options={["JSONPath", "JSONata"]} empty="JSONPath (default)" onChange={(v) => set("QueryLanguage", v)} />
      </Field>
      <p className="hint">Select a state to edit it. Drag from the palette to add one; drag from a node's bottom handle to connect.</p>
    </div>
  );
}
