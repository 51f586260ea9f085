/**
 * Property: any sequence of book, reschedule, cancel, arrive and no-show, with vendor faults,
 * outages and app restarts interleaved, ends with the vendor holding exactly what the
 * receptionist intended: each booking once, at its last time, in its last status.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'
import { seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startSembleSimulator, type SembleState } from '../../../src/sandbox/semble'
import type { ActionResult } from '../../../src/shared/contract'
import type { Slot } from '../../../src/shared/model'
import { tempDir, testKeychainService } from '../../support/temp'

const CONNECTION = 'prop-semble'
const keychainService = testKeychainService('property')
let sim: SimulatorHandle<SembleState>
let dataDir: string
let cleanup: () => void
let pool: Slot[] = []
let typeRef = ''
let locationRef = ''
let patientIds: string[] = []

const open = () =>
  createRuntime({
    shell: 'browser',
    version: 'property',
    dataDir,
    profile: 'clinic',
    log: silentLogger,
    keychainService,
    sync: { random: () => 0.01, probeEveryMs: 50 },
  })

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  dataDir = t.dir
  sim = await startSembleSimulator(
    seedClinic({ patients: 30, seed: 11, timeZone: 'Europe/London', today: new Date() }),
    {
      rateLimitPerMinute: 100_000,
    },
  )
  const rt = await open()
  rt.connections.upsert({
    id: CONNECTION,
    vendor: 'semble',
    label: 'Property Clinic',
    baseUrl: `${sim.url}/graphql`,
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options: { nhsNumberTypeId: sim.credentials.nhsNumberTypeId! },
    demo: false,
  })
  await rt.credentials.set(CONNECTION, { apiToken: sim.credentials.apiToken! })
  const adapter = rt.adapters.get(CONNECTION)
  const [types, locations, patients] = await Promise.all([
    adapter.listAppointmentTypes!(),
    adapter.listLocations!(),
    adapter.findPatients!({ text: '', limit: 10 }),
  ])
  typeRef = types.find((x) => x.lengthMinutes <= 30)!.ref
  locationRef = locations[0]!.ref
  patientIds = patients.map((p) => rt.cache.upsertPatient(p))
  const from = new Date(Date.now() + 2 * 24 * 3600_000)
  const slots = await adapter.findSlots!({
    from: from.toISOString(),
    to: new Date(from.getTime() + 6 * 24 * 3600_000).toISOString(),
    appointmentTypeRef: typeRef,
    locationRef,
  })
  const seen = new Set<string>()
  pool = slots.filter((s) => {
    const key = `${s.practitionerRef}:${s.start.slice(0, 13)}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
  await rt.close()
}, 60_000)

afterAll(async () => {
  await sim?.close()
  cleanup?.()
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
              const slot = pool.shift()!
              const r = await rt.dispatch('appointments.book', {
                connectionId: CONNECTION,
                patientId: patientIds[intents.length % patientIds.length]!,
                appointmentTypeRef: typeRef,
                practitionerRef: slot.practitionerRef!,
                locationRef,
                start: slot.start,
                end: slot.end,
              })
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
              sim.control.inject(
                c.kind === 'status'
                  ? { kind: 'status', status: 503, count: 1 }
                  : c.kind === 'rate-limit'
                    ? { kind: 'rate-limit', retryAfterSeconds: 1, count: 1 }
                    : { kind: c.kind, count: 1 },
              )
            } else if (c.op === 'outage') {
              await sim.control.setOffline(!sim.control.isOffline())
            } else if (c.op === 'restart') {
              await rt.close()
              rt = await open()
            } else if (intents.length) {
              const intent = intents[c.target % intents.length]!
              if (c.op === 'reschedule') {
                const slot = pool.shift()!
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
          await sim.control.setOffline(false)
          sim.control.clearFaults()
          await settle(rt)

          const applied = sim.control
            .writes()
            .filter((w) => w.operation === 'createBooking' && w.outcome === 'applied')
          for (const intent of intents) {
            expect(applied.filter((w) => JSON.stringify(w.input).includes(intent.bookRef))).toHaveLength(1)
            const ref = rt.cache.appointmentRow(intent.id)!.ref!
            const booking = sim.control.state.bookings.get(ref)!
            expect(Date.parse(booking.start)).toBe(Date.parse(intent.start))
            expect(booking.deleted).toBe(intent.status === 'cancelled')
            expect(!!booking.bookingJourney.arrived).toBe(intent.status === 'arrived')
            expect(!!booking.bookingJourney.dna).toBe(intent.status === 'noshow')
          }
        } finally {
          await sim.control.setOffline(false)
          sim.control.clearFaults()
          await rt.close()
        }
      }),
      { numRuns: 25, seed: 20261121, endOnFailure: true },
    )
  }, 240_000)
})
