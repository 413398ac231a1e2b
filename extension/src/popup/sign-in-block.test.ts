import { describe, expect, it } from "vitest";
import { whySignInCannotWork } from "./sign-in-block";

const now = Date.parse("2026-12-05T10:00:00Z");
const clock = (d: Date) => d.toISOString().slice(11, 16);
const grant = { state: "active", signInMethod: "tap", startAt: "2026-12-05T09:00:00Z", customerId: "cus_1" } as const;

describe("whySignInCannotWork", () => {
  it("offers Sign in for an active grant, a password one too while its tenant has not demanded MFA", () => {
    expect(whySignInCannotWork(grant, ["cus_1"], clock, now)).toBeNull();
    expect(whySignInCannotWork({ ...grant, signInMethod: "password" }, ["cus_2"], clock, now)).toBeNull();
  });

  it("explains a password-only grant on a customer whose tenant demanded MFA", () => {
    expect(whySignInCannotWork({ ...grant, signInMethod: "password" }, ["cus_1"], clock, now)).toMatch(/asked this password-only account for MFA.*Temporary Access Pass/);
  });

  it("explains a grant that is not ready: waiting for approval, starting later, being made", () => {
    expect(whySignInCannotWork({ ...grant, state: "pending_approval" }, [], clock, now)).toMatch(/^Waiting for approval/);
    expect(whySignInCannotWork({ ...grant, state: "approved", startAt: "2026-12-05T11:30:00Z" }, [], clock, now)).toBe("Starts at 11:30. Sign in is offered once the account is ready.");
    expect(whySignInCannotWork({ ...grant, state: "provisioning" }, [], clock, now)).toMatch(/^The account is being made/);
  });

  it("explains a grant whose access is ending", () => {
    expect(whySignInCannotWork({ ...grant, state: "expiring" }, [], clock, now)).toMatch(/^Access is ending/);
    expect(whySignInCannotWork({ ...grant, state: "irrevocable" }, [], clock, now)).toMatch(/^Access is ending/);
  });
});
