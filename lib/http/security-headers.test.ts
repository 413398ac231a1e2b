import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { API_CSP, pageCsp, securityHeaders } from "./security-headers";

const get = (path: string) => proxy(new NextRequest(`http://localhost:3000${path}`));

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe("Content-Security-Policy", () => {
  it("gives each page a fresh nonce, on the response and on the request Next renders from", () => {
    const first = get("/sign-in");
    const second = get("/sign-in");
    const csp = first.headers.get("content-security-policy")!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
  });

  it("runs only the nonce's scripts, never inline ones, and cannot be framed", () => {
    const d = directives(get("/overview").headers.get("content-security-policy")!);
    expect(d.get("script-src")).toEqual(["'self'", expect.stringMatching(/^'nonce-/), "'strict-dynamic'"]);
    expect(d.get("style-src")).toEqual(["'self'", expect.stringMatching(/^'nonce-/)]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'self'"]);
    expect(d.get("form-action")).toEqual(["'self'"]);
    for (const values of d.values()) expect(values).not.toContain("'unsafe-inline'");
  });

  it("allows eval and inline styles in development only, and upgrades requests only over https", () => {
    const dev = directives(pageCsp("n", { dev: true, https: false }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("script-src")).not.toContain("'unsafe-inline'");
    expect(dev.has("upgrade-insecure-requests")).toBe(false);
    expect(directives(pageCsp("n", { dev: false, https: true })).has("upgrade-insecure-requests")).toBe(true);
  });

  it("lets nothing load from or frame a route handler's answer", () => {
    for (const path of ["/api/v1/me", "/api/health", "/api/grants"]) expect(get(path).headers.get("content-security-policy"), path).toBe(API_CSP);
  });
});

describe("headers on every response", () => {
  it("nosniff, a referrer policy that keeps Origin on same-origin writes, no framing, HSTS over https only", () => {
    expect(securityHeaders(false)).toEqual({ "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin", "X-Frame-Options": "DENY" });
    expect(securityHeaders(true)["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
  });
});
