/**
 * React.lazy for panels the first paint does not need: the chunk is fetched once the browser is
 * idle after opening, so the panel is there when asked for, even if the server is redeployed
 * (its old chunks gone) before then.
 */
import { lazy, type ComponentType } from "react";

export function idleLazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const start = () => (loading ??= load().then((component) => ({ default: component })));
  requestIdleCallback(() => void start().catch(() => (loading = undefined)), { timeout: 5000 });
  return lazy(start);
}
