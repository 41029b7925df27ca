/**
 * Server sync: debounced autosave of text + layout with the draft's revision check, the
 * conflict when someone else saved first, and debounced validation through /api/validate.
 */
import type { StateCreator } from "zustand";

import { ApiError } from "../api/client";
import { validateDefinition, type Diagnostic } from "../api/validate";
import { getDraft, isViewOnly, putDraft, type Draft, type Workflow } from "../api/workflows";
import type { EditorState } from "./index";

const SAVE_DELAY_MS = 800;

/**
 * Text the server would not take (it refuses malformed JSON/YAML) lives only in this browser:
 * it is kept in localStorage until a save succeeds, and offered back when the page opens again.
 */
interface Backup {
  text: string;
  revision: number;
  at: number;
}

const backupKey = (workflow: Workflow) => `symphony:unsaved:${workflow.id}`;

function readBackup(workflow: Workflow): Backup | null {
  try {
    const value = JSON.parse(localStorage.getItem(backupKey(workflow)) ?? "null");
    return value && typeof value.text === "string" && typeof value.revision === "number" ? value : null;
  } catch {
    return null;
  }
}

function writeBackup(workflow: Workflow, backup: Backup | null): void {
  try {
    if (backup) localStorage.setItem(backupKey(workflow), JSON.stringify(backup));
    else localStorage.removeItem(backupKey(workflow));
  } catch {
    // Storage full or disabled: the editor still holds the text.
  }
}
const VALIDATE_DELAY_MS = 400;
const UNPARSED = "the code has syntax errors; it is kept in this browser until it parses";

export type SaveStatus = "saved" | "dirty" | "saving" | "conflict" | "error";

export interface SaveSlice {
  workflow: Workflow | null;
  revision: number;
  savedText: string;
  savedLayout: string;
  saveStatus: SaveStatus;
  saveError: string | null;
  /** The draft someone else saved, when our save was refused. */
  conflict: Draft | null;
  /** Unsaved text from an earlier visit, based on another revision: the author decides. */
  backupOffer: Backup | null;
  /** A one-line notice for the author (e.g. text restored from this browser). */
  notice: string | null;
  restoreBackup(): void;
  discardBackup(): void;
  diagnostics: Diagnostic[];
  /** [errors, warnings] under each JSON pointer prefix, for node badges. */
  diagnosticCounts: Record<string, [number, number]>;
  validating: boolean;
  validateError: string | null;
  connectDraft(workflow: Workflow, draft: Draft): void;
  textChanged(source: string): void;
  layoutChanged(): void;
  saveNow(): Promise<void>;
  /** The page is going away before the debounced save: keep unsaved text in this browser. */
  keepUnsaved(): void;
  resolveConflict(choice: "mine" | "theirs"): Promise<void>;
  validateNow(): Promise<void>;
}

