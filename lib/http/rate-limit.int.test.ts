import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getRedis } from "@/lib/redis";
import { rateLimit } from "./rate-limit";

describe("rate limits in Redis", () => {
  it("keep their counters under QUEUE_PREFIX, so installations sharing a Redis do not share limits", async () => {
    const key = randomBytes(6).toString("hex");
    await rateLimit("prefix-check", key, 2, 60);
    expect(env.QUEUE_PREFIX).not.toBe("stint");
    expect(await getRedis().exists(`${env.QUEUE_PREFIX}:rl:prefix-check:${key}`)).toBe(1);
    expect(await getRedis().keys(`stint:rl:prefix-check:${key}`)).toEqual([]);
  });

  it("answer 429 with a retry time past the limit", async () => {
    const key = randomBytes(6).toString("hex");
    await rateLimit("limit-check", key, 1, 60);
    const refused = await rateLimit("limit-check", key, 1, 60).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
    expect((refused as AppError).retryAfterSeconds).toBeGreaterThan(0);
  });
});
