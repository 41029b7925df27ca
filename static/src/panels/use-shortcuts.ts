/** Keyboard shortcuts, ignored while typing in a field or the code view. */
import { useEffect, useRef } from "react";

import type { EditorStore } from "../store";
import { copySelection, deleteSelection, pasteStates, scopeFor } from "../store/editing";

function typing(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName) || !!element.closest(".cm-editor"));
}

export function useShortcuts(store: EditorStore, edgeSelection: React.RefObject<string[]>, actions: { find(): void }): void {
  const clipboard = useRef<string | null>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === "s") {
        event.preventDefault();
        void store.getState().saveNow();
        return;
      }
      if (mod && key === "f") {
        event.preventDefault();
        actions.find();
        return;
      }
      if (typing(event.target)) return;
      if (mod && key === "z") {
        event.preventDefault();
        if (event.shiftKey) store.getState().redo();
        else store.getState().undo();
      } else if (mod && key === "y") {
        event.preventDefault();
        store.getState().redo();
      } else if (mod && key === "a") {
        event.preventDefault();
        store.getState().select(store.getState().graph.states.filter((s) => !s.groupId).map((s) => s.id));
      } else if (mod && key === "c") {
        const text = copySelection(store);
        if (text) {
          clipboard.current = text;
          void navigator.clipboard?.writeText(text).catch(() => undefined);
        }
      } else if (mod && key === "x") {
        const text = copySelection(store);
        if (text) {
          clipboard.current = text;
          void navigator.clipboard?.writeText(text).catch(() => undefined);
          deleteSelection(store);
        }
      } else if (mod && key === "v") {
        const scope = scopeFor(store, store.getState().selected[0]);
        const paste = (text: string | null) => text && pasteStates(store, text, scope);
        if (navigator.clipboard?.readText) navigator.clipboard.readText().then((t) => paste(t) || paste(clipboard.current), () => paste(clipboard.current));
        else paste(clipboard.current);
      } else if (key === "delete" || key === "backspace") {
        event.preventDefault();
        deleteSelection(store, edgeSelection.current ?? []);
      } else if (key === "f2") {
        event.preventDefault();
        window.dispatchEvent(new Event("symphony:rename"));
      } else if (key === "escape") {
        store.getState().select([]);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store, edgeSelection, actions]);
}
