/**
 * Property: any sequence of register patient, book, reschedule, cancel, arrive, no-show and
 * discard, with vendor faults (resets before and after the write, 500 before it, malformed answers
 * after it, 429, 503), outages and app restarts interleaved, ends with the vendor holding exactly
 * what the receptionist intended: each patient and booking once (none when discarded), each
 * booking at its last time, in its last status, and no row left unfinished. The seed is fixed and
 * fast-check prints it with the failing sequence.
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

type FaultKind =
  'reset-before-write' | 'reset-after-write' | 'status' | 'error-500' | 'malformed' | 'rate-limit'

type Command =
  | { op: 'book' }
  | { op: 'register' }
  | { op: 'reschedule' | 'cancel' | 'arrive' | 'noshow' | 'discard'; target: number }
  | { op: 'fault'; kind: FaultKind }
  | { op: 'outage' }
  | { op: 'restart' }

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Command>({ op: 'book' }) },
  { weight: 2, arbitrary: fc.constant<Command>({ op: 'register' }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('discard' as const), target: fc.nat(20) }) },
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
      kind: fc.constantFrom<FaultKind>(
        'reset-before-write',
        'reset-after-write',
        'status',
        'error-500',
        'malformed',
        'rate-limit',
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Command>({ op: 'outage' }) },
  { weight: 1, arbitrary: fc.constant<Command>({ op: 'restart' }) },
)

type Status = 'booked' | 'cancelled' | 'arrived' | 'noshow'

/** An appointment and the changes made to it, each with its outbox row (a discarded one drops out). */
interface Intent {
  id: string
  bookRef: string
  changes: { seq: number; start?: string; status?: Status }[]
}

/** A patient registered in the run, by a name no seeded patient has. */
interface Registration {
  familyName: string
  seq: number
}

/** Names of letters only: 0 → "Propaa", 1 → "Propab"… */
const nameOf = (i: number) => `Prop${String.fromCharCode(97 + (Math.floor(i / 26) % 26), 97 + (i % 26))}`

const newestSeq = (rt: Runtime) =>
  (rt.db.prepare(`SELECT max(seq) AS seq FROM outbox`).get() as { seq: number }).seq

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

let registered = 0

describe('the outbox, as a property', () => {
  it('ends with the vendor holding exactly the intended state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 3, maxLength: 12 }), async (commands) => {
        let rt = await open()
        const intents: Intent[] = []
        const registrations: Registration[] = []
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
              intents.push({
                id,
                bookRef,
                changes: [{ seq: newestSeq(rt), start: slot.start, status: 'booked' }],
              })
            } else if (c.op === 'register') {
              const familyName = nameOf(registered++)
              const r = await rt.dispatch('patients.create', {
                connectionId: CONNECTION,
                patient: { givenName: 'Pat', familyName, birthDate: '1980-02-03' },
              })
              if (!r.ok) throw new Error(r.error.message)
              registrations.push({ familyName, seq: newestSeq(rt) })
            } else if (c.op === 'discard') {
              // A waiting or refused change, as the queue screen offers it (a sending one is refused).
              const waiting = rt.db
                .prepare(`SELECT seq FROM outbox WHERE state IN ('pending','needs-attention') ORDER BY seq`)
                .all() as { seq: number }[]
              if (waiting.length)
                await rt.dispatch('queue.discard', { seq: waiting[c.target % waiting.length]!.seq })
            } else if (c.op === 'fault') {
              clinic.sim.control.inject(
                c.kind === 'status'
                  ? { kind: 'status', status: 503, count: 1 }
                  : c.kind === 'error-500'
                    ? { kind: 'status', status: 500, count: 1, scope: 'writes' }
                    : c.kind === 'rate-limit'
                      ? { kind: 'rate-limit', retryAfterSeconds: 1, count: 1 }
                      : c.kind === 'malformed'
                        ? // The write is applied and its answer cut short.
                          { kind: 'malformed', count: 1, scope: 'writes' }
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
                if (r.ok) intent.changes.push({ seq: newestSeq(rt), start: slot.start })
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
                  intent.changes.push({
                    seq: newestSeq(rt),
                    status: ({ cancel: 'cancelled', arrive: 'arrived', noshow: 'noshow' } as const)[c.op],
                  })
              }
            }
          }
          await clinic.sim.control.setOffline(false)
          clinic.sim.control.clearFaults()
          await settle(rt)

          const discarded = new Set(
            (
              rt.db.prepare(`SELECT seq FROM outbox WHERE state = 'discarded'`).all() as { seq: number }[]
            ).map((r) => r.seq),
          )
          const applied = clinic.sim.control.writes().filter((w) => w.outcome === 'applied')
          const times = (operation: string, mark: string) =>
            applied.filter((w) => w.operation === operation && JSON.stringify(w.input).includes(mark)).length
          for (const p of registrations) {
            expect({ patient: p.familyName, times: times('createPatient', p.familyName) }).toEqual({
              patient: p.familyName,
              times: discarded.has(p.seq) ? 0 : 1,
            })
          }
          for (const intent of intents) {
            const kept = intent.changes.filter((ch) => !discarded.has(ch.seq))
            expect(times('createBooking', intent.bookRef)).toBe(kept.length ? 1 : 0)
            if (!kept.length) continue
            const start = kept.filter((ch) => ch.start).at(-1)!.start!
            const status = kept.filter((ch) => ch.status).at(-1)!.status!
            const ref = rt.cache.appointmentRow(intent.id)!.ref!
            const booking = clinic.sim.control.state.bookings.get(ref)!
            expect(Date.parse(booking.start)).toBe(Date.parse(start))
            expect(booking.deleted).toBe(status === 'cancelled')
            expect(!!booking.bookingJourney.arrived).toBe(status === 'arrived')
            expect(!!booking.bookingJourney.dna).toBe(status === 'noshow')
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
