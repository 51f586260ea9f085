import { useId, type Dispatch } from 'react'
import type { ReferenceData } from '../../../shared/contract'
import type { Connection } from '../../../shared/model'
import { api } from '../api/client'
import { nowMs } from '../lib/clock'
import type { AppointmentType, BookingAction, BookingState, ManualEntry } from './booking-state'
import { clashKey, endAfter, manualSlot, pastKey, readManualTime } from './manual-time'

interface Props {
  connection: Connection
  reference: ReferenceData | undefined
  type: AppointmentType
  today: string
  state: BookingState
  dispatch: Dispatch<BookingAction>
}

/**
 * A time the person knows is free, typed while the clinic system cannot offer free times. "Check
 * this time" refuses a past time and a clash in Frontdesk's copy before the confirmation step.
 */
export function ManualTime({ connection, reference, type, today, state, dispatch }: Props) {
  const uid = useId()
  const zone = connection.timeZone
  const { manual, manualTried } = state
  const locations = reference?.locations ?? []
  const { location, start, problem } = readManualTime(state, locations, today, zone)
  const edit = (change: Partial<ManualEntry>) => dispatch({ type: 'manual', change })

  const check = async () => {
    dispatch({ type: 'manualTried' })
    if (problem || !start) return
    if (Date.parse(start) < nowMs()) {
      dispatch({ type: 'manualPast', at: pastKey(manual) })
      return
    }
    const end = endAfter(start, type.lengthMinutes)
    // The practitioner's bookings in Frontdesk's copy: a clash is told here, not first on Book.
    const at = clashKey(manual)
    const checked = await api.appointments.checkTime({
      connectionId: connection.id,
      practitionerRef: manual.practitionerRef,
      start,
      end,
    })
    if (!checked.ok || checked.value.clash) {
      const message = checked.ok ? (checked.value.clash as string) : checked.error.message
      dispatch({ type: 'manualClash', at, message })
      return
    }
    dispatch({
      type: 'choose',
      slot: manualSlot(connection.id, start, end, manual.practitionerRef, type.ref, location),
    })
  }

  return (
    <fieldset className="manual-time">
      <legend>Enter a time yourself</legend>
      <div className="booking-filters">
        <div className="field">
          <label htmlFor={`${uid}-mdate`} className="field-label">
            Date
          </label>
          <input
            id={`${uid}-mdate`}
            type="text"
            autoComplete="off"
            aria-describedby={`${uid}-manual-msg`}
            value={manual.date}
            onChange={(e) => edit({ date: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-mtime`} className="field-label">
            Time ({zone})
          </label>
          <input
            id={`${uid}-mtime`}
            type="text"
            autoComplete="off"
            inputMode="numeric"
            placeholder="14:30"
            value={manual.time}
            aria-describedby={`${uid}-manual-msg`}
            aria-invalid={manualTried && !!problem}
            onChange={(e) => edit({ time: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-mwho`} className="field-label">
            Practitioner
          </label>
          <select
            id={`${uid}-mwho`}
            value={manual.practitionerRef}
            aria-describedby={`${uid}-manual-msg`}
            onChange={(e) => edit({ practitionerRef: e.target.value })}
          >
            <option value="">Choose…</option>
            {reference?.practitioners.map((p) => (
              <option key={p.ref} value={p.ref}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        {locations.length > 0 && (
          <div className="field">
            <label htmlFor={`${uid}-mwhere`} className="field-label">
              Location
            </label>
            <select
              id={`${uid}-mwhere`}
              value={location}
              aria-describedby={`${uid}-manual-msg`}
              onChange={(e) => edit({ locationRef: e.target.value })}
            >
              <option value="">Choose…</option>
              {locations.map((l) => (
                <option key={l.ref} value={l.ref}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <p id={`${uid}-manual-msg`} className={`field-msg${manualTried && problem ? ' is-error' : ''}`}>
        {manualTried && problem ? problem : `${type.name} lasts ${type.lengthMinutes} minutes.`}
      </p>
      <button type="button" className="primary" onClick={() => void check()}>
        Check this time
      </button>
    </fieldset>
  )
}
