import { describe, expect, it } from "vitest";

import { createEditorStore } from "./index";
import { approvalGroup } from "../states/task/approval";
import { addNewState, insertNewStateOnEdge, renameSelected, copySelection, pasteStates, deleteSelection } from "./editing";

const TEXT = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "Next": "B"},\n    "B": {"Type": "Succeed"}\n  }\n}\n';

function store() {
  const s = createEditorStore();
  s.getState().setText(TEXT, "remote", "json");
  return s;
}

describe("editor store", () => {
  it("adds a palette pattern as one edit: every state of it selected, one undo removes it", () => {
    const s = store();
    const entry = addNewState(s, ["States"], approvalGroup("JSONPath"), { x: 40, y: 300 });
    expect(entry).toBe("/States/Request approval");
    expect(s.getState().selected).toEqual(["Request approval", "Approved?", "Approved", "Approval rejected", "Approval timed out"].map((name) => `/States/${name}`));
    expect(s.getState().positions[entry!]).toEqual({ x: 40, y: 300 });
    expect(s.getState().past).toHaveLength(1);
    s.getState().undo();
    expect(s.getState().text).toBe(TEXT);

    const edge = s.getState().graph.edges.find((e) => e.source === "/States/A")!;
    expect(insertNewStateOnEdge(s, edge, approvalGroup("JSONPath"))).toBe("/States/Request approval");
    const states = JSON.parse(s.getState().text).States;
    expect(states.A.Next).toBe("Request approval");
    expect(states.Approved.Next).toBe("B");
    expect(s.getState().selected).toHaveLength(5);
  });

  it("keeps the graph when the code does not parse, and the author's text", () => {
    const s = store();
    const graph = s.getState().graph;
    expect(s.getState().setText(TEXT.slice(0, -5), "code")).toBe(false);
    expect(s.getState().text).toBe(TEXT.slice(0, -5));
    expect(s.getState().problems.length).toBeGreaterThan(0);
    expect(s.getState().graph).toBe(graph);
    // Graph edits wait until the code is fixed.
    expect(s.getState().apply([{ op: "set", path: ["Comment"], value: "x" }])).toBe(false);
    expect(s.getState().editError).toMatch(/syntax errors/);
    s.getState().setText("this is not JSON or YAML", "code");
    expect(s.getState().problems[0].message).toMatch(/object/);
    expect(s.getState().graph.states.map((st) => st.name)).toEqual(["A", "B"]);
  });

  it("undoes and redoes graph edits; code typing coalesces into one step", () => {
    const s = store();
    s.getState().apply([{ op: "set", path: ["Comment"], value: "one" }]);
    s.getState().apply([{ op: "set", path: ["Comment"], value: "two" }]);
    expect(s.getState().past).toHaveLength(2);
    s.getState().undo();
    expect(JSON.parse(s.getState().text).Comment).toBe("one");
    s.getState().undo();
    expect(s.getState().text).toBe(TEXT);
    s.getState().redo();
    expect(JSON.parse(s.getState().text).Comment).toBe("one");
    const before = s.getState().past.length;
    s.getState().setText(s.getState().text.replace('"one"', '"o"'), "code");
    s.getState().setText(s.getState().text.replace('"o"', '"ok"'), "code");
    expect(s.getState().past.length).toBe(before + 1);
    expect(s.getState().future).toEqual([]);
  });

  it("renames with references and moves the view state to the new id", () => {
    const s = store();
    s.getState().pin("/States/A", { x: 10, y: 20 });
    s.getState().select(["/States/A"]);
    expect(renameSelected(s, "/States/A", 'Say "hi" <b>')).toBe(true);
    const plain = JSON.parse(s.getState().text);
    expect(plain.StartAt).toBe('Say "hi" <b>');
    expect(Object.keys(plain.States)).toEqual(['Say "hi" <b>', "B"]);
    expect(s.getState().positions).toEqual({ "/States/Say \"hi\" <b>": { x: 10, y: 20 } });
    expect(s.getState().selected).toEqual(['/States/Say "hi" <b>']);
    expect(renameSelected(s, '/States/Say "hi" <b>', "B")).toBe(false);
    expect(s.getState().editError).toMatch(/already a state named "B"/);
  });

  it("copies and pastes with fresh names and internal references renamed, and deletes", () => {
    const s = store();
    s.getState().select(["/States/A", "/States/B"]);
    const clip = copySelection(s)!;
    expect(pasteStates(s, clip, ["States"])).toBe(true);
    const plain = JSON.parse(s.getState().text);
    expect(Object.keys(plain.States)).toEqual(["A", "B", "A 2", "B 2"]);
    expect(plain.States["A 2"].Next).toBe("B 2");
    expect(s.getState().selected).toEqual(["/States/A 2", "/States/B 2"]);
    deleteSelection(s);
    expect(Object.keys(JSON.parse(s.getState().text).States)).toEqual(["A", "B"]);
    expect(s.getState().text).toBe(TEXT);
  });
});

describe("a view-only workflow", () => {
  const links = { self: "/w/1", draft: "/w/1/draft", versions: "", export: "", test_inputs: "", runs: "", page: "" };
  const workflow = { id: 1, name: "w", description: "", type: "STANDARD", revision: 1, format: "json" as const, links, can_edit: false };
  const draft = { workflow: 1, definition: TEXT, format: "json" as const, layout: {}, revision: 1, updated_at: "", updated_by: null };

  it("loads its draft, refuses every edit and schedules no save", () => {
    const s = createEditorStore();
    s.getState().connectDraft(workflow, draft);
    expect(s.getState().text).toBe(TEXT);

    expect(s.getState().setText('{"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}', "code")).toBe(false);
    expect(s.getState().setText("{}", "import")).toBe(false);
    expect(addNewState(s, ["States"], approvalGroup("JSONPath"), { x: 0, y: 0 })).toBeNull();
    s.getState().select(["/States/A"]);
    deleteSelection(s);
    expect(s.getState().text).toBe(TEXT);
    expect(s.getState().past).toHaveLength(0);
    expect(s.getState().editError).toMatch(/^View only/);
    expect(s.getState().saveStatus).toBe("saved");
  });

  it("is editable as before when it may be changed", () => {
    const s = createEditorStore();
    s.getState().connectDraft({ ...workflow, can_edit: true }, draft);
    s.getState().select(["/States/A"]);
    deleteSelection(s);
    expect(JSON.parse(s.getState().text).States.A).toBeUndefined();
    expect(s.getState().saveStatus).toBe("dirty");
  });
});
