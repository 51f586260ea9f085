/** Seeding the 250,000-patient clinic the benchmarks run against: prints one JSON line, asserts nothing. */
import { seedClinic } from '../src/sandbox/seed'

const patients = 250_000
const started = performance.now()
const clinic = seedClinic({ patients, seed: 1, today: new Date('2026-03-30T09:00:00Z') })
const ms = Math.round(performance.now() - started)
if (clinic.patients.length !== patients) throw new Error('seeded the wrong number of patients')
console.log(JSON.stringify({ bench: 'seed', patients, ms }))
