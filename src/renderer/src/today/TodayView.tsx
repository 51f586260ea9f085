/**
 * Today: the day book for the chosen date in the clinic's zone, one lane per practitioner, with
 * the appointment drawer. Arrow keys move between appointments, Enter opens one.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { DayColumn } from '../../../shared/contract'
import { CopyNotices } from '../components/CopyNotices'
import { DateField } from '../components/DateField'
import { addYears } from '../lib/date-entry'
import { DEFAULT_LOCALE, formatDay, formatWeekday, formatZoneName, todayIn } from '../lib/format'
import { localToInstant } from '../../../shared/instant'
import { typeColourHex, typeColourKey } from '../../../shared/type-colours'
import { useAppStore } from '../state/app-store'
import { useReferences } from '../state/reference-store'
import { useUi } from '../state/ui-store'
import { AppointmentDrawer } from './AppointmentDrawer'
import { DayGrid } from './DayGrid'
import { DayFilters } from './DayFilters'
import { pageCardWidth } from './card-width'
import { filterLanes, hhmm, layoutDay, practitionerIn } from './layout'
import { loadDay, useDay } from './state/today-store'
import { dropRefusal, type Drop } from './useDragToMove'
import { useWeekLanes } from './useWeekLanes'
import { useShallow } from 'zustand/react/shallow'

const DEFAULT_ZONE = 'Europe/London'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export function shiftDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10)
}

function findOpened(appointmentId: string | null, columns: DayColumn[] | null) {
  if (!appointmentId || !columns) return null
  for (const c of columns) {
    const a = c.appointments.find((x) => x.id === appointmentId)
    if (a && a.id) return { a: { ...a, id: a.id }, c }
  }
  return null
}

/** One empty day, so a day not read yet is laid out once, not on every render. */
const NO_COLUMNS: DayColumn[] = []

