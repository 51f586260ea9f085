/** Heim's API host (vendor facts: heim.md §3.1); test and live keys use the same host. */
export const heimHosts: readonly string[] = ['api.heim.health']
