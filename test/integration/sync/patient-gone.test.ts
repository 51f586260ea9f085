/**
 * A patient the clinic system no longer has (deleted there, or merged into another record) leaves
 * patient search once whole passes of the patient list have missed it, and comes back if the list
 * holds it again; its appointments still show it. Only a pass read whole counts: one with a page
 * that failed, one the app stopped part way, or one whose writer changed part way marks nobody,
 * nor does a list of nobody. A patient a queued change needs, or one registered here since the
 * pass began, is never taken away. Real simulators over real HTTP, the real encrypted file, the
 * background writer's own thread (the main thread's path for Semble's page numbers).
 */
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import type { PatientRow } from '../../../src/main/cache/cache-repo'
import { silentLogger, type Logger } from '../../../src/main/log/logger'
import { PATIENT_UPSERT_SQL, searchPatients } from '../../../src/main/search'
import { KeychainSecretStore } from '../../../src/main/secrets/secret-store'
import { BackgroundWriter } from '../../../src/main/store/background-writer'
import type { ConnectionsRepo } from '../../../src/main/store/connections-repo'
import { databaseKey, writeGate } from '../../../src/main/store/database'
import type { RefreshService, ConnectionRefresh, RefreshOptions } from '../../../src/main/sync/refresh'
import type { VendorAdapter } from '../../../src/main/vendors/types'
import { seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startHealthieSimulator } from '../../../src/sandbox/healthie'
import { startSembleSimulator, type SembleState } from '../../../src/sandbox/semble'
import type { ActionResult } from '../../../src/shared/contract'
import type { Patient } from '../../../src/shared/model'
import type { Result } from '../../../src/shared/result'
import { testClock } from '../../support/clock'
import { tempDir, testKeychainService } from '../../support/temp'
import { until } from '../../support/until'
import { ownRefresh } from '../../support/refresh'

type HealthieState = Awaited<ReturnType<typeof startHealthieSimulator>>['control']['state']

const ZONE = 'Europe/London'
const TODAY = '2026-03-30'
const HOUR = 3600_000
const clock = testClock()
const service = testKeychainService('patient-gone')

let rt: Runtime
let cleanup: () => void
let file: string
let writerKey: string
let writer: BackgroundWriter
const closers: (() => Promise<void>)[] = []
const warnings: string[] = []
const log: Logger = { ...silentLogger, warn: (msg: string) => void warnings.push(msg) }

interface Clinic<S> {
  connectionId: string
  sim: SimulatorHandle<S>
}

/** The simulator as a connection of the runtime, with its credentials in the keychain. */
async function connect<S>(
  name: string,
  vendor: 'healthie' | 'semble',
  sim: SimulatorHandle<S>,
  options: Record<string, string>,
  credentials: Record<string, string>,
): Promise<Clinic<S>> {
  closers.push(() => sim.close())
  const connectionId = `gone-${name}`
  rt.connections.upsert({
    id: connectionId,
    vendor,
    label: `Gone ${name}`,
    baseUrl: `${sim.url}/graphql`,
    timeZone: ZONE,
    locale: 'en-GB',
    options,
    demo: false,
  })
  await rt.credentials.set(connectionId, credentials)
  return { connectionId, sim }
}

const seeded = (patients: number) => seedClinic({ patients, seed: 31, timeZone: ZONE, today: clock.now() })

/** A Healthie clinic (its list read 50 patients a page, by cursor), one connection. */
async function healthie(name: string, patients = 120): Promise<Clinic<HealthieState>> {
  const sim = await startHealthieSimulator(seeded(patients), { rateLimitPerMinute: 600_000, clock })
  return connect(name, 'healthie', sim, { rateLimitPerMinute: '600000' }, { apiKey: sim.credentials.apiKey! })
}

