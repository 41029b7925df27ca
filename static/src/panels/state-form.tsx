/**
 * The inspector for one state, in Workflow Studio's sections: Configuration (name, transition,
 * the type's own fields, a Lambda Task's function and an AWS integration's parameters as a form),
 * Input, Output, Error handling (Retry, Catch, timeouts) and Variables (Assign). Every section is
 * on the page (a diagnostic can focus any field); the bar at the top jumps to one.
 */
import { useEffect, useRef, useState } from "react";

import type { PatchOp } from "../asl/patch";
import { at, field, keys, scalar, text, type Path } from "../asl/value";
import { queryLanguage } from "../graph/edit";
import { switchQueryLanguage } from "../graph/query-language";
import type { GraphState } from "../graph/model";
import { useEditor, useEditorStore } from "../store";
import { renameSelected } from "../store/editing";
import { ChoiceRules } from "../states/choice/rules-editor";
import type { FieldSpec } from "../states/kind";
import { stateKind } from "../states/registry";
import { StateIcon } from "../canvas/state-icon";
import { CatchEditor, RetryEditor } from "./error-handling";
import { setFieldOps, transitionOps } from "./field-edit";
import { FunctionPicker } from "./function-picker";
import { Field, NumberInput, SelectInput, TextInput } from "./inputs";
import { IntegrationForm } from "./integration-form";
import { JsonField } from "./json-field";

type Section = "Configuration" | "Input" | "Output" | "Error handling" | "Variables";
const SECTION_OF: Record<string, Section> = {
  InputPath: "Input",
  Parameters: "Input",
  Arguments: "Input",
  ItemsPath: "Input",
  Items: "Input",
  ItemSelector: "Input",
  ItemReader: "Input",
  ItemBatcher: "Input",
  ResultSelector: "Output",
  ResultPath: "Output",
  OutputPath: "Output",
  Output: "Output",
  ResultWriter: "Output",
  TimeoutSeconds: "Error handling",
  TimeoutSecondsPath: "Error handling",
  HeartbeatSeconds: "Error handling",
  HeartbeatSecondsPath: "Error handling",
  ToleratedFailurePercentage: "Error handling",
  ToleratedFailurePercentagePath: "Error handling",
  ToleratedFailureCount: "Error handling",
  ToleratedFailureCountPath: "Error handling",
  Assign: "Variables",
};
const SECTIONS: Section[] = ["Configuration", "Input", "Output", "Error handling", "Variables"];
const sectionOf = (key: string): Section => SECTION_OF[key] ?? "Configuration";
const LAMBDA_INVOKE = /^arn:aws[\w-]*:states:[\w-]*:\d*:lambda:invoke(\.waitForTaskToken)?$/;
const AWS_INTEGRATION = /^arn:aws[\w-]*:states:[\w-]*:\d*:(?!activity:|http:)[a-z0-9-]+:/;

const STRUCTURAL = new Set(["Type", "Next", "End", "Choices", "Default", "Retry", "Catch", "Branches", "ItemProcessor", "Iterator", "QueryLanguage", "Comment"]);

