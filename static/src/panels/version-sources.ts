/** The compare view's sources in the editor: the workflow's versions, oldest first, then the draft. */
import { useMemo } from "react";

import { getVersion, type VersionSummary } from "../api/workflows";
import { useEditor } from "../store";
import type { Source } from "./compare-view";

export function useVersionSources(versions: VersionSummary[]): Source[] {
  const workflow = useEditor((s) => s.workflow);
  const draft = useEditor((s) => s.text);
  const fromVersions = useMemo(
    () =>
      [...versions]
        .sort((a, b) => a.number - b.number)
        .map((v) => ({
          key: String(v.number),
          label: `v${v.number}${v.message ? ` — ${v.message}` : ""}`,
          async load() {
            if (!workflow) throw new Error("No workflow loaded");
            const version = await getVersion(workflow, v.number);
            return { text: version.definition, format: version.format };
          },
        })),
    [versions, workflow],
  );
  return useMemo(() => [...fromVersions, { key: "draft", label: "Draft", text: draft }], [fromVersions, draft]);
}
