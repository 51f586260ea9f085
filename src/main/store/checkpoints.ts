/**
 * WAL checkpoints off the main thread. SQLite runs a checkpoint inside whichever connection's
 * commit takes the WAL past its limit; on the main connection that was 10-14 ms of copying pages
 * every few turns of a packed day's write, on the thread that answers every IPC call. So the main
 * connection's automatic checkpoint is off, and this asks the background writer's thread to run one
 * when the WAL has grown past `thresholdBytes` since the last; checked every `everyMs`.
 *
 * If the writer's thread has stopped, the checkpoint runs on the main connection, as SQLite's own
 * would have: the WAL must not grow without end.
 */
import { statSync } from 'node:fs'
import type { Logger } from '../log/logger'
import type { BackgroundWriter } from './background-writer'
import type { Db } from './database'

export interface CheckpointOptions {
  /** WAL bytes written since the last checkpoint that call for the next; default 4 MiB (SQLite's own 1,000 pages). */
  thresholdBytes?: number
  /** How often the WAL is looked at; default 1 s. */
  everyMs?: number
}

export class Checkpoints {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  /** The WAL's size and change time when the last checkpoint ended: where growth is counted from. */
  private after = { size: 0, mtimeMs: 0 }
  private readonly thresholdBytes: number
  private readonly everyMs: number

  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly writer: BackgroundWriter,
    private readonly log: Logger,
    opts: CheckpointOptions = {},
  ) {
    this.thresholdBytes = opts.thresholdBytes ?? 4 * 1024 * 1024
    this.everyMs = opts.everyMs ?? 1_000
  }

  /** Turns the main connection's own checkpoints off and starts looking at the WAL. */
  start(): void {
    this.db.pragma('wal_autocheckpoint = 0')
    this.timer = setInterval(() => {
      this.check().catch((err: unknown) => this.log.warn('WAL checkpoint failed', { err }))
    }, this.everyMs)
    this.timer.unref()
  }

  /** Runs a checkpoint if the WAL has grown enough since the last (one at a time). */
  check(): Promise<void> {
    this.running ??= this.checkNow().finally(() => (this.running = null))
    return this.running
  }

  private async checkNow() {
    const wal = this.wal()
    // The WAL file is reused from its start after a checkpoint, not shrunk: a write since the last
    // one shows as a newer change time, and its size then counts all of it.
    const grown = wal.mtimeMs !== this.after.mtimeMs ? wal.size : 0
    if (grown < this.thresholdBytes) return
    try {
      await this.writer.checkpoint()
    } catch (err) {
      if (!this.writer.failed) throw err
      this.log.warn('checkpoint on the main connection: the background writer has stopped', { err })
      this.db.pragma('wal_checkpoint(PASSIVE)')
    }
    this.after = this.wal()
  }

  private wal(): { size: number; mtimeMs: number } {
    try {
      const s = statSync(`${this.file}-wal`)
      return { size: s.size, mtimeMs: s.mtimeMs }
    } catch {
      return { size: 0, mtimeMs: 0 }
    }
  }

  /** Stops looking, and lets a checkpoint under way end. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running?.catch(() => undefined)
  }
}