export function StateForm({ state }: { state: GraphState }) {
  const store = useEditorStore();
  const root = useEditor((s) => s.doc.root);
  const body = at(root, state.path);
  const kind = stateKind(state.type);
  const language = queryLanguage(root, state.path);
  const jsonata = language === "JSONata";
  const names = keys(at(root, state.scope)).filter((n) => n !== state.name);
  const allNames = keys(at(root, state.scope));
  const apply = (ops: PatchOp[], coalesce?: string) => store.getState().apply(ops, [], coalesce);
  const set = (key: string, value: { value: unknown } | { raw: string } | undefined, coalesce?: string) => apply(setFieldOps(root, state.path, key, value), coalesce ?? `field:${state.id}:${key}`);

  const known = new Set([...STRUCTURAL, ...kind.fields.map((f) => f.key)]);
  const others = keys(body).filter((k) => !known.has(k));
  const resource = state.type === "Task" ? text(field(body, "Resource")) : undefined;
  const fields = kind.fields.filter((f) => !f.language || f.language === language || field(body, f.key) !== undefined);
  // Fields a language switch could not translate, named until the next switch or state.
  const [kept, setKept] = useState<{ id: string; fields: string[] } | null>(null);
  const switchLanguage = (choice: string | undefined) => {
    const result = switchQueryLanguage(root, state.path, choice === "JSONata" || choice === "JSONPath" ? choice : undefined, queryLanguage(root, []));
    apply(result.ops);
    setKept({ id: state.id, fields: result.kept });
  };

  const basics = (
    <>
      <NameField key={state.id} state={state} />
      <Field label="Comment" wide>
        <TextInput label="Comment" value={text(field(body, "Comment"))} onChange={(v) => set("Comment", v === undefined ? undefined : { value: v })} />
      </Field>
      {!kind.terminal && state.type !== "Choice" && (
        <Field label="Then">
          <SelectInput
            label="Next"
            value={field(body, "End") !== undefined && scalar(field(body, "End")) === true ? "" : text(field(body, "Next"))}
            options={allNames}
            empty="End the workflow here"
            onChange={(v) => apply(transitionOps(root, state.path, v ?? null))}
          />
        </Field>
      )}
      <Field label="Query language">
        <SelectInput
          label="QueryLanguage"
          value={text(field(body, "QueryLanguage"))}
          options={["JSONPath", "JSONata"]}
          empty={`Inherit (${queryLanguage(root, [])})`}
          onChange={switchLanguage}
        />
        {kept?.id === state.id && kept.fields.length > 0 && (
          <p className="muted" role="status">
            Not translated, left as written: {kept.fields.join(", ")}.
          </p>
        )}
      </Field>
    </>
  );

  return (
    <div className="state-form" data-state-id={state.id}>
      <header className="inspector-title">
        <StateIcon path={kind.icon} color={kind.color} size={20} />
        <span className="inspector-type" style={{ color: kind.color }}>
          {state.type}
        </span>
      </header>
      <nav className="inspector-nav" aria-label="Inspector sections">
        {SECTIONS.filter((section) => section === "Configuration" || (section === "Error handling" && kind.errorHandling) || fields.some((spec) => sectionOf(spec.key) === section)).map((section) => (
          <button key={section} type="button" className="small-button" onClick={() => document.querySelector(`.state-form [data-section="${section}"]`)?.scrollIntoView({ block: "start", behavior: "smooth" })}>
            {section}
          </button>
        ))}
      </nav>
      {SECTIONS.map((section) => {
        const own = fields.filter((spec) => sectionOf(spec.key) === section);
        const errorEditors = section === "Error handling" && kind.errorHandling;
        const extra = section === "Configuration" && (state.type === "Choice" || state.type === "Parallel" || others.length > 0 || resource !== undefined);
        if (section !== "Configuration" && own.length === 0 && !errorEditors) return null;
        return (
          <section key={section} className="inspector-section" aria-label={section} data-section={section}>
            <h4>{section}</h4>
            {section === "Configuration" && basics}
            {section === "Configuration" && resource !== undefined && LAMBDA_INVOKE.test(resource) && <FunctionPicker root={root} statePath={state.path} jsonata={jsonata} apply={apply} />}
            {own.map((spec) => (
              <SpecField key={spec.key} spec={spec} value={field(body, spec.key)} names={names} jsonata={jsonata} onChange={(v) => set(spec.key, v)} />
            ))}
            {section === "Configuration" && resource !== undefined && AWS_INTEGRATION.test(resource) && <IntegrationForm resource={resource} root={root} statePath={state.path} jsonata={jsonata} apply={apply} />}
            {extra && state.type === "Choice" && <ChoiceRules state={body} statePath={state.path} names={allNames} apply={apply} jsonata={jsonata} />}
            {extra && state.type === "Parallel" && <BranchTools state={state} />}
            {errorEditors && <RetryEditor state={body} statePath={state.path} apply={apply} />}
            {errorEditors && <CatchEditor state={body} statePath={state.path} names={allNames} apply={apply} jsonata={jsonata} />}
            {section === "Configuration" &&
              others.map((key) => (
                <Field key={key} label={key} wide>
                  <JsonField label={key} value={field(body, key)} onChange={(raw) => set(key, raw === undefined ? undefined : { raw })} />
                </Field>
              ))}
          </section>
        );
      })}
    </div>
  );
}

