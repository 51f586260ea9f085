import { describe, expect, it } from 'vitest'
import {
  buildClient,
  channelOf,
  eventChannelOf,
  eventNames,
  methodNames,
  methods,
} from '../../../src/shared/contract'

describe('the contract', () => {
  it('names every method group.action, each with its own IPC channel', () => {
    expect(methodNames.length).toBeGreaterThan(3)
    for (const name of methodNames) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/)
    const channels = new Set([...methodNames.map(channelOf), ...eventNames.map(eventChannelOf)])
    expect(channels.size).toBe(methodNames.length + eventNames.length)
  })

  it('builds a client with exactly one function per method and one subscriber per event', async () => {
    const calls: [string, unknown][] = []
    const subs: string[] = []
    const api = buildClient(
      async (name, input) => {
        calls.push([name, input])
        return { ok: true, value: name }
      },
      (name) => {
        subs.push(name)
        return () => {}
      },
    ) as unknown as Record<string, Record<string, (x: unknown) => unknown>>

    const exposed = Object.entries(api)
      .filter(([group]) => group !== 'events')
      .flatMap(([group, fns]) => Object.keys(fns).map((action) => `${group}.${action}`))
    expect(exposed.sort()).toEqual([...methodNames].sort())
    expect(Object.keys(api.events!).sort()).toEqual([...eventNames].sort())

    await expect(api.app!.info!({})).resolves.toEqual({ ok: true, value: 'app.info' })
    expect(calls).toEqual([['app.info', {}]])
    api.events!.queueChanged!(() => {})
    expect(subs).toEqual(['queueChanged'])
  })

  it('refuses credentials that are empty or not field names', () => {
    const schema = methods['credentials.set'].input
    expect(schema.safeParse({ connectionId: 'c1', fields: { apiKey: 'k' } }).success).toBe(true)
    expect(schema.safeParse({ connectionId: 'c1', fields: {} }).success).toBe(false)
    expect(schema.safeParse({ connectionId: 'c1', fields: { apiKey: '' } }).success).toBe(false)
    expect(schema.safeParse({ connectionId: 'c1', fields: { 'api-key; drop': 'k' } }).success).toBe(false)
    expect(schema.safeParse({ connectionId: ' ', fields: { apiKey: 'k' } }).success).toBe(false)
  })
})
