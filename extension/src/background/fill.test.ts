import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answerContent } from "./fill";
import { mfaDemandingCustomers } from "./mfa-demands";
import { takeProblem } from "./problems";
import { bindTab, bindingOf } from "./tab-bindings";

/**
 * The background's rules for content scripts, with chrome.storage and Stint's API faked (the e2e suite
 * runs them for real in Chromium): which sender gets a credential, and that a ticket is redeemed once.
 */
const signInUrl = "https://login.microsoftonline.com/tenant-1/login";
const upn = "stint-tina-abc@contoso.example";
let redeemed: string[];
let badge: string;
let session: Record<string, unknown>;

beforeEach(() => {
  redeemed = [];
  const storage = { serverUrl: "https://stint.example.com", token: "ste_x", tokenId: "tok_1", tokenExpiresAt: "2027-01-01T00:00:00Z", memberEmail: "tina@msp.example", memberName: "Tina", mspName: "MSP", staySignedIn: true };
  badge = "";
  session = {};
  vi.stubGlobal("chrome", {
    storage: { local: { get: async () => storage }, session: { get: async () => session, set: async (patch: object) => void Object.assign(session, patch) } },
    action: { setBadgeText: async ({ text }: { text: string }) => void (badge = text), setBadgeBackgroundColor: async () => undefined },
  });
  vi.stubGlobal("fetch", async (url: URL, init: RequestInit) => {
    const { ticket } = JSON.parse(String(init.body)) as { ticket: string };
    expect(String(url)).toBe("https://stint.example.com/api/v1/launch-tickets/redeem");
    expect(new Headers(init.headers).get("authorization")).toBe("Bearer ste_x");
    if (redeemed.includes(ticket)) return new Response(JSON.stringify({ error: { code: "gone", message: "This ticket was already used." } }), { status: 410 });
    redeemed.push(ticket);
    const account = ticket === "other-account" ? "someone.else@contoso.example" : upn;
    const secrets = ticket.startsWith("pass-")
      ? { signInMethod: "tap", temporaryAccessPass: "Tap+9xQz", temporaryAccessPassExpiresAt: "2026-12-04T19:00:00Z", password: null }
      : { signInMethod: "password", temporaryAccessPass: null, temporaryAccessPassExpiresAt: null, password: "P@ss-1" };
    return new Response(JSON.stringify({ userPrincipalName: account, ...secrets, tenantId: "tenant-1" }), { status: 200 });
  });
});
afterEach(() => vi.unstubAllGlobals());

const sender = (tabId: number, url = signInUrl, frameId = 0) => ({ tab: { id: tabId } as chrome.tabs.Tab, frameId, url });

