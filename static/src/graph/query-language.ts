/**
 * Switching one state's query language rewrites the fields that belong to the other language
 * (the Amazon States Language gives each its own set): JSONPath's Parameters, ResultSelector,
 * InputPath, ResultPath, OutputPath, *Path fields and Choice comparisons become JSONata's
 * Arguments, Output, `{% %}` expressions and Conditions, and back where the JSONata is a plain
 * path. What has no faithful translation (intrinsic functions, filters, a deep ResultPath, a
 * JSONata expression that is not a path) is left as written and named in `kept`, so nothing
 * the author wrote is lost and the validator points at what is left to do.
 */
import type { PatchOp } from "../asl/patch";
import { at, field, isArray, isObject, toPlain, type AslValue, type Path } from "../asl/value";

export interface LanguageSwitch {
  ops: PatchOp[];
  /** Fields left as written: no faithful translation. */
  kept: string[];
}

type Lang = "JSONPath" | "JSONata";

/** A JSONPath reference path as a JSONata expression over `base` (undefined: no faithful form). */
export function pathToJsonata(path: string, base = "$states.input"): string | undefined {
  if (path.startsWith("$$")) return pathToJsonata(path.slice(1), "$states.context");
  if (!path.startsWith("$")) return undefined;
  // `$name...` is a variable in JSONPath states too, and reads the same in JSONata.
  if (/^\$[A-Za-z_]/.test(path)) return /[*?]|\.\./.test(path) ? undefined : path;
  const rest = path.slice(1);
  if (/[*?@]|\.\.|\[\s*-?\d*\s*:/.test(rest)) return undefined;
  let out = base;
  const part = /\.([A-Za-z_][\w]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  let index = 0;
  while (index < rest.length) {
    part.lastIndex = index;
    const m = part.exec(rest);
    if (!m) return undefined;
    if (m[1] !== undefined) out += `.${m[1]}`;
    else if (m[2] !== undefined) out += `[${m[2]}]`;
    else out += `.\`${(m[3] ?? m[4]).replace(/`/g, "")}\``;
    index = part.lastIndex;
  }
  return out;
}

/** A JSONata expression that is only a path over $states.input / $states.context, as JSONPath. */
export function jsonataToPath(expression: string): string | undefined {
  const m = /^\{%\s*(.*?)\s*%\}$/s.exec(expression.trim());
  if (!m) return undefined;
  const body = m[1];
  for (const [prefix, root] of [
    ["$states.input", "$"],
    ["$states.context", "$$"],
  ] as const) {
    if (body === prefix) return root;
    if (body.startsWith(prefix) && /^(\.[A-Za-z_]\w*|\[\d+\])+$/.test(body.slice(prefix.length))) return root + body.slice(prefix.length);
  }
  return undefined;
}

const wrap = (expression: string) => `{% ${expression} %}`;
const unwrap = (value: string) => value.replace(/^\{%\s*/, "").replace(/\s*%\}$/, "");

/** A JSONPath payload template as a JSONata one (undefined when some part has no faithful form). */
function templateToJsonata(value: unknown, base: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => templateToJsonata(item, base));
    return items.includes(undefined) ? undefined : items;
  }
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key.endsWith(".$")) {
      const expression = typeof inner === "string" ? pathToJsonata(inner, base) : undefined;
      if (expression === undefined) return undefined;
      out[key.slice(0, -2)] = wrap(expression);
    } else {
      const converted = templateToJsonata(inner, base);
      if (converted === undefined) return undefined;
      out[key] = converted;
    }
  }
  return out;
}

/** A JSONata payload template as a JSONPath one, where every expression is a plain path. */
function templateToJsonPath(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(templateToJsonPath);
    return items.includes(undefined) ? undefined : items;
  }
  if (typeof value === "string" && value.trim().startsWith("{%")) return undefined;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === "string" && inner.trim().startsWith("{%")) {
      const path = jsonataToPath(inner);
      if (path === undefined) return undefined;
      out[`${key}.$`] = path;
    } else {
      const converted = templateToJsonPath(inner);
      if (converted === undefined) return undefined;
      out[key] = converted;
    }
  }
  return out;
}

const COMPARE: Record<string, string> = { Equals: "=", LessThan: "<", GreaterThan: ">", LessThanEquals: "<=", GreaterThanEquals: ">=" };

