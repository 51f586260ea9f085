/**
 * The day book's filters: one site, one practitioner, one appointment type, or all. Choices are
 * offered from the day's lanes and the clinic systems' types, grouped by clinic system (the same
 * name in two clinic systems is two different things). A choice stays while the day changes.
 */
import { useId, useMemo } from 'react'
import { useUi } from '../state/ui-store'
import { practitionerKey, siteKey, type DayFilter, type Lane } from './layout'

interface Group {
  label: string
  options: { value: string; label: string }[]
}

/** One group per clinic system, in the lanes' order, each option once. */
function groups(lanes: Lane[], optionsOf: (l: Lane) => { value: string; label: string }[]): Group[] {
  const byConnection = new Map<string, Group & { seen: Set<string> }>()
  for (const l of lanes) {
    const g = byConnection.get(l.connectionId) ?? { label: l.connectionLabel, options: [], seen: new Set() }
    for (const o of optionsOf(l))
      if (!g.seen.has(o.value)) {
        g.seen.add(o.value)
        g.options.push(o)
      }
    byConnection.set(l.connectionId, g)
  }
  return [...byConnection.values()].map(({ label, options }) => ({ label, options }))
}

function Choice({
  label,
  all,
  value,
  options,
  onChange,
}: {
  label: string
  all: string
  value: string | null
  options: Group[]
  onChange(value: string | null): void
}) {
  // A choice no longer on offer (another day, a type gone) is still shown, so it can be cleared.
  const offered = options.some((g) => g.options.some((o) => o.value === value))
  const id = useId()
  return (
    <div className="day-filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{all}</option>
        {value && !offered ? <option value={value}>Not on this day</option> : null}
        {options.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  )
}

export function DayFilters({
  lanes,
  typeNames,
  shown,
  total,
}: {
  /** The day's lanes before filtering. */
  lanes: Lane[]
  /** Each type's name by `${connectionId}:${ref}`. */
  typeNames: Record<string, string>
  /** Appointments left after filtering, and on the day. */
  shown: number
  total: number
}) {
  const filter = useUi((s) => s.dayFilter)
  const setFilter = useUi((s) => s.setDayFilter)

  const sites = useMemo(
    () =>
      groups(lanes, (l) => [
        { value: siteKey(l.connectionId), label: `${l.connectionLabel}, every site` },
        ...(l.locationRef
          ? [{ value: siteKey(l.connectionId, l.locationRef), label: l.locationName ?? l.locationRef }]
          : []),
      ]),
    [lanes],
  )
  const practitioners = useMemo(
    () =>
      groups(lanes, (l) => [{ value: practitionerKey(l.connectionId, l.practitionerRef), label: l.name }]),
    [lanes],
  )
  const types = useMemo(
    () =>
      groups(lanes, (l) =>
        Object.keys(typeNames)
          .filter((k) => k.startsWith(`${l.connectionId}:`))
          .map((k) => ({ value: k, label: typeNames[k]! }))
          .sort((a, b) => a.label.localeCompare(b.label)),
      ),
    [lanes, typeNames],
  )
  const filtered = filter.site || filter.practitioner || filter.type
  const set = (key: keyof DayFilter) => (value: string | null) => setFilter({ [key]: value })

  return (
    <div className="day-filters" role="group" aria-label="Show only">
      <Choice label="Site" all="All sites" value={filter.site} options={sites} onChange={set('site')} />
      <Choice
        label="Practitioner"
        all="All practitioners"
        value={filter.practitioner}
        options={practitioners}
        onChange={set('practitioner')}
      />
      <Choice label="Type" all="All types" value={filter.type} options={types} onChange={set('type')} />
      {filtered ? (
        <>
          <span className="day-filter-count" data-testid="filter-count">
            Showing {shown} of {total} appointment{total === 1 ? '' : 's'}
          </span>
          <button
            type="button"
            className="secondary"
            onClick={() => setFilter({ site: null, practitioner: null, type: null })}
          >
            Show all
          </button>
        </>
      ) : null}
    </div>
  )
}
