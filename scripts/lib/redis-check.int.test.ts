import { once } from "node:events";
import net, { type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { assertRedisReachable } from "./redis-check";

async function listeningServer(): Promise<net.Server> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

function urlOf(server: net.Server): string {
  return `redis://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("assertRedisReachable", () => {
  it("passes when Redis answers", async () => {
    await expect(assertRedisReachable(process.env.REDIS_URL ?? "redis://127.0.0.1:6379")).resolves.toBeUndefined();
  });

  it("says what to do when nothing listens", async () => {
    const server = await listeningServer();
    const url = urlOf(server);
    await new Promise((resolve) => server.close(resolve));
    const check = assertRedisReachable(url);
    await expect(check).rejects.toThrow(`Redis is not reachable at ${url} (connect ECONNREFUSED`);
    await expect(check).rejects.toThrow("Install it (Debian: apt-get install redis-server; macOS: brew install redis)");
  });

  it("gives up after about 2 s when the server never answers", async () => {
    const silent = await listeningServer();
    const started = Date.now();
    try {
      await expect(assertRedisReachable(urlOf(silent))).rejects.toThrow("No answer within 2000 ms");
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      silent.close();
    }
  });
});
