/**
 * A Frontdesk process started by a test (a child running a script under tsx), to be killed with
 * SIGKILL at a chosen moment: the crash, kill-point and soak runs share it. Its stdout is kept so
 * the test can wait for a line the child prints at a point of interest.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { until } from './until'

export interface Child {
  proc: ChildProcess
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>
  /** Everything the child printed on stdout so far. */
  output(): string
  /** Waits until the child has printed `text`; fails at once if it exits first. */
  waitFor(text: string, ms?: number): Promise<void>
  /** Writes one line to the child's stdin. */
  tell(line: string): void
  /** SIGKILL, as a power cut or a task manager would, and its exit. */
  kill(): Promise<void>
  /** The exit code, or 'timeout' (after killing it) when it does not finish in `ms`. */
  finish(ms: number): Promise<number | null | 'timeout'>
}

/** Starts `script` (a path from the repo root) with `args` under tsx. */
export function spawnChild(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', resolve(script), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: process.env,
  })
  let out = ''
  let done = false
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  // A killed child's stdin may close under a late write: that is expected, not an error.
  proc.stdin!.on('error', () => {})
  const exited = new Promise<number | null>((ok) =>
    proc.on('exit', (code) => {
      done = true
      ok(code)
    }),
  )
  return {
    proc,
    exited,
    output: () => out,
    async waitFor(text, ms = 60_000) {
      try {
        await until(
          `the child to print "${text}"`,
          () => {
            if (out.includes(text)) return true
            if (done) throw new Error(`the child exited before printing "${text}"`)
            return false
          },
          ms,
          10,
        )
      } catch (err) {
        throw new Error(`${(err as Error).message}; it printed:\n${out.slice(-3000)}`)
      }
    },
    tell: (line) => void proc.stdin!.write(`${line}\n`),
    async kill() {
      proc.kill('SIGKILL')
      await exited
    },
    async finish(ms) {
      let timer: NodeJS.Timeout | undefined
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms))),
      ])
      clearTimeout(timer)
      if (code === 'timeout') await this.kill()
      return code
    },
  }
}
