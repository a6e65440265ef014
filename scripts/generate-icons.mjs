#!/usr/bin/env node
// Writes the extension's toolbar icons (extension/public/icon/{16,32,48,128}.png) without any
// image library: an RGBA raster drawn pixel by pixel, deflated with zlib, wrapped in PNG chunks.
// The shape is a rounded indigo square with a white "gate" (two posts and a lintel).
// Run: node scripts/generate-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'extension', 'public', 'icon');
const SIZES = [16, 32, 48, 128];
const BACKGROUND = [79, 70, 229]; // indigo-600
const FOREGROUND = [255, 255, 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Coverage (0..1) of the pixel centred at (x, y), in unit coordinates, by 4×4 supersampling. */
function coverage(size, px, py, inside) {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      if (inside((px + (sx + 0.5) / 4) / size, (py + (sy + 0.5) / 4) / size)) hits++;
    }
  }
  return hits / 16;
}

function insideRoundedSquare(x, y) {
  const r = 0.22;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function insideGate(x, y) {
  const leftPost = x >= 0.24 && x <= 0.36 && y >= 0.3 && y <= 0.8;
  const rightPost = x >= 0.64 && x <= 0.76 && y >= 0.3 && y <= 0.8;
  const lintel = x >= 0.18 && x <= 0.82 && y >= 0.2 && y <= 0.32;
  const bar = x >= 0.36 && x <= 0.64 && y >= 0.46 && y <= 0.54;
  return leftPost || rightPost || lintel || bar;
}

function png(size) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0 + RGBA
    for (let x = 0; x < size; x++) {
      const alpha = coverage(size, x, y, insideRoundedSquare);
      const gate = coverage(size, x, y, insideGate);
      const rgb = BACKGROUND.map((bg, i) => Math.round(bg + (FOREGROUND[i] - bg) * gate));
      row.set([...rgb, Math.round(alpha * 255)], 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT_DIR, { recursive: true });
for (const size of SIZES) {
  const file = join(OUT_DIR, `${size}.png`);
  writeFileSync(file, png(size));
  console.log(`wrote ${file}`);
}
