/**
 * A recording relay between an adapter and its vendor (a simulator or a real sandbox): a real HTTP
 * server on 127.0.0.1 that forwards each request unchanged and keeps what went each way. The
 * conformance table shows these exchanges (secrets redacted), and the schema checks validate the
 * GraphQL documents and variables the adapters really sent.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { redactSecrets } from '../../../../src/main/vendors/vendor-text'

export interface Exchange {
  method: string
  path: string
  /** Request headers, credential-bearing ones replaced by "[redacted]". */
  headers: Record<string, string>
  body: string
  status: number
  response: string
  /** A GraphQL request as sent (in memory only, never printed): what the schema checks validate. */
  graphql?: { query: string; variables: Record<string, unknown>; operationName?: string }
}

const SECRET_HEADERS = /^(authorization|x-api-key|api-key|x-practice-group-id|cookie|x-token)$/i
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding'])

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function graphqlOf(body: Buffer): Pick<Exchange, 'graphql'> {
  try {
    const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>
    if (typeof json.query !== 'string') return {}
    const variables = (json.variables ?? {}) as Record<string, unknown>
    const name = typeof json.operationName === 'string' ? { operationName: json.operationName } : {}
    return { graphql: { query: json.query, variables, ...name } }
  } catch {
    return {}
  }
}

export interface Recorder {
  /** The relay's address standing in for `upstream` (same path). */
  url: string
  exchanges: Exchange[]
  close(): Promise<void>
}

export async function startRecorder(upstream: string): Promise<Recorder> {
  const base = new URL(upstream)
  const exchanges: Exchange[] = []
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req)
      const target = new URL(req.url ?? '/', base.origin)
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && !HOP_HEADERS.has(k)) headers[k] = v
      const init: RequestInit = { method: req.method ?? 'GET', headers, redirect: 'manual' }
      if (body.length) init.body = body
      const answer = await fetch(target, init).catch((err: unknown) => err as Error)
      if (answer instanceof Error) {
        res.destroy()
        return
      }
      const text = await answer.text()
      exchanges.push({
        ...graphqlOf(body),
        method: req.method ?? 'GET',
        path: redactSecrets(req.url ?? '/'),
        headers: Object.fromEntries(
          Object.entries(headers).map(([k, v]) => [
            k,
            SECRET_HEADERS.test(k) ? '[redacted]' : redactSecrets(v),
          ]),
        ),
        body: redactSecrets(body.toString('utf8')),
        status: answer.status,
        response: redactSecrets(text),
      })
      const out: Record<string, string> = {}
      answer.headers.forEach((v, k) => {
        if (!HOP_HEADERS.has(k) && k !== 'content-encoding') out[k] = v
      })
      res.writeHead(answer.status, out).end(text)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${base.pathname === '/' ? '' : base.pathname.replace(/\/$/, '')}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
