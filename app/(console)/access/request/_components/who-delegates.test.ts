import { describe, expect, it } from "vitest";
import { whoDelegates } from "./who-delegates";

describe("whoDelegates", () => {
  it("names each owner and admin with their role, the last after 'or'", () => {
    expect(whoDelegates([{ id: "1", displayName: "Olivia", role: "owner" }])).toBe("Olivia (Owner)");
    expect(
      whoDelegates([
        { id: "1", displayName: "Olivia", role: "owner" },
        { id: "2", displayName: "Adam", role: "admin" },
        { id: "3", displayName: "Ann", role: "admin" },
      ]),
    ).toBe("Olivia (Owner), Adam (Admin) or Ann (Admin)");
  });

  it("falls back to the roles when nobody active may delegate", () => {
    expect(whoDelegates([])).toBe("an owner or admin of your MSP");
  });
});
