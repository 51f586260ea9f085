/** Hero Health's API hosts (vendor facts: hero-health.md §2.1): production, staging (test data) and the mock. */
export const heroHosts: readonly string[] = [
  'api.herohealth.net',
  'api.staging.htech.app',
  'developer.herohealth.net',
]