export const createSaveSlice: StateCreator<EditorState, [], [], SaveSlice> = (set, get) => {
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let validateTimer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> | null = null;
  let validation = 0;

  const dirty = () => {
    const state = get();
    return state.text !== state.savedText || state.authoredLayout() !== state.savedLayout;
  };

  // A view-only workflow is never saved (its layout may still be moved here, for reading).
  const saves = () => !isViewOnly(get().workflow);

  const scheduleSave = () => {
    if (!get().workflow || get().saveStatus === "conflict" || !saves()) return;
    set({ saveStatus: dirty() ? "dirty" : "saved" });
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void get().saveNow(), SAVE_DELAY_MS);
  };

  const save = async (): Promise<void> => {
    const state = get();
    if (!state.workflow || state.saveStatus === "conflict" || !saves() || !dirty()) {
      if (state.saveStatus !== "conflict") set({ saveStatus: "saved" });
      return;
    }
    const text = state.text;
    const layout = state.layoutRecord();
    const authored = state.authoredLayout();
    // Text that does not parse never replaces the draft on the server (it would replace a working
    // definition with a broken one): it stays in this browser, and only the layout is sent.
    const parses = state.problems.length === 0;
    if (!parses) {
      writeBackup(state.workflow, { text, revision: state.revision, at: Date.now() });
      if (authored === state.savedLayout) {
        set({ saveStatus: "error", saveError: UNPARSED });
        return;
      }
    }
    set({ saveStatus: "saving", saveError: null });
    try {
      const record = layout as unknown as Record<string, unknown>;
      const draft = await putDraft(state.workflow, state.revision, parses ? { definition: text, layout: record } : { layout: record });
      set({ revision: draft.revision, savedLayout: authored, ...(parses ? { savedText: text } : {}) });
      if (!parses) {
        // The backup follows the draft's revision, so a reload restores it without asking.
        writeBackup(state.workflow, { text, revision: draft.revision, at: Date.now() });
        set({ saveStatus: "error", saveError: UNPARSED });
        return;
      }
      if (get().text === text) writeBackup(state.workflow, null);
      set({ saveStatus: dirty() ? "dirty" : "saved" });
      if (dirty()) scheduleSave();
    } catch (error) {
      if (error instanceof ApiError && (error.status === 409 || error.status === 412)) {
        const body = error.body as { current?: Draft } | Draft | null;
        let theirs = body && "current" in body && body.current ? body.current : (body as Draft | null);
        if (!theirs || typeof theirs.definition !== "string") {
          theirs = await getDraft(state.workflow);
        }
        set({ saveStatus: "conflict", conflict: theirs });
      } else {
        writeBackup(state.workflow, { text, revision: state.revision, at: Date.now() });
        set({ saveStatus: "error", saveError: error instanceof Error ? error.message : String(error) });
      }
    }
  };

  return {
    workflow: null,
    revision: 0,
    savedText: "",
    savedLayout: "",
    saveStatus: "saved",
    saveError: null,
    conflict: null,
    backupOffer: null,
    notice: null,
    diagnostics: [],
    diagnosticCounts: {},
    validating: false,
    validateError: null,

    connectDraft(workflow, draft) {
      get().loadLayout(draft.layout);
      get().setText(draft.definition, "remote", draft.format);
      set({
        workflow,
        revision: draft.revision,
        savedText: draft.definition,
        savedLayout: get().authoredLayout(),
        saveStatus: "saved",
        conflict: null,
      });
      const backup = readBackup(workflow);
      if (backup && backup.text !== draft.definition) {
        if (backup.revision === draft.revision) {
          // Nobody saved since: this browser's text is simply newer. Undo returns to the saved one.
          get().setText(backup.text, "import");
          set({ notice: "Restored the text you had not saved yet (the server could not take it)." });
        } else set({ backupOffer: backup });
      } else if (backup) writeBackup(workflow, null);
      void get().validateNow();
    },

    restoreBackup() {
      const backup = get().backupOffer;
      if (!backup) return;
      set({ backupOffer: null, notice: "Restored your unsaved text; undo returns to the saved draft." });
      get().setText(backup.text, "import");
    },

    discardBackup() {
      const workflow = get().workflow;
      if (workflow) writeBackup(workflow, null);
      set({ backupOffer: null });
    },

    textChanged(source) {
      if (source !== "remote") scheduleSave();
      clearTimeout(validateTimer);
      validateTimer = setTimeout(() => void get().validateNow(), VALIDATE_DELAY_MS);
    },

    layoutChanged() {
      scheduleSave();
    },

    keepUnsaved() {
      const state = get();
      if (state.workflow && state.text !== state.savedText) {
        writeBackup(state.workflow, { text: state.text, revision: state.revision, at: Date.now() });
      }
    },

    async saveNow() {
      clearTimeout(saveTimer);
      if (saving) await saving;
      saving = save();
      try {
        await saving;
      } finally {
        saving = null;
      }
    },

    async resolveConflict(choice) {
      const theirs = get().conflict;
      if (!theirs) return;
      if (choice === "theirs") {
        set({ conflict: null, saveStatus: "saved" });
        get().connectDraft(get().workflow!, theirs);
        return;
      }
      set({ conflict: null, revision: theirs.revision, saveStatus: "dirty" });
      await get().saveNow();
    },

    async validateNow() {
      const state = get();
      if (!state.workflow) return;
      if (state.problems.length > 0) {
        set({ diagnostics: [], diagnosticCounts: {}, validating: false });
        return;
      }
      const ticket = ++validation;
      set({ validating: true });
      try {
        const response = await validateDefinition(state.text);
        if (ticket === validation) {
          set({ diagnostics: response.diagnostics, diagnosticCounts: countByPrefix(response.diagnostics), validating: false, validateError: null });
        }
      } catch (error) {
        if (ticket === validation) set({ validating: false, validateError: error instanceof Error ? error.message : String(error) });
      }
    },
  };
};

function countByPrefix(diagnostics: Diagnostic[]): Record<string, [number, number]> {
  const counts: Record<string, [number, number]> = {};
  for (const d of diagnostics) {
    const parts = d.pointer.split("/");
    for (let i = 2; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join("/");
      const entry = (counts[prefix] ??= [0, 0]);
      entry[d.severity === "error" ? 0 : 1]++;
    }
  }
  return counts;
}
