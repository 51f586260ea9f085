/** The queue screen's words for where a change stands: attempts, next try, and the duplicate check. */
import { describe, expect, it } from 'vitest'
import {
  attemptsText,
  detailOf,
  discardWords,
  shortReason,
  stateText,
} from '../../../src/renderer/src/queue/describe'
import type { QueueItem } from '../../../src/shared/contract'
import type { Connection } from '../../../src/shared/model'

const connection = {
  id: 'c',
  label: 'Riverside Clinic',
  timeZone: 'Europe/London',
  locale: 'en-GB',
} as Connection
const now = Date.parse('2026-03-30T08:00:00.000Z')

function item(over: Partial<QueueItem> = {}): QueueItem {
  return {
    seq: 1,
    connectionId: 'c',
    entityKey: 'appointment:a1',
    state: 'pending',
    attempts: 0,
    createdAt: '2026-03-30T07:59:00.000Z',
    nextAttemptAt: '2026-03-30T08:00:00.000Z',
    actor: 'Sam',
    error: null,
    mayHaveReached: false,
    subject: {
      appointment: {
        start: '2026-03-31T09:00:00.000Z',
        end: '2026-03-31T09:15:00.000Z',
        practitionerRef: 'p1',
      },
    },
    kind: 'cancel',
    payload: { appointmentId: 'a1', reason: 'Rang' },
    ...over,
  } as QueueItem
}

describe('the queue row in words', () => {
  it('says a rebook’s cancellation waits for the new booking, and why it was kept when that failed', () => {
    const held = item({ payload: { appointmentId: 'a1', reason: 'Rang', rebookedAs: 'a2' } })
    expect(stateText(held, connection, true, now)).toBe(
      'Waiting for the new booking to reach Riverside Clinic; then it is sent',
    )
    const kept = item({
      state: 'needs-attention',
      attempts: 1,
      payload: { appointmentId: 'a1', reason: 'Rang', rebookedAs: 'a2' },
      error: { kind: 'invalid', message: 'The new booking did not reach Riverside Clinic' },
    })
    expect(shortReason(kept)).toBe('the new booking did not go through, so this appointment was kept')
    expect(shortReason({ ...kept, payload: { appointmentId: 'a1', reason: 'Rang' } } as QueueItem)).toBe(
      'the clinic system refused the details',
    )
  })

  it('says how many attempts and when the next try is', () => {
    const waiting = item({
      attempts: 2,
      nextAttemptAt: '2026-03-30T08:03:00.000Z',
      error: { kind: 'unavailable', message: 'x' },
    })
    expect(stateText(waiting, connection, true, now)).toBe('Waiting to send (2 attempts), next try in 3 min')
    expect(stateText(item(), connection, false, now)).toBe(
      'Waiting to send (not tried yet) — goes when Riverside Clinic is back online',
    )
    expect(attemptsText(item({ attempts: 1 }))).toBe('1 attempt')
  })

  it('tells a request on its way from a change being checked after a lost answer', () => {
    expect(
      stateText(
        item({ state: 'sending', attempts: 1, nextAttemptAt: '2026-03-30T08:05:00.000Z' }),
        connection,
        true,
        now,
      ),
    ).toBe('Sending to Riverside Clinic now… (1 attempt)')
    const checking = item({
      state: 'sending',
      attempts: 2,
      nextAttemptAt: '2026-03-30T08:00:40.000Z',
      error: { kind: 'ambiguous', message: 'lost' },
    })
    expect(
      stateText({ ...checking, error: { kind: 'offline', message: 'away' } }, connection, false, now),
    ).toBe('Waiting to send (2 attempts) — goes when Riverside Clinic is back online')
    expect(stateText(checking, connection, false, now)).toBe(
      'Waiting to check with Riverside Clinic (2 attempts) — when it is back online',
    )
    expect(stateText(checking, connection, true, now)).toBe(
      'Checking with Riverside Clinic whether it arrived (2 attempts), next try in 40 s',
    )
  })

  it('says a duplicate check is a look after a send, and a duplicate patient needs a person', () => {
    const check = item({
      kind: 'checkDuplicate',
      payload: { write: 'createPatient', of: 3, clientRef: 'r', patientId: 'p' },
      nextAttemptAt: '2026-03-30T08:01:00.000Z',
    })
    expect(stateText(check, connection, true, now)).toBe(
      'Sent; Frontdesk looks in 60 s whether Riverside Clinic made it twice',
    )
    expect(
      stateText(
        { ...check, state: 'needs-attention', attempts: 1, error: { kind: 'conflict', message: 'twice' } },
        connection,
        true,
        now,
      ),
    ).toBe('Needs attention: the clinic system has it twice (1 attempt)')
  })

  it('takes the time from the change itself for a booking or move, else from the appointment', () => {
    expect(detailOf(item()).start).toBe('2026-03-31T09:00:00.000Z')
    const move = item({
      kind: 'reschedule',
      payload: { appointmentId: 'a1', start: '2026-04-01T10:00:00.000Z', end: '2026-04-01T10:15:00.000Z' },
    })
    expect(detailOf(move).start).toBe('2026-04-01T10:00:00.000Z')
  })
})

describe('what Discard says it does', () => {
  const rollback = 'The appointment goes back to booked in Frontdesk and nothing will be sent.'

  it('says nothing was sent only when nothing may have reached the clinic system', () => {
    expect(discardWords(item(), 'Riverside Clinic', rollback)).toEqual({
      before: rollback,
      after: 'Nothing was sent to Riverside Clinic.',
    })
  })

  it('says a change whose answer was lost may be there already, and to look', () => {
    const lost = item({
      state: 'needs-attention',
      mayHaveReached: true,
      error: { kind: 'unconfirmed', message: 'Frontdesk could not confirm…' },
    })
    const words = discardWords(lost, 'Riverside Clinic', rollback)
    expect(words.before).toBe(
      'It is rolled back in Frontdesk only. Riverside Clinic may already have it (its answer never came): look for it there, and put it right there if it is.',
    )
    expect(words.after).toBe(
      'Rolled back in Frontdesk only: Riverside Clinic may already have it (its answer never came): look for it there, and put it right there if it is.',
    )
    expect(JSON.stringify(words)).not.toContain('nothing')
  })
})
