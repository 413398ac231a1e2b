import { describe, expect, it } from "vitest";
import { enabledTapPolicy as enabled } from "@/test/tap-policy";
import { tapLifetimeMinutes } from "./tap-policy";
import { tapReadiness } from "./tap-readiness";
const base = { chosen: "tap" as const, cloudSupportsTap: true, tapPermissionsGranted: true, policy: enabled, maxGrantMinutes: 240 };

describe("a pass's lifetime", () => {
  it("is the time the grant still has, within the tenant's minimum and maximum and Graph's 10 min to 30 days", () => {
    expect(tapLifetimeMinutes(125, enabled)).toBe(125);
    expect(tapLifetimeMinutes(20, enabled)).toBe(60);
    expect(tapLifetimeMinutes(600, enabled)).toBe(480);
    expect(tapLifetimeMinutes(90.2, enabled)).toBe(91);
    expect(tapLifetimeMinutes(3, null)).toBe(10);
    expect(tapLifetimeMinutes(100_000, null)).toBe(43_200);
  });
});

describe("whether a customer's grants sign in with a pass", () => {
  it("uses the pass where the cloud, the consent and the tenant's policy all allow it", () => {
    expect(tapReadiness(base)).toEqual({ method: "tap", problems: [], notes: [] });
  });

  it("honours an admin's choice of password only, still saying what would stop passes", () => {
    expect(tapReadiness({ ...base, chosen: "password" })).toEqual({ method: "password", problems: [], notes: [] });
    expect(tapReadiness({ ...base, chosen: "password", policy: { ...enabled, state: "disabled" } })).toMatchObject({ method: "password", problems: [{ code: "disabled" }] });
  });

  it("falls back to the password where passes cannot exist or Stint may not issue them, saying why", () => {
    expect(tapReadiness({ ...base, cloudSupportsTap: false })).toMatchObject({ method: "password", problems: [{ code: "cloud_unsupported" }] });
    const old = tapReadiness({ ...base, tapPermissionsGranted: false });
    expect(old).toMatchObject({ method: "password", problems: [{ code: "reconsent_needed" }] });
    expect(old.problems[0]!.fix).toMatch(/Reconnect/);
  });

  it("keeps the pass but names the fix when the tenant's policy refuses new accounts", () => {
    const disabled = tapReadiness({ ...base, policy: { ...enabled, state: "disabled" } });
    expect(disabled).toMatchObject({ method: "tap", problems: [{ code: "disabled" }] });
    expect(disabled.problems[0]!.fix).toMatch(/Authentication methods/);
    expect(tapReadiness({ ...base, policy: { ...enabled, includeTargets: ["6f2b…group"] } })).toMatchObject({ problems: [{ code: "limited_to_groups" }] });
    expect(tapReadiness({ ...base, policy: null })).toMatchObject({ method: "tap", problems: [{ code: "policy_unknown" }] });
  });

  it("notes renewals when passes live shorter than the longest grant, and one-time passes", () => {
    const notes = tapReadiness({ ...base, maxGrantMinutes: 720, policy: { ...enabled, isUsableOnce: true } }).notes;
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/at most 480 minutes.*720 minutes.*new pass/);
    expect(notes[1]).toMatch(/one-time/);
  });
});
