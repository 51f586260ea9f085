import { describe, expect, it } from 'vitest'
import {
  gapLabel,
  NO_PRACTITIONER,
  practitionerDays,
  type PractitionerAppointment,
} from '../../../src/renderer/src/outage/gaps'

const LONDON = 'Europe/London'
// 2026-03-31 is an ordinary BST day: local = UTC + 1.
const DATE = '2026-03-31'
const at = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number)
  return new Date(Date.UTC(2026, 2, 31, h! - 1, m!)).toISOString()
}
const appt = (practitionerRef: string | undefined, from: string, to: string): PractitionerAppointment => ({
  ...(practitionerRef ? { practitionerRef } : {}),
  start: at(from),
  end: at(to),
  status: 'booked',
})
const days = (practitioners: { ref: string; name: string }[], appointments: PractitionerAppointment[]) =>
  practitionerDays(practitioners, appointments, { date: DATE, timeZone: LONDON, minMinutes: 10 }).map(
    (d) => ({
      ref: d.ref,
      name: d.name,
      appointments: d.appointments.length,
      free: d.gaps.map((g) => gapLabel(g, LONDON)),
    }),
  )

// Two clinicians of one clinic system who share a name (two Dr Sam Patels), and a third.
const practitioners = [
  { ref: 'sp-1', name: 'Dr Sam Patel' },
  { ref: 'sp-2', name: 'Dr Sam Patel' },
  { ref: 'aj', name: 'Dr Ada Jones' },
]

describe('the outage kit’s lists per practitioner', () => {
  it('keeps two clinicians of the same name apart, each with their own free time', () => {
    const out = days(practitioners, [
      appt('sp-1', '09:00', '12:00'),
      appt('sp-2', '13:00', '17:00'),
      appt('aj', '10:00', '10:30'),
    ])
    const patels = out.filter((d) => d.ref === 'sp-1' || d.ref === 'sp-2')
    expect(patels.map((d) => ({ ref: d.ref, appointments: d.appointments, free: d.free }))).toEqual([
      { ref: 'sp-1', appointments: 1, free: ['Free 08:00–09:00 (1 h)', 'Free 12:00–18:00 (6 h)'] },
      { ref: 'sp-2', appointments: 1, free: ['Free 08:00–13:00 (5 h)', 'Free 17:00–18:00 (1 h)'] },
    ])
    expect(out.find((d) => d.ref === 'aj')?.free).toEqual([
      'Free 08:00–10:00 (2 h)',
      'Free 10:30–18:00 (7 h 30 min)',
    ])
  })

  it('heads each of two same-named clinicians’ lists so they can be told apart', () => {
    const out = days(practitioners, [appt('sp-1', '09:00', '12:00'), appt('sp-2', '13:00', '17:00')])
    const names = out.map((d) => d.name)
    expect(names).toHaveLength(2)
    expect(new Set(names).size).toBe(2)
    for (const name of names) expect(name).toMatch(/^Dr Sam Patel\b/)
    // A clinician whose name nobody shares is headed by the name alone.
    expect(days(practitioners, [appt('aj', '10:00', '10:30')]).map((d) => d.name)).toEqual(['Dr Ada Jones'])
  })

  it('puts appointments nobody (known) is down for on one list, with no free time', () => {
    const out = days(practitioners, [appt(undefined, '09:00', '09:10'), appt('gone', '09:30', '09:40')])
    expect(out).toEqual([{ ref: null, name: NO_PRACTITIONER, appointments: 2, free: [] }])
  })

  it('keeps a clinician the clinic system names without a ref on a list of their own, with free time', () => {
    const named = (name: string, from: string, to: string): PractitionerAppointment => ({
      ...appt(undefined, from, to),
      practitionerName: name,
    })
    const out = days(practitioners, [named('Dr Lee', '09:00', '17:00'), appt(undefined, '09:00', '09:10')])
    expect(out).toEqual([
      {
        ref: null,
        name: 'Dr Lee',
        appointments: 1,
        free: ['Free 08:00–09:00 (1 h)', 'Free 17:00–18:00 (1 h)'],
      },
      { ref: null, name: NO_PRACTITIONER, appointments: 1, free: [] },
    ])
  })
})
