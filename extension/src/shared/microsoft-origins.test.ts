import { describe, expect, it } from "vitest";
import { isMicrosoftSignInUrl, microsoftSignInMatches } from "./microsoft-origins";

describe("Microsoft sign-in origins", () => {
  it("accepts exactly the sign-in origins, on any path", () => {
    expect(isMicrosoftSignInUrl("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?x=1")).toBe(true);
    expect(isMicrosoftSignInUrl("https://login.microsoftonline.us/common/login")).toBe(true);
    expect(isMicrosoftSignInUrl("https://login.partner.microsoftonline.cn/x")).toBe(true);
  });

  it("refuses look-alikes, other schemes and ports, and garbage", () => {
    for (const url of [
      "http://login.microsoftonline.com/common/login",
      "https://login.microsoftonline.com:8443/common/login",
      "https://login.microsoftonline.com.evil.example/common/login",
      "https://evil.example/login.microsoftonline.com",
      "https://login-microsoftonline.com/",
      "https://portal.azure.com/",
      "not a url",
      "",
      undefined,
    ]) {
      expect(isMicrosoftSignInUrl(url), String(url)).toBe(false);
    }
  });

  it("gives the manifest one https match pattern per origin", () => {
    expect(microsoftSignInMatches()).toContain("https://login.microsoftonline.com/*");
    expect(microsoftSignInMatches().every((m) => m.startsWith("https://") && m.endsWith("/*"))).toBe(true);
  });
});