/** A Semble clinic: its list is read by page number. */
async function semble(name: string, patients: number): Promise<Clinic<SembleState>> {
  const sim = await startSembleSimulator(seeded(patients), { rateLimitPerMinute: 60_000, clock })
  return connect(
    name,
    'semble',
    sim,
    { nhsNumberTypeId: sim.credentials.nhsNumberTypeId!, rateLimitPerMinute: '60000' },
    { apiToken: sim.credentials.apiToken! },
  )
}

/** A refresh service of its own (so its own pass, from the list's first page), writing through the worker. */
const refreshFor = (
  opts: RefreshOptions = {},
  adapterFor = (id: string) => rt.adapters.get(id),
  connections: ConnectionsRepo = rt.connections,
) =>
  ownRefresh(
    rt,
    { now: () => clock.now(), patientPagesPerRun: 100, windowDays: 1, writer, ...opts },
    { adapterFor, connections, log },
  )

const refreshed = async (refresh: RefreshService, c: Clinic<unknown>): Promise<ConnectionRefresh> =>
  (await refresh.refreshNow(c.connectionId)).connections[0]!

/** One refresh reading the whole list, a pass of its own. */
async function wholePass(c: Clinic<unknown>, opts: RefreshOptions = {}) {
  const r = await refreshed(refreshFor(opts), c)
  expect(r).toMatchObject({ outcome: 'refreshed', errors: [], patientListComplete: true })
  return r
}

const patientRow = (id: string) => rt.db.prepare(`SELECT * FROM patients WHERE id = ?`).get(id) as PatientRow
const byRef = (c: Clinic<unknown>, ref: string) => rt.cache.patientByRef(c.connectionId, ref)!
const patientsOf = (c: Clinic<unknown>) =>
  rt.db
    .prepare(`SELECT * FROM patients WHERE connection_id = ? ORDER BY family_name, given_name`)
    .all(c.connectionId) as PatientRow[]

/** Whole passes in a row that missed the patient, and whether search leaves it out. */
function marks(id: string) {
  const row = patientRow(id) as PatientRow & { missed_passes?: number; gone_at?: string | null }
  return { missed: row.missed_passes, gone: row.gone_at != null }
}

/** The ways a receptionist looks a patient up: surname, names, surname and date of birth, numbers. */
function asks(p: PatientRow): string[] {
  const [y, m, d] = p.birth_date.split('-')
  return [
    p.family_name,
    `${p.given_name} ${p.family_name}`,
    `${p.family_name.slice(0, 2)} ${p.given_name} ${p.family_name}`,
    `${p.family_name} ${d}/${m}/${y}`,
    ...(p.nhs_number ? [p.nhs_number] : []),
    ...(p.phone ? [p.phone] : []),
  ]
}

/** Which of those find this patient. */
function finds(p: PatientRow): string[] {
  return asks(p).filter((text) =>
    searchPatients(rt.db, { text, today: TODAY, connectionIds: [p.connection_id], limit: 500 }).results.some(
      (h) => h.id === p.id,
    ),
  )
}

/** Patients with a name, date of birth and numbers of their own among the connection's, so a search finds few. */
function distinct(c: Clinic<unknown>, n: number): PatientRow[] {
  const all = patientsOf(c)
  const count = (f: (p: PatientRow) => string) => {
    const m = new Map<string, number>()
    for (const p of all) m.set(f(p), (m.get(f(p)) ?? 0) + 1)
    return m
  }
  const families = count((p) => p.family_name)
  const out = all.filter((p) => families.get(p.family_name) === 1 && p.ref)
  expect(out.length).toBeGreaterThanOrEqual(n)
  return out.slice(0, n)
}

/** No pass failed to mark (a pass cut short does not even try). */
const neverFailedToMark = () =>
  expect(warnings.filter((w) => w.startsWith('refresh: could not mark'))).toEqual([])

/** In Healthie, deleting a client archives them: the list leaves them out. */
const archive = (c: Clinic<HealthieState>, p: PatientRow, active = false) => {
  c.sim.control.state.users.get(p.ref!)!.active = active
}

