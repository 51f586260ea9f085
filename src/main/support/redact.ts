/**
 * Redaction for the support bundle: what leaves the PC carries no secret and no patient data.
 * Two layers: values under telling keys (secrets, names, contact details, dates of birth) go
 * whole; every remaining string loses the known secrets and patient names (read from the keychain
 * and the cache, so a name inside a sentence goes too) and anything shaped like an NHS number,
 * an email address, a phone number, a postcode or a token.
 */

const SECRET_KEY = /pass(word)?$|passwd|token|secret|api.?key|authori[sz]ation|cookie|^key$|credential/i
const PATIENT_KEY =
  /^(name|given_?name|family_?name|first_?name|last_?name|full_?name|patient_?name|display_?name|email|phone|mobile|telephone|date_?of_?birth|dob|birth_?date|address(_?line\d?)?|postcode|post_?code|nhs_?number|notes?|comments?)$/i

const PATTERNS: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, '$1 [secret]'],
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g, '[secret]'],
  [/([?&](?:token|access_token|api_?key|key|password|secret)=)[^&\s"']+/gi, '$1[secret]'],
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]'],
  // NHS number: ten digits, often written 3-3-4.
  [/(?<![\d-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d-])/g, '[nhs-number]'],
  [/(?<!\d)(\+44\s?\(?0?\)?\s?\d{2,4}|\(?0\d{2,4}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)/g, '[phone]'],
  // A postcode as typed or quoted, not only in capitals.
  [/\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b/gi, '[postcode]'],
]

const WORD = /\p{L}[\p{L}'’-]*/gu

/**
 * A word as names are compared: case folded, either apostrophe, an English possessive dropped, so
 * a clinic system's "O’Neill’s" is the cached "O'Neill" (the whole word goes).
 */
const nameKey = (w: string) => w.toLowerCase().replace(/’/g, "'").replace(/'s?$/, '')

export interface RedactionSources {
  /** Secret values held by the app (credentials, proxy passwords): removed wherever they appear. */
  secrets: readonly string[]
  /** Patient names (given and family) from the cache: each word of them is removed. */
  names: readonly string[]
}

export class Redactor {
  private readonly secrets: string[]
  private readonly nameWords: Set<string>

  constructor(src: RedactionSources) {
    // Longest first, so a secret that contains another goes whole.
    this.secrets = [...new Set(src.secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length)
    this.nameWords = new Set(
      src.names
        .flatMap((n) => n.match(WORD) ?? [])
        .filter((w) => w.length >= 2)
        .map(nameKey),
    )
  }

  text(input: string): string {
    let s = input
    for (const secret of this.secrets) s = s.split(secret).join('[secret]')
    for (const [re, to] of PATTERNS) s = s.replace(re, to)
    if (this.nameWords.size) s = s.replace(WORD, (w) => (this.nameWords.has(nameKey(w)) ? '[name]' : w))
    return s
  }

  value(v: unknown, depth = 0): unknown {
    if (depth > 8) return '[deep]'
    if (typeof v === 'string') return this.text(v)
    if (Array.isArray(v)) return v.map((x) => this.value(x, depth + 1))
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) {
        out[k] = SECRET_KEY.test(k) || PATIENT_KEY.test(k) ? '[redacted]' : this.value(x, depth + 1)
      }
      return out
    }
    return v
  }

  /** One log line: JSON lines are redacted by key and value, anything else as text. */
  line(raw: string): string {
    const trimmed = raw.trim()
    if (trimmed.startsWith('{')) {
      try {
        return JSON.stringify(this.value(JSON.parse(trimmed)))
      } catch {
        // Not JSON after all.
      }
    }
    return this.text(raw)
  }
}
