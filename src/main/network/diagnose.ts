/**
 * Plain words for the failures a clinic network causes: a certificate Frontdesk does not trust (a
 * TLS-inspecting proxy), an expired or misnamed certificate, a proxy that refuses or wants a
 * sign-in Frontdesk cannot give, a proxy that is not there. Each names the host and says what to
 * ask IT for. The kind stays `offline` (nothing was sent; the change waits and is sent once fixed).
 */
import { isIP } from 'node:net'
import type { Duplex } from 'node:stream'
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls'
import { Client } from 'undici'
import type { Vendor } from '../../shared/model'
import { networkCode, VendorError } from '../vendors/errors'

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'CERT_REJECTED',
])
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])
const WRONG_NAME = new Set(['ERR_TLS_CERT_ALTNAME_INVALID'])
const REVOKED = new Set(['CERT_REVOKED'])
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
])

export interface FailureContext {
  target: URL
  /** The proxy the request went through, when one did. */
  proxy?: string
  proxyToken?: string
  vendor?: Vendor
  operation: string
}

/** Who issued the certificate a host presents, read without trusting it; undefined if unknown. */
export type IssuerProbe = (
  target: URL,
  proxy?: { url: string; token?: string },
) => Promise<string | undefined>

function name(subject: PeerCertificate['issuer'] | undefined): string | undefined {
  if (!subject) return undefined
  const cn = typeof subject.CN === 'string' ? subject.CN : undefined
  const o = typeof subject.O === 'string' ? subject.O : undefined
  if (cn && o && !cn.includes(o)) return `${cn} (${o})`
  return cn ?? o
}

/** The issuer of the topmost certificate the host sent: the root (or the CA that signed it). */
export function topIssuer(
  cert: PeerCertificate & { issuerCertificate?: PeerCertificate },
): string | undefined {
  let c = cert as PeerCertificate & { issuerCertificate?: PeerCertificate }
  for (let i = 0; i < 10 && c.issuerCertificate && c.issuerCertificate !== c; i++)
    c = c.issuerCertificate as typeof c
  return name(c.issuer)
}

/**
 * Opens a TLS session without verifying it, reads the chain and closes: no request is sent. Goes
 * through the proxy (undici's CONNECT) when the failing request did.
 */
export const probeIssuer: IssuerProbe = async (target, proxy) => {
  const host = target.hostname.replace(/^\[|\]$/g, '')
  const port = Number(target.port || 443)
  let client: Client | undefined
  try {
    let socket: Duplex | undefined
    if (proxy) {
      client = new Client(proxy.url, { connect: { timeout: 3_000 } })
      const tunnel = await client.connect({
        path: `${host}:${port}`,
        headers: { host: `${host}:${port}`, ...(proxy.token ? { 'proxy-authorization': proxy.token } : {}) },
      })
      if (tunnel.statusCode !== 200) return undefined
      socket = tunnel.socket
    }
    return await new Promise<string | undefined>((resolve) => {
      const tls: TLSSocket = tlsConnect({
        ...(socket ? { socket } : { host, port }),
        ...(isIP(host) ? {} : { servername: host }),
        rejectUnauthorized: false,
      })
      const timer = setTimeout(() => (tls.destroy(), resolve(undefined)), 3_000)
      timer.unref()
      tls.once('secureConnect', () => {
        clearTimeout(timer)
        const issuer = topIssuer(tls.getPeerCertificate(true))
        tls.destroy()
        resolve(issuer)
      })
      tls.once('error', () => (clearTimeout(timer), resolve(undefined)))
    })
  } catch {
    return undefined
  } finally {
    void client?.destroy().catch(() => {})
  }
}

const hostOf = (u: URL) => u.host
const ASK_TRUST =
  'If this network inspects secure traffic, ask IT to install its root certificate in this computer’s certificate store (or to name it as the extra CA file in Frontdesk’s managed settings).'

/** A VendorError for a network-caused failure, or undefined when the generic rules fit better. */
export async function diagnose(
  err: unknown,
  ctx: FailureContext,
  probe: IssuerProbe = probeIssuer,
): Promise<VendorError | undefined> {
  const code = networkCode(err) ?? ''
  const text = err instanceof Error ? err.message : String(err)
  const host = hostOf(ctx.target)
  const init = { vendor: ctx.vendor, operation: ctx.operation, vendorMessage: `${code}: ${text}`, cause: err }
  const via = ctx.proxy ? ` through the proxy ${new URL(ctx.proxy).host}` : ''

  const certificate = UNTRUSTED.has(code) || EXPIRED.has(code) || WRONG_NAME.has(code) || REVOKED.has(code)
  if (certificate) {
    const issuer = await probe(
      ctx.target,
      ctx.proxy ? { url: ctx.proxy, ...(ctx.proxyToken ? { token: ctx.proxyToken } : {}) } : undefined,
    )
    const by = issuer ? `issued by “${issuer}”` : 'issuer unknown'
    let message: string
    if (UNTRUSTED.has(code))
      message = `Frontdesk does not trust the certificate presented for ${host}${via} (${by}). ${ASK_TRUST}`
    else if (EXPIRED.has(code))
      message = `The certificate presented for ${host}${via} is expired or not yet valid (${by}). Check this computer’s date and time; if they are right, ask IT to check the certificate of ${host} or of the network’s inspecting proxy.`
    else if (WRONG_NAME.has(code))
      message = `The certificate presented for ${host}${via} is for a different name (${by}). Ask IT whether a proxy or web filter is intercepting ${host}, and to let it through or re-sign it correctly.`
    else message = `The certificate presented for ${host}${via} has been revoked (${by}). Ask IT to check it.`
    return new VendorError('offline', message, init)
  }

  const refused = /Proxy response \((\d{3})\) !== 200/.exec(text)
  if (refused && ctx.proxy) {
    const status = Number(refused[1])
    const proxyHost = new URL(ctx.proxy).host
    const message =
      status === 407
        ? `The proxy ${proxyHost} asked Frontdesk to sign in (HTTP 407) and did not accept what it sent. Frontdesk signs in to proxies with a user name and password (Basic) only; NTLM and Kerberos (Windows sign-in) are not supported. Ask IT for a proxy user name and password, or to let ${host} through without sign-in.`
        : `The proxy ${proxyHost} refused to connect Frontdesk to ${host} (HTTP ${status}). Ask IT to allow ${host} through the proxy.`
    return new VendorError('offline', message, { ...init, status })
  }

  if (ctx.proxy && UNREACHABLE.has(code)) {
    return new VendorError(
      'offline',
      `Cannot reach the proxy ${new URL(ctx.proxy).host} (${code}) to get to ${host}. Check the proxy address in the connection or managed settings, or ask IT whether the proxy is running.`,
      init,
    )
  }
  return undefined
}
