/**
 * Durable enqueue latency (a receptionist's booking, committed to the encrypted file with
 * synchronous=FULL before the UI returns) and drain throughput against the Semble simulator at
 * its 120 requests/minute limit. Prints two JSON lines. BENCH_DRAIN_WRITES sets the drain size
 * (default 1000: about nine minutes at 120/min).
 */
import { benchClock, benchSembleClinic, percentile, round } from './_support'

const ENQUEUES = Number(process.env.BENCH_ENQUEUES ?? 2000)
const DRAIN = Number(process.env.BENCH_DRAIN_WRITES ?? 1000)
const {
  connectionId: CONNECTION,
  sim,
  rt,
  done,
  adapter,
} = await benchSembleClinic({ patients: 200, seed: 3 })
const [types, locations, patients] = await Promise.all([
  adapter.listAppointmentTypes!(),
  adapter.listLocations!(),
  adapter.findPatients!({ text: '', limit: 100 }),
])
const patientIds = patients.map((p) => rt.cache.upsertPatient(p))
const type = types.find((t) => t.lengthMinutes <= 15) ?? types[0]!

// Real free slots (the seeded fortnight's bookings and working hours respected), one booking each.
const wanted = Math.max(ENQUEUES, DRAIN)
const from = new Date(benchClock.now().getTime() + 8 * 24 * 3600_000)
const free = await adapter.findSlots!({
  from: from.toISOString(),
  to: new Date(from.getTime() + 21 * 24 * 3600_000).toISOString(),
  appointmentTypeRef: type.ref,
  locationRef: locations[0]!.ref,
})
const taken = new Set<string>()
const slots = free.filter((s) => {
  const key = `${s.practitionerRef}|${s.start}`
  return taken.has(key) ? false : (taken.add(key), true)
})
if (slots.length < wanted) throw new Error(`only ${slots.length} free slots for ${wanted} bookings`)

// Hold the sender back while we measure enqueue alone: the vendor is "offline" for now.
await sim.control.setOffline(true)
const latencies: number[] = []
for (let i = 0; i < wanted; i++) {
  const slot = slots[i]!
  const t0 = performance.now()
  const r = await rt.dispatch('appointments.book', {
    connectionId: CONNECTION,
    patientId: patientIds[i % patientIds.length]!,
    appointmentTypeRef: type.ref,
    practitionerRef: slot.practitionerRef!,
    locationRef: locations[0]!.ref,
    start: slot.start,
    end: slot.end,
  })
  latencies.push(performance.now() - t0)
  if (!r.ok) throw new Error(r.error.message)
}
latencies.sort((a, b) => a - b)
console.log(
  JSON.stringify({
    bench: 'enqueue',
    writes: latencies.length,
    durable: 'synchronous=FULL, WAL, encrypted',
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    p99_ms: round(percentile(latencies, 99)),
  }),
)

// Keep only DRAIN rows waiting, then let the vendor back and time the drain.
rt.db
  .prepare(`UPDATE outbox SET state = 'discarded' WHERE seq > (SELECT min(seq) + ? - 1 FROM outbox)`)
  .run(DRAIN)
await sim.control.setOffline(false)
const requestsBefore = sim.control.requestCount()
const t0 = Date.now()
await rt.sync.probe(CONNECTION)
while (rt.outbox.counts(CONNECTION).pending > 0) {
  await rt.sync.drain(CONNECTION)
  await new Promise((r) => setTimeout(r, 100))
}
const minutes = (Date.now() - t0) / 60_000
const requests = sim.control.requestCount() - requestsBefore
console.log(
  JSON.stringify({
    bench: 'drain',
    writes: DRAIN,
    vendor_limit_per_min: 120,
    minutes: round(minutes),
    requests_per_min: round(requests / minutes),
    share_of_limit: round(requests / minutes / 120),
    rate_limited_429s: sim.control.rateLimitedCount(),
    needs_attention: rt.outbox.counts(CONNECTION).needsAttention,
  }),
)
await done()
await sim.close()
