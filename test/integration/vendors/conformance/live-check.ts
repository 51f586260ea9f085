/**
 * `npm run test:live` asks this first: which vendor sandboxes the environment names, and for the
 * others which variables are missing. With none configured it says so and exits 3, which the
 * script reads as "skipped" (a clean exit): `npm test` already ran the same suite on the simulators.
 */
import { liveConfiguration } from './targets'

const { configured, missing } = liveConfiguration(process.env)
for (const [vendor, vars] of Object.entries(missing))
  console.log(`[live] ${vendor}: not run, missing ${vars.join(', ')}`)
if (!configured.length) {
  console.log(
    '[live] skipped: no vendor sandbox is configured (set every variable listed for at least one vendor). ' +
      'The same suite runs against the simulators in npm test.',
  )
  process.exit(3)
}
console.log(`[live] running against: ${configured.join(', ')}`)
