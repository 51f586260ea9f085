import type { Dispatch, RefObject } from 'react'
import type { ReferenceData } from '../../../shared/contract'
import type { Connection } from '../../../shared/model'
import type { AppointmentType, BookingAction, BookingState } from './booking-state'
import { ChooseFilters } from './ChooseFilters'
import { readAnswer } from './finder'
import { FreeTimes } from './FreeTimes'
import { ManualTime } from './ManualTime'
import type { SlotsAnswer } from './useSlots'

interface Props {
  connection: Connection
  reference: ReferenceData | undefined
  type: AppointmentType | undefined
  today: string
  state: BookingState
  dispatch: Dispatch<BookingAction>
  answer: SlotsAnswer | null
  finderKey: string
  /** The dialog's first field, focused when it opens. */
  typeSelect: RefObject<HTMLSelectElement | null>
}

/**
 * The first step: type, practitioner, location and first day; the free times for them; and, when
 * the clinic system cannot be asked (offline, or only the copy answered), a time typed by hand.
 */
export function ChooseStep({
  connection,
  reference,
  type,
  today,
  state,
  dispatch,
  answer,
  finderKey,
  typeSelect,
}: Props) {
  const view = readAnswer(answer, finderKey, state.typeRef, connection.timeZone)
  return (
    <div className="booking-choose">
      <ChooseFilters
        connection={connection}
        reference={reference}
        today={today}
        state={state}
        dispatch={dispatch}
        typeSelect={typeSelect}
      />
      <FreeTimes
        connection={connection}
        reference={reference}
        typeRef={state.typeRef}
        answer={answer}
        view={view}
        dispatch={dispatch}
      />
      {(view.failed?.code === 'offline' || view.fromCopy) && type && (
        <ManualTime
          connection={connection}
          reference={reference}
          type={type}
          today={today}
          state={state}
          dispatch={dispatch}
        />
      )}
    </div>
  )
}
