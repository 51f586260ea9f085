import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import { describe, expect, it } from 'vitest'
import { buildTrustStore, pemCertificates, type TlsCaApi } from '../../../src/main/network/trust'

// Real certificates to stand for each source (Node's bundled roots are real X.509).
const [A, B, C, D] = rootCertificates as [string, string, string, string]
const files = (entries: Record<string, string>) => (path: string) => {
  const v = entries[path]
  if (v === undefined) throw new Error(`ENOENT: ${path}`)
  return v
}

describe('the trusted certificates', () => {
  it('on a Node that reads the system store: bundled + system + NODE_EXTRA_CA_CERTS + managed', () => {
    const api: TlsCaApi = {
      rootCertificates: [A],
      getCACertificates: (kind) => (kind === 'system' ? [B] : kind === 'extra' ? [C] : []),
    }
    const trust = buildTrustStore({
      tlsApi: api,
      env: {},
      extraCaFile: '/etc/frontdesk/ca.pem',
      readFile: files({ '/etc/frontdesk/ca.pem': D }),
    })
    expect(trust.ca).toEqual([A, B, C, D].map((p) => p.trim()))
    expect(trust.counts).toEqual({ bundled: 1, system: 1, environment: 1, managed: 1 })
    expect(trust.systemSource).toBe('the operating system certificate store')
    expect(trust.problems).toEqual([])
  })

  it('on an older Node: Linux reads the distribution bundle, and NODE_EXTRA_CA_CERTS is read from its file', () => {
    const trust = buildTrustStore({
      tlsApi: { rootCertificates: [A] },
      platform: 'linux',
      env: { NODE_EXTRA_CA_CERTS: '/x/extra.pem' },
      readFile: files({ '/etc/ssl/certs/ca-certificates.crt': `${B}\n${A}\n`, '/x/extra.pem': C }),
    })
    expect(trust.systemSource).toBe('/etc/ssl/certs/ca-certificates.crt')
    // A appears in two sources but once in the list.
    expect(trust.ca).toEqual([A, B, C].map((p) => p.trim()))
  })

  it('an older Node on Windows has no system store to read, and says so', () => {
    const trust = buildTrustStore({ tlsApi: { rootCertificates: [A] }, platform: 'win32', env: {} })
    expect(trust.systemSource).toMatch(/^none/)
    expect(trust.ca).toEqual([A.trim()])
  })

  it('names a managed CA file that is missing or holds no certificates', () => {
    const missing = buildTrustStore({
      tlsApi: { rootCertificates: [A] },
      env: {},
      extraCaFile: '/nope.pem',
      readFile: files({}),
    })
    expect(missing.problems[0]).toMatch(/extra CA file in managed settings \(\/nope\.pem\) could not be read/)
    const dir = mkdtempSync(join(tmpdir(), 'trust-'))
    writeFileSync(join(dir, 'junk.pem'), 'not a certificate')
    const junk = buildTrustStore({
      tlsApi: { rootCertificates: [A] },
      env: {},
      extraCaFile: join(dir, 'junk.pem'),
    })
    expect(junk.problems[0]).toMatch(/holds no PEM certificates/)
  })

  it('keeps only PEM blocks that parse as X.509', () => {
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'
    expect(pemCertificates(`${A}\n${broken}\n${B}`)).toHaveLength(2)
  })
})
