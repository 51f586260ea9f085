/**
 * Chromium features the desktop app turns off, set on Electron's command line before the app is
 * ready. The end-to-end tests and the benches launch their Chromium with the same list, so what
 * they measure is what the desktop window does.
 *
 * `DeferRendererTasksAfterInput` (on by default in current Chromium) holds every task but the
 * input's own after a key press until the next frame has been drawn. A search answer that is in
 * 5 ms after the key therefore waits for that frame and is drawn only in the frame after it, a
 * whole frame later. Without it, most answers are drawn in the key's own frame: in the keystroke
 * bench over 250,000 patients, keystroke to results went from p50 14 / p95 17 ms to about
 * 7 / 11 ms, two answers in three before the key's frame (docs/architecture.md, Patient search).
 */
export const CHROMIUM_FEATURES_OFF = ['DeferRendererTasksAfterInput'] as const

/**
 * The value of `--disable-features` with ours added to any already given (Chromium keeps one value
 * a switch, so appending ours alone would drop features turned off on the command line).
 */
export function disabledFeatures(existing = ''): string {
  const given = existing
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
  return [...new Set([...given, ...CHROMIUM_FEATURES_OFF])].join(',')
}
