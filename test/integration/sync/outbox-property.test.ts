/**
 * Property: any sequence of book, reschedule, cancel, arrive and no-show, with vendor faults,
 * outages and app restarts interleaved, ends with the vendor holding exactly what the
 * receptionist intended: each booking once, at its last time, in its last status.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { ActionResult } from '../../../src/shared/contract'
import { bookingOf, sembleClinic, type SembleClinic } from '../../support/semble-clinic'

let clinic: SembleClinic
let CONNECTION = ''
const open = () => clinic.open({ sync: { random: () => 0.01, probeEveryMs: 50, settleMs: { semble: 0 } } })

beforeAll(async () => {
  clinic = await sembleClinic('property', { seed: 11 })
  CONNECTION = clinic.connectionId
}, 60_000)

afterAll(async () => {
  await clinic?.close()
})

type Command =
  | { op: 'book' }
  | { op: 'reschedule' | 'cancel' | 'arrive' | 'noshow'; target: number }
  | { op: 'fault'; kind: 'reset-before-write' | 'reset-after-write' | 'status' | 'rate-limit' }
  | { op: 'outage' }
  | { op: 'restart' }

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Command>({ op: 'book' }) },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constantFrom('reschedule' as const, 'cancel' as const, 'arrive' as const, 'noshow' as const),
      target: fc.nat(20),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('fault' as const),
      kind: fc.constantFrom(
        'reset-before-write' as const,
        'reset-after-write' as const,
        'status' as const,
        'rate-limit' as const,
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Command>({ op: 'outage' }) },
  { weight: 1, arbitrary: fc.constant<Command>({ op: 'restart' }) },
)

interface Intent {
  id: string
  bookRef: string
  start: string
  status: 'booked' | 'cancelled' | 'arrived' | 'noshow'
}

async function settle(rt: Runtime) {
  const end = Date.now() + 30_000
  while (Date.now() < end) {
    await rt.sync.probe(CONNECTION)
    const c = rt.outbox.counts(CONNECTION)
    if (c.pending === 0 && c.needsAttention === 0) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`outbox did not settle: ${JSON.stringify(rt.outbox.counts(CONNECTION))}`)
}

describe('the outbox, as a property', () => {
  it('ends with the vendor holding exactly the intended state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 3, maxLength: 12 }), async (commands) => {
        let rt = await open()
        const intents: Intent[] = []
        try {
          for (const c of commands) {
            if (c.op === 'book') {
              const slot = clinic.slots.shift()!
              const r = await rt.dispatch(
                'appointments.book',
                bookingOf(clinic, slot, clinic.patientIds[intents.length % clinic.patientIds.length]!),
              )
              if (!r.ok) throw new Error(r.error.message)
              const id = (r.value as ActionResult).appointment.id!
              const bookRef = (
                rt.db
                  .prepare(`SELECT client_ref FROM outbox WHERE entity_key = ? AND kind = 'book'`)
                  .get(`appointment:${id}`) as {
                  client_ref: string
                }
              ).client_ref
              intents.push({ id, bookRef, start: slot.start, status: 'booked' })
            } else if (c.op === 'fault') {
              clinic.sim.control.inject(
                c.kind === 'status'
                  ? { kind: 'status', status: 503, count: 1 }
                  : c.kind === 'rate-limit'
                    ? { kind: 'rate-limit', retryAfterSeconds: 1, count: 1 }
                    : { kind: c.kind, count: 1 },
              )
            } else if (c.op === 'outage') {
              await clinic.sim.control.setOffline(!clinic.sim.control.isOffline())
            } else if (c.op === 'restart') {
              await rt.close()
              rt = await open()
            } else if (intents.length) {
              const intent = intents[c.target % intents.length]!
              if (c.op === 'reschedule') {
                const slot = clinic.slots.shift()!
                const r = await rt.dispatch('appointments.reschedule', {
                  appointmentId: intent.id,
                  start: slot.start,
                  end: slot.end,
                  practitionerRef: slot.practitionerRef!,
                })
                if (r.ok) intent.start = slot.start
              } else {
                const method = {
                  cancel: 'appointments.cancel',
                  arrive: 'appointments.markArrived',
                  noshow: 'appointments.markNoShow',
                }[c.op]
                const r = await rt.dispatch(method, {
                  appointmentId: intent.id,
                  ...(c.op === 'cancel' ? { reason: 'Patient asked' } : {}),
                })
                if (r.ok)
                  intent.status = { cancel: 'cancelled', arrive: 'arrived', noshow: 'noshow' }[
                    c.op
                  ] as Intent['status']
              }
            }
          }
          await clinic.sim.control.setOffline(false)
          clinic.sim.control.clearFaults()
          await settle(rt)

          const applied = clinic.sim.control
            .writes()
            .filter((w) => w.operation === 'createBooking' && w.outcome === 'applied')
          for (const intent of intents) {
            expect(applied.filter((w) => JSON.stringify(w.input).includes(intent.bookRef))).toHaveLength(1)
            const ref = rt.cache.appointmentRow(intent.id)!.ref!
            const booking = clinic.sim.control.state.bookings.get(ref)!
            expect(Date.parse(booking.start)).toBe(Date.parse(intent.start))
            expect(booking.deleted).toBe(intent.status === 'cancelled')
            expect(!!booking.bookingJourney.arrived).toBe(intent.status === 'arrived')
            expect(!!booking.bookingJourney.dna).toBe(intent.status === 'noshow')
          }
        } finally {
          await clinic.sim.control.setOffline(false)
          clinic.sim.control.clearFaults()
          await rt.close()
        }
      }),
      { numRuns: 25, seed: 20261121, endOnFailure: true },
    )
  }, 240_000)
})
