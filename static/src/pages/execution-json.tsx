/** A titled block of pretty JSON (or text), with a placeholder when there is nothing yet. */
import { prettyJson } from "./execution-format";

export function JsonBlock({ title, value, empty = "—", tone }: { title: string; value: unknown; empty?: string; tone?: "error" }) {
  const text = prettyJson(value);
  return (
    <section className={`run-block${tone ? ` run-block-${tone}` : ""}`} aria-label={title}>
      <h3>{title}</h3>
      {text ? <pre className="run-json">{text}</pre> : <p className="run-empty">{empty}</p>}
    </section>
  );
}
