import { useId, type Dispatch, type RefObject } from 'react'
import type { ReferenceData } from '../../../shared/contract'
import type { Connection } from '../../../shared/model'
import { formatDay } from '../lib/format'
import { parseDayFirst } from '../patients/input'
import { ANY, type BookingAction, type BookingState } from './booking-state'

interface Props {
  connection: Connection
  reference: ReferenceData | undefined
  today: string
  state: BookingState
  dispatch: Dispatch<BookingAction>
  typeSelect: RefObject<HTMLSelectElement | null>
}

/** What the free times are for: appointment type, practitioner, location (if several) and first day. */
export function ChooseFilters({ connection, reference, today, state, dispatch, typeSelect }: Props) {
  const uid = useId()
  const fromRead = parseDayFirst(state.fromText, today)
  return (
    <div className="booking-filters">
      <div className="field">
        <label htmlFor={`${uid}-type`} className="field-label">
          Appointment type
        </label>
        <select
          id={`${uid}-type`}
          ref={typeSelect}
          value={state.typeRef}
          onChange={(e) => dispatch({ type: 'type', typeRef: e.target.value })}
          aria-describedby={`${uid}-type-msg`}
        >
          <option value="">Choose a type…</option>
          {reference?.appointmentTypes.map((t) => (
            <option key={t.ref} value={t.ref}>
              {t.name} ({t.lengthMinutes} min)
            </option>
          ))}
        </select>
        <p id={`${uid}-type-msg`} className="field-msg">
          {reference && reference.appointmentTypes.length === 0
            ? `${connection.label} has not told Frontdesk its appointment types yet (is it offline?).`
            : '\u00a0'}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${uid}-who`} className="field-label">
          Practitioner
        </label>
        <select
          id={`${uid}-who`}
          value={state.who}
          onChange={(e) => dispatch({ type: 'who', who: e.target.value })}
        >
          <option value={ANY}>Any practitioner</option>
          {reference?.practitioners.map((p) => (
            <option key={p.ref} value={p.ref}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {reference && reference.locations.length > 1 && (
        <div className="field">
          <label htmlFor={`${uid}-where`} className="field-label">
            Location
          </label>
          <select
            id={`${uid}-where`}
            value={state.where}
            onChange={(e) => dispatch({ type: 'where', where: e.target.value })}
          >
            <option value={ANY}>Any location</option>
            {reference.locations.map((l) => (
              <option key={l.ref} value={l.ref}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${uid}-from`} className="field-label">
          From
        </label>
        <input
          id={`${uid}-from`}
          type="text"
          autoComplete="off"
          value={state.fromText}
          aria-describedby={`${uid}-from-msg`}
          aria-invalid={!fromRead.ok}
          onChange={(e) => dispatch({ type: 'fromText', text: e.target.value, today })}
        />
        <p id={`${uid}-from-msg`} className={`field-msg${fromRead.ok ? '' : ' is-error'}`}>
          {fromRead.ok ? formatDay(state.from) : fromRead.message}
        </p>
      </div>
    </div>
  )
}
