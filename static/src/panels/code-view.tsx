/**
 * The code view: CodeMirror 6 with JSON or YAML, two-way with the store. Typing sends the text
 * to the store (the graph follows when it parses; otherwise its problems show here and the
 * graph stays as it was); store changes (graph edits, undo) come back as a minimal replace.
 */
import { json } from "@codemirror/lang-json";
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { Annotation, Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";

import type { Diagnostic } from "../api/validate";
import { isViewOnly } from "../api/workflows";
import type { ParseProblem } from "../asl/document";
import { useEditor, useEditorStore } from "../store";
import { takeReveal, type LineRequest } from "./reveal-line";

const language = new Compartment();
// Read only while the workflow is view only for this user (known once its draft is connected).
const readOnly = new Compartment();
const fromStore = Annotation.define<boolean>();
// YAML highlighting is fetched only for a YAML definition; until it lands the text shows plain.
const yamlLanguage = () => import("@codemirror/lang-yaml").then((m) => m.yaml());
const langFor = (format: string): Extension => (format === "yaml" ? [] : json());

export function CodeView() {
  const store = useEditorStore();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The text the editor holds, kept here so a store change is compared without reading CodeMirror's doc out.
  const shown = useRef("");
  const text = useEditor((s) => s.text);
  const format = useEditor((s) => s.doc.format);
  const viewOnly = useEditor((s) => isViewOnly(s.workflow));
  const problems = useEditor((s) => s.problems);
  const diagnostics = useEditor((s) => s.diagnostics);
  const selectedRange = useEditor((s) => {
    const state = s.selected.length === 1 ? s.graph.states.find((st) => st.id === s.selected[0]) : undefined;
    if (!state || !s.doc.root || s.problems.length > 0) return null;
    // A field picked with the state (a problem's pointer): as deep into it as the text goes.
    const inner = s.focusPointer?.startsWith(state.id + "/")
      ? s.focusPointer
          .slice(state.id.length + 1)
          .split("/")
          .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      : [];
    let node = s.doc.root;
    let keyRange = null;
    for (const [index, part] of [...state.path, ...inner].entries()) {
      const extra = index >= state.path.length;
      if (node.kind === "object") {
        const entry = node.entries.find((e) => e.key === String(part));
        if (!entry) {
          if (extra) break;
          return null;
        }
        keyRange = entry.keyRange;
        node = entry.value;
      } else if (node.kind === "array" && node.items[Number(part)] !== undefined) node = node.items[Number(part)];
      else if (extra) break;
      else return null;
    }
    return keyRange ? `${keyRange.offset}:${keyRange.length}` : null;
  });

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: store.getState().text,
        extensions: [
          basicSetup,
          language.of(langFor(store.getState().doc.format)),
          readOnly.of(EditorState.readOnly.of(isViewOnly(store.getState().workflow))),
          lintGutter(),
          EditorView.lineWrapping,
          EditorView.updateListener.of((update) => {
            if (!update.docChanged || update.transactions.every((t) => t.annotation(fromStore) === true)) return;
            shown.current = update.state.doc.toString();
            store.getState().setText(shown.current, "code");
          }),
        ],
      }),
    });
    view.current = editor;
    shown.current = store.getState().text;
    // Reachable from the page (browser tests, benchmarks) without depending on CodeMirror's internals.
    (host.current as HTMLDivElement & { editorView?: EditorView }).editorView = editor;
    const show = ({ line, column }: LineRequest) => {
      takeReveal();
      const doc = editor.state.doc;
      const at = doc.line(Math.max(1, Math.min(line, doc.lines)));
      const pos = Math.min(at.from + Math.max(0, column - 1), at.to);
      editor.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: "center" }) });
      editor.focus();
    };
    const reveal = (event: Event) => show((event as CustomEvent<LineRequest>).detail);
    const waiting = takeReveal();
    if (waiting) show(waiting);
    window.addEventListener("symphony:reveal", reveal);
    return () => {
      window.removeEventListener("symphony:reveal", reveal);
      editor.destroy();
    };
  }, [store]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = shown.current;
    if (current === text) return;
    // One change covering only what differs: CodeMirror then re-measures and re-highlights that span alone.
    let start = 0;
    const limit = Math.min(current.length, text.length);
    while (start < limit && current.charCodeAt(start) === text.charCodeAt(start)) start++;
    let endA = current.length;
    let endB = text.length;
    while (endA > start && endB > start && current.charCodeAt(endA - 1) === text.charCodeAt(endB - 1)) {
      endA--;
      endB--;
    }
    shown.current = text;
    editor.dispatch({ changes: { from: start, to: endA, insert: text.slice(start, endB) }, annotations: fromStore.of(true) });
  }, [text]);

  useEffect(() => {
    view.current?.dispatch({ effects: readOnly.reconfigure(EditorState.readOnly.of(viewOnly)) });
  }, [viewOnly]);

  useEffect(() => {
    let current = true;
    view.current?.dispatch({ effects: language.reconfigure(langFor(format)) });
    if (format === "yaml") void yamlLanguage().then((extension) => current && view.current?.dispatch({ effects: language.reconfigure(extension) }));
    return () => {
      current = false;
    };
  }, [format]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch(setDiagnostics(editor.state, toCm(editor, problems, diagnostics)));
    // CodeMirror maps the marks through later edits; recompute only when the findings change.
  }, [problems, diagnostics]);

  useEffect(() => {
    const editor = view.current;
    if (!editor || !selectedRange || editor.hasFocus) return;
    const [offset, length] = selectedRange.split(":").map(Number);
    if (offset + length > editor.state.doc.length) return;
    // A cursor, not a selection: selecting would make CodeMirror search the whole text for matches.
    editor.dispatch({ selection: { anchor: offset }, effects: EditorView.scrollIntoView(offset, { y: "start", yMargin: 40 }) });
  }, [selectedRange]);

  return <div className="code-view" ref={host} data-format={format} />;
}

function toCm(editor: EditorView, problems: ParseProblem[], diagnostics: Diagnostic[]): CmDiagnostic[] {
  const length = editor.state.doc.length;
  const out: CmDiagnostic[] = problems.map((p) => ({
    from: Math.min(p.offset, length),
    to: Math.min(p.offset + Math.max(p.length, 1), length),
    severity: "error",
    message: p.message,
  }));
  if (problems.length > 0) return out;
  for (const d of diagnostics) {
    if (d.line === null) continue;
    const doc = editor.state.doc;
    const line = doc.line(Math.max(1, Math.min(d.line, doc.lines)));
    const from = Math.min(line.from + Math.max(0, (d.column ?? 1) - 1), line.to);
    out.push({ from, to: Math.max(from + 1, line.to) > length ? length : Math.max(from + 1, line.to), severity: d.severity, message: `${d.code}: ${d.message}` });
  }
  return out;
}
