import { describe, expect, it } from "vitest";
import { can, canManageRole, permissions } from "./permissions";

describe("permissions", () => {
  it("gives owners everything and technicians no console administration", () => {
    for (const p of permissions) expect(can("owner", p)).toBe(true);
    // Technicians may answer approvals an access policy names them for, nothing else.
    for (const p of permissions) expect(can("technician", p)).toBe(p === "approvals:decide");
    expect(can("auditor", "approvals:decide")).toBe(false);
  });

  it("lets auditors read but not change", () => {
    expect(can("auditor", "audit:read")).toBe(true);
    expect(can("auditor", "members:read")).toBe(true);
    expect(can("auditor", "members:invite")).toBe(false);
    expect(can("auditor", "members:manage")).toBe(false);
  });

  it("keeps owners out of admins' reach", () => {
    expect(canManageRole("admin", "technician")).toBe(true);
    expect(canManageRole("admin", "admin")).toBe(true);
    expect(canManageRole("admin", "owner")).toBe(false);
    expect(canManageRole("owner", "owner")).toBe(true);
    expect(canManageRole("technician", "auditor")).toBe(false);
  });
});
