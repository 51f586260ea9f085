/**
 * Reading a day again. The day book keeps saying it shows Frontdesk's copy for as long as the
 * clinic system is away, including when an event makes the page re-read the copy without asking
 * the vendor. And a column comes back `unchanged`, without its lists, when the caller already holds
 * that version of them; any change to what the day book shows (here a note, which the cards'
 * tooltips and the drawer show) is a new version, with the lists. A day whose list from the clinic
 * system is being written, in turns, is read once it is written whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../src/main/app/runtime'
import type { DayColumn } from '../../../src/shared/contract'
import { toAppointment } from '../../../src/main/cache/cache-repo'
import { dayBounds } from '../../../src/main/services/day-book'
import { openDemoRuntime } from '../../support/demo-runtime'

let rt: Runtime
let cleanup: () => void
const TODAY = '2026-03-30'

async function riverside(input: { cacheOnly?: boolean; known?: Record<string, string> }): Promise<DayColumn> {
  const r = await rt.dispatch('appointments.day', { date: TODAY, connectionIds: ['demo-semble'], ...input })
  if (!r.ok) throw new Error(r.error.message)
  return (r.value as DayColumn[])[0]!
}

beforeAll(async () => {
  ;({ rt, cleanup } = await openDemoRuntime('day-book-offline', {
    demoPatients: 60,
    startSync: false,
    backgroundRefresh: false,
  }))
})

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('the day book while the clinic system is away', () => {
  it('marks a copy-only re-read as Frontdesk’s copy while offline, and stops once the vendor answers', async () => {
    expect((await riverside({})).fromCache).toBe(false)
    await rt.sandbox!.semble.control.setOffline(true)
    try {
      const asked = await riverside({})
      expect(asked.fromCache).toBe(true)
      const reread = await riverside({ cacheOnly: true })
      expect(reread.fromCache).toBe(true)
      expect(reread.problem).toBe('Riverside Clinic is offline; showing the copy Frontdesk keeps.')
      expect(reread.appointments.length).toBe(asked.appointments.length)
    } finally {
      await rt.sandbox!.semble.control.setOffline(false)
    }
    expect((await riverside({})).fromCache).toBe(false)
    expect((await riverside({ cacheOnly: true })).fromCache).toBe(false)
  })
})

describe('a day read again', () => {
  it('says unchanged, without the lists, when the caller holds that version', async () => {
    const first = await riverside({})
    expect(first.appointments.length).toBeGreaterThan(0)
    expect(first.unchanged).toBeUndefined()
    // Asking the clinic system again, or reading the copy alone, gives the same lists: one version.
    const again = await riverside({ cacheOnly: true, known: { 'demo-semble': first.version } })
    expect(again).toMatchObject({
      unchanged: true,
      version: first.version,
      appointments: [],
      practitioners: [],
    })
    expect((await riverside({ known: { 'demo-semble': first.version } })).unchanged).toBe(true)
    // A version the caller does not hold gets the lists.
    const stale = await riverside({ cacheOnly: true, known: { 'demo-semble': 'not-this-one' } })
    expect(stale.unchanged).toBeUndefined()
    expect(stale.appointments).toEqual(first.appointments)
  })

  it('sends the lists again once anything the day book shows has changed', async () => {
    const before = await riverside({})
    const target = before.appointments.find((a) => a.status === 'booked')!
    const r = await rt.dispatch('appointments.updateNote', {
      appointmentId: target.id!,
      note: 'Hearing loop, please: ask at the desk',
    })
    expect(r.ok ? 'ok' : r.error.message).toBe('ok')
    const after = await riverside({ cacheOnly: true, known: { 'demo-semble': before.version } })
    expect(after.unchanged).toBeUndefined()
    expect(after.version).not.toBe(before.version)
    expect(after.appointments.find((a) => a.id === target.id)?.note).toBe(
      'Hearing loop, please: ask at the desk',
    )
  })

  it('refuses a version that is not one', async () => {
    const r = await rt.dispatch('appointments.day', { date: TODAY, known: { 'demo-semble': 'x'.repeat(65) } })
    expect(r.ok).toBe(false)
  })
})

describe('a day whose list from the clinic system is being written', () => {
  /** The day's appointments as the clinic system lists them, each with `note`. */
  function listedWith(note: string) {
    const { from, to } = dayBounds(TODAY, 'Europe/London')
    const listed = rt.cache.appointmentsStarting('demo-semble', from, to).map((r) => {
      const { id: _id, ...a } = toAppointment(r)
      return { ...a, note }
    })
    expect(listed.length).toBeGreaterThan(3)
    // A transaction a row, the event loop let in after each.
    return () => rt.cache.replaceAppointments('demo-semble', from, to, listed, rt.cache.instant(), 0)
  }
  const notesOf = (c: DayColumn) => c.appointments.map((a) => a.note)

  it('is read once the list is written whole, never half way through its turns', async () => {
    const written = listedWith('Listed again')()
    const read = riverside({ cacheOnly: true })
    await written
    // What the day is once the list is written (a row changed since the list was asked for keeps its own).
    const whole = await riverside({ cacheOnly: true })
    expect(notesOf(whole)).toContain('Listed again')
    expect((await read).appointments).toEqual(whole.appointments)
  })

  it('is read again, whole, when the list began to be written just before the read took its snapshot', async () => {
    const write = listedWith('Listed once more')
    const read = riverside({ cacheOnly: true })
    // After the read has looked for lists being written, before its snapshot.
    let written: Promise<void> | undefined
    queueMicrotask(() => {
      written = write()
    })
    const column = await read
    await written
    const whole = await riverside({ cacheOnly: true })
    expect(notesOf(whole)).toContain('Listed once more')
    expect(column.appointments).toEqual(whole.appointments)
  })
})
