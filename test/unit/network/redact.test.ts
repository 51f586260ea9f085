import { describe, expect, it } from 'vitest'
import { Redactor } from '../../../src/main/support/redact'

const r = new Redactor({ secrets: ['s3cr3t-value-xyz'], names: ['Mary-Jane', "O'Neill"] })

describe('support bundle redaction', () => {
  it('removes known secrets and token shapes wherever they sit', () => {
    expect(r.text('key s3cr3t-value-xyz used')).toBe('key [secret] used')
    expect(r.text('Authorization: Bearer abc.def-123456')).toBe('Authorization: Bearer [secret]')
    expect(r.text('GET /x?api_key=zzz&page=2')).toBe('GET /x?api_key=[secret]&page=2')
  })
  it('removes patient names inside sentences, and NHS numbers, emails, phones and postcodes', () => {
    expect(r.text("Booked mary-jane o'neill at 10:00")).toBe('Booked [name] [name] at 10:00')
    expect(r.text('NHS 943 476 5919 and 9434765919')).toBe('NHS [nhs-number] and [nhs-number]')
    expect(r.text('mj@example.org, 07700 900123, SW1A 1AA')).toBe('[email], [phone], [postcode]')
  })
  it('keeps timestamps, versions, ports and counts readable', () => {
    const line = '2026-06-01T09:30:00.000Z v0.1.0 127.0.0.1:34951 3 pending'
    expect(r.text(line)).toBe(line)
  })
  it('drops values under telling keys in JSON log lines', () => {
    const out = JSON.parse(
      r.line(JSON.stringify({ msg: 'x', patient: { familyName: 'Smith', dob: '1970-01-01' }, apiKey: 'k' })),
    )
    expect(out).toEqual({
      msg: 'x',
      patient: { familyName: '[redacted]', dob: '[redacted]' },
      apiKey: '[redacted]',
    })
  })
})
