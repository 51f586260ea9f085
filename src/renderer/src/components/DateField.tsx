/**
 * The one way a date is entered: typed in the clinic locale's order (day first in en-GB) and read
 * on Enter or on leaving the field, or picked from a month calendar; a clear message when it is
 * not a date or out of range. Never a native date input (it follows the browser's locale, not
 * the clinic's, and hands half-typed years such as 0002 to the screen).
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import {
  addDays,
  datePattern,
  dayInWords,
  daysInMonth,
  formatDateEntry,
  parseDateEntry,
  type DateLimits,
} from '../lib/date-entry'

interface Props extends DateLimits {
  label: string
  /** Keep the label for screen readers only (a toolbar with room for the field alone). */
  hideLabel?: boolean
  value: string
  locale: string
  onChange(date: string): void
  className?: string
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

export function DateField({ label, hideLabel, value, locale, onChange, min, max, className }: Props) {
  const id = useId()
  const [text, setText] = useState(() => formatDateEntry(value, locale))
  const [problem, setProblem] = useState<string | null>(null)
  const [picking, setPicking] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  const limits = { ...(min ? { min } : {}), ...(max ? { max } : {}) }

  // A new value from outside (Previous, Next, Today) replaces whatever was typed.
  const [shownFor, setShownFor] = useState(`${value}|${locale}`)
  if (shownFor !== `${value}|${locale}`) {
    setShownFor(`${value}|${locale}`)
    setText(formatDateEntry(value, locale))
    setProblem(null)
  }

  const commit = () => {
    if (text.trim() === formatDateEntry(value, locale)) {
      setProblem(null)
      return
    }
    const r = parseDateEntry(text, locale, limits)
    if (!r.ok) {
      setProblem(r.message)
      return
    }
    setProblem(null)
    setText(formatDateEntry(r.date, locale))
    if (r.date !== value) onChange(r.date)
  }

  const pick = (date: string) => {
    setPicking(false)
    setProblem(null)
    setText(formatDateEntry(date, locale))
    if (date !== value) onChange(date)
    input.current?.focus()
  }

  return (
    <div className={`date-field ${className ?? ''}`} data-testid="date-field">
      <label htmlFor={`${id}-input`} className={hideLabel ? 'visually-hidden' : 'date-field-label'}>
        {label}
      </label>
      <div className="date-field-row">
        <input
          ref={input}
          id={`${id}-input`}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          placeholder={datePattern(locale)}
          size={11}
          value={text}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : `${id}-hint`}
          onChange={(e) => {
            setText(e.target.value)
            // A complete date (four-digit year) goes at once; slips are named on Enter or leaving.
            const r = parseDateEntry(e.target.value, locale, limits)
            if (r.ok && /\d{4}/.test(e.target.value)) {
              setProblem(null)
              if (r.date !== value) onChange(r.date)
            }
          }}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              commit()
            } else if (e.key === 'Escape' && text !== formatDateEntry(value, locale)) {
              e.stopPropagation()
              setText(formatDateEntry(value, locale))
              setProblem(null)
            }
          }}
        />
        <button
          type="button"
          className="secondary date-field-pick"
          aria-label="Open the calendar"
          title={`${label}: choose from a calendar`}
          aria-expanded={picking}
          onClick={() => setPicking((p) => !p)}
        >
          <span aria-hidden="true">▦</span>
        </button>
      </div>
      <span id={`${id}-hint`} className="visually-hidden">
        Day, month and year as {datePattern(locale)}; Enter to go.
      </span>
      {problem ? (
        <span id={`${id}-problem`} className="date-field-problem" role="alert">
          {problem}
        </span>
      ) : null}
      {picking ? (
        <MonthCalendar
          value={value}
          locale={locale}
          {...(min ? { min } : {})}
          {...(max ? { max } : {})}
          label={label}
          onPick={pick}
          onClose={() => {
            setPicking(false)
            input.current?.focus()
          }}
        />
      ) : null}
    </div>
  )
}

function MonthCalendar({
  value,
  locale,
  min,
  max,
  label,
  onPick,
  onClose,
}: DateLimits & { value: string; locale: string; label: string; onPick(d: string): void; onClose(): void }) {
  const [month, setMonth] = useState(() => value.slice(0, 7))
  const [y, m] = month.split('-').map(Number) as [number, number]
  const first = `${month}-01`
  const grid = useMemo(() => {
    const weekday = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7
    const days = daysInMonth(y, m)
    const cells: (string | null)[] = Array.from({ length: weekday }, () => null)
    for (let d = 1; d <= days; d++) cells.push(addDays(first, d - 1))
    while (cells.length % 7) cells.push(null)
    return Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7))
  }, [y, m, first])
  const title = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  )
  // The day before the 1st is in the month before; 31 days after it, in the month after.
  const shift = (by: number) => setMonth(addDays(first, by < 0 ? -1 : 31).slice(0, 7))
  const outside = (d: string) => (min ? d < min : false) || (max ? d > max : false)
  const box = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const days = box.current?.querySelector<HTMLButtonElement>('button.date-cal-day[aria-pressed="true"]')
    ;(days ?? box.current?.querySelector<HTMLButtonElement>('button.date-cal-day:enabled'))?.focus()
  }, [])

  return (
    <div
      ref={box}
      className="date-cal"
      role="group"
      aria-label={`${label}: calendar`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation()
          onClose()
        }
      }}
    >
      <div className="date-cal-head">
        <button type="button" className="secondary" onClick={() => shift(-1)} aria-label="Previous month">
          ‹
        </button>
        <span aria-live="polite">{title}</span>
        <button type="button" className="secondary" onClick={() => shift(1)} aria-label="Next month">
          ›
        </button>
      </div>
      <table className="date-cal-grid">
        <thead>
          <tr>
            {WEEKDAYS.map((w) => (
              <th key={w} scope="col">
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.map((week, i) => (
            <tr key={i}>
              {week.map((d, j) => (
                <td key={j}>
                  {d ? (
                    <button
                      type="button"
                      className="date-cal-day"
                      aria-label={dayInWords(d)}
                      aria-pressed={d === value}
                      disabled={outside(d)}
                      onClick={() => onPick(d)}
                    >
                      {Number(d.slice(8))}
                    </button>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
