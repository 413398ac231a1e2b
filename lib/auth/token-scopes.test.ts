import { describe, expect, it } from "vitest";
import { hasPermission, requireFreshStepUp, requireMember, requirePermission, requireScope, type ServiceContext } from "@/lib/services/context";
import { AppError } from "@/lib/errors";
import type { MemberRole } from "@/lib/vocabulary/member-roles";
import { permissions } from "./permissions";
import { scopeForPermission, scopesAllow } from "./token-scopes";
import { tokenScopes, type TokenScope } from "@/lib/vocabulary/token-scopes";

function tokenCtx(role: MemberRole, scopes: TokenScope[]): ServiceContext {
  return {
    mspId: "msp_1",
    actor: { type: "token", tokenId: "tok_1", memberId: "mem_1", role, label: "a@example.test", scopes, customerIds: null },
    request: { ip: null, userAgent: null },
    steppedUpAt: new Date(),
  };
}

describe("token scopes", () => {
  it("maps every permission, to a known scope or to never", () => {
    for (const p of permissions) expect(p in scopeForPermission).toBe(true);
    for (const s of Object.values(scopeForPermission)) if (s !== null) expect(tokenScopes).toContain(s);
    expect(scopesAllow([...tokenScopes], "members:manage")).toBe(false);
    expect(scopesAllow([...tokenScopes], "grants:kill_switch")).toBe(false);
  });

  it("needs both the owner's role permission and the token's scope", () => {
    expect(hasPermission(tokenCtx("admin", ["audit:read"]), "audit:read")).toBe(true);
    expect(hasPermission(tokenCtx("admin", ["grants:read"]), "audit:read")).toBe(false);
    expect(hasPermission(tokenCtx("technician", ["audit:read"]), "audit:read")).toBe(false);
    expect(hasPermission(tokenCtx("owner", ["members:read"]), "members:read")).toBe(true);
    expect(hasPermission(tokenCtx("technician", [...tokenScopes]), "members:read")).toBe(false);
    expect(hasPermission(tokenCtx("owner", [...tokenScopes]), "members:invite")).toBe(false);
    expect(() => requirePermission(tokenCtx("technician", ["audit:read"]), "audit:read")).toThrow(AppError);
  });

  it("lets services that need a member see the token's owner, without a session", () => {
    expect(requireMember(tokenCtx("technician", []))).toEqual({ type: "member", memberId: "mem_1", role: "technician", label: "a@example.test", sessionId: null });
  });

  it("never passes a step-up, and narrows by scope", () => {
    expect(() => requireFreshStepUp(tokenCtx("owner", [...tokenScopes]))).toThrow(/passkey/);
    expect(() => requireScope(tokenCtx("owner", ["grants:read"]), "tokens:manage")).toThrow(/tokens:manage/);
    expect(() => requireScope(tokenCtx("owner", ["tokens:manage"]), "tokens:manage")).not.toThrow();
  });
});
