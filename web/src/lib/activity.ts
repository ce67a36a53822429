// Every API request counts as activity on the server: it moves the session's idle expiry. What
// a page fetches on its own — after a lost real-time connection came back, or because someone
// else changed something — must not keep an unattended session alive for ever. Such fetches run
// at once while the person has used the page lately (within half the idle timeout, at most five
// minutes); otherwise they wait for the person's next touch, key or return to the tab.
import { idleTimeoutEstimate } from './session';

const MAX_RECENT_MS = 5 * 60 * 1000;
let lastInput = Date.now();
const pending = new Map<unknown, () => void>();

function recentMs(): number {
  const idle = idleTimeoutEstimate();
  return idle > 0 ? Math.min(MAX_RECENT_MS, idle / 2) : MAX_RECENT_MS;
}

function touched(): void {
  lastInput = Date.now();
  if (pending.size === 0) return;
  const due = [...pending.values()];
  pending.clear();
  for (const run of due) run();
}

for (const name of ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const) {
  window.addEventListener(name, touched, { capture: true, passive: true });
}
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') touched();
});

/**
 * Runs `run` now if the person used the page lately, else at their next input; a later call
 * with the same `key` replaces a waiting one.
 */
export function whenActive(key: unknown, run: () => void): void {
  if (Date.now() - lastInput <= recentMs() && document.visibilityState !== 'hidden') run();
  else pending.set(key, run);
}

/** Forgets a waiting call (the page that asked for it is gone). */
export function cancelWaiting(key: unknown): void {
  pending.delete(key);
}
