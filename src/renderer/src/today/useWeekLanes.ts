/**
 * The week view's lanes: the chosen practitioner's seven days (Monday first) around `date`, read
 * while the week view is on and forgotten when it closes.
 */
import { useEffect, useMemo } from 'react'
import type { DayColumn, ReferenceData } from '../../../shared/contract'
import { formatWeekday } from '../lib/format'
import { weekDates, weekLanes, weekRange } from './layout'
import { useWeek } from './state/week-store'

export function useWeekLanes(
  on: boolean,
  date: string,
  practitioner: string | null,
  reference: Record<string, ReferenceData>,
  locale: string,
) {
  const dates = useMemo(() => weekDates(date), [date])
  const at = practitioner ? practitioner.indexOf('|') : -1
  const connectionId = practitioner && at > 0 ? practitioner.slice(0, at) : null
  const practitionerRef = practitioner && at > 0 ? practitioner.slice(at + 1) : null
  const { days, loading, error, key, load, clear } = useWeek()

  useEffect(() => {
    if (!on || !connectionId) return
    void load(connectionId, dates)
  }, [on, connectionId, dates, load])
  useEffect(() => (on ? undefined : clear()), [on, clear])

  const current = on && connectionId && key === `${connectionId}|${dates[0]}` ? days : null
  const range = useMemo(() => weekRange(current ?? [], practitionerRef ?? ''), [current, practitionerRef])
  const lanes = useMemo(
    () =>
      current && practitionerRef
        ? weekLanes(current, practitionerRef, reference, range, (d) => formatWeekday(d, locale))
        : [],
    [current, practitionerRef, reference, range, locale],
  )
  const columns = useMemo(
    () => (current ? current.map((d) => d.column).filter((c): c is DayColumn => !!c) : null),
    [current],
  )
  // Known before the week's days arrive: the heading does not change while they load.
  const name = (connectionId ? reference[connectionId]?.practitioners : undefined)?.find(
    (p) => p.ref === practitionerRef,
  )?.name
  const reload = () => (connectionId ? load(connectionId, dates) : Promise.resolve())
  return { dates, lanes, range, columns, loading, error, name, chosen: !!connectionId, reload }
}
