/**
 * Each vendor's adapter talks only to that vendor's known hosts (lists in each vendor's hosts.ts),
 * so a mistyped or planted address never receives a clinic's credentials. Exceptions, which the
 * connection must carry visibly: the demo clinic's connections, a connection marked as a test
 * address (`options.sandbox = "true"`), and this PC's own loopback address (the simulators).
 */
import type { Connection, Vendor } from '../../shared/model'
import { healthieHosts } from './healthie/hosts'
import { heimHosts } from './heim/hosts'
import { heroHosts } from './hero/hosts'
import { sembleHosts } from './semble/hosts'

export const knownHosts: Record<Vendor, readonly string[]> = {
  semble: sembleHosts,
  healthie: healthieHosts,
  hero: heroHosts,
  heim: heimHosts,
}

const loopback = ['127.0.0.1', 'localhost', '[::1]']

export const isTestAddress = (c: Pick<Connection, 'demo' | 'options' | 'baseUrl'>): boolean => {
  if (c.demo || c.options.sandbox === 'true') return true
  try {
    return loopback.includes(new URL(c.baseUrl).hostname)
  } catch {
    return false
  }
}

/** Why this connection's address may not receive its credentials, or null when it may. */
export function vendorAddressProblem(
  c: Pick<Connection, 'vendor' | 'demo' | 'options' | 'baseUrl'>,
): string | null {
  if (isTestAddress(c)) return null
  let host: string
  try {
    const u = new URL(c.baseUrl)
    if (u.protocol !== 'https:') return `The address ${c.baseUrl} does not use https.`
    host = u.hostname.toLowerCase()
  } catch {
    return `The address ${c.baseUrl} is not a web address.`
  }
  if (knownHosts[c.vendor].includes(host)) return null
  return `${host} is not one of this clinic system's addresses (${knownHosts[c.vendor].join(', ')}), so Frontdesk will not send it the credentials. Check the address, or mark the connection as a test address.`
}
