/**
 * The demo clinic: the four vendor simulators started in this process, and one connection to each
 * with its test credentials already in the secret store, so a new user sees a working front desk
 * without any real account. Only the demo profile ever calls this.
 */
import type { Clock } from '../../shared/clock'
import type { Connection } from '../../shared/model'
import { startSandbox, type Sandbox } from '../../sandbox'
import type { CredentialsService } from '../services/credentials'
import type { ConnectionsRepo } from '../store/connections-repo'
import { DEMO_TIME_ZONE } from './demo-clock'

export function demoConnections(
  sandbox: Sandbox,
): { connection: Connection; secrets: Record<string, string> }[] {
  const base = { timeZone: DEMO_TIME_ZONE, locale: 'en-GB', demo: true }
  return [
    {
      connection: {
        ...base,
        id: 'demo-semble',
        vendor: 'semble',
        label: 'Riverside Clinic',
        baseUrl: `${sandbox.semble.url}/graphql`,
        options: { nhsNumberTypeId: sandbox.semble.credentials.nhsNumberTypeId ?? '' },
      },
      secrets: { apiToken: sandbox.semble.credentials.apiToken ?? '' },
    },
    {
      connection: {
        ...base,
        id: 'demo-healthie',
        vendor: 'healthie',
        label: 'Harbour Wellness',
        baseUrl: `${sandbox.healthie.url}/graphql`,
        options: { apiVersion: '2026-01-01' },
      },
      secrets: { apiKey: sandbox.healthie.credentials.apiKey ?? '' },
    },
    {
      connection: {
        ...base,
        id: 'demo-hero',
        vendor: 'hero',
        label: 'Hillside Surgery',
        baseUrl: sandbox.hero.url,
        options: { practiceGroupId: sandbox.hero.credentials.practiceGroupId ?? '' },
      },
      secrets: { apiKey: sandbox.hero.credentials.apiKey ?? '' },
    },
    {
      connection: {
        ...base,
        id: 'demo-heim',
        vendor: 'heim',
        label: 'Heim home visits',
        baseUrl: sandbox.heim.url,
        options: {},
      },
      secrets: { apiKey: sandbox.heim.credentials.apiKey ?? '' },
    },
  ]
}

/** Starts the simulators and points the demo connections at them (their ports change every run). */
export async function startDemoClinic(
  connections: ConnectionsRepo,
  credentials: CredentialsService,
  opts: { patients?: number; clock?: Clock } = {},
): Promise<Sandbox> {
  const sandbox = await startSandbox({
    patients: opts.patients ?? 2000,
    timeZone: DEMO_TIME_ZONE,
    ...(opts.clock ? { clock: opts.clock } : {}),
  })
  for (const { connection, secrets } of demoConnections(sandbox)) {
    connections.upsert(connection)
    await credentials.set(connection.id, secrets)
  }
  return sandbox
}
