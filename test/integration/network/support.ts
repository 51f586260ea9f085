/**
 * Test peers for the network tests: a throwaway CA and a server certificate made with the openssl
 * CLI, and a small forward proxy (HTTP CONNECT) on loopback that records what it tunnelled and can
 * refuse or demand Basic sign-in.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'

export interface TestCa {
  caFile: string
  caPem: string
  key: string
  cert: string
  issuer: string
}

/** A CA named `issuer` and a certificate for 127.0.0.1 and localhost signed by it, in `dir`. */
export function makeCa(dir: string, issuer: string): TestCa {
  const f = (n: string) => join(dir, n)
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${issuer}/O=Test Network`,
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  )
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
  )
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n')
  run(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
    '-out',
    f('server.pem'),
  )
  return {
    caFile: f('ca.pem'),
    caPem: readFileSync(f('ca.pem'), 'utf8'),
    key: readFileSync(f('server.key'), 'utf8'),
    cert: readFileSync(f('server.pem'), 'utf8'),
    issuer,
  }
}

export interface TestProxy {
  url: string
  /** `host:port` of every CONNECT asked for, in order. */
  connects: string[]
  /** The Proxy-Authorization header of each CONNECT ('' when none). */
  authorizations: string[]
  close(): Promise<void>
}

export async function startConnectProxy(
  opts: { refuse?: number; basic?: { username: string; password: string } } = {},
): Promise<TestProxy> {
  const connects: string[] = []
  const authorizations: string[] = []
  const sockets = new Set<Socket>()
  const expected = opts.basic
    ? `Basic ${Buffer.from(`${opts.basic.username}:${opts.basic.password}`).toString('base64')}`
    : undefined
  const server = createServer((_req, res) => {
    res.writeHead(405).end()
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? ''
    connects.push(target)
    const auth = req.headers['proxy-authorization'] ?? ''
    authorizations.push(auth)
    if (opts.refuse) {
      client.end(`HTTP/1.1 ${opts.refuse} Forbidden\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    if (expected && auth !== expected) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
      )
      return
    }
    const [host, port] = target.split(':')
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client).pipe(upstream)
    })
    sockets.add(upstream)
    const drop = () => (client.destroy(), upstream.destroy(), sockets.delete(upstream))
    upstream.on('error', drop).on('close', drop)
    client.on('error', drop).on('close', drop)
  })
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address()
      resolve(typeof a === 'object' && a ? a.port : 0)
    }),
  )
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
