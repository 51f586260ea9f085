/** A plain GraphQL-over-HTTP client, as an adapter would be: real fetch, real sockets. */
export interface GqlResponse<T = Record<string, unknown>> {
  status: number
  headers: Headers
  body: { data?: T | null; errors?: GqlError[]; extensions?: Record<string, unknown> }
}

export interface GqlError {
  message: string
  extensions?: Record<string, unknown>
  path?: (string | number)[]
}

export function graphqlClient(url: string, defaultHeaders: () => Record<string, string>) {
  return async function gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    opts: { headers?: Record<string, string>; signal?: AbortSignal; replaceHeaders?: boolean } = {},
  ): Promise<GqlResponse<T>> {
    const headers = {
      'content-type': 'application/json',
      ...(opts.replaceHeaders ? {} : defaultHeaders()),
      ...opts.headers,
    }
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      signal: opts.signal,
    })
    const text = await res.text()
    return { status: res.status, headers: res.headers, body: JSON.parse(text) as GqlResponse<T>['body'] }
  }
}

/** The raw answer, for faults that break the body. */
export async function rawPost(url: string, headers: Record<string, string>, body: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
  return { status: res.status, text: await res.text() }
}
