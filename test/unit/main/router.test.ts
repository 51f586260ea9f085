import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRouter, type Handlers } from '../../../src/main/ipc/router'
import { createLogger, silentLogger, type Logger } from '../../../src/main/log/logger'
import { AppFailure } from '../../../src/shared/result'

// Only the methods these tests call; the router itself is typed against the whole contract.
const base = {
  'app.info': () => ({
    name: 'Frontdesk',
    version: '1.2.3',
    shell: 'browser',
    platform: 'linux',
    demo: true,
    now: '2026-03-30T08:00:00.000Z',
  }),
  'app.health': () => {
    throw new Error('database exploded: secret=hunter2')
  },
  'connections.list': () => [],
  'credentials.status': ({ connectionId }) => {
    throw new AppFailure('not-found', `There is no connection "${connectionId}".`, 'connectionId')
  },
  'credentials.set': ({ connectionId, fields }) => ({
    connectionId,
    present: Object.keys(fields),
    complete: true,
  }),
  'credentials.delete': ({ connectionId }) => ({ connectionId, present: [], complete: false }),
  'credentials.test': ({ connectionId }) => ({ connectionId, ok: true, detail: 'fine', checkedAt: 'now' }),
} as Partial<Handlers> as Handlers

function recordingLogger() {
  const file = join(mkdtempSync(join(tmpdir(), 'fd-router-')), 'frontdesk.log')
  const log: Logger = createLogger({ file, stderr: false })
  return { log, lines: () => readFileSync(file, 'utf8') }
}

describe('the router', () => {
  it('answers a valid call with the handler value', async () => {
    const dispatch = createRouter(base, silentLogger)
    await expect(dispatch('app.info', {})).resolves.toMatchObject({ ok: true, value: { version: '1.2.3' } })
  })

  it('refuses unknown methods and invalid input with a specific message and field', async () => {
    const dispatch = createRouter(base, silentLogger)
    await expect(dispatch('app.shutdown', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'Unknown request "app.shutdown".' },
    })
    const r = await dispatch('credentials.set', { connectionId: 'c1', fields: { apiKey: '' } })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'fields.apiKey' } })
    expect(!r.ok && r.error.message).toContain('must not be empty')
    const extra = await dispatch('app.info', { sneaky: true })
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })

  it('never inherits prototype names as methods', async () => {
    const dispatch = createRouter(base, silentLogger)
    await expect(dispatch('toString', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
    await expect(dispatch('__proto__', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
  })

  it('turns a deliberate failure into data, keeping its code and field', async () => {
    const dispatch = createRouter(base, silentLogger)
    await expect(dispatch('credentials.status', { connectionId: 'nope' })).resolves.toEqual({
      ok: false,
      error: {
        code: 'not-found',
        message: 'There is no connection "nope".',
        field: 'connectionId',
        retryable: false,
      },
    })
  })

  it('hides an unexpected error behind a plain message and logs it', async () => {
    const { log, lines } = recordingLogger()
    const dispatch = createRouter(base, log)
    const r = await dispatch('app.health', {})
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: 'Something went wrong inside Frontdesk. The details are in the log.',
        retryable: true,
      },
    })
    expect(lines()).toContain('database exploded')
  })
})
