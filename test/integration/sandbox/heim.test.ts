import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, type SimulatorHandle } from '../../../src/sandbox/core'
import { type HeimState, startHeimSimulator } from '../../../src/sandbox/heim'
import { seedClinic } from '../../../src/sandbox/seed'
import { call } from './client'

const clock = new ManualClock(new Date('2026-03-30T09:00:00Z'))
const clinic = seedClinic({ patients: 60, seed: 8, today: clock.now() })
let heim: SimulatorHandle<HeimState>
let auth: Record<string, string>

const get = (path: string, headers = auth) => call(heim.url, 'GET', path, { headers })
const post = (path: string, body: unknown) => call(heim.url, 'POST', path, { headers: auth, body })
const q = (...filters: string[]) => filters.map((f) => `filter=${encodeURIComponent(f)}`).join('&')

const newPatient = {
  title: 'Ms',
  firstName: 'Siân',
  lastName: "O'Brien-Nuñez",
  sex: 'female',
  phone: '+447700900123',
  email: 'sian@example.com',
  nhsNumber: clinic.patients[1]!.nhsNumber,
  externalReference: 'fd-patient-1',
  dateOfBirth: '1987-02-14',
  note: 'Dog in the garden',
  address: [{ line1: '12 Canonbury Lane', city: 'London', postcode: 'N1 2AS' }],
}
const location = { line1: '12 Canonbury Lane', city: 'London', postcode: 'N1 2AS' }

beforeAll(async () => {
  // These checks send requests faster than Heim's assumed limit; the limit has its own tests.
  heim = await startHeimSimulator(clinic, { clock, rateLimitPerMinute: 0 })
  auth = { authorization: heim.credentials.apiKey! }
})
afterAll(() => heim.close())

const tasks = async () => (await get('/v1/tasks')).body.data as { id: string; scheduledEnabled: boolean }[]
const windowsFor = async (taskId: string, extra = '') =>
  (await get(`/v1/availability?taskId=${taskId}&postcode=N1%202AS${extra}`)).body.data as {
    id: string
    start: string
    end: string
  }[]

describe('Heim auth', () => {
  it('takes the test key as the whole Authorization header, refusing Bearer, live keys and unknown keys', async () => {
    expect((await get('/v1/tasks')).status).toBe(200)
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /Authorization/],
      [{ authorization: `Bearer ${auth.authorization}` }, /without a "Bearer"/],
      [{ authorization: heim.credentials.liveApiKey! }, /test mode/],
      [{ authorization: 'test_nope' }, /Invalid API key/],
    ]
    for (const [headers, message] of cases) {
      const r = await get('/v1/tasks', headers)
      expect(r.status).toBe(401)
      expect(r.body.message).toMatch(message)
    }
  })

  it('answers unknown routes and unparseable bodies with JSON messages', async () => {
    const r = await get('/v1/nowhere')
    expect(r.status).toBe(404)
    expect(r.body.message).toEqual(expect.any(String))
    const bad = await call(heim.url, 'POST', '/v1/patients', {
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"first',
    })
    expect(bad.status).toBe(400)
  })
})

