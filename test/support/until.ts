/**
 * Waits for a condition, not for time: polls `check` until it holds. `ms` is only the give-up
 * point for a test that would otherwise hang; it is generous so a slow, busy PC still passes.
 */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 30_000,
  everyMs = 50,
): Promise<void> {
  const end = performance.now() + ms
  while (performance.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, everyMs))
  }
  throw new Error(`timed out waiting for ${what}`)
}
