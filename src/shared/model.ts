/** The canonical model the UI sees, whatever the vendor (docs/architecture.md, "Canonical model"). */
export const vendors = ['semble', 'healthie', 'hero', 'heim'] as const
export type Vendor = (typeof vendors)[number]

export const vendorNames: Record<Vendor, string> = {
  semble: 'Semble (Heydoc)',
  healthie: 'Healthie',
  hero: 'Hero Health',
  heim: 'Heim Health',
}

/** What a receptionist must type to connect each vendor; every one of these lives in the keychain. */
export const credentialFields: Record<Vendor, readonly { name: string; label: string; optional?: boolean }[]> = {
  semble: [
    { name: 'apiToken', label: 'API token', optional: true },
    { name: 'email', label: 'Sign-in email', optional: true },
    { name: 'password', label: 'Sign-in password', optional: true },
  ],
  healthie: [{ name: 'apiKey', label: 'API key' }],
  hero: [{ name: 'apiKey', label: 'API key' }],
  heim: [{ name: 'apiKey', label: 'API key' }],
}

export interface Connection {
  id: string
  vendor: Vendor
  label: string
  baseUrl: string
  /** IANA zone of the clinic, e.g. Europe/London: day boundaries and display use it. */
  timeZone: string
  locale: string
  /** Vendor-specific, non-secret settings (e.g. Hero practice group id, Healthie API version). */
  options: Record<string, string>
  demo: boolean
}

export interface CredentialStatus {
  connectionId: string
  /** Names of the fields that have a value in the keychain; never the values. */
  present: string[]
  complete: boolean
}
