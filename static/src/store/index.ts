/**
 * The editor store: zustand slices in one factory, handed down by a React context and read
 * with a context-checked `useEditor(selector)`.
 */
import { createContext, useContext } from "react";
import { createStore, useStore, type StoreApi } from "zustand";

import { createDocumentSlice, type DocumentSlice } from "./document-slice";
import { createSaveSlice, type SaveSlice } from "./save-slice";
import { createViewSlice, type ViewSlice } from "./view-slice";

export type EditorState = DocumentSlice & ViewSlice & SaveSlice;
export type EditorStore = StoreApi<EditorState>;

export function createEditorStore(): EditorStore {
  return createStore<EditorState>()((...args) => ({
    ...createDocumentSlice(...args),
    ...createViewSlice(...args),
    ...createSaveSlice(...args),
  }));
}

export const EditorContext = createContext<EditorStore | null>(null);

export function useEditorStore(): EditorStore {
  const store = useContext(EditorContext);
  if (!store) throw new Error("useEditor needs an <EditorContext.Provider>");
  return store;
}

export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(useEditorStore(), selector);
}
