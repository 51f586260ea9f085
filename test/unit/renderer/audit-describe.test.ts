/** The audit screen's words for a patient's corrected details: what changed, from and to. */
import { describe, expect, it } from 'vitest'
import { actionWords, outcomeWords, summarise } from '../../../src/renderer/src/audit/describe'
import type { AuditEntry } from '../../../src/shared/contract'

const entry = (change: unknown): AuditEntry => ({
  id: 1,
  at: '2026-03-30T08:00:00.000Z',
  actor: 'Sam',
  connectionId: 'c',
  entity: 'patient',
  entityId: 'p1',
  action: 'updatePatient',
  change: JSON.stringify(change),
  outcome: 'queued',
  detail: null,
  patientId: 'p1',
  patientName: 'Ada LOVELACE',
})

describe('a corrected patient in the audit log', () => {
  it('says what was changed, each detail from what it was to what it became', () => {
    const e = entry({
      patientId: 'p1',
      patientName: 'Ada Lovelace',
      changes: {
        phone: { from: '+447700900001', to: '+447700900461' },
        nhsNumber: { from: null, to: '9434765919' },
      },
    })
    expect(actionWords(e)).toBe("Changed patient's details")
    expect(summarise(e, undefined, { p1: 'Ada LOVELACE' })).toBe(
      'Ada LOVELACE · phone +447700900001 → +447700900461 · NHS number (none) → 9434765919',
    )
  })
})

describe('an appointment changed before its patient was in the copy', () => {
  it('is named as the copy has the patient now, not by the clinic system’s id', () => {
    const e = { ...entry({ patientRef: 'S-41', start: '2026-03-30T09:00:00.000Z' }), entity: 'appointment' }
    expect(summarise(e).startsWith('Ada LOVELACE · ')).toBe(true)
    const unknown = { ...e, patientId: null, patientName: null }
    expect(summarise(unknown).startsWith('patient S-41 (not in Frontdesk) · ')).toBe(true)
  })
})

describe('a person’s action on a queued change', () => {
  it('is said in words', () => {
    expect(outcomeWords('retried')).toBe('Tried again')
    expect(outcomeWords('send-now')).toBe('Sent now')
    expect(actionWords({ ...entry({}), action: 'sendNow', entity: null })).toBe('Send now, whole queue')
  })
})
