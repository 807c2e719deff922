// Draws the toolbar icon (a white "download to desktop" glyph on Azure blue) as PNGs in
// public/icons. Run by hand when the design changes; the PNGs are committed as assets.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
};

// Shape in a unit square: rounded background, arrow shaft, arrow head, tray.
function inside(x, y) {
  const r = 0.2;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return 'none';
  const shaft = x > 0.44 && x < 0.56 && y > 0.18 && y < 0.52;
  const head = y >= 0.42 && y < 0.66 && Math.abs(x - 0.5) < (0.66 - y) * 1.1;
  const tray = (y > 0.72 && y < 0.82 && x > 0.2 && x < 0.8) || (y > 0.56 && y < 0.82 && ((x > 0.2 && x < 0.3) || (x > 0.7 && x < 0.8)));
  return shaft || head || tray ? 'glyph' : 'bg';
}

function png(size) {
  const ss = 4;
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      let bg = 0, glyph = 0;
      for (let sy = 0; sy < ss; sy++)
        for (let sx = 0; sx < ss; sx++) {
          const k = inside((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          if (k === 'bg') bg++;
          else if (k === 'glyph') glyph++;
        }
      const n = ss * ss, a = (bg + glyph) / n, w = glyph / Math.max(1, bg + glyph);
      const o = 1 + px * 4;
      row[o] = Math.round(0x00 + (255 - 0x00) * w);
      row[o + 1] = Math.round(0x78 + (255 - 0x78) * w);
      row[o + 2] = Math.round(0xd4 + (255 - 0xd4) * w);
      row[o + 3] = Math.round(a * 255);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [16, 32, 48, 128]) writeFileSync(`public/icons/icon-${size}.png`, png(size));
