/** Vendor text stays in the main process: the renderer and the log get a classified reason only. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../../src/main/log/logger'
import { publicError } from '../../../src/main/services/queue'
import { VendorError } from '../../../src/main/vendors/errors'
import { redactSecrets, vendorReason, vendorWords } from '../../../src/main/vendors/vendor-text'
import { tempDir } from '../../support/temp'

const echoed = [
  'Invalid request. Headers were: Authorization: test_9f8e7d6c5b4a3f2e1d0c x-token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
  '{"error":"bad","apiKey":"live_abcdefgh12345678","password":"hunter2hunter2"}',
  'Bearer abcdefghijklmnop1234 rejected; key 0123456789abcdef0123456789abcdef',
  'Basic dXNlcjpwYXNzd29yZA== is not allowed',
]

describe('redactSecrets', () => {
  it('removes credential shapes a vendor may echo back', () => {
    const out = echoed.map(redactSecrets).join('\n')
    for (const secret of [
      'test_9f8e7d6c5b4a3f2e1d0c',
      'eyJhbGciOiJIUzI1NiJ9',
      'live_abcdefgh12345678',
      'hunter2hunter2',
      'abcdefghijklmnop1234',
      '0123456789abcdef0123456789abcdef',
      'dXNlcjpwYXNzd29yZA==',
    ])
      expect(out).not.toContain(secret)
    expect(out).toContain('Invalid request.')
  })

  it('leaves ordinary vendor text alone', () => {
    for (const text of [
      'Slot is already booked',
      'Patient must verify their identity before proceeding',
      'HTTP 503',
    ])
      expect(redactSecrets(text)).toBe(text)
  })
})

describe('vendorReason', () => {
  it('is a plain reason with the status and code, never vendor text', () => {
    expect(vendorReason({ kind: 'invalid', status: 422, vendorCode: 'BAD_USER_INPUT' })).toBe(
      'the clinic system refused the details as invalid (HTTP 422, code BAD_USER_INPUT)',
    )
    expect(vendorReason({ kind: 'auth', status: 401 })).toBe(
      'the clinic system did not accept the saved credentials (HTTP 401)',
    )
    expect(vendorReason({ kind: 'surprise' })).toBe('the clinic system reported a problem')
    expect(vendorReason({ kind: 'invalid', vendorCode: '<script>x</script>' })).not.toContain('<')
  })
})

describe('a vendor failure', () => {
  const err = new VendorError('invalid', 'The clinic system refused the booking.', {
    vendor: 'heim',
    operation: 'createTask',
    status: 422,
    vendorCode: 'validation_failed',
    vendorMessage: echoed[0],
  })

  it('keeps the vendor text redacted, for the encrypted store only', () => {
    expect(err.vendorMessage).toContain('Invalid request.')
    expect(err.vendorMessage).not.toContain('test_9f8e7d6c5b4a3f2e1d0c')
  })

  it('logs the classified reason and never the vendor text', () => {
    const log = err.toLog()
    expect(log).not.toHaveProperty('vendorMessage')
    expect(log.reason).toBe(
      'the clinic system refused the details as invalid (HTTP 422, code validation_failed)',
    )
    const t = tempDir()
    try {
      const file = join(t.dir, 'frontdesk.log')
      const logger = createLogger({ file, stderr: false })
      logger.warn('vendor request failed', { ...log, vendorMessage: 'Raw words from the vendor' })
      logger.info('semble business error', { nested: { vendorMessage: 'More raw words' } })
      const text = readFileSync(file, 'utf8')
      expect(text).not.toContain('Raw words')
      expect(text).not.toContain('More raw words')
      expect(text).toContain('HTTP 422')
    } finally {
      t.cleanup()
    }
  })

  it('reaches the queue panel as a reason with its status and code, without the vendor text or fields', () => {
    const shown = publicError({
      kind: 'invalid',
      message: 'The clinic system refused the booking.',
      vendorMessage: 'Raw words from the vendor',
      status: 422,
      vendorCode: 'validation_failed',
      fields: [{ field: 'email', message: 'raw field words' }],
    })
    expect(shown).toEqual({
      kind: 'invalid',
      message: 'The clinic system refused the booking.',
      vendorMessage: 'the clinic system refused the details as invalid (HTTP 422, code validation_failed)',
    })
    expect(publicError({ kind: 'offline', message: 'Cannot reach it.' })).toEqual({
      kind: 'offline',
      message: 'Cannot reach it.',
    })
    expect(publicError(null)).toBeNull()
  })
})

describe('a vendor’s words shown to a person', () => {
  it('drops an error page, keeps a sentence on one line, redacts a key and stays short', () => {
    expect(vendorWords('<!DOCTYPE html><html><body>Bad Request</body></html>')).toBeUndefined()
    expect(vendorWords('<h1>502</h1> upstream')).toBeUndefined()
    expect(vendorWords('  Slot\n  already   taken ')).toBe('Slot already taken')
    expect(vendorWords('key live_9f8e7d6c5b4a3f2e1d0cAbCd refused')).toBe('key [redacted-key] refused')
    expect(vendorWords('a < b and 3 > 2')).toBe('a < b and 3 > 2')
    const long = vendorWords('word '.repeat(200))!
    expect(long.length).toBe(300)
    expect(long.endsWith('…')).toBe(true)
  })
})
