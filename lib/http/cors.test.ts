import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { isAllowedExtensionOrigin } from "@/lib/extension/origins";
import { config, proxy } from "@/proxy";
import { CORS_PREFLIGHT_HEADERS } from "./cors";

const EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";

function request(method: string, origin: string | null, path = "/api/v1/grants") {
  return new NextRequest(`http://localhost:3000${path}`, { method, headers: origin ? { origin } : {} });
}

describe("which origins may call /api/v1 cross-origin", () => {
  it("any extension origin when none are pinned; only the pinned ones otherwise", () => {
    expect(isAllowedExtensionOrigin(EXTENSION, null)).toBe(true);
    expect(isAllowedExtensionOrigin("moz-extension://0f5e6c2a-1b2c-4d3e-8f9a-0123456789ab", null)).toBe(true);
    expect(isAllowedExtensionOrigin(EXTENSION, [EXTENSION])).toBe(true);
    expect(isAllowedExtensionOrigin("chrome-extension://someotherextensionidaaaaaaaaaaaa", [EXTENSION])).toBe(false);
  });

  it("never a web origin, nothing malformed, and not a missing Origin", () => {
    for (const origin of ["https://evil.example", "http://localhost:3000", "null", "chrome-extension://", "chrome-extension://abc/path", `${EXTENSION}.evil.example`, null]) {
      expect(isAllowedExtensionOrigin(origin, null), String(origin)).toBe(false);
    }
  });
});

describe("proxy.ts: CORS for /api/v1 in one place", () => {
  it("runs on every path but Next's own files; pages get no CORS, only their address, for sign-in to return to", () => {
    expect(config.matcher).toEqual(["/((?!_next/|favicon.ico).*)"]);
    const page = proxy(request("GET", EXTENSION, "/extension/connect?code=BCDF-GHJK"));
    expect(page.headers.get("access-control-allow-origin")).toBeNull();
    expect(page.headers.get("x-middleware-request-x-stint-return-to")).toBe("/extension/connect?code=BCDF-GHJK");
  });

  it("answers an extension's preflight with 204, its origin echoed, and never with credentials", () => {
    const res = proxy(request("OPTIONS", EXTENSION));
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(EXTENSION);
    for (const [k, v] of Object.entries(CORS_PREFLIGHT_HEADERS)) expect(res.headers.get(k)).toBe(v);
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, POST, DELETE");
    expect(res.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type, Idempotency-Key");
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(res.headers.get("vary")).toBe("Origin");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("adds the origin and Vary to an extension's actual requests, which go on to their route", () => {
    const res = proxy(request("POST", EXTENSION, "/api/v1/extension/pairings/poll"));
    expect(res.headers.get("x-middleware-next")).toBe("1");
    expect(res.headers.get("access-control-allow-origin")).toBe(EXTENSION);
    expect(res.headers.get("vary")).toBe("Origin");
    expect(res.headers.get("access-control-expose-headers")).toContain("Retry-After");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("allows nothing to a web origin: no Access-Control-Allow-Origin on the preflight or the request", () => {
    for (const method of ["OPTIONS", "GET", "POST"]) {
      const res = proxy(request(method, "https://evil.example"));
      expect(res.headers.get("access-control-allow-origin"), method).toBeNull();
      expect(res.headers.get("access-control-allow-methods"), method).toBeNull();
      expect(res.headers.get("vary"), method).toBe("Origin");
    }
  });
});
