import { DidYouMean } from './DidYouMean'
import { useEffect, useRef } from 'react'
import { HEADER_SEARCH, type PatientHit } from '../../../shared/contract'
import { usePatients } from '../patients/patients-store'
import { useUi } from '../state/ui-store'
import { PatientHitList } from './PatientHitRow'
import { usePatientSearch } from './usePatientSearch'
import { useShallow } from 'zustand/react/shallow'

const LIST_ID = 'global-search-results'

/**
 * One search box reachable from anywhere (`/` or Ctrl+K): results at every keystroke, Up/Down to
 * move, Enter to open the patient card, Escape to leave. The results float over the page, so
 * nothing below moves while they load.
 */
export function GlobalSearch() {
  const { searchOpen, setSearchOpen, openPatient, go } = useUi(
    useShallow((u) => ({
      searchOpen: u.searchOpen,
      setSearchOpen: u.setSearchOpen,
      openPatient: u.openPatient,
      go: u.go,
    })),
  )
  const setMode = usePatients((p) => p.setMode)
  const s = usePatientSearch(HEADER_SEARCH.limit, HEADER_SEARCH.countUpTo)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (searchOpen) input.current?.focus()
  }, [searchOpen])

  const choose = (hit: PatientHit | undefined) => {
    if (!hit) return
    openPatient(hit.id)
    s.setText('')
    input.current?.blur()
  }
  const open = searchOpen && !!s.text.trim()
  const activeHit = s.hits[s.active]
  const traceOnly = s.answer?.result.traceOnly?.length ? s.answer.result.traceOnly : null

  return (
    <div className="global-search" role="search">
      <label htmlFor="global-search-input" className="visually-hidden">
        Find a patient
      </label>
      <input
        id="global-search-input"
        ref={input}
        type="search"
        autoComplete="off"
        spellCheck={false}
        placeholder="Find a patient: name, date of birth, NHS number, phone  ( / )"
        value={s.text}
        role="combobox"
        aria-expanded={open}
        aria-autocomplete="list"
        aria-controls={LIST_ID}
        aria-describedby="global-search-status"
        aria-activedescendant={open && activeHit ? `${LIST_ID}-${activeHit.id}` : undefined}
        onFocus={() => setSearchOpen(true)}
        onBlur={() => setSearchOpen(false)}
        onChange={(e) => {
          setSearchOpen(true)
          s.setText(e.target.value)
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') s.move(1)
          else if (e.key === 'ArrowUp') s.move(-1)
          else if (e.key === 'Enter') s.enter(choose)
          else if (e.key === 'Escape') {
            s.setText('')
            setSearchOpen(false)
            input.current?.blur()
          } else return
          e.preventDefault()
        }}
      />
      <p id="global-search-status" className="visually-hidden" aria-live="polite">
        {open && s.answer && !s.pending
          ? `${s.hits.length} patient${s.hits.length === 1 ? '' : 's'} shown${s.more ? `, ${s.moreCapped ? 'more than ' : ''}${s.more} more match` : ''}`
          : ''}
      </p>
      {open && (
        <div className="search-popover" data-testid="search-popover">
          <p className="search-hint">
            {s.answer?.result.interpretedAs.length
              ? `Looking for: ${s.answer.result.interpretedAs.join(' · ')}`
              : s.pending
                ? 'Searching…'
                : '\u00a0'}
          </p>
          {s.answer?.result.problem && <p className="search-problem">{s.answer.result.problem}</p>}
          {s.answer && !s.pending && (
            <DidYouMean result={s.answer.result} typed={s.text} onChoose={s.setText} />
          )}
          <PatientHitList
            id={LIST_ID}
            hits={s.hits}
            active={s.active}
            label="Patients found"
            busy={s.pending}
            onChoose={choose}
            onHover={s.setActive}
          />
          {s.more > 0 && (
            <p className="search-more" data-testid="search-more">
              {s.moreCapped ? `More than ${s.more}` : s.more} more patient{s.more === 1 ? '' : 's'} match
              beyond these {s.hits.length}: type more of the name, or add the date of birth.
            </p>
          )}
          {s.answer && !s.pending && s.hits.length === 0 && !s.answer.result.problem && (
            <p className="search-empty">No patient in Frontdesk matches “{s.text.trim()}”.</p>
          )}
          {traceOnly && (
            <p className="search-trace">
              Hero Health patients are found by an NHS trace.{' '}
              <button
                type="button"
                className="link-button inline-link"
                onMouseDown={(e) => {
                  e.preventDefault()
                  setMode('trace')
                  go('patients')
                  setSearchOpen(false)
                  input.current?.blur()
                }}
              >
                Trace a patient
              </button>
            </p>
          )}
        </div>
      )}
    </div>
  )
}
