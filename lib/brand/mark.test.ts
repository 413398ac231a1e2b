import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { renderIcon } from "@/extension/icon";
import { mark, markDataUrl, markSvg } from "./mark";

/** The RGBA of one pixel of a PNG that renderIcon drew (8-bit RGBA, filter 0 on every row). */
function pixel(png: Buffer, size: number, x: number, y: number): number[] {
  const idat = png.subarray(png.indexOf("IDAT") + 4, png.indexOf("IEND") - 8);
  const rows = inflateSync(idat);
  const at = y * (size * 4 + 1) + 1 + x * 4;
  return [...rows.subarray(at, at + 4)];
}

describe("Stint's mark", () => {
  it("is one drawing: the favicon's SVG and the extension's icon share its colours and shape", () => {
    const svg = markSvg();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 100 100">/);
    expect(svg).toContain(`rx="22" fill="${mark.background}"`);
    expect(svg).toContain(`r="30" fill="none" stroke="${mark.foreground}" stroke-width="10"`);
    expect(decodeURIComponent(markDataUrl().replace("data:image/svg+xml,", ""))).toBe(svg);

    const size = 128;
    const icon = renderIcon(size);
    const c = Math.round((size - 1) / 2);
    expect(pixel(icon, size, c, Math.round(c - size * mark.ringRadius))).toEqual([255, 255, 255, 255]); // on the ring
    expect(pixel(icon, size, c + 10, c + 10)).toEqual([15, 23, 42, 255]); // the square inside the ring
    expect(pixel(icon, size, 0, 0)).toEqual([0, 0, 0, 0]); // outside the rounded corner
  });
});
