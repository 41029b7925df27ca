/**
 * Level of detail for a canvas: the flow's zoom as the CSS variable `--zoom` and, below
 * LOD_ZOOM, the class `lod-names` on the `.react-flow` element, so its styles draw a simpler node
 * whose name grows as the graph shrinks (legible at the fitted zoom of a large graph); below
 * OVERVIEW_ZOOM also `lod-overview`, where a state is a block of its type's colour. Render it
 * inside the flow: only it re-renders as the zoom changes, writing two attributes.
 */
import { useStore } from "@xyflow/react";
import { useEffect } from "react";

export const LOD_ZOOM = 0.7;
/** Below this a name cannot be read at any size: states are drawn as blocks of their colour. */
export const OVERVIEW_ZOOM = 0.15;

export function LevelOfDetail(): null {
  const zoom = useStore((s) => s.transform[2]);
  const element = useStore((s) => s.domNode);
  useEffect(() => {
    if (!element) return;
    element.style.setProperty("--zoom", zoom.toFixed(3));
    element.classList.toggle("lod-names", zoom < LOD_ZOOM);
    element.classList.toggle("lod-overview", zoom < OVERVIEW_ZOOM);
  }, [element, zoom]);
  return null;
}
