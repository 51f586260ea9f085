import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLogger, redact } from '../../../src/main/log/logger'

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
})
