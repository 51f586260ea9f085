/** The audit screen's words for a patient's corrected details: what changed, from and to. */
import { describe, expect, it } from 'vitest'
import { actionWords, summarise } from '../../../src/renderer/src/audit/describe'
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
