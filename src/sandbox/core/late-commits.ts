/**
 * Writes a slow vendor commits long after the request (the `late-commit` fault). Driven by the
 * simulator's clock, not real time: a held write is applied by the first request that arrives once
 * its time has come, so every read after that instant sees it, and none before.
 */
import type { Clock } from './clock'

export class LateCommits {
  private held: { at: number; apply: () => Promise<unknown> }[] = []

  constructor(private readonly clock: Clock) {}

  hold(ms: number, apply: () => Promise<unknown>): void {
    this.held.push({ at: this.clock.now().getTime() + ms, apply })
  }

  /** Applies, in the order they were received, the held writes whose commit time has come. */
  async applyDue(): Promise<void> {
    const now = this.clock.now().getTime()
    const due = this.held.filter((h) => h.at <= now)
    if (due.length === 0) return
    this.held = this.held.filter((h) => h.at > now)
    for (const h of due) {
      try {
        await h.apply()
      } catch (err) {
        console.error('[sandbox] a late commit failed', err)
      }
    }
  }

  /** Held writes not yet applied. */
  waiting(): number {
    return this.held.length
  }
}
