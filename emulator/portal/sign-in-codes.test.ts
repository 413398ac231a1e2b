import { describe, expect, it } from "vitest";
import { PortalSignInCodes } from "./sign-in-codes";

const signIn = { tenantId: "8b1f3c52-7e4d-4a9b-9c6e-2d5f0a1b3c4d", userPrincipalName: "tech@contoso.example" };

describe("portal sign-in codes", () => {
  it("gives the sign-in back once", () => {
    const codes = new PortalSignInCodes();
    const code = codes.issue(signIn);
    expect(code).toMatch(/^[\w-]{32}$/);
    expect(codes.redeem(code)).toEqual(signIn);
    expect(codes.redeem(code)).toBeUndefined();
    expect(codes.redeem("unknown")).toBeUndefined();
  });

  it("expires five minutes after issue, even unused", () => {
    const codes = new PortalSignInCodes();
    const issuedAt = Date.now();
    const fresh = codes.issue(signIn, issuedAt);
    const stale = codes.issue(signIn, issuedAt);
    expect(codes.redeem(fresh, issuedAt + 5 * 60_000 - 1)).toEqual(signIn);
    expect(codes.redeem(stale, issuedAt + 5 * 60_000)).toBeUndefined();
  });
});
