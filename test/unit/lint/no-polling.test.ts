/**
 * The renderer never polls: what changes in the main process arrives as an event (queueChanged,
 * connectivityChanged, syncProgress, slotsConfirmed). A timer is allowed only for a clock on
 * screen, written as `setInterval(() => setNow(…), …)`. A loop that sleeps and asks again
 * (`await new Promise((r) => setTimeout(r, …))`) is a poll too; the one allowed is the browser
 * client reconnecting its event stream after the host went away.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const renderer = join(__dirname, '../../../src/renderer/src')

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  )

/** Every timer in a source that is not a clock on screen. */
const polls = (source: string) =>
  [...source.matchAll(/setInterval\([^\n]*/g)]
    .map((m) => m[0])
    .filter((t) => !/^setInterval\(\(\) => setNow\(/.test(t))

/** Sleeps inside a loop, other than the event stream's reconnect. */
const sleeps = (file: string, source: string) =>
  [...source.matchAll(/new Promise\(\(?(\w+)\)? => setTimeout\(\1\b[^\n]*/g)]
    .map((m) => m[0])
    .filter(() => !file.endsWith(join('api', 'browser-client.ts')))

describe('the renderer', () => {
  it('has timers only for clocks on screen', () => {
    const files = sources(renderer)
    const timers = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/setInterval\(/g)])
    // The clocks are there, so the scan reads the right files.
    expect(timers.length).toBeGreaterThan(0)
    const found = files.flatMap((f) => polls(readFileSync(f, 'utf8')).map((t) => `${f}: ${t}`))
    expect(found).toEqual([])
  })

  it('has no loop that sleeps and asks again (toasts follow the queue by its events)', () => {
    const files = sources(renderer)
    const found = files.flatMap((f) => sleeps(f, readFileSync(f, 'utf8')).map((t) => `${f}: ${t}`))
    expect(found).toEqual([])
    // The reconnect it allows is there, so the pattern matches what it should.
    const client = readFileSync(join(renderer, 'api', 'browser-client.ts'), 'utf8')
    expect(sleeps('elsewhere.ts', client)).toHaveLength(1)
  })

  it('a poll is told apart from a clock', () => {
    expect(polls('const t = setInterval(() => setNow(nowMs()), 1000)')).toEqual([])
    expect(polls('const t = setInterval(() => useToday.getState().refresh(), 60_000)')).toHaveLength(1)
  })
})
