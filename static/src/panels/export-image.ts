/** Export the graph as SVG or PNG (html-to-image over the flow viewport, framed on all nodes). */
import { getViewportForBounds, type Rect } from "@xyflow/react";

/** `bounds`: the flow's own bounds of all nodes (absolute positions, from the ReactFlow instance). */
export async function exportImage(kind: "svg" | "png", bounds: Rect, fileName: string): Promise<void> {
  const viewport = document.querySelector<HTMLElement>(".react-flow__viewport");
  if (!viewport || bounds.width === 0) return;
  const width = Math.min(8000, Math.ceil(bounds.width + 80));
  const height = Math.min(8000, Math.ceil(bounds.height + 80));
  // Padding is a fraction of the image here (0.04 = 4 %), not pixels.
  const view = getViewportForBounds(bounds, width, height, 0.05, 2, 0.04);
  const options = {
    backgroundColor: "#f8fafc",
    width,
    height,
    style: { width: `${width}px`, height: `${height}px`, transform: `translate(${view.x}px, ${view.y}px) scale(${view.zoom})` },
  };
  // Loaded on first export only: most sessions never export an image.
  const { toPng, toSvg } = await import("html-to-image");
  const url = kind === "svg" ? await toSvg(viewport, options) : await toPng(viewport, options);
  download(url, fileName);
}

export function download(url: string, fileName: string): void {
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  download(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
