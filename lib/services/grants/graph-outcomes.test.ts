import { describe, expect, it } from "vitest";
import { EntraError } from "@/lib/entra/errors";
import { isTransient, retryTransient } from "./graph-outcomes";

const unavailable = () => new EntraError("The service is temporarily unavailable.", "serviceNotAvailable", 503);
const throttled = (retryAfterMs: number) => new EntraError("Please retry again later.", "TooManyRequests", 429, undefined, retryAfterMs);
const refused = () => new EntraError("Insufficient privileges to complete the operation.", "Authorization_RequestDenied", 403);
const badRequest = () => new EntraError("Invalid value specified for property.", "Request_BadRequest", 400);

/** Work that fails with the given errors in turn, then succeeds; records when each try began. */
function failing(...errors: Error[]) {
  const tries: number[] = [];
  const work = async () => {
    tries.push(Date.now());
    const err = errors[tries.length - 1];
    if (err) throw err;
    return "done";
  };
  return { work, tries };
}

describe("isTransient", () => {
  it("holds for lost answers, throttling, lag and unproven changes, not for refusals or failures outside Graph", () => {
    expect(isTransient(unavailable())).toBe(true);
    expect(isTransient(throttled(1_000))).toBe(true);
    expect(isTransient(new EntraError("Not found.", "Request_ResourceNotFound", 404))).toBe(true);
    expect(isTransient(new EntraError("Graph still shows the account enabled.", "verify_failed"))).toBe(true);
    expect(isTransient(refused())).toBe(false);
    expect(isTransient(badRequest())).toBe(false);
    expect(isTransient(new EntraError("AADSTS7000229: missing service principal", "AADSTS7000229", 400))).toBe(false);
    expect(isTransient(new Error("connection to Postgres lost"))).toBe(false);
  });
});

describe("retryTransient", () => {
  it("runs the work again after transient failures, further apart each time, until it succeeds", async () => {
    const { work, tries } = failing(unavailable(), unavailable());
    await expect(retryTransient(work, 5_000)).resolves.toBe("done");
    expect(tries).toHaveLength(3);
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(240);
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(490);
  });

  it("waits at least the Retry-After Graph sent", async () => {
    const { work, tries } = failing(throttled(700));
    await expect(retryTransient(work, 5_000)).resolves.toBe("done");
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(690);
  });

  it("passes a refusal for good, and the privileged-user refusal, to the caller at once", async () => {
    for (const err of [badRequest(), refused()]) {
      const { work, tries } = failing(err);
      await expect(retryTransient(work, 5_000)).rejects.toBe(err);
      expect(tries).toHaveLength(1);
    }
  });

  it("gives up with the last error once another wait would pass its time", async () => {
    const last = throttled(2_000);
    const { work, tries } = failing(unavailable(), last);
    await expect(retryTransient(work, 1_000)).rejects.toBe(last);
    expect(tries).toHaveLength(2);
  });
});
