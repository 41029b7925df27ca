/**
 * The palette: every state type, the common integrations and patterns (groups of states);
 * searchable; drag onto the canvas or an edge, or click to add (right after the selected state,
 * when it goes on to one next).
 */
import { useMemo, useState } from "react";

import { PALETTE_MIME } from "../canvas/palette-drop";
import { StateIcon } from "../canvas/state-icon";
import { queryLanguage } from "../graph/edit";
import { useEditor, useEditorStore } from "../store";
import { addNewState, insertNewStateOnEdge, scopeFor, type NewState, type StateGroup } from "../store/editing";
import { stateKind, STATE_KINDS } from "../states/registry";
import { approvalGroup } from "../states/task/approval";
import { INTEGRATIONS } from "../states/task/integrations";

interface PaletteItem {
  id: string;
  label: string;
  description: string;
  section: string;
  make(language: "JSONPath" | "JSONata"): NewState | StateGroup;
}

const SECTIONS = ["States", "Integrations", "Patterns"];

const ITEMS: PaletteItem[] = [
  ...STATE_KINDS.map((kind) => ({
    id: kind.type,
    label: kind.label,
    description: kind.description,
    section: "States",
    make: (language: "JSONPath" | "JSONata") => ({ name: kind.type, type: kind.type, body: kind.template(language) }),
  })),
  ...INTEGRATIONS.map((integration) => ({
    id: integration.id,
    label: integration.label,
    description: integration.description,
    section: "Integrations",
    make: (language: "JSONPath" | "JSONata") => ({ name: integration.label.replace(/:.*/, ""), type: "Task", body: integration.template(language) }),
  })),
  {
    id: "approval",
    label: "Human approval",
    description: "Ask a reviewer; go on when approved, fail when rejected or unanswered",
    section: "Patterns",
    make: approvalGroup,
  },
];

export function Palette() {
  const store = useEditorStore();
  // The machine's query language, not its tree: the palette then re-renders only when that changes.
  const language = useEditor((s) => queryLanguage(s.doc.root, []));
  const [query, setQuery] = useState("");
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return ITEMS.filter((item) => !q || `${item.label} ${item.description} ${item.section}`.toLowerCase().includes(q));
  }, [query]);

  const add = (item: PaletteItem) => {
    const { selected, graph } = store.getState();
    const next = selected.length === 1 ? graph.edges.filter((e) => e.source === selected[0] && e.kind === "next") : [];
    if (next.length === 1 && insertNewStateOnEdge(store, next[0], item.make(language))) return;
    addNewState(store, scopeFor(store, selected[0]), item.make(language));
  };

  return (
    <aside className="palette" aria-label="Palette">
      <input className="palette-search" type="search" placeholder="Search states and integrations" value={query} onChange={(e) => setQuery(e.target.value)} />
      {SECTIONS.map((section) => {
        const items = shown.filter((item) => item.section === section);
        if (items.length === 0) return null;
        return (
          <div key={section} className="palette-section">
            <h3>{section}</h3>
            {items.map((item) => {
              const made = item.make(language);
              const kind = stateKind("states" in made ? made.states[0].type : made.type);
              return (
                <div
                  key={item.id}
                  className="palette-item"
                  draggable
                  role="button"
                  tabIndex={0}
                  data-palette-id={item.id}
                  title={`${item.description} — drag onto the canvas or an arrow, or click to add after the selected state`}
                  onDragStart={(event) => {
                    event.dataTransfer.setData(PALETTE_MIME, JSON.stringify(item.make(language)));
                    event.dataTransfer.effectAllowed = "copy";
                  }}
                  onClick={() => add(item)}
                  onKeyDown={(event) => event.key === "Enter" && add(item)}
                >
                  <span className="palette-icon" style={{ borderColor: kind.color }}>
                    <StateIcon path={kind.icon} color={kind.color} size={16} />
                  </span>
                  <span className="palette-text">
                    <span className="palette-label">{item.label}</span>
                    <span className="palette-description">{item.description}</span>
                  </span>
                </div>
              );
            })}
          </div>
        );
      })}
    </aside>
  );
}
