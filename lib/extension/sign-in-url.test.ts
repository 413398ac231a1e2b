import { describe, expect, it } from "vitest";
import { fillSignInUrl, signInUrlTemplateProblem } from "./sign-in-url";

describe("the extension's sign-in URL template", () => {
  it("fills in the tenant and the UPN, URL-encoded", () => {
    const target = { tenantId: "7c1f6e0a-0000-4000-8000-000000000001", upn: "jit+x@contoso.example" };
    expect(fillSignInUrl("https://portal.azure.com/{tenantId}", target)).toBe("https://portal.azure.com/7c1f6e0a-0000-4000-8000-000000000001");
    expect(fillSignInUrl("https://login.example/{tenantId}/start?login_hint={upn}", target)).toBe(
      "https://login.example/7c1f6e0a-0000-4000-8000-000000000001/start?login_hint=jit%2Bx%40contoso.example",
    );
  });

  it("accepts https templates only, with known placeholders only", () => {
    expect(signInUrlTemplateProblem("https://portal.azure.com/{tenantId}")).toBeNull();
    expect(signInUrlTemplateProblem("https://myapps.microsoft.com/?tenantId={tenantId}&login_hint={upn}")).toBeNull();
    expect(signInUrlTemplateProblem("http://portal.azure.com/{tenantId}")).toMatch(/https/);
    expect(signInUrlTemplateProblem("javascript:alert({tenantId})")).toMatch(/https/);
    expect(signInUrlTemplateProblem("https://portal.azure.com/{tenant}")).toMatch(/placeholder|filled/);
    expect(signInUrlTemplateProblem("not a url {tenantId}")).toMatch(/URL/);
  });
});