const ok = async <T>(r: Promise<Result<T>>): Promise<T> => {
  const answer = await r
  if (!answer.ok) throw new Error(answer.error.message)
  return answer.value
}

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  rt = await createRuntime({
    shell: 'browser',
    version: 'patient-gone-test',
    dataDir: t.dir,
    profile: 'clinic',
    log: silentLogger,
    keychainService: service,
    sync: { random: () => 0.01, probeEveryMs: HOUR },
    startSync: false,
    backgroundRefresh: false,
    clock,
  })
  // These tests are about the copy, not the confirmations: answer at once.
  rt.appointments.firstAttemptMs = 10
  rt.patients.firstAttemptMs = 10
  file = join(t.dir, 'clinic.db')
  writerKey = await databaseKey(new KeychainSecretStore(service), 'clinic', file)
  writer = new BackgroundWriter({ file, key: writerKey, sql: PATIENT_UPSERT_SQL, gate: writeGate(rt.db) })
}, 60_000)

afterAll(async () => {
  await writer?.close()
  await rt?.close()
  await Promise.all(closers.map((c) => c()))
  cleanup?.()
})

describe('a patient the clinic system no longer lists', () => {
  it('leaves search after two whole passes miss it, its appointments still show it, and a pass after that writes nothing', async () => {
    const c = await healthie('deleted')
    await wholePass(c)
    // A patient with an appointment in the copy, and a name of their own.
    const appointment = rt.db
      .prepare(
        `SELECT a.id, a.start, a.patient_id FROM appointments a JOIN patients p ON p.id = a.patient_id
         WHERE a.connection_id = ? AND p.family_name NOT IN
           (SELECT family_name FROM patients WHERE connection_id = a.connection_id GROUP BY family_name HAVING count(*) > 1)
         ORDER BY a.start LIMIT 1`,
      )
      .get(c.connectionId) as { id: string; start: string; patient_id: string }
    const p = patientRow(appointment.patient_id)
    const [other] = distinct(c, 2).filter((o) => o.id !== p.id)
    expect(finds(p)).toEqual(asks(p))

    archive(c, p)
    const first = await wholePass(c)
    // One pass is not enough: a list read by page number can skip a patient (see the Semble test).
    expect(finds(p)).toEqual(asks(p))
    const missedOnce = marks(p.id)

    const second = await wholePass(c)
    expect(finds(p)).toEqual([])
    expect(first).toMatchObject({ patientsMissing: 1, patientsGone: 0 })
    expect(missedOnce).toEqual({ missed: 1, gone: false })
    expect(second).toMatchObject({ patientsMissing: 1, patientsGone: 1 })
    expect(marks(p.id)).toEqual({ missed: 2, gone: true })
    // Everyone else is still found, and the gone patient's row and appointment are kept.
    expect(finds(other!)).toEqual(asks(other!))
    expect(marks(other!.id)).toEqual({ missed: 0, gone: false })
    expect(rt.patients.get(p.id)).toMatchObject({ id: p.id, familyName: p.family_name })
    const after = new Date(Date.parse(appointment.start) + 1).toISOString()
    expect(rt.cache.appointmentsStarting(c.connectionId, appointment.start, after)).toContainEqual(
      expect.objectContaining({ id: appointment.id, patient_id: p.id, p_family: p.family_name }),
    )
    expect(rt.patients.appointments(p.id).map((a) => a.id)).toContain(appointment.id)
    // A new booking for the record is refused, saying why (its appointments can still be changed).
    const held = rt.cache.appointmentRow(appointment.id)!
    const start = new Date(clock.now().getTime() + 26 * 3600_000).toISOString()
    const booking = await rt.dispatch('appointments.book', {
      connectionId: c.connectionId,
      patientId: p.id,
      appointmentTypeRef: held.appointment_type_ref ?? 'any',
      ...(held.practitioner_ref ? { practitionerRef: held.practitioner_ref } : {}),
      start,
      end: new Date(Date.parse(start) + 15 * 60_000).toISOString(),
    })
    expect(booking).toMatchObject({ ok: false, error: { code: 'conflict', field: 'patientId' } })
    if (!booking.ok)
      expect(booking.error.message).toBe(
        `${p.given_name} ${p.family_name} is no longer in Gone deleted's patient list (deleted or merged there): find the patient again, or look them up in Gone deleted.`,
      )

    // A gone patient is not marked again: a pass over the same list commits nothing from the
    // writer's thread (the main connection keeps its page cache).
    const version = rt.db.pragma('data_version', { simple: true }) as number
    const third = await wholePass(c)
    expect(third).toMatchObject({ patientsMissing: 0, patientsGone: 0 })
    expect(rt.db.pragma('data_version', { simple: true })).toBe(version)
    expect(marks(p.id)).toEqual({ missed: 2, gone: true })
    expect(warnings).toEqual([])
  }, 120_000)

  it('is offered again once the list holds it again; while gone its card says since when, and registering the same person again warns of no duplicate', async () => {
    const c = await healthie('back')
    await wholePass(c)
    const [p] = distinct(c, 1)
    const asNew = { givenName: p!.given_name, familyName: p!.family_name, birthDate: p!.birth_date }
    expect(rt.patients.likelyDuplicates(c.connectionId, asNew).map((d) => d.id)).toContain(p!.id)
    archive(c, p!)
    const passBegan = clock.now().toISOString()
    const gone = await wholePass(c, { passesBeforeGone: 1 })
    expect(finds(p!)).toEqual([])
    expect(gone).toMatchObject({ patientsMissing: 1, patientsGone: 1 })
    // When the pass that found them gone ended.
    const goneAt = rt.patients.get(p!.id).goneAt!
    expect(goneAt >= passBegan && goneAt <= clock.now().toISOString(), goneAt).toBe(true)
    // The record is no longer in the clinic system: a new registration is no duplicate of it.
    expect(rt.patients.likelyDuplicates(c.connectionId, asNew).map((d) => d.id)).not.toContain(p!.id)

    archive(c, p!, true)
    expect(await wholePass(c, { passesBeforeGone: 1 })).toMatchObject({ patientsMissing: 0, patientsGone: 0 })
    expect(marks(p!.id)).toEqual({ missed: 0, gone: false })
    expect(finds(p!)).toEqual(asks(p!))
    expect(rt.patients.get(p!.id).goneAt).toBeUndefined()
    expect(rt.patients.likelyDuplicates(c.connectionId, asNew).map((d) => d.id)).toContain(p!.id)
  }, 120_000)

  it('is marked at the end of a pass read over several refreshes, never by a refresh that read part of the list, nor when registered here since the pass began', async () => {
    const c = await healthie('paged')
    await wholePass(c)
    const [p] = distinct(c, 1)
    archive(c, p!)
    // One page a refresh: the list's 120 patients are three pages.
    const paged = refreshFor({ patientPagesPerRun: 1, passesBeforeGone: 1 })
    expect(await refreshed(paged, c)).toMatchObject({ outcome: 'refreshed', patientListComplete: false })
    expect(marks(p!.id)).toEqual({ missed: 0, gone: false })

    // Registered at the desk after the pass began, and sent; the clinic system's list leaves it
    // out of this pass (it landed on a page already read, or is archived there at once).
    const registered = await ok(
      rt.dispatch('patients.create', {
        connectionId: c.connectionId,
        patient: { givenName: 'Nerys', familyName: 'Quillfeather', birthDate: '1990-05-05' },
      }) as Promise<Result<{ patient: Patient }>>,
    )
    const id = registered.patient.id!
    await until('the registration is sent', () => !!patientRow(id).ref)
    const fresh = patientRow(id)
    archive(c, fresh)

    expect(await refreshed(paged, c)).toMatchObject({ outcome: 'refreshed', patientListComplete: false })
    expect(marks(p!.id)).toEqual({ missed: 0, gone: false })
    const end = await refreshed(paged, c)
    expect(end).toMatchObject({ outcome: 'refreshed', patientListComplete: true, patientsMissing: 1 })
    expect(marks(p!.id)).toEqual({ missed: 1, gone: true })
    expect(finds(p!)).toEqual([])
    expect(marks(id)).toEqual({ missed: 0, gone: false })
    expect(finds(fresh)).toEqual(asks(fresh))

    // The next pass began after it was written: now its absence counts.
    await wholePass(c, { passesBeforeGone: 1 })
    expect(marks(id)).toEqual({ missed: 1, gone: true })
  }, 120_000)
})

