import { describe, expect, it } from "vitest";
import { BINDING_LIFETIME_MS, bindingOf, bindTab, unbindGrant, unbindTab } from "./tab-bindings";

describe("tab bindings", () => {
  it("binds a tab to one grant, waiting for credentials, until it lapses", () => {
    const now = 1_000_000;
    bindTab(7, { grantId: "gr_1", customerId: "cus_1", upn: "a@contoso.example", tenantId: "tenant-1", ticket: "t" }, now);
    expect(bindingOf(7, now)).toMatchObject({ grantId: "gr_1", stage: "credentials", ticket: "t" });
    expect(bindingOf(8, now)).toBeUndefined();
    expect(bindingOf(undefined, now)).toBeUndefined();
    expect(bindingOf(7, now + BINDING_LIFETIME_MS)).toBeUndefined();
    // Lapsed bindings are gone for good.
    expect(bindingOf(7, now)).toBeUndefined();
  });

  it("forgets a closed tab, and every tab of a grant", () => {
    bindTab(1, { grantId: "gr_a", customerId: "cus_1", upn: "a@x", tenantId: "tenant-1", ticket: "t1" });
    bindTab(2, { grantId: "gr_a", customerId: "cus_1", upn: "a@x", tenantId: "tenant-1", ticket: "t2" });
    bindTab(3, { grantId: "gr_b", customerId: "cus_1", upn: "b@x", tenantId: "tenant-1", ticket: "t3" });
    unbindTab(1);
    expect(bindingOf(1)).toBeUndefined();
    unbindGrant("gr_a");
    expect(bindingOf(2)).toBeUndefined();
    expect(bindingOf(3)).toMatchObject({ grantId: "gr_b" });
  });
});
