import { describe, expect, it } from "vitest";

import { applyPatch, parseDocument } from "../asl/document";
import { conditionToJsonata, jsonataToPath, pathToJsonata, switchQueryLanguage } from "./query-language";

function switched(definition: { QueryLanguage?: string; StartAt: string; States: object }, state: string, to: "JSONPath" | "JSONata") {
  const doc = parseDocument(JSON.stringify(definition, null, 2));
  const inherited = definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  const { ops, kept } = switchQueryLanguage(doc.root, ["States", state], to, inherited);
  const after = JSON.parse(applyPatch(doc, ops).text);
  return { state: after.States[state], kept };
}

describe("switching a state's query language", () => {
  it("translates reference paths both ways", () => {
    expect(pathToJsonata("$")).toBe("$states.input");
    expect(pathToJsonata("$.order.items[0]['unit price']")).toBe("$states.input.order.items[0].`unit price`");
    expect(pathToJsonata("$$.Execution.Id")).toBe("$states.context.Execution.Id");
    expect(pathToJsonata("$total.sum")).toBe("$total.sum");
    expect(pathToJsonata("$..price")).toBeUndefined();
    expect(pathToJsonata("$.items[?(@.ok)]")).toBeUndefined();
    expect(jsonataToPath("{% $states.input.order.id %}")).toBe("$.order.id");
    expect(jsonataToPath("{% $states.context.Task.Token %}")).toBe("$$.Task.Token");
    expect(jsonataToPath("{% $states.input.a + 1 %}")).toBeUndefined();
  });

  it("a Task: Parameters become Arguments, the result chain one Output, key order kept", () => {
    const { state, kept } = switched(
      {
        StartAt: "Charge",
        States: {
          Charge: {
            Type: "Task",
            Comment: "pay",
            Resource: "arn:aws:states:::lambda:invoke",
            InputPath: "$.order",
            Parameters: { FunctionName: "charge", "Payload.$": "$", "Token.$": "$$.Task.Token" },
            ResultSelector: { "paid.$": "$.Payload.ok" },
            ResultPath: "$.payment",
            TimeoutSecondsPath: "$.timeout",
            Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Oops" }],
            Next: "Oops",
          },
          Oops: { Type: "Succeed" },
        },
      },
      "Charge",
      "JSONata",
    );
    expect(kept).toEqual([]);
    expect(Object.keys(state)).toEqual(["Type", "QueryLanguage", "Comment", "Resource", "Arguments", "TimeoutSeconds", "Catch", "Output", "Next"]);
    expect(state.Arguments).toEqual({ FunctionName: "charge", Payload: "{% $states.input.order %}", Token: "{% $states.context.Task.Token %}" });
    expect(state.Output).toBe('{% $merge([$states.input.order, {"payment": {"paid":$states.result.Payload.ok}}]) %}');
    expect(state.TimeoutSeconds).toBe("{% $states.input.order.timeout %}");
    expect(state.Catch[0]).toEqual({ ErrorEquals: ["States.ALL"], Next: "Oops", Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}' });
  });

  it("a Pass with Parameters and no reshaping writes them as its Output template", () => {
    const { state } = switched({ StartAt: "P", States: { P: { Type: "Pass", Parameters: { "id.$": "$.order.id", fixed: 1 }, End: true } } }, "P", "JSONata");
    expect(state).toEqual({ Type: "Pass", QueryLanguage: "JSONata", Output: { id: "{% $states.input.order.id %}", fixed: 1 }, End: true });
  });

  it("a Choice: every rule becomes a Condition; what has no translation is kept and named", () => {
    const rules = [
      { Variable: "$.n", NumericGreaterThanEquals: 10, Next: "Big" },
      { And: [{ Variable: "$.s", StringMatches: "log-*.txt" }, { Not: { Variable: "$.flag", IsPresent: true } }], Next: "Big" },
      { Variable: "$.t", TimestampLessThanPath: "$.limit", Next: "Big" },
      { Variable: "$..deep", IsNull: true, Next: "Big" },
    ];
    const { state, kept } = switched({ StartAt: "C", States: { C: { Type: "Choice", Choices: rules, Default: "Big" }, Big: { Type: "Succeed" } } }, "C", "JSONata");
    expect(state.Choices[0]).toEqual({ Condition: '{% ($type($states.input.n) = "number" and $states.input.n >= 10) %}', Next: "Big" });
    expect(state.Choices[1].Condition).toBe("{% ($contains($states.input.s, /^log-.*\\.txt$/) and $not($exists($states.input.flag))) %}");
    expect(state.Choices[2].Condition).toBe("{% ($toMillis($states.input.t) < $toMillis($states.input.limit)) %}");
    expect(state.Choices[3]).toEqual(rules[3]);
    expect(kept).toEqual(["Choices[3]"]);
  });

  it("a Wait and a Map: *Path fields become expressions; and back again to JSONPath", () => {
    const definition = {
      StartAt: "W",
      States: {
        W: { Type: "Wait", SecondsPath: "$.delay", Next: "M" },
        M: { Type: "Map", ItemsPath: "$.items", ItemSelector: { "value.$": "$$.Map.Item.Value" }, ItemProcessor: { StartAt: "X", States: { X: { Type: "Succeed" } } }, End: true },
      },
    };
    expect(switched(definition, "W", "JSONata").state).toEqual({ Type: "Wait", QueryLanguage: "JSONata", Seconds: "{% $states.input.delay %}", Next: "M" });
    const map = switched(definition, "M", "JSONata").state;
    expect(map.Items).toBe("{% $states.input.items %}");
    expect(map.ItemSelector).toEqual({ value: "{% $states.context.Map.Item.Value %}" });

    const back = switched({ QueryLanguage: "JSONata", StartAt: "W", States: { W: { ...switched(definition, "W", "JSONata").state } } }, "W", "JSONPath");
    expect(back.state).toEqual({ Type: "Wait", QueryLanguage: "JSONPath", SecondsPath: "$.delay", Next: "M" });
  });

  it("JSONata that is not a plain path stays as written, named", () => {
    const { state, kept } = switched(
      { QueryLanguage: "JSONata", StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { a: "{% $states.input.x + 1 %}" }, Output: "{% $states.result.Payload %}", End: true } } },
      "T",
      "JSONPath",
    );
    expect(kept).toEqual(["Arguments", "Output"]);
    expect(state.Arguments).toEqual({ a: "{% $states.input.x + 1 %}" });
  });

  it("condition translation of the type tests and booleans", () => {
    expect(conditionToJsonata({ Variable: "$.a", IsString: false })).toBe('$not(($type($states.input.a) = "string"))');
    expect(conditionToJsonata({ Variable: "$.a", BooleanEquals: true })).toBe("($states.input.a = true)");
    expect(conditionToJsonata({ Or: [{ Variable: "$.a", StringEquals: "x" }, { Variable: "$.b", IsNull: true }] })).toBe(
      '(($type($states.input.a) = "string" and $states.input.a = "x") or ($states.input.b = null))',
    );
  });
});
