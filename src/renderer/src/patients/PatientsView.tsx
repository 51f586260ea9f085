import { DidYouMean } from '../search/DidYouMean'
import { useRef } from 'react'
import type { PatientHit } from '../../../shared/contract'
import { PatientHitList } from '../search/PatientHitRow'
import { usePatientSearch } from '../search/usePatientSearch'
import { useAppStore } from '../state/app-store'
import { useUi } from '../state/ui-store'
import { NewPatientForm } from './NewPatientForm'
import { type PatientsMode, usePatients } from './patients-store'
import { TraceForm } from './TraceForm'
import { useShallow } from 'zustand/react/shallow'

const LIST_ID = 'patients-results'

/** The Patients screen: the same search as the header with a longer list, a new patient, the NHS trace. */
export function PatientsView() {
  const { mode, setMode } = usePatients(useShallow((s) => ({ mode: s.mode, setMode: s.setMode })))
  const connections = useAppStore((s) => s.connections)
  const canTrace = connections.some((c) => c.vendor === 'hero')
  const current: PatientsMode = mode === 'trace' && !canTrace ? 'search' : mode

  const tabs: { id: PatientsMode; label: string }[] = [
    { id: 'search', label: 'Find a patient' },
    { id: 'new', label: 'New patient' },
    ...(canTrace ? [{ id: 'trace' as const, label: 'NHS trace (Hero)' }] : []),
  ]

  return (
    <section className="patients-view" aria-labelledby="patients-heading">
      <div className="view-head">
        <h2 id="patients-heading">Patients</h2>
        <div className="segmented" role="group" aria-label="What to do">
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              className="segment"
              aria-pressed={current === t.id}
              onClick={() => setMode(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
      </div>
      {current === 'search' && <PatientSearchPanel onTrace={canTrace ? () => setMode('trace') : null} />}
      {current === 'new' && <NewPatientForm />}
      {current === 'trace' && <TraceForm />}
    </section>
  )
}

function PatientSearchPanel({ onTrace }: { onTrace: (() => void) | null }) {
  const s = usePatientSearch(100)
  const openPatient = useUi((u) => u.openPatient)
  const connections = useAppStore((c) => c.connections)
  const input = useRef<HTMLInputElement>(null)
  const choose = (hit: PatientHit | undefined) => hit && openPatient(hit.id)
  const activeHit = s.hits[s.active]
  const traceOnly = (s.answer?.result.traceOnly ?? [])
    .map((id) => connections.find((c) => c.id === id)?.label ?? id)
    .join(', ')

  return (
    <div className="panel patients-search">
      <label htmlFor="patients-search-input" className="field-label">
        Name, date of birth, NHS number, phone or postcode
      </label>
      <input
        id="patients-search-input"
        ref={input}
        className="wide-input"
        type="search"
        autoComplete="off"
        spellCheck={false}
        autoFocus
        value={s.text}
        role="combobox"
        aria-expanded={!!s.text.trim()}
        aria-autocomplete="list"
        aria-controls={LIST_ID}
        aria-describedby="patients-search-hint"
        aria-activedescendant={activeHit ? `${LIST_ID}-${activeHit.id}` : undefined}
        onChange={(e) => s.setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') s.move(1)
          else if (e.key === 'ArrowUp') s.move(-1)
          else if (e.key === 'Enter') s.enter(choose)
          else if (e.key === 'Escape') s.setText('')
          else return
          e.preventDefault()
        }}
      />
      <p id="patients-search-hint" className="search-hint" aria-live="polite">
        {!s.text.trim()
          ? 'Type a surname (or its first letters), a date of birth day first (12/03/1987), an NHS number or a phone number. Up and Down choose, Enter opens.'
          : s.answer
            ? `${s.answer.result.interpretedAs.length ? `Looking for: ${s.answer.result.interpretedAs.join(' · ')}. ` : ''}${s.pending ? 'Searching…' : `${s.hits.length} found.`}`
            : 'Searching…'}
      </p>
      {s.answer?.result.problem && (
        <p className="search-problem" role="alert">
          {s.answer.result.problem}
        </p>
      )}
      {s.answer && !s.pending && <DidYouMean result={s.answer.result} typed={s.text} onChoose={s.setText} />}
      <div className="results-area">
        <PatientHitList
          id={LIST_ID}
          hits={s.hits}
          active={s.active}
          label="Patients found"
          busy={s.pending}
          onChoose={choose}
          onHover={s.setActive}
        />
        {s.answer && !s.pending && s.hits.length === 0 && !s.answer.result.problem && (
          <p className="search-empty">
            No patient in Frontdesk matches “{s.text.trim()}”. Check the spelling, or register a new patient.
          </p>
        )}
      </div>
      {onTrace && (
        <p className="trace-note">
          {traceOnly ? `${traceOnly}: ` : 'Hero Health clinics: '}
          patients are not searched as you type; they are found by an exact NHS trace.{' '}
          <button type="button" className="secondary" onClick={onTrace}>
            Trace a patient
          </button>
        </p>
      )}
    </div>
  )
}
