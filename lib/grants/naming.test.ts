import { describe, expect, it } from "vitest";
import { jitUserPrincipalName, mailNicknameOf } from "./naming";
import { generateJitPassword } from "./password";

describe("JIT account naming", () => {
  it("derives the UPN from the template, the grant and the technician", () => {
    expect(
      jitUserPrincipalName({ template: "stint-{technician}-{grant}", grantId: "gr_AbC123xyz0987", technicianEmail: "Jörg.Müller@msp.example", customerName: "Contoso", domain: "contoso.com" }),
    ).toBe("stint-jorg-muller-abc123xyz0987@contoso.com");
    expect(jitUserPrincipalName({ template: "{customer}.{grant}", grantId: "gr_x", technicianEmail: "a@b", customerName: "Fabrikam Inc", domain: "f.com" })).toBe("fabrikam-inc.x@f.com");
    expect(mailNicknameOf("stint-a-b@contoso.com")).toBe("stint-a-b");
  });
});

describe("JIT passwords", () => {
  it("have every character class and never repeat", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const p = generateJitPassword();
      expect(p).toHaveLength(24);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^A-Za-z0-9]/);
      seen.add(p);
    }
    expect(seen.size).toBe(2000);
  });
});