describe('a pass cut short marks nobody', () => {
  it('when a page of it failed, though the next refresh reads on to the end', async () => {
    // Written on the main thread, which keeps the pass's vendor ids itself.
    const c = await healthie('page-failed')
    await wholePass(c)
    const [p] = distinct(c, 1)
    archive(c, p!)
    let pages = 0
    const adapterFor = (id: string) => {
      const real = rt.adapters.get(id)
      return Object.assign(Object.create(real) as VendorAdapter, {
        listPatients: async (q: { cursor?: string }) => {
          const page = await real.listPatients!(q)
          // The clinic system starts failing once the first page is in.
          if (++pages === 1)
            c.sim.control.inject({ kind: 'status', status: 503, count: 1000, scope: 'reads' })
          return page
        },
      })
    }
    const refresh = refreshFor({ writer: undefined, passesBeforeGone: 1 }, adapterFor)
    expect(await refreshed(refresh, c)).toMatchObject({ outcome: 'failed', patientListComplete: null })
    c.sim.control.clearFaults()
    const rest = await refreshed(refresh, c)
    expect(rest).toMatchObject({ outcome: 'refreshed', patientListComplete: true, patientsMissing: 0 })
    expect(pages).toBe(3)
    neverFailedToMark()
    expect(marks(p!.id)).toEqual({ missed: 0, gone: false })
    expect(finds(p!)).toEqual(asks(p!))

    // A whole pass after it does.
    expect(await wholePass(c, { passesBeforeGone: 1 })).toMatchObject({ patientsMissing: 1, patientsGone: 1 })
    expect(finds(p!)).toEqual([])
  }, 120_000)

  it('when the app stopped part way, though it reads on to the end once started again', async () => {
    const c = await healthie('stopped')
    await wholePass(c)
    const [p] = distinct(c, 1)
    archive(c, p!)
    // A service refreshing this connection only, when started; one page a refresh.
    const only = Object.assign(Object.create(rt.connections) as ConnectionsRepo, {
      list: () => [rt.connections.get(c.connectionId)],
    })
    const refresh = refreshFor({ patientPagesPerRun: 1, passesBeforeGone: 1 }, undefined, only)
    expect(await refreshed(refresh, c)).toMatchObject({ outcome: 'refreshed', patientListComplete: false })
    await refresh.stop()
    // Started again (the app opened again in the same session): it goes on from the second page.
    refresh.start()
    try {
      expect(await refreshed(refresh, c)).toMatchObject({ outcome: 'refreshed', patientListComplete: false })
      const end = await refreshed(refresh, c)
      expect(end).toMatchObject({ outcome: 'refreshed', patientListComplete: true, patientsMissing: 0 })
    } finally {
      await refresh.stop()
    }
    neverFailedToMark()
    expect(marks(p!.id)).toEqual({ missed: 0, gone: false })
    expect(finds(p!)).toEqual(asks(p!))
    expect(await wholePass(c, { passesBeforeGone: 1 })).toMatchObject({ patientsMissing: 1, patientsGone: 1 })
  }, 120_000)

  it('when its writer ended part way and the main thread wrote the rest', async () => {
    const c = await healthie('writer-ended')
    await wholePass(c)
    const [p] = distinct(c, 1)
    archive(c, p!)
    const own = new BackgroundWriter({
      file,
      key: writerKey,
      sql: PATIENT_UPSERT_SQL,
      gate: writeGate(rt.db),
    })
    closers.push(() => own.close())
    await own.write([])
    let pages = 0
    const adapterFor = (id: string) => {
      const real = rt.adapters.get(id)
      return Object.assign(Object.create(real) as VendorAdapter, {
        listPatients: async (q: { cursor?: string }) => {
          const page = await real.listPatients!(q)
          if (++pages === 3) await (own as unknown as { worker: Worker }).worker.terminate()
          return page
        },
      })
    }
    const r = await refreshed(refreshFor({ writer: own, passesBeforeGone: 1 }, adapterFor), c)
    expect(r).toMatchObject({ outcome: 'refreshed', patientListComplete: true, patientsMissing: 0 })
    expect(own.failed?.message).toMatch(/ended unexpectedly/)
    neverFailedToMark()
    expect(marks(p!.id)).toEqual({ missed: 0, gone: false })
    // Every patient the list holds is in the copy and found, whichever way the pages were written.
    for (const q of distinct(c, 5).filter((q) => q.id !== p!.id)) expect(finds(q)).toEqual(asks(q))
    expect(await wholePass(c, { passesBeforeGone: 1 })).toMatchObject({ patientsMissing: 1, patientsGone: 1 })
  }, 120_000)

  it('when the clinic system lists nobody at all', async () => {
    const c = await healthie('listed-nobody', 30)
    await wholePass(c)
    const all = patientsOf(c)
    for (const p of all) archive(c, p)
    for (let i = 0; i < 2; i++)
      expect(await wholePass(c, { passesBeforeGone: 1 })).toMatchObject({
        patientsListed: 0,
        patientsMissing: 0,
        patientsGone: 0,
      })
    expect(all.map((p) => marks(p.id))).toEqual(all.map(() => ({ missed: 0, gone: false })))
    for (const p of distinct(c, 3)) expect(finds(p)).toEqual(asks(p))
  }, 120_000)
})

