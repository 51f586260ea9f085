/**
 * The people at the desk, in settings: each with a short PIN, so the audit log names who did what
 * and the screen locks when left idle. Only names are shown; a PIN is typed twice and never shown.
 */
import { useId, useState } from 'react'
import type { DeskState } from '../../../shared/contract'
import type { AppError } from '../../../shared/result'
import { api } from '../api/client'
import { useDesk } from '../desk/desk-store'
import { checkNewPerson, fieldMessage } from '../forms/contract-check'
import { useUi } from '../state/ui-store'
import { Field, fieldErrors } from './fields'

function AddPerson({ first }: { first: boolean }) {
  const apply = useDesk((s) => s.apply)
  const notify = useUi((s) => s.notify)
  const uid = useId()
  const [name, setName] = useState('')
  const [pin, setPin] = useState('')
  const [again, setAgain] = useState('')
  const [submitted, setSubmitted] = useState(false)
  const [error, setError] = useState<AppError | null>(null)

  // What Add person sends, checked by the contract (a PIN is 4 to 8 digits) in the service's words;
  // only the PIN typed again is the form's own to check. Said once Add person is pressed, or at
  // once for a PIN already too long.
  const request = { name, pin }
  const checked = checkNewPerson(request, again)
  const refusedAt = error?.field === 'name' || error?.field === 'pin' ? error.field : ''
  const shown = (f: 'name' | 'pin' | 'again' | '') =>
    (error && refusedAt === f ? fieldMessage(error) : undefined) ??
    (submitted || (f === 'pin' && pin.length > 8) ? checked[f] : undefined)
  const edit = (set: (v: string) => void) => (v: string) => {
    set(v)
    setError(null)
  }

  async function add(e: React.FormEvent) {
    e.preventDefault()
    setSubmitted(true)
    setError(null)
    if (Object.values(checked).some(Boolean)) return
    const err = apply(await api.staff.add(request))
    setError(err)
    if (err) return
    setSubmitted(false)
    notify(
      first
        ? `${name.trim()} added and at the desk. Frontdesk now locks when left idle; unlock with the PIN.`
        : `${name.trim()} added: they unlock with their own PIN.`,
      'success',
    )
    setName('')
    setPin('')
    setAgain('')
  }

  return (
    <form className="inline-form desk-add" onSubmit={(e) => void add(e)} noValidate aria-label="Add a person">
      <Field id={`${uid}-name`} label="Name" error={shown('name') ?? shown('')}>
        {(a) => (
          <input {...a} value={name} onChange={(e) => edit(setName)(e.target.value)} autoComplete="off" />
        )}
      </Field>
      <Field id={`${uid}-pin`} label="PIN (4 to 8 digits)" error={shown('pin')}>
        {(a) => (
          <input
            {...a}
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            value={pin}
            onChange={(e) => edit(setPin)(e.target.value.replace(/\D/g, ''))}
          />
        )}
      </Field>
      <Field id={`${uid}-again`} label="PIN again" error={shown('again')}>
        {(a) => (
          <input
            {...a}
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            value={again}
            onChange={(e) => edit(setAgain)(e.target.value.replace(/\D/g, ''))}
          />
        )}
      </Field>
      <button type="submit">Add person</button>
    </form>
  )
}

function IdleLock({ desk }: { desk: DeskState }) {
  const apply = useDesk((s) => s.apply)
  const notify = useUi((s) => s.notify)
  const uid = useId()
  const [draft, setDraft] = useState<string | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const value = draft ?? String(desk.idleLockMinutes)
  const { byField, general } = fieldErrors(error)

  async function save(e: React.FormEvent) {
    e.preventDefault()
    const minutes = Number(value)
    const err = apply(await api.desk.setIdleLock({ minutes: Number.isFinite(minutes) ? minutes : 0 }))
    setError(err)
    if (err) return
    setDraft(null)
    notify(
      `Frontdesk locks after ${minutes} minute${minutes === 1 ? '' : 's'} without a key or a click.`,
      'success',
    )
  }

  return (
    <form className="inline-form" onSubmit={(e) => void save(e)} noValidate aria-label="Idle lock">
      <Field
        id={`${uid}-idle`}
        label="Lock after (minutes idle)"
        error={byField.minutes ?? general ?? undefined}
      >
        {(a) => (
          <input
            {...a}
            inputMode="numeric"
            value={value}
            onChange={(e) => setDraft(e.target.value)}
            size={4}
          />
        )}
      </Field>
      <button type="submit">Save</button>
    </form>
  )
}

/** "Who is at the desk": the typed name while nobody is listed, else the staff list and the idle lock. */
export function DeskPeople({ typedName }: { typedName: React.ReactNode }) {
  const desk = useDesk((s) => s.desk)
  const apply = useDesk((s) => s.apply)
  const notify = useUi((s) => s.notify)
  const [removeError, setRemoveError] = useState<string | null>(null)
  if (!desk) return null
  const listed = desk.staff.length > 0

  async function remove(id: string, name: string) {
    const err = apply(await api.staff.remove({ staffId: id }))
    setRemoveError(err?.message ?? null)
    if (!err) notify(`${name} removed from the staff list.`, 'info')
  }

  return (
    <section className="panel staff-form" aria-labelledby="staff-heading" data-testid="desk-people">
      <h3 id="staff-heading">Who is at the desk</h3>
      {!listed ? (
        <>
          {typedName}
          <p className="field-hint">
            On a shared reception PC, add each person with a short PIN: Frontdesk then records every change
            under whoever unlocked it, and locks itself when left idle.
          </p>
        </>
      ) : (
        <>
          <p className="field-hint">
            At the desk now: <strong data-testid="current-staff">{desk.current?.name ?? '—'}</strong>. The
            audit log shows this name against every change.
          </p>
          <ul className="desk-staff">
            {desk.staff.map((p) => (
              <li key={p.id}>
                {p.name}
                {p.id === desk.current?.id ? <span className="muted"> (at the desk)</span> : null}{' '}
                {(p.id !== desk.current?.id || desk.staff.length === 1) && (
                  <button type="button" className="link-button" onClick={() => void remove(p.id, p.name)}>
                    Remove<span className="visually-hidden"> {p.name}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
          {removeError && (
            <p role="alert" className="error">
              {removeError}
            </p>
          )}
          <IdleLock desk={desk} />
        </>
      )}
      <h4 className="desk-add-heading">Add a person</h4>
      <AddPerson first={!listed} />
    </section>
  )
}
