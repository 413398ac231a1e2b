import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, toErrorBody } from "./errors";

describe("toErrorBody", () => {
  it("maps an AppError to its status, code and safe message", () => {
    const res = toErrorBody(new AppError("rate_limited", "Slow down.", { retryAfterSeconds: 7 }));
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error: { code: "rate_limited", message: "Slow down." } });
    expect(res.headers).toEqual({ "Retry-After": "7" });
  });

  it("names the field of a validation error", () => {
    const err = z.object({ email: z.email() }).safeParse({ email: "nope" }).error!;
    const res = toErrorBody(err);
    expect(res.status).toBe(422);
    expect(res.body.error.field).toBe("email");
    expect(res.body.error.message).toMatch(/^email: /);
  });

  it("never leaks an unknown error's message or cause", () => {
    const res = toErrorBody(new Error("connection string postgres://secret@db"));
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain("secret");
  });
});
