/**
 * The Choice rule builder: every comparison operator, And/Or/Not nesting, JSONata Conditions.
 * Each change is a small patch at the rule's path (rename an operator key, set one value), so
 * a rule's other fields (Comment, Assign, unknown ones) stay as written.
 */
import type { PatchOp } from "../../asl/patch";
import { field, isArray, isObject, scalar, text, toJsonText, type AslValue, type Path } from "../../asl/value";
import { Field, NumberInput, SelectInput, TextInput } from "../../panels/inputs";
import { JsonField } from "../../panels/json-field";
import { defaultOperand, operandKind, OPERATORS } from "./operators";

const RULE_FIELDS = new Set(["Next", "Comment", "Assign", "Output"]);
type Apply = (ops: PatchOp[], coalesce?: string) => void;

function conditionKind(rule: AslValue | undefined): "Condition" | "And" | "Or" | "Not" | "Comparison" {
  if (field(rule, "Condition") !== undefined) return "Condition";
  for (const k of ["And", "Or", "Not"] as const) if (field(rule, k) !== undefined) return k;
  return "Comparison";
}

function comparisonOperator(rule: AslValue | undefined): string | undefined {
  return isObject(rule) ? rule.entries.find((e) => operandKind(e.key) !== undefined)?.key : undefined;
}

const COMPARISON = '{"Variable": "$.value", "StringEquals": ""}';

/** Replace a rule's condition part, keeping Next/Comment/Assign/Output as written. */
function replaceCondition(rule: AslValue | undefined, path: Path, condition: string): PatchOp[] {
  const kept = isObject(rule) ? rule.entries.filter((e) => RULE_FIELDS.has(e.key)) : [];
  const inner = condition.trim().slice(1, -1).trim();
  const keptText = kept.map((e) => `${JSON.stringify(e.key)}: ${toJsonText(e.value)}`).join(", ");
  const raw = `{${inner}${inner && keptText ? ", " : ""}${keptText}}`;
  return [{ op: "set", path, raw }];
}

export function RuleCondition({ rule, path, apply, jsonata }: { rule: AslValue | undefined; path: Path; apply: Apply; jsonata: boolean }) {
  const kind = conditionKind(rule);
  const kinds = jsonata ? ["Condition"] : ["Comparison", "And", "Or", "Not"];
  const setKind = (next: string | undefined) => {
    if (!next || next === kind) return;
    // The condition written so far moves inside the new And/Or/Not (or out of it), never lost.
    const current = kind === "Condition" || rule === undefined ? COMPARISON : conditionText(rule);
    const children = kind === "And" || kind === "Or" ? field(rule, kind) : undefined;
    const firstChild = isArray(children) && children.items.length > 0 ? toJsonText(children.items[0]) : COMPARISON;
    let condition = COMPARISON;
    if (next === "Condition") condition = '{"Condition": "{% true %}"}';
    else if (next === "Not") condition = `{"Not": ${current}}`;
    else if (next === "And" || next === "Or") condition = children ? `{"${next}": ${toJsonText(children)}}` : `{"${next}": [${current}]}`;
    else if (kind === "Not") condition = toJsonText(field(rule, "Not")!);
    else if (children) condition = firstChild;
    apply(replaceCondition(rule, path, condition));
  };
  return (
    <div className={`rule-condition rule-${kind.toLowerCase()}`}>
      {(kinds.length > 1 || kind !== "Condition") && (
        <SelectInput label="Condition kind" value={kind} options={kind === "Condition" ? ["Condition", ...kinds] : kinds} onChange={setKind} />
      )}
      {kind === "Condition" && (
        <TextInput label="Condition" value={text(field(rule, "Condition"))} placeholder="{% $states.input.ok %}" onChange={(v) => apply([{ op: "set", path: [...path, "Condition"], value: v ?? "" }], pointerKey(path, "Condition"))} />
      )}
      {kind === "Comparison" && <Comparison rule={rule} path={path} apply={apply} />}
      {(kind === "And" || kind === "Or") && (
        <div className="rule-children">
          {isArray(field(rule, kind)) &&
            (field(rule, kind) as { items: AslValue[] }).items.map((child, i) => (
              <div key={i} className="rule-child">
                <RuleCondition rule={child} path={[...path, kind, i]} apply={apply} jsonata={false} />
                <button type="button" className="link-button" onClick={() => apply([{ op: "remove", path: [...path, kind, i] }])} aria-label="Remove condition">
                  ✕
                </button>
              </div>
            ))}
          <button type="button" className="small-button" onClick={() => apply([{ op: "push", path: [...path, kind], raw: COMPARISON }])}>
            + condition
          </button>
        </div>
      )}
      {kind === "Not" && (
        <div className="rule-children">
          <RuleCondition rule={field(rule, "Not")} path={[...path, "Not"]} apply={apply} jsonata={false} />
        </div>
      )}
    </div>
  );
}

