import { describe, expect, it } from "vitest";
import { normalCompanyName, suggestCompany } from "./suggest-company";

const companies = [
  { id: "1", name: "Contoso Ltd." },
  { id: "2", name: "Fabrikam, Inc." },
  { id: "3", name: "Northwind Traders" },
  { id: "4", name: "Northwind Logistics" },
];

describe("suggestCompany", () => {
  it("matches names that differ only in case, punctuation, legal form or a sandbox label", () => {
    expect(normalCompanyName("Contoso (sandbox)")).toBe("contoso");
    expect(suggestCompany("Contoso (sandbox)", companies)?.id).toBe("1");
    expect(suggestCompany("FABRIKAM", companies)?.id).toBe("2");
  });

  it("takes the one company whose name contains the customer's, or is contained in it", () => {
    expect(suggestCompany("Northwind Traders Europe", companies)?.id).toBe("3");
  });

  it("suggests nothing when several fit or none does: an admin chooses", () => {
    expect(suggestCompany("Northwind", companies)).toBeNull();
    expect(suggestCompany("Tailspin Toys", companies)).toBeNull();
    expect(suggestCompany("Inc.", companies)).toBeNull();
  });
});
