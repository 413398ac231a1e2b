import { describe, expect, it } from "vitest";
import { GLOBAL_ADMINISTRATOR } from "./role-catalog";
import { roleNamer } from "./role-names";

describe("roleNamer", () => {
  const custom = { templateId: "11111111-2222-3333-4444-555555555555", displayName: "Contoso Helpdesk Lite" };

  it("names a built-in role from the catalog, even when the tenant reports another name for it", () => {
    const name = roleNamer([{ templateId: GLOBAL_ADMINISTRATOR, displayName: "Company Administrator" }]);
    expect(name(GLOBAL_ADMINISTRATOR)).toBe("Global Administrator");
  });

  it("names a custom role from the roles given", () => {
    expect(roleNamer([custom])(custom.templateId)).toBe("Contoso Helpdesk Lite");
  });

  it("falls back to the template id for a role nobody named", () => {
    expect(roleNamer([])(custom.templateId)).toBe(custom.templateId);
  });
});