describe('Heim patients', () => {
  it('creates a patient with a p_ id and finds it by id, name and both externalReference spellings', async () => {
    const r = await post('/v1/patients', newPatient)
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({ ...newPatient, id: expect.stringMatching(/^p_[0-9a-z]+$/) })
    const id = r.body.id
    expect((await get(`/v1/patients/${id}`)).body).toEqual(r.body)
    for (const f of [
      'externalReference:"fd-patient-1"',
      'externalRef:"fd-patient-1"',
      `patient.id:"${id}"`,
      'patient.name~"siân o\'brien"',
    ]) {
      const list = await get(`/v1/patients?${q(f)}`)
      expect(list.status).toBe(200)
      expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([id])
    }
    expect((await get('/v1/patients/p_missing')).status).toBe(404)
  })

  it('validates every field and reports each one', async () => {
    const r = await post('/v1/patients', {
      title: 'Lord',
      firstName: 'A',
      lastName: 'x'.repeat(101),
      sex: 'robot',
      phone: '07700900123',
      email: 'not-an-email',
      nhsNumber: '999 000 0000',
      dateOfBirth: '14/02/1987',
      address: [location, location],
    })
    expect(r.status).toBe(400)
    expect(r.body.message).toBe('Validation failed')
    expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      [
        'address',
        'dateOfBirth',
        'email',
        'firstName',
        'lastName',
        'nhsNumber',
        'phone',
        'sex',
        'title',
      ].sort(),
    )
    const check = await post('/v1/patients', { ...newPatient, nhsNumber: '9990000001' })
    expect(check.body.errors).toEqual([{ field: 'nhsNumber', message: expect.stringMatching(/check digit/) }])
    expect((await post('/v1/patients', {})).status).toBe(400)
  })

  it('pages with limit and cursor, and filters by createdAt', async () => {
    const all = (await get('/v1/patients?limit=100')).body
    expect(all.hasMore).toBe(false)
    const first = await get('/v1/patients?limit=5')
    expect(first.body.data).toHaveLength(5)
    expect(first.body.hasMore).toBe(true)
    const second = await get(`/v1/patients?limit=5&cursor=${first.body.nextCursor}`)
    expect(second.body.data.map((p: { id: string }) => p.id)).toEqual(
      all.data.slice(5, 10).map((p: { id: string }) => p.id),
    )
    const today = (await get(`/v1/patients?${q('createdAt>="2026-03-30"')}`)).body.data
    expect(today.every((p: { createdAt: string }) => p.createdAt >= '2026-03-30')).toBe(true)
    expect(today.length).toBeGreaterThanOrEqual(1)
    expect((await get('/v1/patients?limit=0')).status).toBe(400)
  })

  it('refuses malformed and unsupported filters with a specific 400', async () => {
    for (const [f, message] of [
      ['name:john', /must be quoted/],
      ['dateOfBirth:"1987-02-14"', /Unknown filter field "dateOfBirth"/],
      ['createdAt~"2026"', /contains is for strings/],
    ] as const) {
      const r = await get(`/v1/patients?${q(f)}`)
      expect(r.status).toBe(400)
      expect(r.body.message).toMatch(message)
    }
  })
})

