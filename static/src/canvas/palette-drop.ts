/** The drag payload from the palette to the canvas. */
import type { NewState, StateGroup } from "../store/editing";

export const PALETTE_MIME = "application/x-symphony-state";

export function readPaletteDrop(event: React.DragEvent): NewState | StateGroup | null {
  const raw = event.dataTransfer.getData(PALETTE_MIME);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as NewState | StateGroup;
  } catch {
    return null;
  }
}