describe('a queued change keeps its patient', () => {
  it('whether it edits them, books them, changes their appointment, or registers them and is not sent yet', async () => {
    const c = await healthie('queued')
    await wholePass(c)
    const adapter = rt.adapters.get(c.connectionId)
    // Hold the sender: every change below stays queued.
    await rt.sync.worker(c.connectionId).stop()

    const future = rt.db
      .prepare(
        `SELECT id, patient_id FROM appointments WHERE connection_id = ? AND status = 'booked' AND start > ?
           AND patient_id IS NOT NULL ORDER BY start`,
      )
      .all(c.connectionId, new Date(clock.now().getTime() + HOUR).toISOString()) as {
      id: string
      patient_id: string
    }[]
    const cancelled = future[0]!
    const withCancel = patientRow(cancelled.patient_id)
    const [edited, booked, untouched] = distinct(c, 4).filter((p) => p.id !== withCancel.id)

    await ok(rt.dispatch('patients.update', { patientId: edited!.id, changes: { phone: '07700 900123' } }))
    await ok(rt.dispatch('appointments.cancel', { appointmentId: cancelled.id, reason: 'Unwell' }))
    const types = await adapter.listAppointmentTypes!()
    const type = types.find((t) => t.lengthMinutes <= 30)!
    const from = new Date(clock.now().getTime() + 3 * 24 * HOUR).toISOString()
    const to = new Date(clock.now().getTime() + 6 * 24 * HOUR).toISOString()
    let slot
    for (const pr of await adapter.listPractitioners!()) {
      ;[slot] = await adapter.findSlots!({ from, to, appointmentTypeRef: type.ref, practitionerRef: pr.ref })
      if (slot) break
    }
    await ok(
      rt.dispatch('appointments.book', {
        connectionId: c.connectionId,
        patientId: booked!.id,
        appointmentTypeRef: type.ref,
        practitionerRef: slot!.practitionerRef!,
        ...(slot!.locationRef ? { locationRef: slot!.locationRef } : {}),
        start: slot!.start,
        end: slot!.end,
      }) as Promise<Result<ActionResult>>,
    )
    const offline = await ok(
      rt.dispatch('patients.create', {
        connectionId: c.connectionId,
        patient: { givenName: 'Ottoline', familyName: 'Vantongeren', birthDate: '1962-11-03' },
      }) as Promise<Result<{ patient: Patient }>>,
    )
    expect(rt.outbox.counts(c.connectionId).pending).toBe(4)

    // The clinic system no longer lists any of them.
    for (const p of [edited!, booked!, withCancel, untouched!]) archive(c, p)
    for (let i = 0; i < 2; i++)
      expect(await wholePass(c, { passesBeforeGone: 1 })).toMatchObject({
        patientsMissing: i === 0 ? 1 : 0,
        patientsGone: i === 0 ? 1 : 0,
      })

    expect(marks(untouched!.id)).toEqual({ missed: 1, gone: true })
    expect(finds(untouched!)).toEqual([])
    for (const p of [edited!, booked!, withCancel]) {
      expect(marks(p.id), `${p.given_name} ${p.family_name}`).toEqual({ missed: 0, gone: false })
      const now = patientRow(p.id)
      expect(finds(now), `${p.given_name} ${p.family_name}`).toEqual(asks(now))
    }
    const registered = patientRow(offline.patient.id!)
    expect(registered.ref).toBeNull()
    expect(marks(registered.id)).toEqual({ missed: 0, gone: false })
    expect(finds(registered)).toEqual(asks(registered))
    expect(rt.outbox.counts(c.connectionId).pending).toBe(4)
  }, 120_000)
})

