import { describe, expect, it } from "vitest";
import { isGrantsTenantSignIn } from "./sign-in-tenant";

const grant = { tenantId: "8B1F3C52-7e4d-4a9b-9c6e-2d5f0a1b3c4d", upn: "stint-tina-abc@contoso.onmicrosoft.com" };
const at = (path: string) => isGrantsTenantSignIn(`https://login.microsoftonline.com${path}`, grant);

describe("the grant's tenant's sign-in", () => {
  it("is the tenant's own page, by id or by the account's domain, or Microsoft's multi-tenant one", () => {
    expect(at("/8b1f3c52-7e4d-4a9b-9c6e-2d5f0a1b3c4d/login?client_id=x")).toBe(true);
    expect(at("/8b1f3c52-7e4d-4a9b-9c6e-2d5f0a1b3c4d/oauth2/v2.0/authorize")).toBe(true);
    expect(at("/contoso.onmicrosoft.com/login")).toBe(true);
    expect(at("/common/oauth2/authorize")).toBe(true);
    expect(at("/organizations/login")).toBe(true);
    expect(at("/")).toBe(true);
  });

  it("is not another tenant's page, a personal-account page or something unreadable", () => {
    expect(at("/0a1b2c3d-0000-4000-8000-000000000000/login")).toBe(false);
    expect(at("/fabrikam.onmicrosoft.com/login")).toBe(false);
    expect(at("/consumers/login")).toBe(false);
    expect(isGrantsTenantSignIn(undefined, grant)).toBe(false);
    expect(isGrantsTenantSignIn("not a url", grant)).toBe(false);
  });
});