/** A rule's condition alone (without Next/Comment/Assign/Output), as JSON text. */
function conditionText(rule: AslValue): string {
  if (!isObject(rule)) return COMPARISON;
  const own = rule.entries.filter((e) => !RULE_FIELDS.has(e.key));
  return `{${own.map((e) => `${JSON.stringify(e.key)}: ${toJsonText(e.value)}`).join(", ")}}`;
}

function pointerKey(path: Path, key: string): string {
  return `rule:${path.join("/")}/${key}`;
}

function Comparison({ rule, path, apply }: { rule: AslValue | undefined; path: Path; apply: Apply }) {
  const operator = comparisonOperator(rule);
  const kind = operator ? operandKind(operator)! : undefined;
  const operand = operator ? field(rule, operator) : undefined;
  const setOperator = (next: string | undefined) => {
    if (!next || next === operator) return;
    const nextKind = operandKind(next)!;
    const ops: PatchOp[] = [];
    if (operator) ops.push({ op: "rename", path, from: operator, to: next });
    const keep = operator && operandKind(operator) === nextKind;
    if (!keep) ops.push({ op: "set", path: [...path, next], value: defaultOperand(nextKind) });
    apply(ops);
  };
  return (
    <div className="comparison">
      <TextInput label="Variable" value={text(field(rule, "Variable"))} placeholder="$.value" onChange={(v) => apply([{ op: "set", path: [...path, "Variable"], value: v ?? "" }], pointerKey(path, "Variable"))} />
      <SelectInput label="Operator" value={operator} options={OPERATORS.map(([name]) => name)} onChange={setOperator} empty="(operator)" />
      {operator && kind === "number" && (
        <NumberInput label="Value" value={scalar(operand)} onChange={(v) => v !== undefined && apply([{ op: "set", path: [...path, operator], value: v }], pointerKey(path, operator))} />
      )}
      {operator && (kind === "boolean" || kind === "test") && (
        <SelectInput label="Value" value={String(scalar(operand))} options={["true", "false"]} onChange={(v) => apply([{ op: "set", path: [...path, operator], value: v === "true" }])} />
      )}
      {operator && (kind === "string" || kind === "path") && (
        <TextInput label="Value" value={String(scalar(operand) ?? "")} onChange={(v) => apply([{ op: "set", path: [...path, operator], value: v ?? "" }], pointerKey(path, operator))} />
      )}
    </div>
  );
}

export function ChoiceRules({ state, statePath, names, apply, jsonata }: { state: AslValue | undefined; statePath: Path; names: string[]; apply: Apply; jsonata: boolean }) {
  const choices = field(state, "Choices");
  const rules = isArray(choices) ? choices.items : [];
  const newRule = jsonata ? `{"Condition": "{% true %}", "Next": ${JSON.stringify(names[0] ?? "")}}` : `{"Variable": "$.value", "StringEquals": "", "Next": ${JSON.stringify(names[0] ?? "")}}`;
  return (
    <section className="inspector-section">
      <h4>Rules</h4>
      {rules.map((rule, index) => {
        const rulePath = [...statePath, "Choices", index];
        return (
          <div key={index} className="choice-rule" data-rule-index={index}>
            <div className="choice-rule-head">
              <span className="rule-number">Rule {index + 1}</span>
              <button type="button" className="link-button" onClick={() => apply([{ op: "remove", path: rulePath }])}>
                Remove
              </button>
            </div>
            <RuleCondition rule={rule} path={rulePath} apply={apply} jsonata={jsonata} />
            <Field label="Then go to">
              <SelectInput label="Next" value={text(field(rule, "Next"))} options={names} onChange={(v) => v && apply([{ op: "set", path: [...rulePath, "Next"], value: v }])} />
            </Field>
            {field(rule, "Assign") !== undefined && (
              <Field label="Assign" wide>
                <JsonField label="Assign" value={field(rule, "Assign")} onChange={(raw) => apply(raw === undefined ? [{ op: "remove", path: [...rulePath, "Assign"] }] : [{ op: "set", path: [...rulePath, "Assign"], raw }])} />
              </Field>
            )}
          </div>
        );
      })}
      <button
        type="button"
        className="small-button"
        onClick={() => apply(isArray(choices) ? [{ op: "push", path: [...statePath, "Choices"], raw: newRule }] : [{ op: "set", path: [...statePath, "Choices"], raw: `[${newRule}]` }])}
      >
        + rule
      </button>
    </section>
  );
}
