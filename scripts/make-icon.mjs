#!/usr/bin/env node
/**
 * Draws the app icon (a checked appointment card on teal) into build/icon.svg and build/icon.png
 * (1024 x 1024) from one list of shapes, with no image packages: the PNG is rasterised here with
 * signed distances for smooth edges and encoded with node:zlib. electron-builder derives the
 * macOS .icns and the Windows .ico from the PNG.
 *   node scripts/make-icon.mjs
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const SIZE = 1024
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build')

// Apple's icon grid: an 824 px rounded square centred on the 1024 px canvas.
const shapes = [
  { kind: 'rect', x: 100, y: 100, w: 824, h: 824, r: 185, fill: { top: '#14a38f', bottom: '#0b5f56' } },
  { kind: 'rect', x: 262, y: 300, w: 500, h: 450, r: 56, fill: '#ffffff' },
  { kind: 'rect', x: 262, y: 300, w: 500, h: 96, r: 56, fill: '#d7f5ef' },
  { kind: 'rect', x: 262, y: 350, w: 500, h: 46, r: 0, fill: '#d7f5ef' },
  { kind: 'rect', x: 360, y: 246, w: 48, h: 116, r: 24, fill: '#ffffff' },
  { kind: 'rect', x: 616, y: 246, w: 48, h: 116, r: 24, fill: '#ffffff' },
  {
    kind: 'line',
    points: [
      [392, 566],
      [474, 648],
      [636, 486],
    ],
    width: 62,
    stroke: '#0d7a6d',
  },
]

function svg() {
  const parts = shapes.map((s) => {
    if (s.kind === 'line') {
      const pts = s.points.map(([x, y]) => `${x},${y}`).join(' ')
      return `  <polyline points="${pts}" fill="none" stroke="${s.stroke}" stroke-width="${s.width}" stroke-linecap="round" stroke-linejoin="round"/>`
    }
    const fill = typeof s.fill === 'string' ? s.fill : 'url(#bg)'
    return `  <rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="${s.r}" fill="${fill}"/>`
  })
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">`,
    '  <defs>',
    '    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">',
    `      <stop offset="0" stop-color="${shapes[0].fill.top}"/>`,
    `      <stop offset="1" stop-color="${shapes[0].fill.bottom}"/>`,
    '    </linearGradient>',
    '  </defs>',
    ...parts,
    '</svg>',
    '',
  ].join('\n')
}

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))

/** Signed distance from (px, py) to a rounded rectangle: negative inside. */
function rectDistance(s, px, py) {
  const hw = s.w / 2
  const hh = s.h / 2
  const qx = Math.abs(px - (s.x + hw)) - (hw - s.r)
  const qy = Math.abs(py - (s.y + hh)) - (hh - s.r)
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - s.r
}

/** Distance from (px, py) to a polyline with round caps and joins, minus half its width. */
function lineDistance(s, px, py) {
  let best = Infinity
  for (let i = 0; i + 1 < s.points.length; i++) {
    const [ax, ay] = s.points[i]
    const [bx, by] = s.points[i + 1]
    const dx = bx - ax
    const dy = by - ay
    const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    best = Math.min(best, Math.hypot(px - (ax + t * dx), py - (ay + t * dy)))
  }
  return best - s.width / 2
}

function raster() {
  const px = Buffer.alloc(SIZE * SIZE * 4)
  const [top, bottom] = [rgb(shapes[0].fill.top), rgb(shapes[0].fill.bottom)]
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const cx = x + 0.5
      const cy = y + 0.5
      let [r, g, b, a] = [0, 0, 0, 0]
      for (const s of shapes) {
        const d = s.kind === 'line' ? lineDistance(s, cx, cy) : rectDistance(s, cx, cy)
        const cover = Math.max(0, Math.min(1, 0.5 - d))
        if (cover === 0) continue
        let col
        if (s.kind === 'line') col = rgb(s.stroke)
        else if (typeof s.fill === 'string') col = rgb(s.fill)
        else {
          const t = Math.max(0, Math.min(1, (cy - s.y) / s.h))
          col = top.map((c, i) => c + (bottom[i] - c) * t)
        }
        // Straight-alpha "over" compositing.
        const outA = cover + a * (1 - cover)
        ;[r, g, b] = [0, 1, 2].map((i) => (col[i] * cover + [r, g, b][i] * a * (1 - cover)) / outA)
        a = outA
      }
      const o = (y * SIZE + x) * 4
      px[o] = Math.round(r)
      px[o + 1] = Math.round(g)
      px[o + 2] = Math.round(b)
      px[o + 3] = Math.round(a * 255)
    }
  }
  return px
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

function png(rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(SIZE, 0)
  ihdr.writeUInt32BE(SIZE, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  const stride = SIZE * 4
  const raw = Buffer.alloc((stride + 1) * SIZE)
  for (let y = 0; y < SIZE; y++) rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride) // filter 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

mkdirSync(outDir, { recursive: true })
writeFileSync(join(outDir, 'icon.svg'), svg())
writeFileSync(join(outDir, 'icon.png'), png(raster()))
console.log(`[icon] wrote build/icon.svg and build/icon.png (${SIZE}x${SIZE})`)
