/**
 * The renderer's "now": the main process's clock, read once at start (`app.info`), so the page
 * agrees with the services about what "today" is even when the demo or a test pins the time, and
 * whatever the PC's own clock says. Every screen reads time from here, never from `Date.now()`.
 */
let offsetMs = 0

/** Aligns the page with the app's clock; `appNow` is the instant main answered with. */
export function syncClock(appNow: string, receivedAtMs: number = Date.now()): void {
  const t = Date.parse(appNow)
  if (Number.isFinite(t)) offsetMs = t - receivedAtMs
}

export const nowMs = (): number => Date.now() + offsetMs

export const now = (): Date => new Date(nowMs())
