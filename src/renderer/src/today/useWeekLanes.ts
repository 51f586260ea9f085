/**
 * The week view's lanes: the chosen practitioner's seven days (Monday first) around `date`, read
 * while the week view is on and forgotten when it closes. A practitioner linked to the same person
 * in other clinic systems brings those systems' days too, one lane a day as in the day book.
 */
import { useMemo } from 'react'
import type { DayColumn, ReferenceData } from '../../../shared/contract'
import type { PractitionerLink } from '../../../shared/practitioner-links'
import { formatWeekday } from '../lib/format'
import { pageCardWidth } from './card-width'
import { weekDates, weekLanes, weekMembers, weekRange } from './layout'
import { useWeek } from './state/week-store'

export function useWeekLanes(
  on: boolean,
  date: string,
  practitioner: string | null,
  links: PractitionerLink[],
  reference: Record<string, ReferenceData>,
  locale: string,
) {
  const dates = useMemo(() => weekDates(date), [date])
  const members = useMemo(() => weekMembers(practitioner, links), [practitioner, links])
  const connectionIds = useMemo(() => members.map((m) => m.connectionId), [members])
  const { days, loading, error, reload } = useWeek(on, connectionIds, dates)
  const current = on && connectionIds.length ? days : null
  const range = useMemo(() => weekRange(current ?? [], members), [current, members])
  const lanes = useMemo(
    () =>
      current && members.length
        ? weekLanes(current, members, reference, range, (d) => formatWeekday(d, locale), pageCardWidth())
        : [],
    [current, members, reference, range, locale],
  )
  const columns = useMemo(
    (): DayColumn[] | null => (current ? current.flatMap((d) => d.columns) : null),
    [current],
  )
  // Known before the week's days arrive: the heading does not change while they load.
  const first = members[0]
  const name = first
    ? reference[first.connectionId]?.practitioners.find((p) => p.ref === first.practitionerRef)?.name
    : undefined
  return { dates, lanes, range, columns, loading, error, name, chosen: members.length > 0, reload }
}
