/**
 * Appointment type colours, in settings: each clinic system's types with the colour they have on
 * the day book (chosen here, or picked from the type until someone chooses).
 */
import { useId, useState } from 'react'
import type { Connection } from '../../../shared/model'
import {
  typeColourHex,
  typeColourKey,
  typeColourPalette,
  defaultTypeColour,
  type TypeColour,
} from '../../../shared/type-colours'
import { useAppStore } from '../state/app-store'
import { useReference } from '../state/reference-store'
import { useShallow } from 'zustand/react/shallow'

function ConnectionTypes({ connection }: { connection: Connection }) {
  const reference = useReference(connection.id)
  const { typeColours, setTypeColour } = useAppStore(
    useShallow((s) => ({ typeColours: s.typeColours, setTypeColour: s.setTypeColour })),
  )
  const uid = useId()
  const [error, setError] = useState<string | null>(null)
  if (!reference) return <p className="muted">{connection.label}: reading its appointment types…</p>
  return (
    <fieldset className="type-colours">
      <legend>{connection.label}</legend>
      {reference.appointmentTypes.length === 0 && <p className="muted">No appointment types.</p>}
      <ul className="type-colour-list">
        {reference.appointmentTypes.map((t, i) => {
          const key = typeColourKey(connection.id, t.ref)
          const id = `${uid}-${i}`
          return (
            <li key={t.ref} className="type-colour-row">
              <span
                className="type-swatch"
                aria-hidden="true"
                style={{ '--type-colour': typeColourHex(key, typeColours) } as React.CSSProperties}
              />
              <label htmlFor={id}>{t.name}</label>
              <select
                id={id}
                value={typeColours[key] ?? defaultTypeColour(key)}
                onChange={(e) =>
                  void setTypeColour(connection.id, t.ref, e.target.value as TypeColour).then((err) =>
                    setError(err?.message ?? null),
                  )
                }
              >
                {typeColourPalette.map((c) => (
                  <option key={c.key} value={c.key}>
                    {c.label}
                  </option>
                ))}
              </select>
            </li>
          )
        })}
      </ul>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </fieldset>
  )
}

export function TypeColours() {
  const connections = useAppStore((s) => s.connections)
  return (
    <section className="panel" aria-labelledby="type-colours-heading" data-testid="type-colours">
      <h3 id="type-colours-heading">Appointment type colours</h3>
      <p className="field-hint">
        The stripe on each day book card. The type is also written on the card, so colour is never the only
        sign.
      </p>
      {connections.map((c) => (
        <ConnectionTypes key={c.id} connection={c} />
      ))}
    </section>
  )
}
