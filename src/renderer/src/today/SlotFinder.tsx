/**
 * Reschedule: the next free slots for the same connection and appointment type, for the same
 * practitioner or any, soonest first, shown from Frontdesk's copy at once and checked with the
 * clinic system in place; or a typed time (the way to move an appointment when neither the clinic
 * system nor the copy has a slot). Choose one, then confirm the move.
 */
import { now, nowMs } from '../lib/clock'
import { useMemo, useState } from 'react'
import type { SlotView } from '../../../shared/contract'
import { localToInstant } from '../../../shared/instant'
import { ageLabel, copyLabel } from '../booking/slots'
import { useSlots } from '../booking/useSlots'
import { DateField } from '../components/DateField'
import { addYears } from '../lib/date-entry'
import { DEFAULT_LOCALE, formatDay, formatTime, todayIn } from '../lib/format'
import { parseTime } from '../patients/input'
import { useAppStore } from '../state/app-store'
import type { DayAppointment } from './state/today-store'

interface Props {
  appointment: DayAppointment & { id: string; appointmentTypeRef: string }
  timeZone: string
  practitioners: { ref: string; name: string }[]
  /** Site names by location ref, for the slot tiles. */
  locations?: { ref: string; name: string }[]
  busy: boolean
  /** A time the card was dragged to in the day book: chosen already, to confirm or change. */
  proposed?: SlotView
  onChoose(slot: SlotView): void
  onCancel(): void
}

const ANY = '*'

export function SlotFinder({
  appointment,
  timeZone,
  practitioners,
  locations = [],
  busy,
  proposed,
  onChoose,
  onCancel,
}: Props) {
  const [who, setWho] = useState(proposed?.practitionerRef ?? appointment.practitionerRef ?? ANY)
  const [from, setFrom] = useState(() =>
    proposed ? todayIn(timeZone, new Date(proposed.start)) : todayIn(timeZone),
  )
  const locale = useAppStore(
    (s) => s.connections.find((c) => c.id === appointment.connectionId)?.locale ?? DEFAULT_LOCALE,
  )
  const [chosen, setChosen] = useState<SlotView | null>(proposed ?? null)
  const [typed, setTyped] = useState('')
  const key = `${who}|${from}`
  const answer = useSlots(
    {
      connectionId: appointment.connectionId,
      appointmentTypeRef: appointment.appointmentTypeRef,
      ...(appointment.patientId ? { patientId: appointment.patientId } : {}),
      ...(who === ANY ? {} : { practitionerRef: who }),
      from: from === todayIn(timeZone) ? now().toISOString() : localStart(from, timeZone),
      days: 14,
      limit: 60,
    },
    key,
  )

  const names = useMemo(() => new Map(practitioners.map((p) => [p.ref, p.name])), [practitioners])
  const sites = useMemo(() => new Map(locations.map((l) => [l.ref, l.name])), [locations])
  const loading = !answer || answer.key !== key
  const slots = !loading && 'slots' in answer ? answer.slots.filter((s) => s.start !== appointment.start) : []
  const check = !loading && 'slots' in answer ? answer : null
  // A typed time keeps the appointment's length and practitioner (or the one chosen above).
  const typedTime = parseTime(typed)
  const typedRead = typedTime ? localToInstant(from, typedTime, timeZone, locale) : null
  const lengthMs =
    appointment.start && appointment.end ? Date.parse(appointment.end) - Date.parse(appointment.start) : 0
  const typedPractitioner = who === ANY ? appointment.practitionerRef : who
  const typedSlot: SlotView | null =
    typedRead?.ok && lengthMs > 0
      ? {
          connectionId: appointment.connectionId,
          start: typedRead.instant,
          end: new Date(Date.parse(typedRead.instant) + lengthMs).toISOString(),
          ...(typedPractitioner ? { practitionerRef: typedPractitioner } : {}),
        }
      : null
  const typedProblem = !typed.trim()
    ? ''
    : !typedTime
      ? 'Type the time as 14:30.'
      : typedRead && !typedRead.ok
        ? typedRead.message
        : !typedSlot
          ? 'This appointment has no length to keep: choose a free slot instead.'
          : Date.parse(typedSlot.start) <= nowMs()
            ? 'That time has already gone.'
            : ''
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
      {proposed && chosen?.start === proposed.start && chosen.practitionerRef === proposed.practitionerRef ? (
        <p className="slot-dragged" data-testid="slot-dragged">
          Dragged to {formatDay(todayIn(timeZone, new Date(proposed.start)))}{' '}
          {formatTime(proposed.start, timeZone)}
          {proposed.practitionerRef
            ? ` with ${names.get(proposed.practitionerRef) ?? 'the practitioner'}`
            : ''}
          . Frontdesk checks the time when it is sent; confirm below or choose another.
        </p>
      ) : null}
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
        {check && (
          <p className="finder-check muted" data-testid="slot-check" data-state={check.state}>
            {copyLabel(slots, nowMs()) ??
              (check.state === 'checking'
                ? 'Checking with the clinic system…'
                : check.state === 'confirmed'
                  ? `Checked with the clinic system${check.note ? `: ${check.note}` : ''}.`
                  : 'Not yet checked with the clinic system: the move checks the time.')}
          </p>
        )}
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
                  const site = s.locationName ?? (s.locationRef ? sites.get(s.locationRef) : undefined)
                  const age = ageLabel(s.fetchedAt, nowMs())
                  return (
                    <li key={`${s.start}|${s.practitionerRef ?? ''}|${s.token ?? ''}`}>
                      <button
                        type="button"
                        className="slot-button"
                        data-testid="slot-tile"
                        aria-pressed={chosen === s}
                        onClick={() => setChosen(s)}
                      >
                        <span className="visually-hidden">{formatDay(day)}, </span>
                        <strong>{formatTime(s.start, timeZone)}</strong>
                        <span className="visually-hidden"> with</span>{' '}
                        <span data-part="practitioner">{nameOf(s)}</span>
                        {s.practitionerRole && (
                          <span className="slot-role muted">
                            {' '}
                            · <span data-part="role">{s.practitionerRole}</span>
                          </span>
                        )}
                        {site && (
                          <span className="slot-site">
                            {' '}
                            · <span data-part="site">{site}</span>
                          </span>
                        )}
                        {age && (
                          <span className="slot-age muted"> · {s.fromCopy ? `copy, ${age}` : age}</span>
                        )}
                      </button>
                    </li>
                  )
                })}
              </ul>
            </div>
          ))
        )}
      </div>
      <div className="slot-typed">
        <label>
          Or type a time on {formatDay(from)}
          <input
            value={typed}
            inputMode="numeric"
            placeholder="14:30"
            aria-invalid={!!typedProblem}
            onChange={(e) => {
              setTyped(e.target.value)
              setChosen(null)
            }}
          />
        </label>
        {typedProblem && (
          <p className="error" role="alert">
            {typedProblem}
          </p>
        )}
        {typedSlot && !typedProblem && (
          <button type="button" className="secondary" disabled={busy} onClick={() => setChosen(typedSlot)}>
            Use {formatTime(typedSlot.start, timeZone)}
            {typedPractitioner ? ` with ${names.get(typedPractitioner) ?? 'the same practitioner'}` : ''}{' '}
            (checked when sent)
          </button>
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

/** Midnight of a local date in the clinic's zone, as a UTC instant. */
function localStart(date: string, timeZone: string): string {
  const read = localToInstant(date, '00:00', timeZone)
  return read.ok ? read.instant : new Date(`${date}T00:00:00Z`).toISOString()
}
