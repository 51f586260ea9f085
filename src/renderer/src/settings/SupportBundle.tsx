/** Settings → Help: prepare a support bundle, see everything in it, then save it as one zip. */
import { useState } from 'react'
import type { SupportBundlePreview } from '../../../shared/contract'
import { api } from '../api/client'

export function SupportBundle() {
  const [preview, setPreview] = useState<SupportBundlePreview | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function prepare() {
    setBusy(true)
    setSaved(null)
    setError(null)
    const r = await api.support.preview({})
    setBusy(false)
    if (r.ok) setPreview(r.value)
    else setError(r.error.message)
  }

  async function save() {
    if (!preview) return
    setBusy(true)
    const r = await api.support.save({ id: preview.id })
    setBusy(false)
    if (!r.ok) return setError(r.error.message)
    setPreview(null)
    setSaved(r.value.path)
  }

  return (
    <section className="panel" aria-labelledby="help-heading" data-testid="support-bundle">
      <h3 id="help-heading">Help</h3>
      <p className="field-hint">
        A support bundle tells whoever supports Frontdesk how this PC is set up: the app version, each clinic
        system’s status, waiting changes, recent errors and log lines. Passwords, keys and patient details are
        removed, and you see everything in it before it is saved.
      </p>
      <button type="button" className="secondary" onClick={() => void prepare()} disabled={busy}>
        Prepare a support bundle
      </button>
      {preview && (
        <div className="support-preview" data-testid="support-preview">
          <p>This is everything the bundle will contain:</p>
          {preview.files.map((f) => (
            <details key={f.name}>
              <summary>{f.name}</summary>
              <pre tabIndex={0} style={{ maxHeight: '16rem', overflow: 'auto', whiteSpace: 'pre-wrap' }}>
                {f.text}
              </pre>
            </details>
          ))}
          <div className="queue-actions">
            <button type="button" className="primary" onClick={() => void save()} disabled={busy}>
              Save this bundle
            </button>
            <button type="button" className="secondary" onClick={() => setPreview(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {saved && (
        <p role="status" data-testid="support-saved">
          Saved to <code>{saved}</code>. Attach this file to your support ticket.
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  )
}
