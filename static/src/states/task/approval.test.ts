import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { applyPatch, parseDocument, type AslDocument } from "../../asl/document";
import { at, keys, toPlain } from "../../asl/value";
import { buildGraph } from "../../graph/build";
import { addGroup, insertGroupOnEdge, placeGroup } from "../../graph/state-group";
import { validateWithCore } from "../../test-support/asl-core";
import { approvalGroup } from "./approval";

// Four-space indentation, a one-line object and a key order no formatter would produce: all kept.
const JSONPATH = `{
    "Comment": "Refunds",
    "StartAt": "Load",
    "States": {
        "Load": {"Type": "Pass", "Result": {"amount": 12}, "ResultPath": "$.refund", "Next": "Pay"},
        "Pay": {
            "Next": "Done",
            "Type": "Pass"
        },
        "Done": {
            "Type": "Succeed"
        }
    }
}
`;

const JSONATA = `{
  "QueryLanguage": "JSONata",
  "StartAt": "Load",
  "States": {
    "Load": {
      "Type": "Pass",
      "Output": {"amount": 12},
      "Next": "Pay"
    },
    "Pay": {
      "Type": "Pass",
      "Next": "Done"
    },
    "Done": {
      "Type": "Succeed"
    }
  }
}
`;

function insertAtEnd(doc: AslDocument, language: "JSONPath" | "JSONata"): AslDocument {
  const group = placeGroup(approvalGroup(language), keys(at(doc.root, ["States"])));
  return applyPatch(doc, addGroup(doc.root, ["States"], group));
}

function states(doc: AslDocument): Record<string, Record<string, unknown>> {
  return toPlain(at(doc.root, ["States"])!) as Record<string, Record<string, unknown>>;
}

function insertAfter(doc: AslDocument, source: string, language: "JSONPath" | "JSONata"): AslDocument {
  const edge = buildGraph(doc.root).edges.find((e) => e.source === `/States/${source}` && e.kind === "next")!;
  const target = edge.target.slice("/States/".length);
  const group = placeGroup(approvalGroup(language), keys(at(doc.root, ["States"])));
  return applyPatch(doc, insertGroupOnEdge(doc.root, ["States"], edge, group, target));
}

function expectClean(doc: AslDocument) {
  expect(validateWithCore(doc.text, doc.format)).toEqual([]);
  expect(buildGraph(doc.root).problems).toEqual([]);
}

/** Added on its own, nothing goes to the group yet: that is the only finding. */
function expectOnlyUnreachable(doc: AslDocument, names: string[]) {
  const found = validateWithCore(doc.text, doc.format).map((d) => `${d.code} ${d.state}`);
  expect(found.sort()).toEqual(names.map((name) => `MISSING_TRANSITION_TARGET ${name}`).sort());
}

const GROUP = ["Request approval", "Approved?", "Approved", "Approval rejected", "Approval timed out"];

