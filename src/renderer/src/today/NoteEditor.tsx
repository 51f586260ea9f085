/**
 * An appointment's note ("Interpreter needed (Polish)") and changing it: the whole note is
 * replaced, and goes to the clinic system through the queue like any other change.
 */
import { useState } from 'react'
import type { ActionResult } from '../../../shared/contract'
import type { Result } from '../../../shared/result'

interface Props {
  note: string | undefined
  /** Why the note cannot be changed here (the clinic system, a cancelled appointment), or null. */
  why: string | null
  busy: boolean
  save(note: string): Promise<Result<ActionResult>>
}

export function NoteEditor({ note, why, busy, save }: Props) {
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

  const unchanged = draft.trim() === (note ?? '').trim()
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
        if (unchanged) return
        setSaving(true)
        void save(draft.trim()).then((r) => {
          setSaving(false)
          if (r.ok) setDraft(null)
          else setProblem(r.error.message)
        })
      }}
    >
      <label htmlFor="appointment-note">Note for this appointment</label>
      <textarea
        id="appointment-note"
        value={draft}
        maxLength={2000}
        rows={3}
        autoFocus
        onChange={(e) => setDraft(e.target.value)}
        aria-describedby={problem ? 'note-problem' : undefined}
      />
      {problem ? (
        <p id="note-problem" role="alert" className="error">
          {problem}
        </p>
      ) : null}
      <div className="drawer-actions">
        <button type="submit" className="primary" disabled={saving || busy || unchanged}>
          {draft.trim() ? 'Save note' : 'Remove note'}
        </button>
        <button type="button" className="secondary" disabled={saving} onClick={() => setDraft(null)}>
          Keep it as it was
        </button>
      </div>
    </form>
  )
}
