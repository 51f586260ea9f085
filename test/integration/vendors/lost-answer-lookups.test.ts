/**
 * `findWrite` after a lost answer finds our own write and nobody else's: a new Semble patient past
 * the first page of a common surname, a Healthie booking at local midnight, and a Heim that does
 * not apply the reference filter. Against the vendor simulators over real HTTP.
 */
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, seedClinic, type SimulatorHandle } from '../../../src/sandbox'
import { startSembleSimulator, type SembleState } from '../../../src/sandbox/semble'
import { startHealthieSimulator } from '../../../src/sandbox/healthie'
import { startHeimSimulator, type HeimState } from '../../../src/sandbox'
import type { HttpClient } from '../../../src/main/vendors/http/client'
import { createAdapter } from '../../../src/main/vendors/registry'
import type { VendorAdapter } from '../../../src/main/vendors/types'
import type { Appointment, Patient } from '../../../src/shared/model'
import { clientOn, connectionFor, recordingLogger } from './support'

const ZONE = 'Europe/London'

describe('Semble findWrite for a patient whose answer was lost', () => {
  const clock = new ManualClock(new Date('2026-03-27T08:00:00.000Z'))
  let sim: SimulatorHandle<SembleState>
  let http: HttpClient
  let adapter: VendorAdapter
  const logged = recordingLogger()

  beforeAll(async () => {
    const clinic = seedClinic({ patients: 20, today: clock.now(), timeZone: ZONE })
    sim = await startSembleSimulator(clinic, { clock })
    http = clientOn(clock, {}, logged.log)
    const connection = connectionFor('semble', sim.url, {
      nhsNumberTypeId: sim.credentials.nhsNumberTypeId!,
    })
    adapter = createAdapter(connection, {
      http,
      readCredentials: async () => ({ apiToken: sim.credentials.apiToken! }),
      log: logged.log,
      now: () => clock.now(),
    })
  })

  afterAll(async () => {
    await sim.close()
    await http.close()
  })

  it('finds our own new patient when the practice already has more than a page of that surname', async () => {
    // A common surname: 150 Smiths already registered at the practice (Semble's search is free text
    // and answers a page at a time, { data, pageInfo { hasMore } }).
    const template = [...sim.control.state.patients.values()][0]!
    for (let i = 0; i < 150; i++) {
      const id = `smith${String(i).padStart(6, '0')}`
      sim.control.state.patients.set(id, {
        ...template,
        id,
        firstName: `Given${i}`,
        lastName: 'Smith',
        comments: null,
        phones: [],
        numbers: [],
      })
    }
    const clientRef = '00000000-0000-4000-8000-00000000c0de'
    // The create reached Semble; its answer was lost, so the outbox reconciles with findWrite.
    const created = await adapter.createPatient!({
      clientRef,
      givenName: 'Ada',
      familyName: 'Smith',
      birthDate: '1990-06-15',
    })
    const found = await adapter.findWrite!({
      kind: 'createPatient',
      clientRef,
      hint: { givenName: 'Ada', familyName: 'Smith', birthDate: '1990-06-15' },
    })
    // Today: null (only the first 100 Smiths are read), so the outbox sends createPatient again and
    // Semble holds the patient twice (no API deletes one).
    expect((found as Patient | null)?.ref).toBe(created.ref)
  })
})

