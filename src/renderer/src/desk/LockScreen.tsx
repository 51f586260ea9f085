/**
 * The lock screen: covers the app (which is inert and hidden beneath it, so nothing half typed is
 * lost) until one of the people listed enters their PIN. Shows staff names only, never patients.
 * A modal dialog of its own, opened last: a booking dialog left open (itself modal) would
 * otherwise make the lock screen inert, so nobody could type a PIN.
 */
import { useEffect, useId, useRef, useState } from 'react'
import type { DeskState } from '../../../shared/contract'
import type { AppError } from '../../../shared/result'
import { fieldErrors } from '../settings/fields'
import { useDesk } from './desk-store'

export function LockScreen({ desk }: { desk: DeskState }) {
  const unlock = useDesk((s) => s.unlock)
  const uid = useId()
  const [who, setWho] = useState(desk.staff[0]?.id ?? '')
  const [pin, setPin] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)
  const pinRef = useRef<HTMLInputElement>(null)
  const dialogRef = useRef<HTMLDialogElement>(null)
  const { byField, general } = fieldErrors(error)
  const chosen = desk.staff.some((s) => s.id === who) ? who : (desk.staff[0]?.id ?? '')

  useEffect(() => {
    const d = dialogRef.current
    if (d && !d.open) d.showModal()
    pinRef.current?.focus()
    return () => d?.close()
  }, [])

  async function submit(e: React.FormEvent) {
    e.preventDefault()
    if (busy) return
    setBusy(true)
    const err = await unlock(chosen, pin)
    setBusy(false)
    setPin('')
    setError(err)
    if (err) pinRef.current?.focus()
  }

  return (
    <dialog
      ref={dialogRef}
      className="lock-screen"
      aria-labelledby={`${uid}-title`}
      // Escape does not leave a lock screen.
      onCancel={(e) => e.preventDefault()}
    >
      <form className="panel lock-panel" onSubmit={(e) => void submit(e)} noValidate>
        <h2 id={`${uid}-title`}>Frontdesk is locked</h2>
        <p className="muted">
          Choose your name and enter your PIN. Changes you make are recorded under your name.
        </p>
        <fieldset className="lock-people">
          <legend>Who is at the desk?</legend>
          {desk.staff.map((s) => (
            <label key={s.id} className="lock-person">
              <input
                type="radio"
                name={`${uid}-who`}
                value={s.id}
                checked={chosen === s.id}
                onChange={() => {
                  setWho(s.id)
                  setError(null)
                  pinRef.current?.focus()
                }}
              />
              {s.name}
            </label>
          ))}
        </fieldset>
        <div className={`field${byField.pin ? ' has-error' : ''}`}>
          <label htmlFor={`${uid}-pin`}>PIN</label>
          <input
            ref={pinRef}
            id={`${uid}-pin`}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            aria-invalid={!!byField.pin}
            aria-describedby={`${uid}-pin-error`}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          />
          <span className="field-error" id={`${uid}-pin-error`} role={byField.pin ? 'alert' : undefined}>
            {byField.pin ?? byField.staffId ?? ''}
          </span>
        </div>
        {general && (
          <p role="alert" className="error">
            {general}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !chosen}>
          Unlock
        </button>
      </form>
    </dialog>
  )
}
