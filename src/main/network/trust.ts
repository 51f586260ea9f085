/**
 * The certificates vendor TLS trusts: Node's bundled roots, the operating system's store,
 * `NODE_EXTRA_CA_CERTS`, and an extra CA file from managed settings. Passing `ca` to a TLS
 * connection replaces Node's defaults, so every source the defaults would have had is listed here
 * again (dropping NODE_EXTRA_CA_CERTS silently would break clinics that rely on it).
 *
 * The system store: `tls.getCACertificates('system')` (Node 22.15+/23.5+, so Electron 45's Node 24);
 * on an older Node (the browser host on Node 20) only Linux has one to read, as a bundle file.
 */
import { readFileSync } from 'node:fs'
import * as nodeTls from 'node:tls'
import { X509Certificate } from 'node:crypto'

type CaKind = 'system' | 'bundled' | 'extra' | 'default'
/** The part of `node:tls` this needs; tests pass a stand-in to take either Node's path. */
export interface TlsCaApi {
  rootCertificates: readonly string[]
  getCACertificates?: (type?: CaKind) => string[]
}

export interface TrustOptions {
  /** From managed settings: a PEM file with one or more CA certificates. */
  extraCaFile?: string
  env?: Record<string, string | undefined>
  platform?: NodeJS.Platform
  tlsApi?: TlsCaApi
  readFile?: (path: string) => string
}

export interface TrustStore {
  /** PEM certificates, deduplicated; pass as `ca` to every vendor TLS connection. */
  ca: string[]
  counts: { bundled: number; system: number; environment: number; managed: number }
  /** Where the system certificates came from, in words (for the support bundle). */
  systemSource: string
  /** Sources that were asked for and could not be read, in words. */
  problems: string[]
}

/** Linux distributions' system bundles, the first that exists wins (Debian, Fedora, Alpine/Arch). */
const LINUX_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
]

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** The certificates in a PEM text; anything that does not parse as X.509 is left out. */
export function pemCertificates(text: string): string[] {
  return (text.match(PEM) ?? []).filter((pem) => {
    try {
      new X509Certificate(pem)
      return true
    } catch {
      return false
    }
  })
}

const defaultRead = (path: string) => readFileSync(path, 'utf8')

export function buildTrustStore(opts: TrustOptions = {}): TrustStore {
  const api: TlsCaApi = opts.tlsApi ?? nodeTls
  const env = opts.env ?? process.env
  const platform = opts.platform ?? process.platform
  const read = opts.readFile ?? defaultRead
  const problems: string[] = []

  const bundled = [...api.rootCertificates]

  let system: string[] = []
  let systemSource: string
  if (api.getCACertificates) {
    try {
      system = api.getCACertificates('system')
      systemSource = 'the operating system certificate store'
    } catch (err) {
      systemSource = 'none'
      problems.push(`The system certificate store could not be read (${String(err)}).`)
    }
  } else {
    systemSource = 'none (this Node.js cannot read the system store)'
    if (platform === 'linux') {
      for (const file of LINUX_BUNDLES) {
        try {
          system = pemCertificates(read(file))
          systemSource = file
          break
        } catch {
          // Not this distribution's path.
        }
      }
    }
  }

  // Node reads NODE_EXTRA_CA_CERTS once at start-up (and only Node 22.15+ shows what it read), so
  // the file is read here too: a variable set for this process later, or an older Node, still counts.
  let environment: string[] = api.getCACertificates ? api.getCACertificates('extra') : []
  const extraPath = env.NODE_EXTRA_CA_CERTS
  if (extraPath) {
    try {
      const fromFile = pemCertificates(read(extraPath))
      if (!fromFile.length) problems.push(`NODE_EXTRA_CA_CERTS (${extraPath}) holds no certificates.`)
      environment = [...new Set([...environment, ...fromFile])]
    } catch (err) {
      problems.push(`NODE_EXTRA_CA_CERTS (${extraPath}) could not be read: ${(err as Error).message}`)
    }
  }

  let managed: string[] = []
  if (opts.extraCaFile) {
    try {
      managed = pemCertificates(read(opts.extraCaFile))
      if (!managed.length)
        problems.push(
          `The extra CA file in managed settings (${opts.extraCaFile}) holds no PEM certificates.`,
        )
    } catch (err) {
      problems.push(
        `The extra CA file in managed settings (${opts.extraCaFile}) could not be read: ${(err as Error).message}`,
      )
    }
  }

  const ca = [...new Set([...bundled, ...system, ...environment, ...managed].map((p) => p.trim()))]
  return {
    ca,
    counts: {
      bundled: bundled.length,
      system: system.length,
      environment: environment.length,
      managed: managed.length,
    },
    systemSource,
    problems,
  }
}