describe('Healthie findWrite for a booking whose answer was lost', () => {
  const clock = new ManualClock(new Date('2026-03-27T08:00:00.000Z'))
  type HealthieState = Awaited<ReturnType<typeof startHealthieSimulator>>['control']['state']
  let sim: SimulatorHandle<HealthieState>
  let http: HttpClient
  let adapter: VendorAdapter
  const logged = recordingLogger()

  beforeAll(async () => {
    const clinic = seedClinic({ patients: 20, today: clock.now(), timeZone: ZONE })
    sim = await startHealthieSimulator(clinic, { clock })
    http = clientOn(clock, {}, logged.log)
    adapter = createAdapter(connectionFor('healthie', sim.url), {
      http,
      readCredentials: async () => ({ apiKey: sim.credentials.apiKey! }),
      log: logged.log,
      now: () => clock.now(),
    })
  })

  afterAll(async () => {
    await sim.close()
    await http.close()
  })

  it('finds our own booking that starts at local midnight', async () => {
    const state = sim.control.state
    const template = [...state.appointments.values()].find((a) => a.patientId && a.deleted_at === null)!
    const clientRef = '00000000-0000-4000-8000-0000000beef0'
    // An out-of-hours (e.g. video) appointment at 00:00 clinic time, carrying our metadata: the
    // createAppointment reached Healthie and its answer was lost.
    const start = DateTime.fromISO('2026-04-02T00:00:00', { zone: ZONE })
    const id = '990001'
    state.appointments.set(id, {
      ...template,
      id,
      startMs: start.toMillis(),
      length: 30,
      pm_status: null,
      metadata: JSON.stringify({ frontdeskRef: clientRef }),
      deleted_at: null,
    })
    // The appointment is there for that day's list…
    const day = await adapter.listAppointments!({
      from: start.toUTC().toISO()!,
      to: start.plus({ days: 1 }).toUTC().toISO()!,
    })
    expect(day.find((a) => a.ref === id)?.clientRef).toBe(clientRef)
    // …but the lookup after the lost answer asks for no day at all (from === to at midnight).
    const found = await adapter.findWrite!({
      kind: 'book',
      clientRef,
      hint: {
        patientRef: template.patientId!,
        practitionerRef: template.providerId,
        appointmentTypeRef: template.appointmentTypeId,
        start: start.toUTC().toISO()!,
      },
    })
    expect((found as Appointment | null)?.ref).toBe(id)
  })
})

/**
 * A Heim that does not know the filter field `externalReference` (its filters guide spells it
 * `externalRef`, heim.md §3.2) and, like many list endpoints, ignores it rather than refusing it:
 * the Heim simulator behind a pass-through that drops that one filter from GET queries.
 */
function ignoringExternalReferenceFilter(target: string): Promise<Server> {
  const to = new URL(target)
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', target)
    if (req.method === 'GET') {
      const kept = url.searchParams.getAll('filter').filter((f) => !f.startsWith('externalReference'))
      url.searchParams.delete('filter')
      for (const f of kept) url.searchParams.append('filter', f)
    }
    const headers = { ...req.headers, host: to.host }
    const out = request(
      { hostname: to.hostname, port: to.port, method: req.method, path: url.pathname + url.search, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    out.on('error', () => res.destroy())
    req.pipe(out)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

describe('Heim findWrite when the reference filter is not applied', () => {
  const clock = new ManualClock(new Date('2026-03-27T08:00:00.000Z'))
  let sim: SimulatorHandle<HeimState>
  let proxy: Server
  let http: HttpClient
  let adapter: VendorAdapter
  const logged = recordingLogger()

  beforeAll(async () => {
    sim = await startHeimSimulator(seedClinic({ patients: 20, today: clock.now(), timeZone: ZONE }), {
      clock,
    })
    proxy = await ignoringExternalReferenceFilter(sim.url)
    http = clientOn(clock, {}, logged.log)
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    adapter = createAdapter(connectionFor('heim', url), {
      http,
      readCredentials: async () => ({ apiKey: sim.credentials.apiKey! }),
      log: logged.log,
      now: () => clock.now(),
    })
  })

  afterAll(async () => {
    await http.close()
    await new Promise((r) => proxy.close(r))
    await sim.close()
  })

  it('never takes another patient for the one our lost create made', async () => {
    const clientRef = '00000000-0000-4000-8000-00000000face'
    const created = await adapter.createPatient!({
      clientRef,
      givenName: 'Ada',
      familyName: 'Lovelace',
      birthDate: '1990-06-15',
      phone: '07700 900123',
      email: 'ada@example.com',
    })
    const found = await adapter.findWrite!({ kind: 'createPatient', clientRef, hint: {} })
    // Today: the first patient of the unfiltered list, someone else, whose id the outbox would
    // then record as this patient's (bookings for Ada would go to that record).
    expect((found as Patient | null)?.ref).toBe(created.ref)
  })
})
