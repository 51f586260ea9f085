/** Raw HTTP over `node:net`: the test writes exact bytes, as a hostile page or program could. */
import { connect, type Socket } from 'node:net'

export interface RawReply {
  /** The status from the first response line, or 0 when the host closed without answering. */
  status: number
  text: string
  /** True when the host neither answered nor closed within the limit (far beyond its own timeouts). */
  hung: boolean
}

export function statusOf(text: string): number {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(text)
  return m ? Number(m[1]) : 0
}

/** Send bytes, half-close, and collect everything until the host closes (or `limitMs` passes). */
export function exchange(port: number, bytes: string | Buffer, limitMs = 30_000): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    let settled = false
    const done = (hung: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ status: statusOf(text), text, hung })
    }
    const timer = setTimeout(() => done(true), limitMs)
    socket.setEncoding('latin1')
    socket.on('data', (c: string) => (text += c))
    socket.on('error', () => done(false))
    socket.on('close', () => done(false))
    socket.write(bytes, () => socket.end())
  })
}

/** An open socket and a promise of everything it received once the host closes it. */
export function openSocket(port: number): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    socket.setEncoding('latin1')
    socket.on('data', (c: string) => (text += c))
    const closed = new Promise<string>((ok) => socket.on('close', () => ok(text)))
    socket.on('error', () => {})
    socket.once('connect', () => resolve({ socket, closed }))
    socket.once('error', reject)
  })
}

/** A well-formed call with the token in the header. */
export function apiCall(port: number, token: string, name: string, input: unknown = {}): Promise<RawReply> {
  const body = JSON.stringify(input)
  return exchange(
    port,
    `POST /api/call/${name} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Frontdesk-Token: ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

/** The JSON body of a reply (after the headers; Content-Length bodies only). */
export function jsonBody(reply: RawReply): unknown {
  const i = reply.text.indexOf('\r\n\r\n')
  return JSON.parse(reply.text.slice(i + 4)) as unknown
}
