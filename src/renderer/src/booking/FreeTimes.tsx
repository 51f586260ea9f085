import { useId, type Dispatch } from 'react'
import type { ReferenceData, SlotView } from '../../../shared/contract'
import type { Connection } from '../../../shared/model'
import { nowMs } from '../lib/clock'
import { formatTime } from '../lib/format'
import type { BookingAction } from './booking-state'
import { checkLine, dayAfter, finderStatus, type FinderView } from './finder'
import { ageLabel, copyLabel } from './slots'
import type { SlotsAnswer } from './useSlots'

interface Props {
  connection: Connection
  reference: ReferenceData | undefined
  typeRef: string
  answer: SlotsAnswer | null
  view: FinderView
  dispatch: Dispatch<BookingAction>
}

/** The next free times, a list a day, each a button that goes on to the confirmation. */
export function FreeTimes({ connection, reference, typeRef, answer, view, dispatch }: Props) {
  const uid = useId()
  const zone = connection.timeZone
  const { loading, slots, failed, days } = view
  const copy = answer && 'slots' in answer && !loading ? copyLabel(slots, nowMs()) : undefined
  const lastDay = days.at(-1)?.date
  return (
    <section className="bk-finder" aria-labelledby={`${uid}-slots`} aria-busy={loading}>
      <h3 id={`${uid}-slots`}>
        Next free times{' '}
        <span className="muted small-print">
          (times at {connection.label}, {zone})
        </span>
      </h3>
      <p className="finder-status" aria-live="polite">
        {finderStatus(typeRef, view)}
      </p>
      {copy && (
        <div className="finder-error" role="alert" data-testid="slot-copy">
          <p>
            {connection.label} is offline. {copy} If you know another time is free, enter it below.
          </p>
        </div>
      )}
      {answer && 'slots' in answer && !loading && !copy && (
        <p className="finder-check muted" data-testid="slot-check" data-state={answer.state}>
          {checkLine(answer, connection.label)}
        </p>
      )}
      {failed && (
        <div className="finder-error" role="alert">
          <p>{failed.error}</p>
          {failed.code === 'offline' ? (
            <p>
              Free times cannot be checked while {connection.label} is offline. If you know a time is free,
              enter it below: the booking is kept here and sent when {connection.label} is back; if the time
              has gone by then, it will show as needing attention.
            </p>
          ) : null}
          <button type="button" className="secondary" onClick={() => dispatch({ type: 'retry' })}>
            Try again
          </button>
        </div>
      )}
      <div className={`bk-days${loading ? ' is-stale' : ''}`} data-testid="slot-finder">
        {days.map((d) => (
          <div key={d.date} className="bk-day">
            <h4 id={`${uid}-day-${d.date}`}>{d.label}</h4>
            <ul className="bk-slot-list" aria-labelledby={`${uid}-day-${d.date}`}>
              {d.slots.map((s) => (
                <li key={`${s.start}|${s.practitionerRef ?? ''}|${s.token ?? ''}`}>
                  <SlotTile
                    slot={s}
                    dayLabel={d.label}
                    zone={zone}
                    reference={reference}
                    disabled={loading}
                    onChoose={() => dispatch({ type: 'choose', slot: s })}
                  />
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
      {lastDay && !loading && (
        <button
          type="button"
          className="secondary"
          onClick={() => dispatch({ type: 'later', from: dayAfter(lastDay) })}
        >
          Later times
        </button>
      )}
    </section>
  )
}

interface TileProps {
  slot: SlotView
  dayLabel: string
  zone: string
  reference: ReferenceData | undefined
  disabled: boolean
  onChoose(): void
}

/** One free time: spoken as "day, time with practitioner"; site and age of the copy beneath. */
function SlotTile({ slot: s, dayLabel, zone, reference, disabled, onChoose }: TileProps) {
  const by =
    s.practitionerName ??
    (s.practitionerRef ? reference?.practitioners.find((p) => p.ref === s.practitionerRef)?.name : undefined)
  const site =
    s.locationName ??
    (s.locationRef ? reference?.locations.find((l) => l.ref === s.locationRef)?.name : undefined)
  const age = ageLabel(s.fetchedAt, nowMs())
  return (
    <button type="button" className="bk-slot" data-testid="slot-tile" disabled={disabled} onClick={onChoose}>
      <span className="visually-hidden">{dayLabel}, </span>
      <strong>{formatTime(s.start, zone)}</strong>
      <span className="visually-hidden"> with</span>
      <span data-part="practitioner">{by ?? 'Any practitioner'}</span>
      {s.practitionerRole && (
        <small className="bk-slot-meta muted" data-part="role">
          {s.practitionerRole}
        </small>
      )}
      {(site || age) && (
        <small className="bk-slot-meta muted">
          {site && <span data-part="site">{site}</span>}
          {site && age && ' · '}
          {age && (s.fromCopy ? `copy, ${age}` : age)}
        </small>
      )}
    </button>
  )
}
