/** A line diff of two definition texts (jsdiff), rendered as text. */
import { diffLines } from "diff";
import { useMemo } from "react";

export function TextDiff({ before, after, beforeLabel, afterLabel }: { before: string; after: string; beforeLabel: string; afterLabel: string }) {
  const parts = useMemo(() => diffLines(before, after), [before, after]);
  const changed = parts.some((p) => p.added || p.removed);
  return (
    <div className="text-diff">
      <div className="text-diff-legend">
        <span className="diff-removed-key">− {beforeLabel}</span> <span className="diff-added-key">+ {afterLabel}</span>
      </div>
      <pre>
        {!changed && <span className="muted">The texts are identical.</span>}
        {parts.map((part, i) => {
          const lines = part.value.replace(/\n$/, "").split("\n");
          if (!part.added && !part.removed) {
            if (lines.length <= 6) return <span key={i}>{lines.map((l) => `  ${l}\n`).join("")}</span>;
            return (
              <span key={i} className="diff-context">
                {`  ${lines[0]}\n  ${lines[1]}\n  … ${lines.length - 4} unchanged lines …\n  ${lines[lines.length - 2]}\n  ${lines[lines.length - 1]}\n`}
              </span>
            );
          }
          return (
            <span key={i} className={part.added ? "diff-added" : "diff-removed"}>
              {lines.map((l) => `${part.added ? "+" : "−"} ${l}\n`).join("")}
            </span>
          );
        })}
      </pre>
    </div>
  );
}