describe("the human approval pattern", () => {
  it("inserts one group of states into a JSONPath machine, the text around it untouched", () => {
    const doc = parseDocument(JSONPATH);
    const after = insertAtEnd(doc, "JSONPath");
    // Everything up to the last state and after it is the author's text, byte for byte.
    const end = JSONPATH.indexOf('"Type": "Succeed"\n        }') + '"Type": "Succeed"\n        }'.length;
    expect(after.text.startsWith(JSONPATH.slice(0, end))).toBe(true);
    expect(after.text.endsWith(JSONPATH.slice(end))).toBe(true);
    // The new states are laid out as the document is: eight spaces deep, one key a line.
    expect(after.text).toContain('\n        "Request approval": {\n            "Type": "Task",\n');

    const all = states(after);
    expect(Object.keys(all)).toEqual(["Load", "Pay", "Done", "Request approval", "Approved?", "Approved", "Approval rejected", "Approval timed out"]);
    const ask = all["Request approval"];
    expect(ask.Resource).toBe("arn:aws:states:::lambda:invoke.waitForTaskToken");
    expect(ask.Parameters).toEqual({
      FunctionName: "symphony-request-approval",
      Payload: {
        "taskToken.$": "$$.Task.Token",
        "execution.$": "$$.Execution.Id",
        title: "Approve this step",
        "context.$": "$",
        approvers: { users: [], groups: ["reviewers"] },
        quorum: 1,
      },
    });
    expect(ask.ResultPath).toBe("$.approval");
    expect(ask.TimeoutSeconds).toBe(86400);
    expect(ask.Catch).toEqual([
      { ErrorEquals: ["Rejected"], Next: "Approval rejected" },
      { ErrorEquals: ["States.Timeout", "Approval.Expired"], Next: "Approval timed out" },
    ]);
    expect(ask.Next).toBe("Approved?");
    // The Choice reads the answer the approval page sends: {"approved": true, "reviewer", "comment"}.
    expect(all["Approved?"]).toEqual({
      Type: "Choice",
      Choices: [
        {
          And: [
            { Variable: "$.approval.approved", IsPresent: true },
            { Variable: "$.approval.approved", BooleanEquals: true },
          ],
          Next: "Approved",
        },
      ],
      Default: "Approval rejected",
    });
    expect(all["Approved"].End).toBe(true);
    expect(all["Approval rejected"]).toMatchObject({ Type: "Fail", Error: "ApprovalRejected" });
    expect(all["Approval timed out"]).toMatchObject({ Type: "Fail", Error: "ApprovalTimedOut" });
    expectOnlyUnreachable(after, GROUP);

    const edges = buildGraph(after.root).edges.map((e) => `${e.source} -${e.kind}-> ${e.target}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        "/States/Request approval -next-> /States/Approved?",
        "/States/Request approval -catch-> /States/Approval rejected",
        "/States/Request approval -catch-> /States/Approval timed out",
        "/States/Approved? -choice-> /States/Approved",
        "/States/Approved? -default-> /States/Approval rejected",
      ]),
    );
  });

  it("inserted again, takes names of its own and its references follow them", () => {
    const twice = insertAfter(insertAfter(parseDocument(JSONPATH), "Load", "JSONPath"), "Approved", "JSONPath");
    const all = states(twice);
    expect(all["Request approval 2"].Next).toBe("Approved? 2");
    expect(all["Request approval 2"].Catch).toEqual([
      { ErrorEquals: ["Rejected"], Next: "Approval rejected 2" },
      { ErrorEquals: ["States.Timeout", "Approval.Expired"], Next: "Approval timed out 2" },
    ]);
    expect(all["Approved? 2"]).toMatchObject({ Default: "Approval rejected 2", Choices: [{ Next: "Approved 2" }] });
    // The first group is as it was, its approved path now going to the second.
    expect(all["Request approval"].Next).toBe("Approved?");
    expect(all["Approved"].Next).toBe("Request approval 2");
    expect(all["Approved 2"].Next).toBe("Pay");
    expectClean(twice);
  });

  it("speaks JSONata in a JSONata machine", () => {
    const after = insertAtEnd(parseDocument(JSONATA), "JSONata");
    const all = states(after);
    const ask = all["Request approval"];
    expect(ask.Parameters).toBeUndefined();
    expect(ask.Arguments).toEqual({
      FunctionName: "symphony-request-approval",
      Payload: {
        taskToken: "{% $states.context.Task.Token %}",
        execution: "{% $states.context.Execution.Id %}",
        title: "Approve this step",
        context: "{% $states.input %}",
        approvers: { users: [], groups: ["reviewers"] },
        quorum: 1,
      },
    });
    expect(ask.Assign).toEqual({ approval: "{% $states.result %}" });
    expect(ask.Output).toBe("{% $states.input %}");
    expect(all["Approved?"]).toEqual({
      Type: "Choice",
      Choices: [{ Condition: "{% $approval.approved = true %}", Next: "Approved" }],
      Default: "Approval rejected",
    });
    expect(after.text).toContain('\n    "Request approval": {\n      "Type": "Task",\n');
    expectOnlyUnreachable(after, GROUP);
  });

  it("on an arrow, goes between its two states: the approved path on to the old target", () => {
    for (const [text, language] of [
      [JSONPATH, "JSONPath"],
      [JSONATA, "JSONata"],
    ] as const) {
      const after = insertAfter(parseDocument(text), "Load", language);
      const all = states(after);
      expect(all["Load"].Next).toBe("Request approval");
      expect(all["Approved"].Next).toBe("Pay");
      expect(all["Approved"].End).toBeUndefined();
      expectClean(after);
    }
  });

  it("goes into a YAML definition too", () => {
    const yaml = "# refunds\nStartAt: Load\nStates:\n  Load:\n    Type: Pass\n    Next: Done\n  Done:\n    Type: Succeed\n";
    const after = insertAfter(parseDocument(yaml), "Load", "JSONPath");
    expect(after.format).toBe("yaml");
    expect(after.text.startsWith("# refunds\nStartAt: Load\n")).toBe(true);
    expect(states(after)["Request approval"].Next).toBe("Approved?");
    expectClean(after);
  });

  it("is the machine the engine runs in tests/executions/approvals/test_approvals_pattern.py", () => {
    // Those tests answer it as the approval page does; this keeps them on the template the palette inserts.
    for (const language of ["JSONPath", "JSONata"] as const) {
      const empty = parseDocument(language === "JSONata" ? '{"QueryLanguage": "JSONata", "StartAt": "", "States": {}}' : '{"StartAt": "", "States": {}}');
      const machine = applyPatch(empty, addGroup(empty.root, ["States"], placeGroup(approvalGroup(language), [])));
      const file = new URL(`../../../../tests/executions/approvals/data/approval-pattern.${language.toLowerCase()}.asl.json`, import.meta.url);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(JSON.parse(machine.text));
    }
  });
});
