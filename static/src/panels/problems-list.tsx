/** Problems: syntax errors, graph problems (dangling references) and /api/validate diagnostics; a click goes to the state and the line. */
import { lineColumn } from "../asl/problems";
import { at } from "../asl/value";
import { pointer } from "../graph/model";
import { useEditor, useEditorStore } from "../store";
import { revealLine } from "./reveal-line";

interface Row {
  key: string;
  severity: "error" | "warning";
  code: string;
  message: string;
  stateId?: string;
  pointer?: string;
  line?: number;
  column?: number;
}

export function ProblemsList() {
  const store = useEditorStore();
  const problems = useEditor((s) => s.problems);
  const graphProblems = useEditor((s) => s.graph.problems);
  const diagnostics = useEditor((s) => s.diagnostics);
  const validating = useEditor((s) => s.validating);
  const validateError = useEditor((s) => s.validateError);
  const editError = useEditor((s) => s.editError);
  const states = useEditor((s) => s.graph.states);
  const stateIds = states.map((st) => st.id);

  const owner = (ptr: string) => stateIds.filter((id) => ptr === id || ptr.startsWith(id + "/")).sort((a, b) => b.length - a.length)[0];

  const rows: Row[] = [];
  problems.forEach((p, i) => rows.push({ key: `syntax${i}`, severity: "error", code: "SYNTAX", message: p.message, line: p.line, column: p.column }));
  if (problems.length === 0) {
    const { doc } = store.getState();
    const seen = new Set(diagnostics.map((d) => d.pointer));
    graphProblems.forEach((p, i) => {
      const ptr = pointer(p.path);
      if (seen.has(ptr)) return;
      const node = at(doc.root, p.path);
      const where = node ? lineColumn(doc.text, node.range.offset) : undefined;
      rows.push({ key: `graph${i}`, severity: "error", code: "REFERENCE", message: p.message, stateId: p.stateId, pointer: ptr, line: where?.line, column: where?.column });
    });
    diagnostics.forEach((d, i) =>
      rows.push({ key: `diag${i}`, severity: d.severity, code: d.code, message: d.message, pointer: d.pointer, stateId: owner(d.pointer), line: d.line ?? undefined, column: d.column ?? undefined }),
    );
  }

  const errors = rows.filter((r) => r.severity === "error").length;
  return (
    <section className="problems" aria-label="Problems">
      <header className="problems-head">
        <strong>Problems</strong>
        <span className={`problems-count${errors ? " has-errors" : ""}`}>
          {errors} error{errors === 1 ? "" : "s"}, {rows.length - errors} warning{rows.length - errors === 1 ? "" : "s"}
        </span>
        {validating && <span className="muted">checking…</span>}
        {validateError && <span className="muted">validation unavailable: {validateError}</span>}
        {editError && <span className="edit-error" role="alert">{editError}</span>}
      </header>
      <ul>
        {rows.map((row) => (
          <li key={row.key} className={`problem problem-${row.severity}`}>
            <button
              type="button"
              onClick={() => {
                if (row.stateId) store.getState().select([row.stateId], row.pointer ?? null);
                if (row.line) revealLine(row.line, row.column);
              }}
            >
              <span className="problem-code">{row.code}</span>
              <span className="problem-message">{row.message}</span>
              {row.line && <span className="problem-where">line {row.line}</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
