import { useEffect, useRef, useState } from 'react'
import type { PatientSearchResult } from '../../../shared/contract'
import { api } from '../api/client'
import { PatientIdentity } from '../components/PatientIdentity'
import { useUi } from '../state/ui-store'

/** One search box reachable from anywhere (`/` or Ctrl+K): results while typing, Up/Down/Enter. */
export function GlobalSearch() {
  const { searchOpen, setSearchOpen, openPatient } = useUi()
  const [text, setText] = useState('')
  const [result, setResult] = useState<PatientSearchResult | null>(null)
  const [active, setActive] = useState(0)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (searchOpen) input.current?.focus()
  }, [searchOpen])

  useEffect(() => {
    if (!text.trim()) return
    let live = true
    void api.patients.search({ text, limit: 20 }).then((r) => {
      if (live && r.ok) {
        setResult(r.value)
        setActive(0)
      }
    })
    return () => {
      live = false
    }
  }, [text])

  // An empty box shows nothing, whatever the last answer was.
  const hits = text.trim() ? (result?.results ?? []) : []
  const choose = (i: number) => {
    const hit = hits[i]
    if (hit) {
      openPatient(hit.id)
      setText('')
    }
  }

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
        placeholder="Find a patient: name, date of birth, NHS number, phone  ( / )"
        value={text}
        onFocus={() => setSearchOpen(true)}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, hits.length - 1))
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0))
          else if (e.key === 'Enter') choose(active)
          else if (e.key === 'Escape') {
            setText('')
            setSearchOpen(false)
            input.current?.blur()
          } else return
          e.preventDefault()
        }}
        aria-controls="global-search-results"
        aria-activedescendant={hits[active] ? `hit-${hits[active]!.id}` : undefined}
      />
      {text.trim() && (
        <div className="search-popover">
          {result?.interpretedAs.length ? (
            <p className="search-hint">{result.interpretedAs.join(' · ')}</p>
          ) : null}
          {result?.problem && <p className="search-problem">{result.problem}</p>}
          <ul id="global-search-results" role="listbox" aria-label="Patients found">
            {hits.map((h, i) => (
              <li
                key={h.id}
                id={`hit-${h.id}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'is-active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault()
                  choose(i)
                }}
              >
                <PatientIdentity
                  givenName={h.givenName}
                  familyName={h.familyName}
                  birthDate={h.birthDate}
                  nhsNumber={h.nhsNumber}
                  vendorRef={h.ref}
                  compact
                />
                {h.phone && <span className="hit-phone">{h.phone}</span>}
              </li>
            ))}
          </ul>
          {result && hits.length === 0 && !result.problem && (
            <p className="search-empty">No patient matches.</p>
          )}
        </div>
      )}
    </div>
  )
}
