/**
 * Free slots as fast as search, against the Semble simulator at its 120 requests/minute limit with
 * BENCH_LATENCY_MS (default 250) added to every request. The background fill warms Frontdesk's
 * copy, then each round other users of Semble take two of the times on offer, a finder asks for a
 * type (`slots.find` with a request id, as the booking dialog does) and books the first slot it was
 * shown, before the confirmation could drop it. Measured in the main process (the page adds one
 * local round trip). Prints one JSON line:
 * - firstMs p50/p95: choosing the type to the first slots (from the copy);
 * - confirmedMs p50/p95: until the clinic system's answer replaced the list;
 * - removedShare: share of the slots shown that the confirmation removed;
 * - takenPicks: bookings made from the copy on a time already taken at Semble (one a round);
 * - refusedTaken: of those, how many the pre-send check turned away (needs attention, with
 *   alternatives): should equal takenPicks;
 * - bookedOnTaken: bookings that reached Semble on a time already taken (must be 0).
 * Then a second line, "slots-page": the same figures as the page sees them, timed inside Chromium
 * from choosing the type to the first slot tile and to the list checked with Semble
 * (`_slots-page.ts`).
 */
import { randomUUID } from 'node:crypto'
import type { MethodInput, MethodName, MethodOutput, SlotsConfirmed, SlotView } from '../src/shared/contract'
import type { Result } from '../src/shared/result'
import { lastRow } from '../test/support/kill-walk'
import { benchSembleClinic, percentile, round } from './_support'

const ROUNDS = Number(process.env.BENCH_SLOT_ROUNDS ?? 12)
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 250)
const {
  connectionId: CONNECTION,
  sim,
  rt,
  done,
  adapter,
} = await benchSembleClinic({ patients: 100, seed: 5 })
const patients = await adapter.findPatients!({ text: '', limit: 60 })
const patientIds = patients.map((p) => rt.cache.upsertPatient(p))

/** A typed call through the router, as the page makes it. */
const call = <M extends MethodName>(method: M, input: MethodInput<M>) =>
  rt.dispatch(method, input) as Promise<Result<MethodOutput<M>>>

sim.control.inject({ kind: 'latency', ms: LATENCY })
const f0 = performance.now()
const requests0 = sim.control.requestCount()
await rt.refresh.refreshNow(CONNECTION)
const fillMs = performance.now() - f0
const fillRequests = sim.control.requestCount() - requests0
rt.sync.start()

const ref = await call('reference.get', { connectionId: CONNECTION })
if (!ref.ok) throw new Error(ref.error.message)
const types = ref.value.appointmentTypes.filter((t) => t.lengthMinutes <= 30)

const confirmations = new Map<string, SlotsConfirmed>()
rt.bus.onAny((name, payload) => {
  if (name === 'slotsConfirmed')
    confirmations.set((payload as SlotsConfirmed).requestId, payload as SlotsConfirmed)
})
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 10))
}

const first: number[] = []
const confirmed: number[] = []
let shownTotal = 0
let removedTotal = 0
const ours: string[] = []
for (let i = 0; i < ROUNDS; i++) {
  const type = types[i % types.length]!
  const query = { connectionId: CONNECTION, appointmentTypeRef: type.ref, days: 7, limit: 40 }
  // Other users take two of the times the copy offers (a few minutes' worth of bookings).
  await call('slots.find', { ...query, requestId: `peek-${i}` })
  await until(() => confirmations.has(`peek-${i}`))
  const before = confirmations.get(`peek-${i}`)!.slots
  for (const s of [before[1], before[5]].filter((x): x is SlotView => !!x)) {
    await adapter.book!({
      clientRef: randomUUID(),
      patientRef: patients[(i * 2) % patients.length]!.ref!,
      appointmentTypeRef: type.ref,
      practitionerRef: s.practitionerRef!,
      locationRef: s.locationRef!,
      start: s.start,
      end: s.end,
    })
  }
  const requestId = `round-${i}`
  const t0 = performance.now()
  const r = await call('slots.find', { ...query, requestId })
  first.push(performance.now() - t0)
  if (!r.ok) throw new Error(r.error.message)
  // The receptionist picks a time taken meanwhile, before the list is checked: the booking check
  // at sending must refuse it.
  const pick = r.value.find(
    (s) => s.start === before[1]?.start && s.practitionerRef === before[1]?.practitionerRef,
  )
  if (pick) {
    const b = await call('appointments.book', {
      connectionId: CONNECTION,
      patientId: patientIds[(i * 2 + 1) % patientIds.length]!,
      appointmentTypeRef: type.ref,
      practitionerRef: pick.practitionerRef!,
      ...(pick.locationRef ? { locationRef: pick.locationRef } : {}),
      start: pick.start,
      end: pick.end,
      confirmOverlap: true,
    })
    if (!b.ok) throw new Error(`booking a taken time: ${b.error.message}`)
    // The booking's client reference, which marks it at Semble, is on the row just queued.
    ours.push(lastRow(rt).client_ref)
  }
  await until(() => confirmations.has(requestId))
  confirmed.push(performance.now() - t0)
  shownTotal += r.value.length
  removedTotal += confirmations.get(requestId)!.removed
}

// Let every booking we made be sent or refused, then count bookings at Semble that overlap
// another booking of the same clinician.
await until(() => rt.outbox.counts(CONNECTION).pending === 0)
const live = [...sim.control.state.bookings.values()].filter((b) => !b.deleted)
let bookedOnTaken = 0
for (const a of live) {
  if (!ours.some((ref) => (a.comments ?? '').includes(ref))) continue
  if (
    live.some(
      (b) =>
        b !== a &&
        b.doctorId === a.doctorId &&
        Date.parse(b.start) < Date.parse(a.end) &&
        Date.parse(b.end) > Date.parse(a.start),
    )
  )
    bookedOnTaken++
}
// The booking check's verdicts: each pick on a taken time should be waiting for a person.
const refusedTaken = rt.outbox.counts(CONNECTION).needsAttention
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
console.log(
  JSON.stringify({
    bench: 'slots',
    vendor: 'semble',
    latencyMs: LATENCY,
    rateLimitPerMinute: 120,
    rounds: ROUNDS,
    fillMs: round(fillMs),
    fillRequests,
    firstMs: { p50: round(percentile(sorted(first), 50)), p95: round(percentile(sorted(first), 95)) },
    confirmedMs: {
      p50: round(percentile(sorted(confirmed), 50)),
      p95: round(percentile(sorted(confirmed), 95)),
    },
    removedShare: round(shownTotal ? removedTotal / shownTotal : 0),
    takenPicks: ours.length,
    refusedTaken,
    bookedOnTaken,
  }),
)
await done()
await sim.close()
// The same, as the receptionist sees it: in the browser, on a fresh clinic.
await import('./_slots-page')
