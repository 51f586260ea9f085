/**
 * An appointment's note ("Interpreter needed (Polish)") and changing it: the whole note is
 * replaced, and goes to the clinic system through the queue like any other change.
 */
import { useState } from 'react'
import type { ActionResult, MethodInput } from '../../../shared/contract'
import type { Result } from '../../../shared/result'
import { checkNote, fieldMessage } from '../forms/contract-check'

interface Props {
  appointmentId: string
  note: string | undefined
  /** Why the note cannot be changed here (the clinic system, a cancelled appointment), or null. */
  why: string | null
  busy: boolean
  save(request: MethodInput<'appointments.updateNote'>): Promise<Result<ActionResult>>
}

export function NoteEditor({ appointmentId, note, why, busy, save }: Props) {
  const [draft, setDraft] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  if (draft === null)
    return (
      <div className="note-view">
        <span data-testid="drawer-notes">{note ?? 'None'}</span>
        <button
          type="button"
          className="link-button"
          disabled={busy || !!why}
          aria-describedby={why ? 'hint-note' : undefined}
          onClick={() => {
            setProblem(null)
            setDraft(note ?? '')
          }}
        >
          {note ? 'Edit note' : 'Add note'}
        </button>
        {why ? (
          <span id="hint-note" className="drawer-action-why">
            {why}
          </span>
        ) : null}
      </div>
    )

  // Only the form knows the note it started from; the rest (its length) is the contract's to say,
  // as it is typed, in the service's words.
  const unchanged = draft.trim() === (note ?? '').trim()
  const request = { appointmentId, note: draft.trim() }
  const checked = checkNote(request)
  const shown = checked ?? problem
  return (
    <form
      className="note-form"
      // Escape leaves the note as it was, not the whole appointment.
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return
        e.stopPropagation()
        setDraft(null)
      }}
      onSubmit={(e) => {
        e.preventDefault()
        if (unchanged || checked) return
        setSaving(true)
        void save(request).then((r) => {
          setSaving(false)
          if (r.ok) setDraft(null)
          else setProblem(fieldMessage(r.error))
        })
      }}
    >
      <label htmlFor="appointment-note">Note for this appointment</label>
      <textarea
        id="appointment-note"
        value={draft}
        rows={3}
        autoFocus
        onChange={(e) => {
          setDraft(e.target.value)
          setProblem(null)
        }}
        aria-invalid={!!shown}
        aria-describedby={shown ? 'note-problem' : undefined}
      />
      {shown ? (
        <p id="note-problem" role="alert" className="error">
          {shown}
        </p>
      ) : null}
      <div className="drawer-actions">
        <button type="submit" className="primary" disabled={saving || busy || unchanged || !!checked}>
          {draft.trim() ? 'Save note' : 'Remove note'}
        </button>
        <button type="button" className="secondary" disabled={saving} onClick={() => setDraft(null)}>
          Keep it as it was
        </button>
      </div>
    </form>
  )
}