describe('Heim tasks, windows and appointments', () => {
  it('lists tasks and offers win_ windows for a covered postcode, none for an uncovered one', async () => {
    const [task] = await tasks()
    expect(task!.id).toMatch(/^tsk_/)
    const w = await windowsFor(task!.id, '&from=2026-03-31&to=2026-04-01')
    expect(w).toHaveLength(6)
    expect(w[0]).toEqual({
      id: expect.stringMatching(/^win_/),
      taskId: task!.id,
      start: '2026-03-31T07:00:00.000Z',
      end: '2026-03-31T11:00:00.000Z',
    })
    expect((await get(`/v1/availability?taskId=${task!.id}&postcode=AB10%201AA`)).body.data).toEqual([])
    expect((await get('/v1/availability')).status).toBe(400)
    expect((await get('/v1/availability?taskId=tsk_nope')).status).toBe(404)
    expect((await get(`/v1/availability?taskId=${task!.id}&postcode=nope`)).status).toBe(400)
  })

  it('books into a window (scheduled) or without one (scheduling), and finds them by externalRef and start', async () => {
    const [task] = await tasks()
    const patientId = [...heim.control.state.patients.keys()][0]!
    const [win] = await windowsFor(task!.id, '&from=2026-04-02&to=2026-04-02')
    const body = {
      patientId,
      taskId: task!.id,
      phone: '+447700900123',
      location,
      externalReference: 'fd-appt-1',
      metadata: { clientRef: 'fd-appt-1' },
    }
    const booked = await post('/v1/appointments', { ...body, windowId: win!.id, note: 'Side door' })
    expect(booked.status).toBe(201)
    expect(booked.body).toMatchObject({
      id: expect.stringMatching(/^apt_/),
      status: 'scheduled',
      windowId: win!.id,
      patient: { id: patientId },
    })
    expect(
      booked.body.estimatedTimeOfArrival >= win!.start && booked.body.estimatedTimeOfArrival <= win!.end,
    ).toBe(true)
    const open = await post('/v1/appointments', { ...body, windowId: null })
    expect(open.status).toBe(201)
    expect(open.body).toMatchObject({ status: 'scheduling', windowId: null, estimatedTimeOfArrival: null })

    // externalReference is not unique: both come back.
    for (const f of ['externalRef:"fd-appt-1"', 'externalReference:"fd-appt-1"']) {
      const ids = (await get(`/v1/appointments?${q(f)}`)).body.data.map((a: { id: string }) => a.id)
      expect(ids.sort()).toEqual([booked.body.id, open.body.id].sort())
    }
    const day = (
      await get(
        `/v1/appointments?${q('start>="2026-04-02"', 'start<"2026-04-03"', 'status:"scheduled"')}&limit=100`,
      )
    ).body.data
    expect(day.map((a: { id: string }) => a.id)).toContain(booked.body.id)
    expect(day.every((a: { window: { start: string } }) => a.window.start.startsWith('2026-04-02'))).toBe(
      true,
    )
    const got = await get(`/v1/appointments/${booked.body.id}`)
    expect(got.body).toEqual(booked.body)
    expect((await get('/v1/appointments/apt_missing')).status).toBe(404)
  })

  it('validates appointments: required fields, unknown ids, a window for another task, scheduled-only plan dates', async () => {
    const [t0, t1] = await tasks()
    const patientId = [...heim.control.state.patients.keys()][1]!
    const r = await post('/v1/appointments', { taskId: 'x', phone: '12', location: {} })
    expect(r.status).toBe(400)
    expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['location.line1', 'location.postcode', 'patientId', 'phone', 'taskId'].sort(),
    )
    const base = { patientId, taskId: t0!.id, phone: '+447700900123', location }
    expect((await post('/v1/appointments', { ...base, patientId: 'p_nobody' })).status).toBe(404)
    const [otherWin] = await windowsFor(t1!.id)
    const wrong = await post('/v1/appointments', { ...base, windowId: otherWin!.id })
    expect(wrong.status).toBe(409)
    expect(wrong.body.message).toMatch(/not for task/)
    const all = await tasks()
    const planned = all.find((t) => t.scheduledEnabled)!
    const unplanned = all.find((t) => !t.scheduledEnabled)!
    expect(
      (
        await post('/v1/appointments', {
          ...base,
          taskId: unplanned.id,
          planFrom: '2026-04-10',
          planTo: '2026-04-20',
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await post('/v1/appointments', {
          ...base,
          taskId: planned.id,
          planFrom: '2026-04-10',
          planTo: '2026-04-11',
        })
      ).status,
    ).toBe(400)
    const ok = await post('/v1/appointments', {
      ...base,
      taskId: planned.id,
      planFrom: '2026-04-10',
      planTo: '2026-04-20',
    })
    expect(ok.status).toBe(201)
    expect(ok.body).toMatchObject({ type: 'scheduled', status: 'scheduling', planFrom: '2026-04-10' })
  })

  it('stops offering a window once it is full', async () => {
    const [, , task] = await tasks()
    const [win] = await windowsFor(task!.id, '&from=2026-04-04&to=2026-04-04')
    const patientId = [...heim.control.state.patients.keys()][2]!
    for (let i = 0; i < 4; i++)
      expect(
        (
          await post('/v1/appointments', {
            patientId,
            taskId: task!.id,
            windowId: win!.id,
            phone: '+447700900123',
            location,
          })
        ).status,
      ).toBe(201)
    expect((await windowsFor(task!.id, '&from=2026-04-04&to=2026-04-04')).map((w) => w.id)).not.toContain(
      win!.id,
    )
    expect(
      (
        await post('/v1/appointments', {
          patientId,
          taskId: task!.id,
          windowId: win!.id,
          phone: '+447700900123',
          location,
        })
      ).status,
    ).toBe(409)
  })

  it('cancels once (with reason, chargeable inside 24 hours of the ETA); a second cancel is refused', async () => {
    const [task] = await tasks()
    const patientId = [...heim.control.state.patients.keys()][3]!
    const [win] = await windowsFor(task!.id, '&from=2026-03-31&to=2026-03-31')
    const a = (
      await post('/v1/appointments', {
        patientId,
        taskId: task!.id,
        windowId: win!.id,
        phone: '+447700900123',
        location,
      })
    ).body
    const reason = {
      note: 'Patient away',
      causingEntity: 'patient',
      cancellingEntity: 'organisation',
      reasonCode: 'patient_not_present',
    }
    expect((await post(`/v1/appointments/${a.id}/cancel`, { note: 'x' })).status).toBe(400)
    const r = await post(`/v1/appointments/${a.id}/cancel`, reason)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: 'cancelled', cancellation: { ...reason, chargeable: true } })
    const again = await post(`/v1/appointments/${a.id}/cancel`, reason)
    expect(again.status).toBe(409)
    expect(again.body.message).toMatch(/already been cancelled/)
    expect((await post('/v1/appointments/apt_nope/cancel', reason)).status).toBe(404)
    const ops = heim.control
      .writes()
      .filter((w) => w.operation === 'POST /v1/appointments/:id/cancel')
      .map((w) => w.outcome)
    expect(ops).toEqual(['rejected', 'applied', 'rejected', 'rejected'])
  })

  it('seeds a fortnight of appointments in every status', async () => {
    const statuses = new Set([...heim.control.state.appointments.values()].map((a) => a.status))
    for (const s of ['scheduled', 'scheduling', 'completed', 'cancelled']) expect(statuses).toContain(s)
  })

  it('answers 401 once the key is revoked (expireTokens)', async () => {
    const sim = await startHeimSimulator(clinic, { clock })
    try {
      const headers = { authorization: sim.credentials.apiKey! }
      expect((await call(sim.url, 'GET', '/v1/tasks', { headers })).status).toBe(200)
      sim.control.expireTokens()
      const r = await call(sim.url, 'GET', '/v1/tasks', { headers })
      expect(r.status).toBe(401)
      expect(r.body.message).toMatch(/revoked/)
    } finally {
      await sim.close()
    }
  })
})

