/** Semble's API host (vendor facts: semble.md §1.1, `POST https://open.semble.io/graphql`). No sandbox host is documented. */
export const sembleHosts: readonly string[] = ['open.semble.io']
