/**
 * Pauses of the whole process, seen from a second thread: a worker whose only work is a 1 ms timer
 * chain. This machine is a virtual one, and its host can stop the guest's CPUs for tens of
 * milliseconds: the guest's threads then see no run-queue wait (schedstat) and no steal time, only
 * a gap that every thread shares. A gap in the main thread's timer chain that the watcher shares is
 * not the main thread's work; a bench prints its figures with and without such gaps.
 *
 * The watcher's own gaps are counted less the time it waited for a core, since the bench's other
 * threads (the background writer, the main thread) can keep both cores busy without the process
 * being stopped.
 */
import { Worker } from 'node:worker_threads'

const WATCHER = String.raw`
const { parentPort } = require('node:worker_threads')
const { readFileSync } = require('node:fs')
const waitedNs = () => {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1])
  } catch {
    return null
  }
}
const stalls = []
let running = true
let last = process.hrtime.bigint()
let lastWait = waitedNs()
const tick = () => {
  const now = process.hrtime.bigint()
  const wait = waitedNs()
  const waited = wait !== null && lastWait !== null ? wait - lastWait : 0
  const stoppedMs = (Number(now - last) - 1e6 - waited) / 1e6
  if (stoppedMs > 2) stalls.push({ start: Number(last) / 1e6 + 1, end: Number(now) / 1e6, ms: stoppedMs })
  last = now
  lastWait = wait
  if (running) setTimeout(tick, 1)
}
setTimeout(tick, 1)
parentPort.on('message', () => {
  running = false
  parentPort.postMessage(stalls)
  parentPort.close()
})
parentPort.postMessage('ready')
`

/** A stretch in which the watcher did not run although it did not wait for a core (ms, `performance.now()` time). */
export interface Stall {
  start: number
  end: number
  /** How long of it the watcher was stopped: the stretch less its wait for a core. */
  ms: number
}

export interface StallWatch {
  stop(): Promise<Stall[]>
}

/** Starts the watcher; `stop()` hands back the stalls it saw, in this thread's `performance.now()` time. */
export async function watchStalls(): Promise<StallWatch> {
  const worker = new Worker(WATCHER, { eval: true })
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
  })
  // hrtime and performance.now() run on the same monotonic clock, from different origins.
  const origin = Number(process.hrtime.bigint()) / 1e6 - performance.now()
  return {
    stop: async () => {
      const got = new Promise<Stall[]>((resolve, reject) => {
        worker.once('message', (m: Stall[]) => resolve(m))
        worker.once('error', reject)
      })
      worker.postMessage('stop')
      const stalls = await got
      await worker.terminate()
      return stalls.map((s) => ({ start: s.start - origin, end: s.end - origin, ms: s.ms }))
    },
  }
}

/** How much of a main-thread gap (start, ms) the process spent stopped. */
export function stalledWithin(gap: { start: number; ms: number }, stalls: Stall[]): number {
  let stopped = 0
  for (const s of stalls) {
    const overlap = Math.min(gap.start + gap.ms, s.end) - Math.max(gap.start, s.start)
    if (overlap > 0) stopped += Math.min(overlap, s.ms)
  }
  return Math.min(stopped, gap.ms)
}
