/**
 * Linked clinicians, in settings: one person who is a practitioner in two clinic systems (a GP
 * who also works at the practice next door) is linked here and shown as one lane in the day
 * book, so a clash across the two shows side by side. Frontdesk checks each practitioner exists.
 */
import { useEffect, useId, useState } from 'react'
import type { Connection } from '../../../shared/model'
import { memberKey, type LinkMember, type PractitionerLink } from '../../../shared/practitioner-links'
import { useAppStore } from '../state/app-store'
import { referenceOf, useReferences } from '../state/reference-store'

const parse = (value: string): LinkMember | null => {
  const at = value.indexOf('|')
  return at > 0 ? { connectionId: value.slice(0, at), practitionerRef: value.slice(at + 1) } : null
}

function PractitionerChoice({
  label,
  value,
  connections,
  onChange,
}: {
  label: string
  value: string
  connections: Connection[]
  onChange(value: string): void
}) {
  const id = useId()
  const reference = useReferences()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {connections.map((c) => (
          <optgroup key={c.id} label={c.label}>
            {(reference[c.id]?.practitioners ?? []).map((p) => (
              <option key={p.ref} value={memberKey({ connectionId: c.id, practitionerRef: p.ref })}>
                {p.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  )
}

export function PractitionerLinks() {
  const connections = useAppStore((s) => s.connections)
  const links = useAppStore((s) => s.practitionerLinks)
  const save = useAppStore((s) => s.setPractitionerLinks)
  const reference = useReferences()
  const [first, setFirst] = useState('')
  const [second, setSecond] = useState('')
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    for (const c of connections) void referenceOf(c.id)
  }, [connections])

  const name = (m: LinkMember) => {
    const c = connections.find((x) => x.id === m.connectionId)
    const p = reference[m.connectionId]?.practitioners.find((x) => x.ref === m.practitionerRef)
    return `${p?.name ?? m.practitionerRef} (${c?.label ?? m.connectionId})`
  }
  const change = async (next: PractitionerLink[]) => {
    const err = await save(next)
    setError(err?.message ?? null)
    return !err
  }
  const link = async () => {
    const a = parse(first)
    const b = parse(second)
    if (!a || !b) return setError('Choose the practitioner in each clinic system.')
    if (a.connectionId === b.connectionId)
      return setError(
        'Choose the same person in another clinic system: one clinic system lists each person once.',
      )
    const linked = new Set(links.flatMap((l) => l.members.map(memberKey)))
    if (linked.has(first) || linked.has(second))
      return setError('One of them is already linked: unlink that first.')
    if (await change([...links, { members: [a, b] }])) {
      setFirst('')
      setSecond('')
    }
  }

  if (connections.length < 2) return null
  return (
    <section className="panel" aria-labelledby="practitioner-links-heading" data-testid="practitioner-links">
      <h3 id="practitioner-links-heading">Same clinician in two clinic systems</h3>
      <p className="field-hint">
        Link a person who works in two of these clinic systems: the day book shows them in one lane, each
        appointment still sent to its own clinic system.
      </p>
      {links.length > 0 && (
        <ul className="link-list" aria-label="Linked clinicians">
          {links.map((l) => {
            const key = l.members.map(memberKey).join('+')
            return (
              <li key={key}>
                {l.members.map(name).join(' = ')}{' '}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void change(links.filter((x) => x !== l))}
                >
                  Unlink
                </button>
              </li>
            )
          })}
        </ul>
      )}
      <div className="form-row">
        <PractitionerChoice
          label="Practitioner"
          value={first}
          connections={connections}
          onChange={setFirst}
        />
        <PractitionerChoice
          label="Is the same person as"
          value={second}
          connections={connections}
          onChange={setSecond}
        />
        <button type="button" className="secondary" onClick={() => void link()}>
          Link
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  )
}
