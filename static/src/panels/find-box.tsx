/** Find a state by name: type, pick, and the canvas centres on it. */
import { useReactFlow } from "@xyflow/react";
import { useEffect, useRef, useState } from "react";

import { useEditor, useEditorStore } from "../store";

export function FindBox({ onClose }: { onClose(): void }) {
  const store = useEditorStore();
  const states = useEditor((s) => s.graph.states);
  const flow = useReactFlow();
  const [query, setQuery] = useState("");
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const q = query.trim().toLowerCase();
  const matches = q ? states.filter((s) => s.name.toLowerCase().includes(q)).slice(0, 30) : [];

  const go = (id: string) => {
    store.getState().select([id]);
    const node = flow.getInternalNode(id);
    if (node) {
      const { x, y } = node.internals.positionAbsolute;
      void flow.setCenter(x + (node.measured.width ?? 220) / 2, y + (node.measured.height ?? 64) / 2, { zoom: Math.max(flow.getZoom(), 0.9), duration: 200 });
    }
  };

  return (
    <div className="find-box" role="search">
      <input
        ref={input}
        type="search"
        aria-label="Find a state"
        placeholder="Find a state by name"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape") onClose();
          if (e.key === "ArrowDown") setIndex((i) => Math.min(i + 1, matches.length - 1));
          if (e.key === "ArrowUp") setIndex((i) => Math.max(i - 1, 0));
          if (e.key === "Enter" && matches[index]) go(matches[index].id);
        }}
      />
      {matches.length > 0 && (
        <ul>
          {matches.map((s, i) => (
            <li key={s.id} className={i === index ? "active" : ""}>
              <button type="button" onClick={() => go(s.id)}>
                {s.name} <span className="muted">{s.type}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {q && matches.length === 0 && <div className="muted">No state matches.</div>}
    </div>
  );
}