describe("answering content scripts", () => {
  it("gives the bound tab its grant's credential, redeeming the ticket once, then answers Stay signed in", async () => {
    bindTab(11, { grantId: "gr_1", customerId: "cus_1", upn, tenantId: "tenant-1", ticket: "ticket-1" });
    expect(await answerContent({ type: "fill:credentials" }, sender(11))).toEqual({ ok: true, userPrincipalName: upn, signInMethod: "password", secret: "P@ss-1" });
    // The same tab's next document (a page load between the steps) gets it from memory, not a second redemption.
    expect(await answerContent({ type: "fill:credentials" }, sender(11))).toMatchObject({ ok: true });
    expect(redeemed).toEqual(["ticket-1"]);
    expect(await answerContent({ type: "fill:submitted" }, sender(11))).toEqual({ ok: true });
    expect(bindingOf(11)?.credential).toBeUndefined();
    expect(await answerContent({ type: "fill:credentials" }, sender(11))).toMatchObject({ ok: false, code: "not_bound" });
    expect(await answerContent({ type: "fill:kmsi" }, sender(11))).toEqual({ ok: true, staySignedIn: true });
    expect(bindingOf(11)).toBeUndefined();
  });

  it("gives a pass grant's tab its Temporary Access Pass, and nothing else", async () => {
    bindTab(16, { grantId: "gr_2", customerId: "cus_1", upn, tenantId: "tenant-1", ticket: "pass-16" });
    expect(await answerContent({ type: "fill:credentials" }, sender(16))).toEqual({ ok: true, userPrincipalName: upn, signInMethod: "tap", secret: "Tap+9xQz" });
  });

  it("explains Microsoft's MFA prompt after the sign-in by the grant's method", async () => {
    bindTab(17, { grantId: "gr_3", customerId: "cus_1", upn, tenantId: "tenant-1", ticket: "ticket-17" });
    await answerContent({ type: "fill:credentials" }, sender(17));
    await answerContent({ type: "fill:submitted" }, sender(17));
    expect(await answerContent({ type: "fill:failed", reason: "mfa_prompt" }, sender(17))).toEqual({ ok: true });
    expect(takeProblem()).toMatch(/asks this account for MFA.*password only/);
    // The customer is remembered, so the popup offers no Sign in for its password grants.
    expect(await mfaDemandingCustomers()).toEqual(["cus_1"]);
    bindTab(18, { grantId: "gr_4", customerId: "cus_2", upn, tenantId: "tenant-1", ticket: "pass-18" });
    await answerContent({ type: "fill:credentials" }, sender(18));
    await answerContent({ type: "fill:submitted" }, sender(18));
    await answerContent({ type: "fill:failed", reason: "mfa_prompt" }, sender(18));
    expect(takeProblem()).toMatch(/signed in with the Temporary Access Pass.*registers nothing/);
    // A pass grant passed MFA: its customer is not marked.
    expect(await mfaDemandingCustomers()).toEqual(["cus_1"]);
    // Only tabs Stint signed in: an unbound tab's MFA page explains nothing.
    expect(await answerContent({ type: "fill:failed", reason: "mfa_prompt" }, sender(19))).toMatchObject({ ok: false, code: "not_bound" });
    expect(takeProblem()).toBeNull();
  });

  it("answers only on the sign-in of the grant's tenant", async () => {
    bindTab(21, { grantId: "gr_1", customerId: "cus_1", upn, tenantId: "tenant-1", ticket: "ticket-21" });
    expect(await answerContent({ type: "fill:credentials" }, sender(21, "https://login.microsoftonline.com/tenant-2/login"))).toMatchObject({ ok: false, code: "not_bound" });
    expect(await answerContent({ type: "fill:credentials" }, sender(21, "https://login.microsoftonline.com/consumers/login"))).toMatchObject({ ok: false, code: "not_bound" });
    expect(redeemed).toEqual([]);
    expect(await answerContent({ type: "fill:credentials" }, sender(21, "https://login.microsoftonline.com/common/login"))).toMatchObject({ ok: true });
  });

  it("gives nothing to unbound tabs, subframes or pages off Microsoft's origins", async () => {
    bindTab(12, { grantId: "gr_1", customerId: "cus_1", upn, tenantId: "tenant-1", ticket: "ticket-2" });
    expect(await answerContent({ type: "fill:credentials" }, sender(99))).toMatchObject({ ok: false, code: "not_bound" });
    expect(await answerContent({ type: "fill:credentials" }, sender(12, signInUrl, 3))).toMatchObject({ ok: false, code: "not_bound" });
    expect(await answerContent({ type: "fill:credentials" }, sender(12, "https://login.microsoftonline.com.evil.example/login"))).toMatchObject({ ok: false, code: "not_bound" });
    expect(await answerContent({ type: "fill:kmsi" }, sender(12))).toMatchObject({ ok: false, code: "not_bound" });
    expect(redeemed).toEqual([]);
  });

  it("refuses a credential for another account than the grant's, and unbinds the tab", async () => {
    bindTab(13, { grantId: "gr_1", customerId: "cus_1", upn, tenantId: "tenant-1", ticket: "other-account" });
    expect(await answerContent({ type: "fill:credentials" }, sender(13))).toMatchObject({ ok: false, code: "wrong_account" });
    expect(bindingOf(13)).toBeUndefined();
    // The popup explains it once, and the badge says there is something to read until then.
    expect(badge).toBe("!");
    expect(takeProblem()).toBe("Signing in was stopped: Stint returned a different account than the grant's.");
    expect(takeProblem()).toBeNull();
    expect(badge).toBe("");
  });

  it("turns a content script's failure into words for the popup, and forgets the tab", async () => {
    bindTab(15, { grantId: "gr_1", customerId: "cus_1", upn, tenantId: "tenant-1", ticket: "ticket-15" });
    expect(await answerContent({ type: "fill:failed", reason: "wrong_account" }, sender(15))).toEqual({ ok: true });
    expect(bindingOf(15)).toBeUndefined();
    expect(takeProblem()).toMatch(/^The sign-in page showed another account/);
  });

  it("passes on Stint's refusal of a spent ticket, and does not try again", async () => {
    redeemed.push("spent");
    bindTab(14, { grantId: "gr_1", customerId: "cus_1", upn, tenantId: "tenant-1", ticket: "spent" });
    expect(await answerContent({ type: "fill:credentials" }, sender(14))).toEqual({ ok: false, code: "gone", message: "This ticket was already used." });
    expect(bindingOf(14)).toBeUndefined();
  });
});