describe('a list read by page number', () => {
  it('does not take away the patient a deletion on a page already read moved past the pass', async () => {
    // Semble's pages by number, 100 patients a page: two pages. Written on the main thread (no
    // writer); only today's appointments, as Frontdesk holds itself to 120 Semble requests a minute.
    const c = await semble('page-numbers', 120)
    const opts: RefreshOptions = { writer: undefined, windowDays: 0 }
    await wholePass(c, opts)
    const listed = [...c.sim.control.state.patients.values()].filter((p) => !p.deleted)
    expect(listed.length).toBe(120)
    const deleted = byRef(c, listed[0]!.id)
    const skipped = byRef(c, listed[100]!.id)

    const paged = refreshFor({ ...opts, patientPagesPerRun: 1 })
    expect(await refreshed(paged, c)).toMatchObject({ outcome: 'refreshed', patientListComplete: false })
    // Deleted in Semble while the pass is between its pages: every later patient moves up one
    // place, and the first of the second page is now the last of the first, already read.
    c.sim.control.state.patients.get(deleted.ref!)!.deleted = true
    const end = await refreshed(paged, c)
    expect(end).toMatchObject({ outcome: 'refreshed', patientListComplete: true, patientsMissing: 1 })
    expect(marks(skipped.id)).toEqual({ missed: 1, gone: false })
    expect(marks(deleted.id)).toEqual({ missed: 0, gone: false })
    expect(finds(skipped)).toEqual(asks(skipped))

    // The next pass lists it again; the deleted one is missed twice in a row and leaves search.
    expect(await wholePass(c, opts)).toMatchObject({ patientsMissing: 1, patientsGone: 0 })
    expect(marks(skipped.id)).toEqual({ missed: 0, gone: false })
    expect(await wholePass(c, opts)).toMatchObject({ patientsMissing: 1, patientsGone: 1 })
    expect(finds(deleted)).toEqual([])
    expect(finds(skipped)).toEqual(asks(skipped))
  }, 120_000)
})