/** A JSONPath Choice condition (comparison, And/Or/Not) as a JSONata boolean expression. */
export function conditionToJsonata(rule: Record<string, unknown>, input = "$states.input"): string | undefined {
  if (Array.isArray(rule.And) || Array.isArray(rule.Or)) {
    const joiner = Array.isArray(rule.And) ? " and " : " or ";
    const parts = ((rule.And ?? rule.Or) as Record<string, unknown>[]).map((inner) => conditionToJsonata(inner, input));
    return parts.includes(undefined) ? undefined : `(${parts.join(joiner)})`;
  }
  if (rule.Not && typeof rule.Not === "object") {
    const inner = conditionToJsonata(rule.Not as Record<string, unknown>, input);
    return inner === undefined ? undefined : `$not(${inner})`;
  }
  const variable = typeof rule.Variable === "string" ? pathToJsonata(rule.Variable, input) : undefined;
  if (variable === undefined) return undefined;
  const operator = Object.keys(rule).find((key) => key !== "Variable" && key !== "Next" && key !== "Comment" && key !== "Assign" && key !== "Output");
  if (!operator) return undefined;
  const operand = rule[operator];
  const negate = (test: string) => (operand === false ? `$not(${test})` : test);
  switch (operator) {
    case "IsPresent":
      return negate(`$exists(${variable})`);
    case "IsNull":
      return negate(`(${variable} = null)`);
    case "IsNumeric":
      return negate(`($type(${variable}) = "number")`);
    case "IsString":
      return negate(`($type(${variable}) = "string")`);
    case "IsBoolean":
      return negate(`($type(${variable}) = "boolean")`);
    case "BooleanEquals":
      return typeof operand === "boolean" ? `(${variable} = ${operand})` : undefined;
    case "BooleanEqualsPath": {
      const other = typeof operand === "string" ? pathToJsonata(operand, input) : undefined;
      return other === undefined ? undefined : `(${variable} = ${other})`;
    }
    case "StringMatches": {
      if (typeof operand !== "string") return undefined;
      // `*` is the only wildcard; `\*` a literal star.
      const pattern = operand
        .split(/(\\\*|\*)/)
        .map((piece) => (piece === "*" ? ".*" : piece === "\\*" ? "\\*" : piece.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")))
        .join("");
      return `$contains(${variable}, /^${pattern}$/)`;
    }
  }
  const m = /^(String|Numeric|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/.exec(operator);
  if (!m) return undefined;
  const [, family, comparison, byPath] = m;
  let other: string | undefined;
  if (byPath) other = typeof operand === "string" ? pathToJsonata(operand, input) : undefined;
  else if (family === "Numeric") other = typeof operand === "number" ? String(operand) : undefined;
  else other = typeof operand === "string" ? JSON.stringify(operand) : undefined;
  if (other === undefined) return undefined;
  const [left, right] = family === "Timestamp" ? [`$toMillis(${variable})`, `$toMillis(${other})`] : [variable, other];
  // A string comparison is a string comparison only when the value is a string (AWS: false otherwise).
  const guard = family === "String" ? `$type(${variable}) = "string" and ` : family === "Numeric" ? `$type(${variable}) = "number" and ` : "";
  return `(${guard}${left} ${COMPARE[comparison]} ${right})`;
}

/**
 * JSONPath's input/result/output chain as one JSONata Output expression: null when it is the
 * state's default output anyway, undefined when no expression fits.
 */
function outputExpression(input: string, result: string | undefined, resultPath: unknown, outputPath: unknown, fallback: string): string | null | undefined {
  let output: string;
  if (resultPath === undefined || resultPath === "$") output = result ?? input;
  else if (resultPath === null) output = input;
  else if (typeof resultPath === "string" && /^\$\.[A-Za-z_]\w*$/.test(resultPath)) output = `$merge([${input}, {"${resultPath.slice(2)}": ${result ?? input}}])`;
  else return undefined;
  if (outputPath !== undefined && outputPath !== "$") {
    if (outputPath === null) return "{}";
    const path = typeof outputPath === "string" ? pathToJsonata(outputPath, `(${output})`) : undefined;
    if (path === undefined) return undefined;
    output = path;
  }
  return output === fallback ? null : output;
}

/**
 * The patch that switches a state to `choice` (undefined: the machine's language, `inherited`,
 * with no QueryLanguage field of its own), with what it kept.
 */
export function switchQueryLanguage(root: AslValue | undefined, statePath: Path, choice: Lang | undefined, inherited: Lang): LanguageSwitch {
  const to = choice ?? inherited;
  const state = at(root, statePath);
  const ops: PatchOp[] = [];
  const kept: string[] = [];
  const plain = isObject(state) ? (toPlain(state) as Record<string, unknown>) : {};
  const from: Lang = plain.QueryLanguage === "JSONata" || plain.QueryLanguage === "JSONPath" ? plain.QueryLanguage : inherited;
  const setLanguage: PatchOp =
    choice === undefined
      ? { op: "remove", path: [...statePath, "QueryLanguage"] }
      : plain.QueryLanguage === undefined
        ? { op: "insert", path: statePath, key: "QueryLanguage", after: "Type", value: to }
        : { op: "set", path: [...statePath, "QueryLanguage"], value: to };
  const unchanged = plain.QueryLanguage === choice;
  if (from === to) return { ops: unchanged ? [] : [setLanguage], kept };
  const remove = (key: string) => ops.push({ op: "remove", path: [...statePath, key] });
  const set = (key: string, value: unknown) => ops.push({ op: "set", path: [...statePath, key], value });
  const has = (key: string) => plain[key] !== undefined;
  if (!unchanged) ops.push(setLanguage);

  if (to === "JSONata") {
    // InputPath narrows what every other field reads.
    let input = "$states.input";
    if (has("InputPath")) {
      const narrowed = plain.InputPath === null ? "{}" : typeof plain.InputPath === "string" ? pathToJsonata(plain.InputPath) : undefined;
      if (narrowed === undefined) kept.push("InputPath");
      else {
        input = narrowed;
        remove("InputPath");
      }
    }
    const template = (key: string, value: unknown, base: string) => {
      const converted = templateToJsonata(value, base);
      if (converted === undefined) kept.push(key);
      return converted;
    };
    const type = plain.Type;
    // The result the state produces before ResultPath, as an expression.
    let result: string | undefined;
    // The same result as a JSON template, written as Output when nothing else reshapes it.
    let resultTemplate: unknown;
    let resultKept = false;
    const expressionOf = (template: unknown) => (typeof template === "string" ? unwrap(template) : JSON.stringify(template).replace(/"\{%\s*(.*?)\s*%\}"/g, "$1"));
    if (has("Parameters")) {
      const converted = template("Parameters", plain.Parameters, input);
      if (converted === undefined) resultKept = true;
      else if (type === "Pass") {
        result = expressionOf(converted);
        resultTemplate = converted;
        remove("Parameters");
      } else if (type === "Map") {
        ops.push({ op: "rename", path: statePath, from: "Parameters", to: "ItemSelector" }, { op: "set", path: [...statePath, "ItemSelector"], value: converted });
      } else {
        ops.push({ op: "rename", path: statePath, from: "Parameters", to: "Arguments" }, { op: "set", path: [...statePath, "Arguments"], value: converted });
      }
    } else if (type === "Pass" && has("Result")) {
      result = JSON.stringify(plain.Result);
      resultTemplate = plain.Result;
      remove("Result");
    } else if (type === "Pass" && input !== "$states.input") result = input;
    if (has("ItemSelector")) {
      const converted = template("ItemSelector", plain.ItemSelector, input);
      if (converted !== undefined) set("ItemSelector", converted);
    }
    if (has("ResultSelector")) {
      const converted = template("ResultSelector", plain.ResultSelector, "$states.result");
      if (converted === undefined) resultKept = true;
      else {
        result = expressionOf(converted);
        resultTemplate = converted;
        remove("ResultSelector");
      }
    }
    if (!resultKept && (has("ResultPath") || has("OutputPath") || result !== undefined || input !== "$states.input")) {
      const producing = type === "Task" || type === "Parallel" || type === "Map";
      const fallback = producing ? "$states.result" : "$states.input";
      const reshaped = has("ResultPath") || has("OutputPath");
      const output = outputExpression(input, result ?? (producing ? "$states.result" : input), plain.ResultPath, plain.OutputPath, fallback);
      if (output === undefined) kept.push(...["ResultPath", "OutputPath"].filter(has));
      else {
        for (const key of ["ResultPath", "OutputPath"]) if (has(key)) remove(key);
        const value = resultTemplate !== undefined && !reshaped ? resultTemplate : output === null ? undefined : wrap(output);
        // A new Output goes where a reader expects it, before Next/End (inserted first, while
        // the keys it is placed after are all still there).
        const last = Object.keys(plain).filter((key) => key !== "Next" && key !== "End").pop();
        if (value !== undefined) ops.unshift(has("Output") ? { op: "set", path: [...statePath, "Output"], value } : { op: "insert", path: statePath, key: "Output", after: last, value });
      }
    }
    for (const [path, value] of [
      ["SecondsPath", "Seconds"],
      ["TimestampPath", "Timestamp"],
      ["ItemsPath", "Items"],
      ["MaxConcurrencyPath", "MaxConcurrency"],
      ["TimeoutSecondsPath", "TimeoutSeconds"],
      ["HeartbeatSecondsPath", "HeartbeatSeconds"],
      ["ErrorPath", "Error"],
      ["CausePath", "Cause"],
    ]) {
      if (!has(path)) continue;
      const expression = typeof plain[path] === "string" ? pathToJsonata(plain[path] as string, input) : undefined;
      if (expression === undefined) kept.push(path);
      else ops.push({ op: "rename", path: statePath, from: path, to: value }, { op: "set", path: [...statePath, value], value: wrap(expression) });
    }
    // Choice rules and Catch outputs.
    (isArray(field(state, "Choices")) ? (plain.Choices as Record<string, unknown>[]) : []).forEach((rule, index) => {
      const condition = conditionToJsonata(rule, input);
      if (condition === undefined) return kept.push(`Choices[${index}]`);
      const rest = Object.fromEntries(Object.entries(rule).filter(([key]) => ["Next", "Comment", "Assign", "Output"].includes(key)));
      ops.push({ op: "set", path: [...statePath, "Choices", index], value: { Condition: wrap(condition), ...rest } });
    });
    (Array.isArray(plain.Catch) ? (plain.Catch as Record<string, unknown>[]) : []).forEach((catcher, index) => {
      if (catcher.ResultPath === undefined) return;
      // A catcher's default output is the error output.
      const output = outputExpression("$states.input", "$states.errorOutput", catcher.ResultPath, undefined, "$states.errorOutput");
      if (output === undefined) return kept.push(`Catch[${index}].ResultPath`);
      ops.push({ op: "remove", path: [...statePath, "Catch", index, "ResultPath"] });
      if (output !== null) ops.push({ op: "set", path: [...statePath, "Catch", index, "Output"], value: wrap(output) });
    });
  } else {
    // JSONata to JSONPath: plain paths translate back; any other expression is kept.
    for (const [key, target] of [
      ["Arguments", "Parameters"],
      ["ItemSelector", "ItemSelector"],
    ]) {
      if (!has(key)) continue;
      const converted = templateToJsonPath(plain[key]);
      if (converted === undefined) kept.push(key);
      else {
        if (key !== target) ops.push({ op: "rename", path: statePath, from: key, to: target });
        ops.push({ op: "set", path: [...statePath, target], value: converted });
      }
    }
    if (has("Output")) {
      const path = typeof plain.Output === "string" ? jsonataToPath(plain.Output) : undefined;
      if (path === undefined || path.startsWith("$$")) kept.push("Output");
      else ops.push({ op: "rename", path: statePath, from: "Output", to: "OutputPath" }, { op: "set", path: [...statePath, "OutputPath"], value: path });
    }
    for (const [value, path] of [
      ["Seconds", "SecondsPath"],
      ["Timestamp", "TimestampPath"],
      ["Items", "ItemsPath"],
      ["MaxConcurrency", "MaxConcurrencyPath"],
      ["TimeoutSeconds", "TimeoutSecondsPath"],
      ["HeartbeatSeconds", "HeartbeatSecondsPath"],
      ["Error", "ErrorPath"],
      ["Cause", "CausePath"],
    ]) {
      if (typeof plain[value] !== "string" || !(plain[value] as string).trim().startsWith("{%")) continue;
      const converted = jsonataToPath(plain[value] as string);
      if (converted === undefined) kept.push(value);
      else ops.push({ op: "rename", path: statePath, from: value, to: path }, { op: "set", path: [...statePath, path], value: converted });
    }
    if (Array.isArray(plain.Choices) && (plain.Choices as Record<string, unknown>[]).some((rule) => rule.Condition !== undefined)) kept.push("Choices");
    for (const key of ["Assign"]) if (has(key) && JSON.stringify(plain[key]).includes("{%")) kept.push(key);
  }
  return { ops, kept };
}
