import { describe, expect, it } from "vitest";
import { safeReturnTo, signInPath } from "./return-to";

describe("return path after sign-in", () => {
  it("keeps a path of this site, with its query", () => {
    expect(safeReturnTo("/extension/connect?code=BCDF-GHJK")).toBe("/extension/connect?code=BCDF-GHJK");
    expect(signInPath("/extension/connect?code=BCDF-GHJK")).toBe("/sign-in?next=%2Fextension%2Fconnect%3Fcode%3DBCDF-GHJK");
  });
  it("refuses anything that leaves the site", () => {
    for (const bad of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "evil", "", null, 42, `/${"a".repeat(600)}`]) {
      expect(safeReturnTo(bad), String(bad)).toBeNull();
    }
    expect(signInPath("//evil.example")).toBe("/sign-in");
  });
});
