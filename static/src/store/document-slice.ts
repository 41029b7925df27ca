/**
 * The document slice: the author's text (possibly mid-edit and invalid), the last valid
 * document and its graph, and undo/redo as text snapshots. Graph edits come in as patch
 * operations; code edits come in as text. Invalid text never replaces the graph.
 */
import type { StateCreator } from "zustand";

import { isViewOnly } from "../api/workflows";
import { applyPatch, detectFormat, parseDocument, PatchError, type AslDocument, type Format, type ParseProblem } from "../asl/document";
import type { PatchOp } from "../asl/patch";
import { buildGraph, sameGraph, touchesGraph } from "../graph/build";
import type { AslGraph } from "../graph/model";
import type { EditorState } from "./index";

const HISTORY_LIMIT = 300;
export const VIEW_ONLY = "View only: you may look at this workflow, not change it.";
/** Typing in the code view within this window is one undo step. */
const COALESCE_MS = 1200;

export interface DocumentSlice {
  text: string;
  doc: AslDocument;
  graph: AslGraph;
  /** Syntax problems of `text` (empty when it parsed). */
  problems: ParseProblem[];
  past: string[];
  future: string[];
  lastEdit: { source: string; at: number } | null;
  /** The last edit that could not apply, for the status bar. */
  editError: string | null;
  /** Replace the text (code view, import); returns whether it parsed. */
  setText(text: string, source: "code" | "import" | "remote", format?: Format): boolean;
  /** Apply graph/inspector edits; `renames` moves view state (selection, positions) to new ids. */
  apply(ops: PatchOp[], renames?: [string, string][], coalesce?: string): boolean;
  undo(): void;
  redo(): void;
}

export function initialDocument(text: string, format?: Format): Pick<DocumentSlice, "text" | "doc" | "graph" | "problems"> {
  const doc = parseDocument(text, format);
  return { text, doc, graph: buildGraph(doc.root), problems: doc.problems };
}

export const createDocumentSlice: StateCreator<EditorState, [], [], DocumentSlice> = (set, get) => {
  const record = (previous: string, source: string) => {
    const { past, lastEdit } = get();
    const now = Date.now();
    const coalesce = source !== "graph" && source !== "import" && lastEdit?.source === source && now - lastEdit.at < COALESCE_MS;
    return {
      past: coalesce ? past : [...past, previous].slice(-HISTORY_LIMIT),
      future: [],
      lastEdit: { source, at: now },
    };
  };

  const load = (text: string, format: Format) => {
    const doc = parseDocument(text, format);
    if (doc.problems.length > 0) return { text, problems: doc.problems };
    return { text, doc, graph: buildGraph(doc.root), problems: [] as ParseProblem[] };
  };

  // A viewer's edits, from any panel or shortcut, stop here: nothing changes, nothing is saved.
  const refuse = () => {
    set({ editError: VIEW_ONLY });
    return false;
  };

  return {
    ...initialDocument('{\n  "StartAt": "Start",\n  "States": {\n    "Start": {\n      "Type": "Pass",\n      "End": true\n    }\n  }\n}\n'),
    past: [],
    future: [],
    lastEdit: null,
    editError: null,

    setText(text, source, format) {
      const state = get();
      if (source !== "remote" && isViewOnly(state.workflow)) return refuse();
      if (text === state.text && (format === undefined || format === state.doc.format)) return state.problems.length === 0;
      const nextFormat = format ?? detectFormat(text);
      const loaded = load(text, nextFormat);
      if (loaded.graph && sameGraph(state.graph, loaded.graph)) loaded.graph = state.graph;
      set({ ...loaded, ...(source === "remote" ? { past: [], future: [], lastEdit: null } : record(state.text, source)), editError: null });
      get().textChanged(source);
      return loaded.problems.length === 0;
    },

    apply(ops, renames = [], coalesce) {
      const state = get();
      if (isViewOnly(state.workflow)) return refuse();
      if (ops.length === 0) return true;
      try {
        const doc = applyPatch(state.doc, ops);
        if (state.problems.length > 0) throw new PatchError("The code has syntax errors; fix them first");
        // An edit that leaves the graph as it was (a Comment, Parameters) keeps the graph object:
        // the canvas then has nothing to redo. One to a field the graph never reads skips the build.
        let graph = state.graph;
        if (touchesGraph(ops)) {
          const built = buildGraph(doc.root);
          if (!sameGraph(graph, built)) graph = built;
        }
        set({ text: doc.text, doc, graph, problems: [], ...record(state.text, coalesce ?? "graph"), editError: null });
      } catch (error) {
        if (!(error instanceof PatchError)) throw error;
        set({ editError: error.message });
        return false;
      }
      if (renames.length > 0) get().renameIds(renames);
      get().textChanged("graph");
      return true;
    },

    undo() {
      const { past, future, text } = get();
      if (past.length === 0) return;
      const previous = past[past.length - 1];
      set({ ...load(previous, get().doc.format), past: past.slice(0, -1), future: [text, ...future], lastEdit: null, editError: null });
      get().textChanged("undo");
    },

    redo() {
      const { past, future, text } = get();
      if (future.length === 0) return;
      const [next, ...rest] = future;
      set({ ...load(next, get().doc.format), past: [...past, text], future: rest, lastEdit: null, editError: null });
      get().textChanged("undo");
    },
  };
};
