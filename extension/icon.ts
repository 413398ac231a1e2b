import { deflateSync } from "node:zlib";
import { mark } from "@/lib/brand/mark";
import { crc32 } from "@/lib/tokens/format";

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/**
 * The toolbar icon, drawn at build time from Stint's mark (the console's logo and favicon), as an RGBA PNG
 * of `size` pixels. Drawing it keeps binary files out of the repository.
 */
export function renderIcon(size: number): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  const radius = size * mark.cornerRadius;
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      // Rounded square: distance outside the inner rectangle, against the corner radius.
      const dx = Math.max(Math.abs(x - c) - (c - radius), 0);
      const dy = Math.max(Math.abs(y - c) - (c - radius), 0);
      const inside = Math.hypot(dx, dy) <= radius;
      if (!inside) continue;
      const r = Math.hypot(x - c, y - c);
      const ring = Math.abs(r - size * mark.ringRadius) < Math.max(size * mark.ringHalfWidth, 0.8);
      const handWidth = Math.max(size * mark.handHalfWidth, 0.6);
      const hand = (Math.abs(x - c) < handWidth && y <= c && y >= c - size * mark.minuteHand) || (Math.abs(y - c) < handWidth && x >= c && x <= c + size * mark.hourHand);
      rgba.set([...rgb(ring || hand ? mark.foreground : mark.background), 255], i);
    }
  }
  return encodePng(size, rgba);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, tail]);
}

function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}
