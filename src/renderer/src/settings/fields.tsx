/** A labelled form field whose error (from the contract's `error.field`) sits right under it. */
import type { AppError } from '../../../shared/result'

/** Field errors by field path; the contract's "timeZone: is required" loses its path prefix. */
export function fieldErrors(error: AppError | null): {
  byField: Record<string, string>
  general: string | null
} {
  if (!error) return { byField: {}, general: null }
  if (!error.field) return { byField: {}, general: error.message }
  const prefix = `${error.field}: `
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message
  return { byField: { [error.field]: message }, general: null }
}

interface FieldProps {
  id: string
  label: string
  hint?: string | undefined
  error?: string | undefined
  children: (aria: {
    id: string
    'aria-invalid': boolean
    'aria-describedby': string | undefined
  }) => React.ReactNode
}

export function Field({ id, label, hint, error, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': describedBy || undefined })}
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <span className="field-error" id={`${id}-error`} role={error ? 'alert' : undefined}>
        {error ?? ''}
      </span>
    </div>
  )
}