function SpecField({ spec, value, names, jsonata, onChange }: { spec: FieldSpec; value: ReturnType<typeof field>; names: string[]; jsonata: boolean; onChange(v: { value: unknown } | { raw: string } | undefined): void }) {
  const wrap = (v: unknown) => (v === undefined ? undefined : { value: v });
  let input: React.ReactNode;
  switch (spec.kind) {
    case "json":
      input = <JsonField label={spec.key} value={value} onChange={(raw) => onChange(raw === undefined ? undefined : { raw })} />;
      break;
    case "number":
    case "number-or-expression":
      input = <NumberInput label={spec.key} value={scalar(value)} allowExpression={jsonata && spec.kind === "number-or-expression"} onChange={(v) => onChange(wrap(v))} />;
      break;
    case "state":
      input = <SelectInput label={spec.key} value={text(value)} options={names} empty="(none)" onChange={(v) => onChange(wrap(v))} />;
      break;
    case "select":
      input = <SelectInput label={spec.key} value={text(value)} options={spec.options ?? []} empty="(not set)" onChange={(v) => onChange(wrap(v))} />;
      break;
    default:
      input = <TextInput label={spec.key} value={value === undefined ? undefined : String(scalar(value) ?? "")} placeholder={spec.placeholder} multiline={spec.kind === "multiline"} onChange={(v) => onChange(wrap(v))} />;
  }
  return (
    <Field label={spec.label} help={spec.help} wide={spec.kind === "json" || spec.kind === "multiline"}>
      {input}
    </Field>
  );
}

function NameField({ state }: { state: GraphState }) {
  const store = useEditorStore();
  const [draft, setDraft] = useState(state.name);
  const input = useRef<HTMLInputElement>(null);
  const [draftOf, setDraftOf] = useState(state.name);
  if (draftOf !== state.name) {
    setDraftOf(state.name);
    setDraft(state.name);
  }
  useEffect(() => {
    const focus = () => input.current?.select();
    window.addEventListener("symphony:rename", focus);
    return () => window.removeEventListener("symphony:rename", focus);
  }, []);
  const commit = () => {
    if (!renameSelected(store, state.id, draft)) setDraft(state.name);
  };
  return (
    <Field label="Name">
      <input
        ref={input}
        type="text"
        aria-label="State name"
        value={draft}
        maxLength={80}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") setDraft(state.name);
        }}
      />
    </Field>
  );
}

function BranchTools({ state }: { state: GraphState }) {
  const store = useEditorStore();
  const path: Path = [...state.path, "Branches"];
  const count = state.groupIds.length;
  return (
    <section className="inspector-section">
      <h4>Branches ({count})</h4>
      <button
        type="button"
        className="small-button"
        onClick={() => store.getState().apply([{ op: "push", path, raw: `{"StartAt": "Branch ${count + 1}", "States": {"Branch ${count + 1}": {"Type": "Pass", "End": true}}}` }])}
      >
        + branch
      </button>
      {count > 1 && (
        <button type="button" className="small-button" onClick={() => store.getState().apply([{ op: "remove", path: [...path, count - 1] }])}>
          Remove last branch
        </button>
      )}
    </section>
  );
}
