/**
 * Vendor text stays in the main process. What the renderer and the log see of a vendor failure is
 * a reason in plain words from the closed set of kinds, plus the HTTP status and the vendor's error
 * code; the vendor's own text is kept only in the encrypted database, with known secret shapes
 * redacted first (a vendor echoing a request can put a credential in its answer).
 */

const SECRET_SHAPES: [RegExp, string][] = [
  // Authorization headers and their schemes, echoed back.
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  // JSON web tokens (Semble sign-in tokens among them).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  // Heim API keys.
  [/\b(test|live)_[A-Za-z0-9]{8,}/g, '[redacted-key]'],
  // name=value or "name": "value" where the name says it is a secret.
  [
    /((?:api[_-]?key|x-api-key|x-token|token|password|passwd|secret|authori[sz]ation|cookie)["']?\s*[:=]\s*["']?)[^\s"',;&}]{4,}/gi,
    '$1[redacted]',
  ],
  // Long opaque strings (hex or base64) that look like keys.
  [/\b[A-Fa-f0-9]{32,}\b/g, '[redacted-hex]'],
  [/\b[A-Za-z0-9+/_-]{40,}={0,2}/g, '[redacted-opaque]'],
]

/** Request headers that carry a credential. */
const CREDENTIAL_HEADER = /^(?:authorization|x-api-key|x-token|cookie|api-key|x-auth-token)$/i

/**
 * The credentials a request carried (a header's whole value, and the token after its scheme), so an
 * answer that echoes them can have them taken out whatever their shape: a key with no prefix and
 * under forty characters matches none of the shapes above.
 */
export function credentialValues(headers: Record<string, string>): string[] {
  const values = new Set<string>()
  for (const [name, value] of Object.entries(headers)) {
    if (!CREDENTIAL_HEADER.test(name)) continue
    values.add(value.trim())
    const token = /^\S+\s+(\S+)$/.exec(value.trim())?.[1]
    if (token) values.add(token)
  }
  // Longest first, so a whole header value goes before the token inside it.
  return [...values].filter((v) => v.length >= 8).sort((a, b) => b.length - a.length)
}

/** An answer's bytes with every echo of the request's own credentials replaced (the same bytes when none). */
export function withoutEchoedCredentials(body: Buffer, credentials: readonly string[]): Buffer {
  if (!credentials.some((c) => body.includes(c))) return body
  let text = body.toString('utf8')
  for (const c of credentials) text = text.split(c).join('[redacted]')
  return Buffer.from(text, 'utf8')
}

/** The vendor's text with credential-shaped parts replaced; kept for support in the encrypted store. */
export function redactSecrets(text: string): string {
  let out = text
  for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement)
  return out.length > 2000 ? `${out.slice(0, 2000)}…` : out
}

/** Markup: an error page from a gateway or a debug screen, which says nothing a person can act on. */
const MARKUP = /<(?:!doctype|\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?)>/i

/**
 * A vendor's words fit to show a receptionist, or undefined: never markup (an error page, which may
 * echo the request's headers), on one line, credential shapes redacted, and short.
 */
export function vendorWords(text: string | undefined, max = 300): string | undefined {
  if (!text || MARKUP.test(text)) return undefined
  const line = redactSecrets(text.replace(/\s+/g, ' ').trim())
  if (!line) return undefined
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

const REASONS: Record<string, string> = {
  offline: 'the clinic system could not be reached',
  timeout: 'the clinic system took too long to answer',
  'rate-limited': 'the clinic system asked Frontdesk to slow down',
  unavailable: 'the clinic system was unavailable',
  auth: 'the clinic system did not accept the saved credentials',
  invalid: 'the clinic system refused the details as invalid',
  conflict: 'the clinic system refused it because of a clash',
  'not-found': 'the clinic system could not find the record',
  ambiguous: 'the clinic system did not say whether it was saved',
  protocol: 'the clinic system answered in a way Frontdesk did not expect',
}

/** "the clinic system refused the details as invalid (HTTP 422, code BAD_USER_INPUT)". */
export function vendorReason(e: { kind: string; status?: number; vendorCode?: string }): string {
  const reason = REASONS[e.kind] ?? 'the clinic system reported a problem'
  const facts = [
    e.status !== undefined ? `HTTP ${e.status}` : '',
    e.vendorCode ? `code ${e.vendorCode.replace(/[^\w.-]/g, '').slice(0, 40)}` : '',
  ].filter(Boolean)
  return facts.length ? `${reason} (${facts.join(', ')})` : reason
}
