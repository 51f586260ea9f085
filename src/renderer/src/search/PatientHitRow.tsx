import { useEffect } from 'react'
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
  return (
    <ul id={props.id} role="listbox" aria-label={props.label} aria-busy={props.busy} className="hit-list">
      {props.hits.map((h, i) => (
        <li
          key={h.id}
          id={`${props.id}-${h.id}`}
          role="option"
          // Reachable by script, never a tab stop: focus stays in the search box (aria-activedescendant).
          tabIndex={-1}
          aria-selected={i === props.active}
          className={`hit${i === props.active ? ' is-active' : ''}${h.matchedOn === 'similar-name' ? ' is-similar' : ''}`}
          data-testid="patient-hit"
          onMouseDown={(e) => {
            e.preventDefault()
            props.onChoose(h)
          }}
          onMouseMove={() => props.onHover?.(i)}
        >
          <PatientHitContent hit={h} />
        </li>
      ))}
    </ul>
  )
}
