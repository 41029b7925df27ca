/**
 * "Test this state": the selected state run on its own through TestState (/api/test-state/),
 * with an input, variables and, for a Task, Map or Parallel, an optional mocked result or
 * error. Shows each data-flow stage the answer carries, the outcome and the next state.
 * Self-contained: reads the document, writes nothing to it.
 */
import { useEffect, useRef, useState } from "react";

import { ApiError } from "../api/client";
import { lastInput, testState, type TestStateAnswer } from "../api/test-state";
import { toJsonTextOf } from "../asl/convert";
import type { GraphState } from "../graph/model";
import { useEditor } from "../store";

/** The stages in the order a state's data flows through them, with their names in the editor. */
const STAGES: [string, string][] = [
  ["input", "Input"],
  ["afterInputPath", "After InputPath"],
  ["afterParameters", "After Parameters"],
  ["afterArguments", "After Arguments"],
  ["afterItemsPath", "After ItemsPath"],
  ["result", "Result"],
  ["afterResultSelector", "After ResultSelector"],
  ["afterResultPath", "After ResultPath"],
];
const MOCKABLE = new Set(["Task", "Map", "Parallel"]);
// Map and Parallel states run on TestState only with a mock (AWS's rule).
const NEEDS_MOCK = new Set(["Map", "Parallel"]);

type MockKind = "none" | "result" | "error";

export function TestStatePanel({ state }: { state: GraphState }) {
  const doc = useEditor((s) => s.doc);
  const workflowId = useEditor((s) => s.workflow?.id);
  const [input, setInput] = useState("{}");
  const [inputFrom, setInputFrom] = useState<string | null>(null);
  const edited = useRef(false);
  // The input this state received in the author's last run, until they type their own.
  const inputOf = `${workflowId}/${state.name}`;
  const [inputFromOf, setInputFromOf] = useState(inputOf);
  if (inputFromOf !== inputOf) {
    setInputFromOf(inputOf);
    setInputFrom(null);
  }
  useEffect(() => {
    edited.current = false;
    if (workflowId === undefined) return;
    let current = true;
    void lastInput(workflowId, state.name).then((text) => {
      if (current && text !== null && !edited.current) {
        setInput(text);
        setInputFrom("the last run");
      }
    });
    return () => {
      current = false;
    };
  }, [workflowId, state.name]);
  const [variables, setVariables] = useState("");
  const [mockKind, setMockKind] = useState<MockKind>(NEEDS_MOCK.has(state.type) ? "result" : "none");
  const [mockResult, setMockResult] = useState(NEEDS_MOCK.has(state.type) ? "[]" : "{}");
  const [mockError, setMockError] = useState({ error: "States.TaskFailed", cause: "" });
  const [answer, setAnswer] = useState<TestStateAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    setRunning(true);
    setProblem(null);
    setAnswer(null);
    try {
      const mock = mockKind === "result" ? { result: mockResult } : mockKind === "error" ? { errorOutput: mockError } : undefined;
      setAnswer(
        await testState({
          definition: toJsonTextOf(doc),
          stateName: state.name,
          input,
          variables: variables.trim() ? variables : undefined,
          mock,
          inspectionLevel: "TRACE",
        }),
      );
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="inspector-section test-state" aria-label="Test this state">
      <h4>Test this state</h4>
      <label className="field">
        <span className="field-label">Input{inputFrom && <span className="muted"> (from {inputFrom})</span>}</span>
        <textarea
          aria-label="Test input"
          rows={3}
          spellCheck={false}
          value={input}
          onChange={(e) => {
            edited.current = true;
            setInputFrom(null);
            setInput(e.target.value);
          }}
        />
      </label>
      <label className="field">
        <span className="field-label">Variables</span>
        <textarea aria-label="Test variables" rows={2} spellCheck={false} placeholder='{"name": "value"}' value={variables} onChange={(e) => setVariables(e.target.value)} />
      </label>
      {MOCKABLE.has(state.type) && (
        <div className="field">
          <span className="field-label">Mock</span>
          <select aria-label="Mock" value={mockKind} onChange={(e) => setMockKind(e.target.value as MockKind)}>
            {!NEEDS_MOCK.has(state.type) && <option value="none">None: run it</option>}
            <option value="result">A result</option>
            <option value="error">An error</option>
          </select>
          {mockKind === "result" && <textarea aria-label="Mocked result" rows={3} spellCheck={false} value={mockResult} onChange={(e) => setMockResult(e.target.value)} />}
          {mockKind === "error" && (
            <>
              <input aria-label="Mocked error" value={mockError.error} onChange={(e) => setMockError({ ...mockError, error: e.target.value })} />
              <input aria-label="Mocked cause" placeholder="Cause" value={mockError.cause} onChange={(e) => setMockError({ ...mockError, cause: e.target.value })} />
            </>
          )}
        </div>
      )}
      <button type="button" onClick={run} disabled={running}>
        {running ? "Testing…" : "Run test"}
      </button>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {answer && <TestAnswer answer={answer} />}
    </section>
  );
}

function TestAnswer({ answer }: { answer: TestStateAnswer }) {
  const data = answer.inspectionData ?? {};
  const stages = STAGES.filter(([key]) => typeof data[key] === "string");
  return (
    <div className="test-state-answer" aria-label="Test result">
      <p>
        <strong className={`test-status ${answer.status.toLowerCase()}`}>{answer.status}</strong>
        {answer.nextState && (
          <>
            {" → next: "}
            <strong data-testid="next-state">{answer.nextState}</strong>
          </>
        )}
      </p>
      {answer.error && (
        <p className="field-error">
          {answer.error}
          {answer.cause ? `: ${answer.cause}` : ""}
        </p>
      )}
      <dl className="test-stages">
        {stages.map(([key, label]) => (
          <Stage key={key} name={key} label={label} text={data[key] as string} />
        ))}
        {answer.output !== undefined && <Stage name="output" label="Output" text={answer.output} />}
        {typeof data.variables === "string" && <Stage name="variables" label="Variables after" text={data.variables} />}
      </dl>
    </div>
  );
}

function Stage({ name, label, text }: { name: string; label: string; text: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <pre data-stage={name}>{pretty(text)}</pre>
      </dd>
    </>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
