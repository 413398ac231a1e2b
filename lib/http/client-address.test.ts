import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, parseTrustedProxies, stampClientAddress, type TrustedProxies } from "./client-address";

describe("TRUSTED_PROXIES", () => {
  it("is nobody, a hop count, or addresses and blocks", () => {
    expect(parseTrustedProxies(undefined)).toBeNull();
    expect(parseTrustedProxies(" ")).toBeNull();
    expect(parseTrustedProxies("2")).toEqual({ hops: 2 });
    expect(parseTrustedProxies("10.0.0.0/8, 192.0.2.1 ,2001:db8::/32")).toEqual({ cidrs: ["10.0.0.0/8", "192.0.2.1/32", "2001:db8::/32"] });
  });

  it("refuses anything else with a reason", () => {
    for (const bad of ["0", "11", "-1", "1.5", "loopback", "10.0.0.0/33", "10.0.0.0/8,,", "2 hops"]) {
      expect(parseTrustedProxies(bad), bad).toHaveProperty("problem");
    }
  });
});

describe("the client's address", () => {
  const cidrs: TrustedProxies = { cidrs: ["10.0.0.0/8", "192.0.2.1/32"] };
  const cases: [string, string | undefined, string | undefined, TrustedProxies, string | null][] = [
    ["no proxy trusted: the socket's peer, whatever the header says", "127.0.0.1", "198.51.100.7", null, "127.0.0.1"],
    ["a dual-stack socket's mapped IPv4 is plain IPv4", "::ffff:127.0.0.1", undefined, null, "127.0.0.1"],
    ["IPv6 peers as they are", "::1", "198.51.100.7", null, "::1"],
    ["an untrusted peer's header is ignored", "203.0.113.9", "198.51.100.7", cidrs, "203.0.113.9"],
    ["a trusted proxy: the address it appended", "10.1.2.3", "198.51.100.7", cidrs, "198.51.100.7"],
    ["what the client forged to the left is never reached", "10.1.2.3", "6.6.6.6, 198.51.100.7", cidrs, "198.51.100.7"],
    ["trusted hops are skipped right to left", "10.1.2.3", "6.6.6.6, 198.51.100.7, 192.0.2.1, 10.9.9.9", cidrs, "198.51.100.7"],
    ["a trusted proxy that sent no header: itself", "10.1.2.3", undefined, cidrs, "10.1.2.3"],
    ["garbage in the chain stops at the last trusted hop", "10.1.2.3", "198.51.100.7, not-an-ip", cidrs, "10.1.2.3"],
    ["one hop: the rightmost entry", "203.0.113.9", "6.6.6.6, 198.51.100.7", { hops: 1 }, "198.51.100.7"],
    ["two hops: the second from the right", "203.0.113.9", "6.6.6.6, 198.51.100.7, 10.0.0.5", { hops: 2 }, "198.51.100.7"],
    ["more hops than entries: the leftmost", "203.0.113.9", "198.51.100.7", { hops: 3 }, "198.51.100.7"],
    ["no socket address: none", undefined, "198.51.100.7", null, null],
  ];
  it.each(cases)("%s", (_name, peer, forwarded, trusted, expected) => {
    expect(clientAddress(peer, forwarded, trusted)).toBe(expected);
  });
});

describe("stampClientAddress, in a real HTTP server", () => {
  let server: Server;
  let port: number;
  const seen: { header: string | string[] | undefined; raw: string[] }[] = [];
  let trusted: TrustedProxies = null;

  beforeAll(async () => {
    server = createServer((req, res) => {
      stampClientAddress(req, trusted);
      seen.push({ header: req.headers[CLIENT_ADDRESS_HEADER], raw: req.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase()) });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (headers: Record<string, string | string[]>) =>
    new Promise<void>((resolve, reject) => request({ host: "127.0.0.1", port, headers }, (res) => res.resume().on("end", resolve)).on("error", reject).end());

  it("replaces a forged copy of its header and ignores X-Forwarded-For from an untrusted peer", async () => {
    trusted = null;
    await send({ [CLIENT_ADDRESS_HEADER]: ["198.51.100.7", "198.51.100.8"], "x-forwarded-for": "198.51.100.9" });
    expect(seen.at(-1)!.header).toBe("127.0.0.1");
    expect(seen.at(-1)!.raw.filter((h) => h === CLIENT_ADDRESS_HEADER)).toHaveLength(1);
  });

  it("believes X-Forwarded-For from a trusted proxy", async () => {
    trusted = { cidrs: ["127.0.0.0/8"] };
    await send({ "x-forwarded-for": "6.6.6.6, 198.51.100.7" });
    expect(seen.at(-1)!.header).toBe("198.51.100.7");
  });
});
