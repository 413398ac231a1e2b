import { describe, expect, it } from "vitest";
import { psaSettingsSchema } from "./settings";

const halo = { kind: "halopsa", baseUrl: "https://acme.halopsa.com/", clientId: "id", clientSecret: "secret" };
const cw = { kind: "connectwise", siteUrl: "https://api-na.myconnectwise.net", companyId: "acme", publicKey: "pub", privateKey: "priv", clientId: "guid" };

describe("psaSettingsSchema", () => {
  it("accepts https and loopback http, without a trailing slash, and drops an empty tenant", () => {
    expect(psaSettingsSchema.parse({ ...halo, tenant: " " })).toEqual({ ...halo, baseUrl: "https://acme.halopsa.com", tenant: undefined });
    expect(psaSettingsSchema.parse({ ...cw, siteUrl: "http://localhost:8443/connectwise/acme" })).toMatchObject({ siteUrl: "http://localhost:8443/connectwise/acme" });
    expect(psaSettingsSchema.parse({ ...halo, baseUrl: "http://127.0.0.1:8443/halo/x" }).kind).toBe("halopsa");
  });

  it("refuses plain http elsewhere, queries, missing credentials and unknown kinds", () => {
    for (const bad of [
      { ...halo, baseUrl: "http://acme.halopsa.com" },
      { ...halo, baseUrl: "https://acme.halopsa.com/?tenant=x" },
      { ...halo, clientSecret: "  " },
      { ...cw, clientId: undefined },
      { ...cw, kind: "autotask" },
    ]) {
      expect(psaSettingsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
