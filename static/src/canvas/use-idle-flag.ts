/** True once the browser has been idle after `after` became true (for what can wait, as the minimap). */
import { useEffect, useState } from "react";

export function useIdleFlag(after: boolean): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (!after || idle) return;
    const id = requestIdleCallback(() => setIdle(true), { timeout: 1000 });
    return () => cancelIdleCallback(id);
  }, [after, idle]);
  return idle;
}
