/** Node sizes shared by the layout and the canvas, so ELK lays out what React draws. */
export const STATE_SIZE = { width: 220, height: 64 };
export const MARKER_SIZE = { width: 28, height: 28 };
export const CONTAINER_HEADER = 52;
export const GROUP_HEADER = 28;
export const PADDING = 16;

/** Edge labels: 11px text in a pill (editor.css .edge-label), at most LABEL_MAX wide (then ellipsed). */
const LABEL_MAX = 220;
const LABEL_CHAR = 6.3;
export function labelSize(text: string): { width: number; height: number } {
  return { width: Math.min(LABEL_MAX, Math.ceil(text.length * LABEL_CHAR) + 20), height: 20 };
}
