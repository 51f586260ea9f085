import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLogger, redact } from '../../../src/main/log/logger'
import { VendorError } from '../../../src/main/vendors/errors'

describe('the log', () => {
  it('redacts secrets however deep they sit', () => {
    const out = redact({
      connectionId: 'c1',
      headers: { Authorization: 'Basic abc', 'x-token': 't', accept: 'json' },
      fields: { apiKey: 'k', password: 'p', email: 'a@b.c' },
      list: [{ token: 't2' }],
    })
    expect(JSON.stringify(out)).not.toMatch(/Basic abc|"t"|"k"|"p"|t2/)
    expect(out).toMatchObject({ connectionId: 'c1', headers: { accept: 'json' }, fields: { email: 'a@b.c' } })
  })

  it('writes JSON lines with no secret in them', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fd-log-')), 'logs', 'frontdesk.log')
    const log = createLogger({ file, stderr: false })
    log.info('signed in', { email: 'desk@clinic.example', password: 'correct horse' })
    const line = JSON.parse(readFileSync(file, 'utf8').trim()) as Record<string, unknown>
    expect(line).toMatchObject({
      level: 'info',
      msg: 'signed in',
      email: 'desk@clinic.example',
      password: '[redacted]',
    })
  })

  it('redacts credential shapes in an error’s message, stack and cause, and logs a vendor error by its summary', () => {
    const key = 'live_9f8e7d6c5b4a3f2e1d0cAbCd'
    const inner = new Error(`upstream said: authorization: Bearer ${key}`)
    const outer = new Error(`request failed with x-api-key=${key}`, { cause: inner })
    const vendor = new VendorError('invalid', 'Heim Health refused it.', {
      vendor: 'heim',
      status: 422,
      vendorMessage: `echo: ${key}`,
    })
    const text = JSON.stringify(redact({ err: outer, vendorErr: vendor }))
    expect(text).not.toContain(key)
    expect(text).toContain('request failed with x-api-key=')
    expect(text).toContain('upstream said')
    expect(redact(vendor)).toMatchObject({ kind: 'invalid', status: 422, message: 'Heim Health refused it.' })
  })
})
