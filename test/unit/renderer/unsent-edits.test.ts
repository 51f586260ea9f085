import { describe, expect, it } from 'vitest'
import type { QueueItem } from '../../../src/shared/contract'
import { unsentEdits, unsentEditsSentence } from '../../../src/renderer/src/patients/unsent-edits'

const row = (seq: number, entityKey: string, changes: object, state: QueueItem['state'] = 'pending') =>
  ({
    seq,
    connectionId: 'riverside',
    entityKey,
    state,
    attempts: 0,
    createdAt: '2026-03-30T08:00:00.000Z',
    nextAttemptAt: '2026-03-30T08:00:00.000Z',
    actor: 'Ana Costa',
    error: null,
    subject: { kind: 'patient', patientId: entityKey.slice(8) },
    kind: 'updatePatient',
    payload: { patientId: entityKey.slice(8), changes, deps: [] },
  }) as unknown as QueueItem

describe("a patient's unsent corrections", () => {
  it('are the fields of every waiting edit of that patient only, in the form order', () => {
    const items = [
      row(1, 'patient:p-1', { nhsNumber: '9434765919' }),
      row(2, 'patient:p-2', { email: 'x@example.org' }),
      row(3, 'patient:p-1', { phone: '+447700900123' }),
    ]
    expect(unsentEdits(items, 'p-1')).toEqual({ fields: ['phone', 'nhsNumber'], refused: false })
    expect(unsentEdits(items, 'p-3')).toBeNull()
  })

  it('are said in a sentence, waiting or refused', () => {
    expect(
      unsentEditsSentence({ fields: ['phone', 'email', 'nhsNumber'], refused: false }, 'Riverside Clinic'),
    ).toBe('Changed here, not yet in Riverside Clinic: phone, email and NHS number — waiting to send.')
    const refused = unsentEdits(
      [row(4, 'patient:p-1', { address: { line: '1 High St', postcode: 'AB1 2CD' } }, 'needs-attention')],
      'p-1',
    )!
    expect(unsentEditsSentence(refused, 'Riverside Clinic')).toBe(
      'Changed here, not yet in Riverside Clinic: address — Riverside Clinic did not accept it: see the queue.',
    )
  })
})
