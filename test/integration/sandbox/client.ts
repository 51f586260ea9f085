import { request } from 'undici'

/** A plain HTTP client for the contract tests: status, headers and parsed JSON (or the raw text when it does not parse). */
export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string
}

export async function call(
  base: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  opts: { headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<Reply> {
  const res = await request(`${base}${path}`, {
    method,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    ...(opts.body !== undefined
      ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
      : {}),
    ...(opts.timeoutMs ? { signal: AbortSignal.timeout(opts.timeoutMs) } : {}),
  })
  const text = await res.body.text()
  let body: unknown
  try {
    body = text.length ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  return { status: res.statusCode, headers: res.headers, body, text }
}

/** The error a failed call throws, with the socket-level code (ECONNREFUSED, UND_ERR_SOCKET, …) when there is one. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; code: string | undefined }> {
  try {
    await p
  } catch (e) {
    const err = e as { name: string; code?: string; cause?: { code?: string } }
    return { name: err.name, code: err.code ?? err.cause?.code }
  }
  throw new Error('expected the call to fail')
}
