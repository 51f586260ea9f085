/**
 * `npm run test:live` asks this first: which vendor sandboxes the environment names, and for the
 * others which variables are missing. Exits 1 when none is configured.
 */
import { liveConfiguration } from './targets'

const { configured, missing } = liveConfiguration(process.env)
for (const [vendor, vars] of Object.entries(missing))
  console.log(`[live] ${vendor}: not run, missing ${vars.join(', ')}`)
if (!configured.length) {
  console.error('[live] no vendor sandbox configured: set every variable listed for at least one vendor')
  process.exit(1)
}
console.log(`[live] running against: ${configured.join(', ')}`)
