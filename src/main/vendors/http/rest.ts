/**
 * JSON-over-HTTP calls for the REST vendors (Hero Health, Heim). Their error bodies are not
 * documented ([U]): the status decides the kind, and whatever `message` / `error` / `errors[]`
 * the body carries becomes the vendor message and field list.
 */
import { vendorNames } from '../../../shared/model'
import { defaultMessages, kindForStatus, VendorError, type FieldMessage } from '../errors'
import { vendorWords } from '../vendor-text'
import { readJson, type HttpRequest, type HttpResponse, type VendorHttp } from './client'

export interface RestAnswer {
  status: number
  body: unknown
}

/** The vendor's own words from an error body, in any of the shapes seen in the wild. */
export function errorDetails(body: unknown): { message?: string; fields: FieldMessage[] } {
  const fields: FieldMessage[] = []
  let message: string | undefined
  if (typeof body === 'string' && body.trim()) message = body.trim()
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>
    for (const key of ['message', 'error_description', 'error', 'detail', 'title']) {
      const v = b[key]
      if (typeof v === 'string' && v.trim()) {
        message = v.trim()
        break
      }
      if (v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') {
        message = (v as { message: string }).message
        break
      }
    }
    const list = Array.isArray(b.errors) ? b.errors : []
    for (const e of list) {
      if (typeof e === 'string') fields.push({ message: e })
      else if (e && typeof e === 'object') {
        const m = (e as { message?: unknown }).message
        const f = (e as { field?: unknown }).field
        if (typeof m === 'string')
          fields.push(typeof f === 'string' ? { field: f, message: m } : { message: m })
      }
    }
    if (!message && fields.length)
      message = fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join('; ')
  }
  return { ...(message ? { message } : {}), fields }
}

/** A vendor's field messages as a person may see them: each short and plain, markup dropped. */
export function shownFields(fields: FieldMessage[]): FieldMessage[] {
  return fields.flatMap((f) => {
    const message = vendorWords(f.message, 200)
    if (!message) return []
    const field = f.field?.replace(/[^\w.[\]-]/g, '').slice(0, 60)
    return [field ? { field, message } : { message }]
  })
}

export function restError(
  res: HttpResponse,
  facts: { vendor: VendorHttp['vendor']; operation: string },
): VendorError {
  const kind = kindForStatus(res.status)
  const { message, fields: said } = errorDetails(res.json ?? res.text)
  const name = vendorNames[facts.vendor]
  // What a person is shown of the vendor's words: never an error page, short, credentials redacted.
  const shown = vendorWords(message)
  const fields = shownFields(said)
  const text =
    kind === 'invalid' || kind === 'conflict' || kind === 'not-found'
      ? `${name}: ${shown ?? defaultMessages[kind]}`
      : defaultMessages[kind]
  return new VendorError(kind, text, {
    vendor: facts.vendor,
    operation: facts.operation,
    status: res.status,
    vendorMessage: message ?? `HTTP ${res.status}`,
    ...(fields.length ? { fields } : kind === 'invalid' && shown ? { fields: [{ message: shown }] } : {}),
    ...(res.retryAfterMs !== undefined ? { retryAfterMs: res.retryAfterMs } : {}),
  })
}

/** One REST call: the parsed body of a 2xx answer, or the classified error. */
export async function restCall(http: VendorHttp, req: HttpRequest): Promise<RestAnswer> {
  const res = await http.request(req)
  const facts = { vendor: http.vendor, operation: req.operation, write: req.write }
  if (res.status >= 200 && res.status < 300) {
    if (res.status === 204) return { status: 204, body: undefined }
    return { status: res.status, body: readJson(res, facts) }
  }
  throw restError(res, facts)
}
