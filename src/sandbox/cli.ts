/** `npm run sandbox`: the four vendor simulators on a seeded clinic, until Ctrl+C. */
import { parseArgs } from 'node:util'
import { vendorNames } from '../shared/model'
import { startSandbox } from './index'

const { values } = parseArgs({
  options: { patients: { type: 'string' }, seed: { type: 'string' } },
  allowPositionals: false,
})

const num = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} takes a whole number, got "${v}"`)
    process.exit(2)
  }
  return n
}

const patients = num('patients', values.patients)
const seed = num('seed', values.seed)
const sandbox = await startSandbox({
  ...(patients !== undefined ? { patients } : {}),
  ...(seed !== undefined ? { seed } : {}),
})

console.log(`Frontdesk sandbox: four clinics around ${sandbox.clinic.today} (${sandbox.clinic.timeZone})\n`)
for (const vendor of ['semble', 'healthie', 'hero', 'heim'] as const) {
  const h = sandbox[vendor]
  const c = sandbox.clinics[vendor]
  console.log(
    `${vendorNames[vendor]}: ${h.url} — ${c.name}, ${c.patients.length} patients, ${c.appointments.length} appointments`,
  )
  for (const [k, v] of Object.entries(h.credentials)) console.log(`  ${k}: ${v}`)
}
console.log(`\nAdmin: ${sandbox.admin.url}  (header x-admin-token: ${sandbox.admin.token})`)
console.log('Press Ctrl+C to stop.')

const stop = () => {
  sandbox.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
