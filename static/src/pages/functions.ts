/**
 * Entry point for the local function pages (templates/executions/function_*.html):
 * - `textarea[data-code-editor]`: replaced by CodeMirror 6 with Python. The textarea stays the
 *   form's field and follows every change, so the form posts exactly what the editor shows.
 * - `form[data-function-test]`: sends the typed JSON event (with, on an edit page, the code and
 *   settings as they stand in the form, saved or not) and shows the response, or the error with
 *   its stack trace, and what the function printed.
 */
import "./functions.css";

import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { indentUnit } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";

import { describeInvocation, utf8Length, type InvocationAnswer } from "./function-invocation";

type EditorHost = HTMLElement & { editorView?: EditorView };

function markError(view: EditorView, line: number, column: number, message: string): void {
  const doc = view.state.doc;
  const at = doc.line(Math.max(1, Math.min(line, doc.lines)));
  const from = Math.min(at.from + Math.max(0, column - 1), at.to);
  view.dispatch(setDiagnostics(view.state, [{ from, to: Math.max(from, at.to), severity: "error", message }]));
  view.dispatch({ selection: { anchor: from }, effects: EditorView.scrollIntoView(from, { y: "center" }) });
}

function mountEditor(textarea: HTMLTextAreaElement): EditorView {
  const host: EditorHost = document.createElement("div");
  host.className = "function-code";
  const readOnly = textarea.hasAttribute("data-readonly");
  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        basicSetup,
        python(),
        indentUnit.of("    "),
        keymap.of([indentWithTab]),
        lintGutter(),
        EditorState.readOnly.of(readOnly),
        EditorView.editable.of(!readOnly),
        EditorView.contentAttributes.of({ "aria-label": textarea.getAttribute("aria-label") ?? "Code" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) textarea.value = update.state.doc.toString();
        }),
      ],
    }),
  });
  textarea.hidden = true;
  textarea.after(host);
  // Reachable from the page (browser tests) without depending on CodeMirror's internals.
  host.editorView = view;
  document.querySelector(`label[for="${textarea.id}"]`)?.addEventListener("click", () => view.focus());
  const { errorLine, errorColumn, errorMessage } = textarea.dataset;
  if (errorLine) markError(view, Number(errorLine), Number(errorColumn || 1), errorMessage ?? "");
  return view;
}

/** Oversized code is refused before it is sent: a body past the server's upload limit could not
 * come back to the form, and what was typed would be lost. */
function guardSize(form: HTMLFormElement, textarea: HTMLTextAreaElement): void {
  const limit = Number(textarea.dataset.maxBytes);
  if (!limit) return;
  form.addEventListener("submit", (event) => {
    const size = utf8Length(textarea.value);
    const field = textarea.closest(".field");
    field?.querySelector(".error[data-size]")?.remove();
    if (size <= limit) return;
    event.preventDefault();
    const error = document.createElement("small");
    error.className = "error";
    error.dataset.size = "";
    error.setAttribute("role", "alert");
    error.textContent = `code: ${size.toLocaleString("en")} bytes; at most ${limit.toLocaleString("en")} (Lambda's inline code limit). Nothing was saved.`;
    field?.classList.add("has-error");
    field?.append(error);
  });
}

function showAnswer(target: HTMLElement, answer: InvocationAnswer): void {
  const view = describeInvocation(answer);
  target.replaceChildren();
  const title = document.createElement("p");
  title.className = `alert ${view.tone === "ok" ? "alert-success" : "alert-error"}`;
  title.textContent = view.title;
  target.append(title);
  for (const section of view.sections) {
    const heading = document.createElement("h3");
    heading.textContent = section.label;
    const pre = document.createElement("pre");
    pre.className = "function-output";
    pre.setAttribute("aria-label", section.label);
    pre.textContent = section.text;
    target.append(heading, pre);
  }
}

/** The test event outlives the page (a save that comes back with errors reloads it). */
function keepEvent(form: HTMLFormElement): void {
  const field = form.elements.namedItem("event");
  if (!(field instanceof HTMLTextAreaElement)) return;
  const key = `symphony:function-event:${location.pathname}`;
  const kept = sessionStorage.getItem(key);
  if (kept !== null) field.value = kept;
  field.addEventListener("input", () => sessionStorage.setItem(key, field.value));
}

function mountTest(form: HTMLFormElement, editor: EditorView | undefined): void {
  const target = document.getElementById(form.dataset.resultId ?? "") ?? form;
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
  keepEvent(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = new FormData(form);
    const draft = form.dataset.draftForm ? (document.getElementById(form.dataset.draftForm) as HTMLFormElement) : null;
    if (draft) {
      for (const key of ["name", "code", "handler", "timeout_seconds", "memory_mb", "environment", "network_access"]) {
        const value = new FormData(draft).get(key);
        if (value !== null) body.set(key, value);
      }
    }
    if (button) button.disabled = true;
    target.replaceChildren(Object.assign(document.createElement("p"), { className: "muted", textContent: "Running…" }));
    try {
      const response = await fetch(form.action, { method: "POST", body, headers: { Accept: "application/json" } });
      const answer = (await response.json()) as InvocationAnswer;
      showAnswer(target, answer);
      if ("invalid" in answer && answer.invalid.field === "code" && answer.invalid.line && editor) {
        markError(editor, answer.invalid.line, answer.invalid.column ?? 1, answer.invalid.message);
      }
    } catch (error) {
      target.replaceChildren(
        Object.assign(document.createElement("p"), { className: "alert alert-error", textContent: `The test did not answer: ${error}` }),
      );
    } finally {
      if (button) button.disabled = false;
    }
  });
}

const code = document.querySelector<HTMLTextAreaElement>("textarea[data-code-editor]");
const editor = code ? mountEditor(code) : undefined;
if (code?.form) guardSize(code.form, code);
document.querySelectorAll<HTMLFormElement>("form[data-function-test]").forEach((form) => mountTest(form, editor));
