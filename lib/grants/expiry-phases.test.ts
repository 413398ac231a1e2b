import { describe, expect, it } from "vitest";
import { expiryPhases } from "./expiry-phases";

describe("expiryPhases", () => {
  it("removes the roles first, then runs the account's other actions together", () => {
    expect(expiryPhases(["remove_roles", "remove_tap", "revoke_sessions", "disable", "rotate_password"])).toEqual([
      ["remove_roles"],
      ["remove_tap", "revoke_sessions", "disable", "rotate_password"],
    ]);
  });

  it("deletes the account only after everything else", () => {
    expect(expiryPhases(["remove_roles", "revoke_sessions", "disable", "delete"])).toEqual([["remove_roles"], ["revoke_sessions", "disable"], ["delete"]]);
    expect(expiryPhases(["remove_roles", "remove_tap", "delete"])).toEqual([["remove_roles"], ["remove_tap"], ["delete"]]);
    expect(expiryPhases(["remove_roles", "delete"])).toEqual([["remove_roles"], ["delete"]]);
  });

  it("keeps the customer's order for whatever comes before the roles are removed", () => {
    expect(expiryPhases(["revoke_sessions", "remove_roles", "disable"])).toEqual([["revoke_sessions"], ["remove_roles"], ["disable"]]);
    expect(expiryPhases(["disable", "remove_roles", "revoke_sessions", "rotate_password"])).toEqual([["disable"], ["remove_roles"], ["revoke_sessions", "rotate_password"]]);
  });

  it("runs actions together when no role removal is configured (older rows)", () => {
    expect(expiryPhases(["disable", "revoke_sessions"])).toEqual([["disable", "revoke_sessions"]]);
  });
});