export function TodayView() {
  const connections = useAppStore((s) => s.connections)
  const status = useAppStore((s) => s.status)
  const offline = useMemo(() => new Set(status.filter((s) => !s.online).map((s) => s.connectionId)), [status])
  const timeZone = connections[0]?.timeZone ?? DEFAULT_ZONE
  const locale = connections[0]?.locale ?? DEFAULT_LOCALE
  const {
    date: chosen,
    setDate,
    appointmentId,
    openAppointment,
  } = useUi(
    useShallow((u) => ({
      date: u.date,
      setDate: u.setDate,
      appointmentId: u.appointmentId,
      openAppointment: u.openAppointment,
    })),
  )
  const date = chosen ?? todayIn(timeZone)
  const { columns: read, loading, error } = useDay(date)
  const columns = read ?? null
  const reference = useReferences()
  const [focusedId, setFocusedId] = useState<string | null>(null)

  // Choosing a date asks the clinic systems; what the copy already holds shows meanwhile. Asked in
  // a task of its own, so the switch's render is not one long task with the request; dates passed
  // through quickly (Next day, Next day…) are not asked for at all.
  useEffect(() => {
    const ask = setTimeout(() => void loadDay(date), 0)
    return () => clearTimeout(ask)
  }, [date])

  // Bookings made elsewhere (the clinic system, online booking) arrive with the background
  // refresh, whose progress event re-reads the day (today-store): nothing here polls.

  const shown = columns
  // A clinician linked across clinic systems in settings is one lane.
  const links = useAppStore((s) => s.practitionerLinks)
  const { range: dayHours, lanes: allLanes } = useMemo(
    () => layoutDay(shown ?? NO_COLUMNS, reference, links, pageCardWidth()),
    [shown, reference, links],
  )
  const filter = useUi((s) => s.dayFilter)
  const mode = useUi((s) => s.dayMode)
  const setMode = useUi((s) => s.setDayMode)
  // The week view: one practitioner's seven days side by side, the day book's filters still on.
  const week = useWeekLanes(mode === 'week', date, filter.practitioner, links, reference, locale)
  const weekOn = mode === 'week' && week.chosen
  const lanes = useMemo(
    () =>
      weekOn
        ? filterLanes(week.lanes, { site: null, practitioner: null, type: filter.type })
        : filterLanes(allLanes, filter),
    [weekOn, week.lanes, allLanes, filter],
  )
  const range = weekOn ? week.range : dayHours
  const gridColumns = weekOn ? week.columns : shown
  const typeNames = useMemo(() => {
    const names: Record<string, string> = {}
    for (const r of Object.values(reference))
      for (const t of r.appointmentTypes) names[typeColourKey(r.connectionId, t.ref)] = t.name
    return names
  }, [reference])
  // The types on this day, for the colour key above the grid: per clinic system (the same name
  // may be a different type, with its own colour, in another one), most booked first.
  const typesToday = useMemo(() => {
    const groups = new Map<string, { label: string; count: Map<string, number> }>()
    for (const l of lanes)
      for (const p of l.items)
        if (p.a.appointmentTypeRef) {
          const k = typeColourKey(l.connectionId, p.a.appointmentTypeRef)
          if (!typeNames[k]) continue
          const g = groups.get(l.connectionId) ?? {
            label: l.connectionLabel,
            count: new Map<string, number>(),
          }
          g.count.set(k, (g.count.get(k) ?? 0) + 1)
          groups.set(l.connectionId, g)
        }
    return [...groups].map(([connectionId, g]) => ({
      connectionId,
      label: g.label,
      keys: [...g.count].sort((a, b) => b[1] - a[1]).map(([k]) => k),
    }))
  }, [lanes, typeNames])
  const chosenColours = useAppStore((s) => s.typeColours)
  const typeColours = useMemo(
    () => Object.fromEntries(Object.keys(typeNames).map((k) => [k, typeColourHex(k, chosenColours)])),
    [typeNames, chosenColours],
  )

  const open = useCallback((id: string) => openAppointment(id), [openAppointment])
  const proposeMove = useUi((s) => s.proposeMove)
  const notify = useUi((s) => s.notify)
  // A card dropped on another time: the drawer opens on the reschedule step with that time
  // chosen; the move is only made when confirmed there, exactly as a chosen slot is.
  const move = useCallback(
    (drop: Drop) => {
      const { placed, from, to, minutes } = drop
      const refused = dropRefusal(placed, from, to)
      if (refused) return void notify(refused, 'warning')
      const a = placed.a
      const day = to.day ?? date
      const read = localToInstant(day, hhmm(minutes), to.timeZone, locale)
      if (!read.ok) return void notify(read.message, 'warning')
      if (!a.start || !a.end)
        return void notify('This appointment has no length to keep: use Reschedule.', 'warning')
      if (read.instant === a.start && practitionerIn(to, a.connectionId) === a.practitionerRef) return
      const end = new Date(Date.parse(read.instant) + Date.parse(a.end) - Date.parse(a.start)).toISOString()
      proposeMove({
        appointmentId: placed.id,
        start: read.instant,
        end,
        practitionerRef: practitionerIn(to, a.connectionId)!,
      })
    },
    [date, locale, notify, proposeMove],
  )
  const close = useCallback(() => {
    const id = appointmentId
    openAppointment(null)
    // Focus goes back to the card only if nothing took it meanwhile: a `/` pressed right after
    // Close has put it in the search box, and the next keystrokes belong there.
    if (id)
      requestAnimationFrame(() => {
        const taken = document.activeElement && document.activeElement !== document.body
        if (!taken) document.querySelector<HTMLElement>(`[data-appointment-id="${CSS.escape(id)}"]`)?.focus()
      })
  }, [appointmentId, openAppointment])

  const opened = findOpened(appointmentId, weekOn ? week.columns : columns)

  const total = (shown ?? []).reduce((n, c) => n + c.appointments.length, 0)
  const showing = lanes.reduce((n, l) => n + l.items.length, 0)
  const weekTotal = week.lanes.reduce((n, l) => n + l.items.length, 0)
  const isToday = date === todayIn(timeZone)

  return (
    <div className="today">
      <div className="today-toolbar">
        <h2 className="today-title">
          {weekOn
            ? `${week.name ?? 'Practitioner'}: week of ${formatWeekday(week.dates[0]!, locale)} – ${formatWeekday(week.dates[6]!, locale)}`
            : `${isToday ? 'Today, ' : ''}${formatDay(date)}`}
        </h2>
        <div className="segmented" role="group" aria-label="Show">
          {(['day', 'week'] as const).map((m) => (
            <button
              key={m}
              type="button"
              className="segment"
              aria-pressed={mode === m}
              onClick={() => setMode(m)}
            >
              {m === 'day' ? 'Day' : 'Week'}
            </button>
          ))}
        </div>
        <div className="today-nav" role="group" aria-label="Choose the day">
          <button
            type="button"
            className="secondary"
            onClick={() => setDate(shiftDate(date, weekOn ? -7 : -1))}
            aria-label={weekOn ? 'Previous week' : 'Previous day'}
          >
            ‹ Previous
          </button>
          <DateField
            className="today-date"
            label="Date"
            hideLabel
            value={date}
            locale={locale}
            min={addYears(todayIn(timeZone), -3)}
            max={addYears(todayIn(timeZone), 3)}
            onChange={setDate}
          />
          <button
            type="button"
            className="secondary"
            onClick={() => setDate(shiftDate(date, weekOn ? 7 : 1))}
            aria-label={weekOn ? 'Next week' : 'Next day'}
          >
            Next ›
          </button>
          <button type="button" className="secondary" onClick={() => setDate(null)} disabled={isToday}>
            Today
          </button>
        </div>
        <button
          type="button"
          className="secondary"
          onClick={() => (weekOn ? void week.reload() : void loadDay(date))}
        >
          Refresh
        </button>
        <p className="today-zone">Times in {formatZoneName(timeZone, date)}</p>
      </div>
      <div className="today-notices" aria-live="polite">
        <CopyNotices
          error={weekOn ? week.error : error}
          columns={weekOn ? (week.columns?.filter((c) => c.fromCache).slice(0, 1) ?? null) : shown}
        />
        <p className="today-summary">
          {weekOn
            ? week.columns
              ? `${plural(weekTotal, 'appointment')} with ${week.name ?? 'them'} this week`
              : 'Loading the week…'
            : shown
              ? `${plural(total, 'appointment')} across ${allLanes.length} columns`
              : 'Loading the day…'}
          {(weekOn ? week.loading && week.columns : loading && shown) ? ' · updating…' : ''}
        </p>
        {shown ? (
          <DayFilters
            lanes={allLanes}
            typeNames={typeNames}
            shown={showing}
            total={weekOn ? weekTotal : total}
          />
        ) : null}
        {mode === 'week' && !week.chosen ? (
          <p className="day-filter-empty" role="status">
            Choose a practitioner above to see their week.
          </p>
        ) : null}
        {typesToday.length > 0 && (
          // Folded by default: with several clinic systems the key takes lines the grid needs.
          <details className="type-key" data-testid="type-key">
            <summary>
              Type colours ({typesToday.reduce((n, g) => n + g.keys.length, 0)} types on this day)
            </summary>
            {typesToday.map((g) => (
              <ul
                key={g.connectionId}
                aria-label={`Appointment type colours, ${g.label}`}
                data-connection={g.connectionId}
              >
                <li className="type-key-clinic">{g.label}:</li>
                {g.keys.map((k) => (
                  <li key={k}>
                    <span
                      className="type-swatch"
                      aria-hidden="true"
                      style={{ '--type-colour': typeColours[k] } as React.CSSProperties}
                    />{' '}
                    {typeNames[k]}
                  </li>
                ))}
              </ul>
            ))}
          </details>
        )}
      </div>
      <div className="today-body">
        {mode === 'week' && !week.chosen ? null : gridColumns && lanes.length === 0 && allLanes.length > 0 ? (
          <p className="day-filter-empty" role="status">
            No practitioner on this day matches the filters above.
          </p>
        ) : gridColumns ? (
          <DayGrid
            lanes={lanes}
            range={range}
            date={weekOn ? '' : date}
            timeZone={timeZone}
            typeNames={typeNames}
            typeColours={typeColours}
            focusedId={focusedId}
            offline={offline}
            onFocusId={setFocusedId}
            onOpen={open}
            onMove={move}
          />
        ) : (
          <div
            className="day-scroller day-skeleton"
            role="region"
            aria-busy="true"
            aria-label="Loading the day book"
          >
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="day-skeleton-lane" />
            ))}
          </div>
        )}
        {opened ? (
          <AppointmentDrawer
            key={opened.a.id}
            appointment={opened.a}
            connectionLabel={opened.c.label}
            timeZone={opened.c.timeZone}
            practitioners={reference[opened.c.connectionId]?.practitioners ?? opened.c.practitioners}
            typeName={
              opened.a.appointmentTypeRef
                ? typeNames[`${opened.c.connectionId}:${opened.a.appointmentTypeRef}`]
                : undefined
            }
            onClose={close}
          />
        ) : null}
      </div>
    </div>
  )
}
