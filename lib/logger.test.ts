import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(chunk.toString()), done()) });
  return { logger: createLogger(stream), lines };
}

describe("logger", () => {
  it("redacts secrets at the top level and nested, in headers too", () => {
    const { logger, lines } = capture();
    logger.warn(
      {
        password: "hunter2-canary",
        token: "stp_canary",
        user: { clientSecret: "s3cret-canary", name: "visible" },
        req: { headers: { authorization: "Bearer canary", cookie: "stint_session=canary" } },
      },
      "something",
    );
    const out = lines.join("");
    expect(out).not.toContain("canary");
    expect(out).toContain("visible");
    expect(out).toContain("[redacted]");
  });

  it("writes JSON with an ISO time and the program name", () => {
    const { logger, lines } = capture();
    logger.info("hello");
    const entry = JSON.parse(lines[0]!);
    expect(entry.msg).toBe("hello");
    expect(entry.service).toBe("web");
    expect(new Date(entry.time).toISOString()).toBe(entry.time);
  });
});
