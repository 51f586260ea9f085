/**
 * What the HTTP client's look for its own credentials in every answer costs (`withoutEchoedCredentials`
 * in src/main/vendors/vendor-text.ts): over a page of 1,000 patients as a clinic system sends it,
 * with the credentials a Semble request and a Hero request carry, against parsing the same page
 * (which every answer already costs). The usual answer echoes nothing, so the look is a byte search
 * a credential; one that does echo a credential is rewritten whole, measured apart.
 * Prints one JSON line. Run: npm run bench -- credential-echo
 */
import { credentialValues, withoutEchoedCredentials } from '../src/main/vendors/vendor-text'
import { seedClinic } from '../src/sandbox'
import { benchClock, percentile, round } from './_support'

const PAGES = Number(process.env.BENCH_PAGES ?? 400)
const clinic = seedClinic({ patients: 1000, seed: 5, timeZone: 'Europe/London', today: benchClock.now() })
// A patient list page in the shape a vendor answers with: one object a patient, every field named.
const page = Buffer.from(
  JSON.stringify({
    data: {
      patients: {
        data: clinic.patients.map((p) => ({
          id: p.key,
          firstName: p.givenName,
          lastName: p.familyName,
          dob: p.birthDate,
          email: p.email,
          phones: [{ phoneNumber: p.phone, phoneType: 'Mobile' }],
          numbers: [{ name: 'NHS Number', value: p.nhsNumber }],
          address: { address: p.address.line1, city: p.address.town, postcode: p.address.postcode },
          comments: null,
          updatedAt: '2026-03-30T08:00:00.000Z',
        })),
        pageInfo: { hasMore: true, page: 1 },
      },
    },
  }),
)
const credentials = credentialValues({
  'x-token': 'sm_live_4f9c2b7e1d8a6350c9e2f4b1a7d3e8c5',
  'x-api-key': 'hero-key-7Qm2Vt9Lx4Rb8Zp1',
  authorization: 'Basic aGVpbS1jbGllbnQ6c2VjcmV0LXZhbHVlLTEyMzQ1Njc4',
})
const echoing = Buffer.concat([
  page.subarray(0, page.length - 2),
  Buffer.from(`,"echo":"${credentials[0]}"}}`),
])

function timed(run: () => unknown): number[] {
  const ms: number[] = []
  for (let i = 0; i < PAGES; i++) {
    const t = performance.now()
    run()
    ms.push(performance.now() - t)
  }
  return ms.sort((a, b) => a - b)
}

// Warm both paths first.
timed(() => withoutEchoedCredentials(page, credentials))
timed(() => JSON.parse(page.toString('utf8')))
const look = timed(() => withoutEchoedCredentials(page, credentials))
const parse = timed(() => JSON.parse(page.toString('utf8')))
const rewrite = timed(() => withoutEchoedCredentials(echoing, credentials))
const mb = page.length / 1024 / 1024
console.log(
  JSON.stringify({
    bench: 'credential-echo',
    page_kb: round(page.length / 1024),
    credentials: credentials.length,
    pages: PAGES,
    look_p50_ms: round(percentile(look, 50)),
    look_p95_ms: round(percentile(look, 95)),
    look_ms_per_mb: round(percentile(look, 50) / mb),
    parse_p50_ms: round(percentile(parse, 50)),
    look_over_parse: round(percentile(look, 50) / percentile(parse, 50)),
    echoed_rewrite_p50_ms: round(percentile(rewrite, 50)),
    echoed_rewrite_p95_ms: round(percentile(rewrite, 95)),
  }),
)
