/**
 * Vendors' JSON answers, parsed off the main thread when they are big (a page of patients).
 *
 * Why: V8's JSON.parse internalises every short string value (ten characters or fewer: dates of
 * birth, postcodes, given names, ids), and internalised strings live in the isolate's string table
 * until a full garbage collection. A refresh that reads 250,000 patients on the main thread grows
 * that table to hundreds of thousands of entries, and each time it doubles V8 rehashes it in one
 * go: 10, 16 and then 45 ms on this project's bench machine, while the main process must answer
 * every IPC call. Parsed in a worker and handed back by structured clone, the same values arrive
 * as plain strings (only property names are internalised, and a vendor has few), and the main
 * thread's share is the clone: about half of JSON.parse's time.
 *
 * Small answers (most of them: a booking, a token) are parsed in place, as a round trip to the
 * worker would cost more than it saves. If the worker fails or is closed, every body is parsed in
 * place: an answer is never lost to this optimisation. The worker is source text run with `eval`,
 * like the background writer's, so it loads the same way from sources and from the built bundle.
 */
import { Worker } from 'node:worker_threads'

const WORKER = String.raw`
const { parentPort } = require('node:worker_threads')
parentPort.on('message', (m) => {
  let reply
  try {
    reply = { id: m.id, json: JSON.parse(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength).toString('utf8')) }
  } catch (err) {
    reply = { id: m.id, error: err && err.message ? String(err.message) : String(err) }
  }
  parentPort.postMessage(reply)
})
`

/** A body's JSON, or why it is not JSON (JSON.parse's own message). */
export type ParsedBody = { json: unknown } | { error: string }

type Reply = { id: number; json: unknown } | { id: number; error: string }

/**
 * Bodies from this size up go to the worker. A page of 100 patients is 30–60 KB; an answer under
 * 16 KB adds few strings to the table and parses in well under a millisecond.
 */
export const OFF_THREAD_FROM_BYTES = 16 * 1024

export class JsonBodies {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, { bytes: Uint8Array; resolve(p: ParsedBody): void }>()
  /** Closed, or the worker died: every body is parsed in place from now on. */
  private inPlaceOnly = false
  private parsedOffThread = 0

  /** `workerHeapMb` caps the worker's heap (tests use it to make the worker run out and end). */
  constructor(private readonly opts: { workerHeapMb?: number } = {}) {}

  /** How many bodies the worker has parsed: what the tests look at. */
  get offThread(): number {
    return this.parsedOffThread
  }

  /** `text` is the body already decoded, when the caller has it: a small body is not decoded again. */
  parse(bytes: Uint8Array, text?: string): Promise<ParsedBody> {
    if (bytes.byteLength < OFF_THREAD_FROM_BYTES || this.inPlaceOnly)
      return Promise.resolve(parseInPlace(text ?? decode(bytes)))
    const worker = this.started()
    const id = this.nextId++
    return new Promise<ParsedBody>((resolve) => {
      this.pending.set(id, { bytes, resolve })
      worker.ref()
      // Copied, not transferred: the body's buffer may be shared with other views.
      worker.postMessage({ id, bytes })
    })
  }

  /** Ends the worker; bodies it had not answered yet are parsed in place. */
  async close(): Promise<void> {
    this.inPlaceOnly = true
    const worker = this.worker
    this.worker = null
    this.inPlace()
    if (worker) await worker.terminate()
  }

  /** Every body still waiting for the worker, parsed here instead. */
  private inPlace(): void {
    for (const p of this.pending.values()) p.resolve(parseInPlace(decode(p.bytes)))
    this.pending.clear()
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const heap = this.opts.workerHeapMb
    const worker = new Worker(WORKER, {
      eval: true,
      ...(heap ? { resourceLimits: { maxOldGenerationSizeMb: heap, maxYoungGenerationSizeMb: heap } } : {}),
    })
    worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      this.parsedOffThread++
      p.resolve('error' in m ? { error: m.error } : { json: m.json })
      // Idle, the thread keeps no process alive.
      if (this.pending.size === 0) worker.unref()
    })
    const stop = () => {
      if (this.worker !== worker) return
      this.inPlaceOnly = true
      this.worker = null
      this.inPlace()
    }
    worker.on('error', stop)
    worker.on('exit', stop)
    worker.unref()
    this.worker = worker
    return worker
  }
}

const decode = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')

function parseInPlace(text: string): ParsedBody {
  try {
    return { json: JSON.parse(text) }
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) }
  }
}
