/** Healthie's API hosts (vendor facts: healthie.md §4.1): production and the documented sandbox. */
export const healthieHosts: readonly string[] = ['api.gethealthie.com', 'staging-api.gethealthie.com']
