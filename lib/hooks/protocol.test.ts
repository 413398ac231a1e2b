import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hookAnswer, hookCall } from "./protocol";

// The published contract (docs/hook-call.schema.json, docs/hook-answer.schema.json) is the code's, exactly.
const published = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, "../../docs", name), "utf8")) as unknown;

describe("the hook protocol", () => {
  it("matches the JSON Schemas in docs/", () => {
    expect(published("hook-call.schema.json")).toEqual(z.toJSONSchema(hookCall, { io: "output" }));
    expect(published("hook-answer.schema.json")).toEqual(z.toJSONSchema(hookAnswer, { io: "input" }));
  });

  it("reads the answers the docs show, and refuses what is not a verdict", () => {
    expect(hookAnswer.parse({ verdict: "NEEDINFO", questions: [{ key: "otp", prompt: "One-time code", hidden: true }], cookie: { tries: 1 } })).toMatchObject({ verdict: "NEEDINFO" });
    expect(hookAnswer.parse({ verdict: "ACCEPT", additional_metadata: "CAB-77" })).toEqual({ verdict: "ACCEPT", additional_metadata: "CAB-77" });
    expect(hookAnswer.safeParse({ verdict: "accept" }).success).toBe(false);
    expect(hookAnswer.safeParse({ verdict: "NEEDINFO", questions: [] }).success).toBe(false);
    expect(hookAnswer.safeParse({ verdict: "ACCEPT", cookie: { big: "x".repeat(5000) } }).success).toBe(false);
  });
});
