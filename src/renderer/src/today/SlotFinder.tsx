/**
 * Reschedule: the next free slots for the same connection and appointment type, for the same
 * practitioner or any, soonest first; choose one, then confirm the move.
 */
import { now } from '../lib/clock'
import { useEffect, useMemo, useState } from 'react'
import type { SlotView } from '../../../shared/contract'
import { DateField } from '../components/DateField'
import { addYears } from '../lib/date-entry'
import { DEFAULT_LOCALE, formatDay, formatTime, todayIn } from '../lib/format'
import { useAppStore } from '../state/app-store'
import type { DayAppointment } from './state/today-store'

interface Props {
  appointment: DayAppointment & { id: string; appointmentTypeRef: string }
  timeZone: string
  practitioners: { ref: string; name: string }[]
  busy: boolean
  find(q: { practitionerRef?: string; from: string }): Promise<{ slots: SlotView[] } | { error: string }>
  onChoose(slot: SlotView): void
  onCancel(): void
}

const ANY = '*'

export function SlotFinder({ appointment, timeZone, practitioners, busy, find, onChoose, onCancel }: Props) {
  const [who, setWho] = useState(appointment.practitionerRef ?? ANY)
  const [from, setFrom] = useState(() => todayIn(timeZone))
  const locale = useAppStore(
    (s) => s.connections.find((c) => c.id === appointment.connectionId)?.locale ?? DEFAULT_LOCALE,
  )
  const [answer, setAnswer] = useState<
    { key: string; slots: SlotView[] } | { key: string; error: string } | null
  >(null)
  const [chosen, setChosen] = useState<SlotView | null>(null)
  const key = `${who}|${from}`

  useEffect(() => {
    let live = true
    const start =
      from === todayIn(timeZone) ? now().toISOString() : new Date(`${from}T00:00:00Z`).toISOString()
    void find({ ...(who === ANY ? {} : { practitionerRef: who }), from: start }).then((r) => {
      if (live) setAnswer({ key, ...r })
    })
    return () => {
      live = false
    }
  }, [find, who, from, key, timeZone])

  const names = useMemo(() => new Map(practitioners.map((p) => [p.ref, p.name])), [practitioners])
  const loading = !answer || answer.key !== key
  const slots = !loading && 'slots' in answer ? answer.slots.filter((s) => s.start !== appointment.start) : []
  const byDay = new Map<string, SlotView[]>()
  for (const s of slots) {
    const d = todayIn(timeZone, new Date(s.start))
    byDay.set(d, [...(byDay.get(d) ?? []), s])
  }
  const nameOf = (s: SlotView) =>
    s.practitionerName ?? (s.practitionerRef ? names.get(s.practitionerRef) : undefined) ?? 'Any practitioner'

  return (
    <section className="slot-finder" aria-labelledby="slot-finder-heading" data-testid="slot-finder">
      <h3 id="slot-finder-heading">Move to another time</h3>
      <div className="slot-finder-controls">
        <label>
          Practitioner
          <select
            value={who}
            onChange={(e) => {
              setWho(e.target.value)
              setChosen(null)
            }}
          >
            <option value={ANY}>Any practitioner</option>
            {practitioners.map((p) => (
              <option key={p.ref} value={p.ref}>
                {p.name}
                {p.ref === appointment.practitionerRef ? ' (current)' : ''}
              </option>
            ))}
          </select>
        </label>
        <DateField
          label="From"
          value={from}
          locale={locale}
          min={todayIn(timeZone)}
          max={addYears(todayIn(timeZone), 2)}
          onChange={(d) => {
            setFrom(d)
            setChosen(null)
          }}
        />
      </div>
      <div className="slot-results" aria-live="polite" aria-busy={loading}>
        {loading ? (
          <p className="muted">Looking for free slots…</p>
        ) : 'error' in answer ? (
          <p role="alert" className="error">
            {answer.error}
          </p>
        ) : slots.length === 0 ? (
          <p>No free slots in the next two weeks. Try another practitioner or a later date.</p>
        ) : (
          [...byDay].map(([day, list]) => (
            <div key={day} className="slot-day">
              <h4>{formatDay(day)}</h4>
              <ul className="slot-list">
                {list.map((s) => {
                  return (
                    <li key={`${s.start}|${s.practitionerRef ?? ''}|${s.token ?? ''}`}>
                      <button
                        type="button"
                        className="slot-button"
                        aria-pressed={chosen === s}
                        onClick={() => setChosen(s)}
                      >
                        <span className="visually-hidden">{formatDay(day)}, </span>
                        <strong>{formatTime(s.start, timeZone)}</strong>
                        <span className="visually-hidden"> with</span> {nameOf(s)}
                      </button>
                    </li>
                  )
                })}
              </ul>
            </div>
          ))
        )}
      </div>
      <div className="drawer-actions">
        <button
          type="button"
          className="primary"
          disabled={!chosen || busy}
          onClick={() => chosen && onChoose(chosen)}
        >
          {chosen
            ? `Move to ${formatDay(todayIn(timeZone, new Date(chosen.start)))} ${formatTime(chosen.start, timeZone)}`
            : 'Choose a slot'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Back
        </button>
      </div>
    </section>
  )
}
