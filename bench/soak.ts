/**
 * Soak: the kill-point test at length, over all four vendors. Each vendor's clinic queues writes
 * (patient registrations and corrected phones where the vendor takes them, and bookings), and a real Frontdesk process
 * sending them is SIGKILLed at one planned point of each row's send, the points taken in turn:
 * before the request leaves, after the vendor applied the write (answer held), after the answer
 * but before `done`. 500 kills in all (SOAK_KILLS overrides), spread evenly over the vendors. After
 * a last clean run per vendor, every write must be at the vendor exactly once. Prints one JSON line
 * per vendor and a total, with the lost and duplicated counts (both 0).
 */
import type { Runtime } from '../src/main/app/runtime'
import type { HeroState } from '../src/sandbox/hero'
import type { Vendor } from '../src/shared/model'
import { KILL_POINTS } from '../test/support/kill-plan'
import { finishQueue, killAt, lastRow, quietRuntime, type KillAt } from '../test/support/kill-walk'
import { bookingAt, VENDORS, vendorClinic, type VendorClinic } from '../test/support/vendor-clinic'
import { distinctBirthDate, tally, type IntendedWrite } from '../test/support/vendor-writes'

const KILLS = Number(process.env.SOAK_KILLS ?? 500)
/** SOAK_VENDORS=hero,heim runs only those (the kills are spread over them). */
const vendors = process.env.SOAK_VENDORS
  ? VENDORS.filter((v) => process.env.SOAK_VENDORS!.split(',').includes(v))
  : VENDORS

/** A name of letters only (vendors refuse digits in names): 0 → "Aa", 1 → "Ab"… */
const letters = (i: number) =>
  String.fromCharCode(65 + (Math.floor(i / 676) % 26), 97 + (Math.floor(i / 26) % 26), 97 + (i % 26))

async function ok(rt: Runtime, method: string, input: unknown) {
  const r = await rt.dispatch(method, input)
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
}

/** Queues `n` writes, registrations, corrections and bookings in turn, and what ties each to the vendor's record. */
async function queue(c: VendorClinic, rt: Runtime, n: number) {
  const rows: {
    seq: number
    write: IntendedWrite
    start?: string
    patientId?: string
    practitionerRef?: string
  }[] = []
  for (let i = 0; i < n; i++) {
    if (c.writes.includes('createPatient') && i % 3 === 0) {
      const familyName = `Soak${letters(i)}`
      await ok(rt, 'patients.create', {
        connectionId: c.connectionId,
        patient: {
          givenName: 'Pat',
          familyName,
          birthDate: distinctBirthDate(i),
          phone: '07700900123',
          email: `soak.${i}@example.org`,
        },
      })
      rows.push({ seq: lastRow(rt).seq, write: { kind: 'createPatient', marks: [familyName] } })
    } else if (c.writes.includes('updatePatient') && i % 3 === 1) {
      // A corrected phone, its own for each row (what ties it to its write at the vendor).
      // From the top half of Ofcom's drama range: the seeded patients hold the bottom of it, and a
      // number the patient already has would be no write at all (nothing to kill).
      const phone = `+447700${900500 + (i % 500)}`
      await ok(rt, 'patients.update', {
        patientId: c.patientIds[i % c.patientIds.length]!,
        changes: { phone },
      })
      rows.push({ seq: lastRow(rt).seq, write: { kind: 'updatePatient', marks: [phone] } })
    } else {
      const slot = c.laterSlots[i % c.laterSlots.length]!
      const patientId = c.patientIds[i % c.patientIds.length]!
      await ok(rt, 'appointments.book', bookingAt(c, slot, patientId))
      const row = lastRow(rt)
      rows.push({
        seq: row.seq,
        write: { kind: 'book', marks: [row.client_ref] },
        start: slot.start,
        patientId,
        ...(slot.practitionerRef ? { practitionerRef: slot.practitionerRef } : {}),
      })
    }
  }
  return rows
}

/**
 * Hero keeps no reference of ours: its confirmed bookings are counted per patient, practitioner and
 * start (a seeded patient may already hold another practitioner's appointment at that time).
 */
function heroTimes(c: VendorClinic, rt: Runtime, rows: Awaited<ReturnType<typeof queue>>) {
  const held = [...(c.sim.control.state as HeroState).appointments.values()].filter(
    (a) => a.booking_confirmed_at && !a.cancelledAt,
  )
  return rows.map(
    (r) =>
      held.filter(
        (a) =>
          a.patient_id === rt.cache.patientRow(r.patientId!)!.ref &&
          (!r.practitionerRef || a.practitioner_id === r.practitionerRef) &&
          Date.parse(a.start_time ?? '') === Date.parse(r.start!),
      ).length,
  )
}

const t0 = Date.now()
const totals = { kills: 0, writes: 0, lost: 0, duplicated: 0, unfinished: 0 }
for (const [index, vendor] of vendors.entries()) {
  const kills = Math.floor(KILLS / vendors.length) + (index < KILLS % vendors.length ? 1 : 0)
  const started = Date.now()
  // Three weeks of free times: Hero books every row, and no two bookings may share a time.
  const c = await vendorClinic(vendor as Vendor, 'soak', { laterDays: 21 })
  try {
    let rt = await quietRuntime(c)
    const rows = await queue(c, rt, kills)
    await rt.close()
    const points: KillAt[] = rows.map((r, i) => ({ seq: r.seq, point: KILL_POINTS[i % KILL_POINTS.length]! }))
    await killAt(c, points)
    const last = await finishQueue(c, 10 * 60_000)
    rt = await c.open({ startSync: false })
    const times =
      vendor === 'hero'
        ? heroTimes(c, rt, rows)
        : tally(
            vendor,
            c.sim.control.writes(),
            rows.map((r) => r.write),
          ).times
    const unfinished = rt.outbox.counts(c.connectionId)
    await rt.close()
    const figures = {
      kills,
      writes: rows.length,
      lost: times.filter((t) => t === 0).length,
      duplicated: times.filter((t) => t > 1).length,
      unfinished: unfinished.pending + unfinished.needsAttention,
    }
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += figures[k]
    console.log(
      JSON.stringify({
        bench: 'soak',
        vendor,
        ...figures,
        last_run_exit: last.code,
        minutes: Math.round(((Date.now() - started) / 60_000) * 100) / 100,
      }),
    )
  } finally {
    await c.close()
  }
}
console.log(
  JSON.stringify({
    bench: 'soak',
    vendor: 'all',
    ...totals,
    minutes: Math.round(((Date.now() - t0) / 60_000) * 100) / 100,
  }),
)
if (totals.lost || totals.duplicated || totals.unfinished) process.exitCode = 1
