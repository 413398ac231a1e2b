import { describe, expect, it } from "vitest";
import { parseTicketRef } from "./ticket-ref";

describe("parseTicketRef", () => {
  it("reads digits with an optional #, leading zeros and spaces", () => {
    expect(parseTicketRef("12345")).toBe(12345);
    expect(parseTicketRef("#12345")).toBe(12345);
    expect(parseTicketRef(" # 0012345 ")).toBe(12345);
  });

  it("refuses anything that is not a positive ticket number", () => {
    for (const ref of ["", "#", "0", "T-12345", "12a", "1.5", "-3", "1234567890", "12 34"]) expect(parseTicketRef(ref), ref).toBeNull();
  });
});
