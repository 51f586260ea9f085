import { memo, useCallback, useEffect, useLayoutEffect, useRef } from 'react'
import type { PatientHit } from '../../../shared/contract'
import { PatientIdentity } from '../components/PatientIdentity'
import { formatPhone } from '../patients/input'
import { useAppStore } from '../state/app-store'

/** One found patient: name, date of birth with age, NHS number or the clinic's id, phone, clinic. */
export function PatientHitContent({ hit }: { hit: PatientHit }) {
  const connection = useAppStore((s) => s.connections.find((c) => c.id === hit.connectionId))
  return (
    <>
      <PatientIdentity
        givenName={hit.givenName}
        familyName={hit.familyName}
        birthDate={hit.birthDate}
        nhsNumber={hit.nhsNumber}
        vendorRef={hit.ref}
        vendorLabel="Clinic ID"
        timeZone={connection?.timeZone ?? 'Europe/London'}
        compact
      />
      <span className="hit-phone">{hit.phone ? formatPhone(hit.phone) : 'No phone'}</span>
      <span className="hit-clinic">{connection?.label ?? ''}</span>
      {hit.matchedOn === 'similar-name' && (
        <span className="hit-similar" data-testid="hit-similar">
          Similar name: not an exact match for what was typed
        </span>
      )}
    </>
  )
}

/** The listbox of found patients, shared by the header search and the Patients screen. */
export function PatientHitList(props: {
  id: string
  hits: PatientHit[]
  active: number
  label: string
  busy: boolean
  onChoose(hit: PatientHit): void
  onHover?(index: number): void
}) {
  // The highlighted row stays in view while arrowing: Enter opens the patient the receptionist sees.
  const activeId = props.hits[props.active]?.id
  useEffect(() => {
    if (activeId) document.getElementById(`${props.id}-${activeId}`)?.scrollIntoView({ block: 'nearest' })
  }, [props.id, activeId])
  // The rows get callbacks that never change, so a keystroke (which re-renders the list as busy
  // while the same rows stay on screen) does not render every row again.
  const handlers = useRef({ onChoose: props.onChoose, onHover: props.onHover })
  useLayoutEffect(() => {
    handlers.current = { onChoose: props.onChoose, onHover: props.onHover }
  })
  const choose = useCallback((hit: PatientHit) => handlers.current.onChoose(hit), [])
  const hover = useCallback((index: number) => handlers.current.onHover?.(index), [])
  return (
    <ul id={props.id} role="listbox" aria-label={props.label} aria-busy={props.busy} className="hit-list">
      {props.hits.map((h, i) => (
        <HitRow
          key={h.id}
          listId={props.id}
          hit={h}
          index={i}
          active={i === props.active}
          onChoose={choose}
          onHover={hover}
        />
      ))}
    </ul>
  )
}

const HitRow = memo(function HitRow(props: {
  listId: string
  hit: PatientHit
  index: number
  active: boolean
  onChoose(hit: PatientHit): void
  onHover(index: number): void
}) {
  const { hit, index } = props
  return (
    <li
      id={`${props.listId}-${hit.id}`}
      role="option"
      // Reachable by script, never a tab stop: focus stays in the search box (aria-activedescendant).
      tabIndex={-1}
      aria-selected={props.active}
      className={`hit${props.active ? ' is-active' : ''}${hit.matchedOn === 'similar-name' ? ' is-similar' : ''}`}
      data-testid="patient-hit"
      onMouseDown={(e) => {
        e.preventDefault()
        props.onChoose(hit)
      }}
      onMouseMove={() => props.onHover(index)}
    >
      <PatientHitContent hit={hit} />
    </li>
  )
})