describe('Heim [U] options', () => {
  it('moves the availability path, the appointment prefix and the validation status when configured', async () => {
    const sim = await startHeimSimulator(clinic, {
      clock,
      availabilityPath: '/v1/windows',
      appointmentIdPrefix: 'appt_',
      validationStatus: 422,
      patientFilterFields: 'extended',
    })
    try {
      const headers = { authorization: sim.credentials.apiKey! }
      const [task] = (await call(sim.url, 'GET', '/v1/tasks', { headers })).body.data
      expect((await call(sim.url, 'GET', `/v1/windows?taskId=${task.id}`, { headers })).status).toBe(200)
      expect((await call(sim.url, 'GET', `/v1/availability?taskId=${task.id}`, { headers })).status).toBe(404)
      const patientId = [...sim.control.state.patients.keys()][0]!
      const a = await call(sim.url, 'POST', '/v1/appointments', {
        headers,
        body: { patientId, taskId: task.id, phone: '+447700900123', location },
      })
      expect(a.body.id).toMatch(/^appt_/)
      expect((await call(sim.url, 'POST', '/v1/patients', { headers, body: {} })).status).toBe(422)
      const p = sim.control.state.patients.get(patientId)!
      const byDob = await call(sim.url, 'GET', `/v1/patients?${q(`dateOfBirth:"${p.dateOfBirth}"`)}`, {
        headers,
      })
      expect(byDob.body.data.map((x: { id: string }) => x.id)).toContain(patientId)
    } finally {
      await sim.close()
    }
  })
})
