import { describe, expect, it } from "vitest";
import { knownTimeZone, timeZoneChoices } from "./time-zones";

describe("knownTimeZone", () => {
  it("keeps listed zones and UTC as they are", () => {
    expect(knownTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(knownTimeZone("UTC")).toBe("UTC");
  });

  it("resolves another alias of a listed zone to the listed name", () => {
    expect(knownTimeZone("Etc/UTC")).toBe("UTC");
    expect(knownTimeZone("europe/berlin")).toBe("Europe/Berlin");
  });

  it("refuses what is no known zone", () => {
    for (const bad of ["", "Mars/Olympus", "+01:00", "Europe/Berlin; path=/", "a".repeat(65)]) expect(knownTimeZone(bad)).toBeNull();
  });
});

describe("timeZoneChoices", () => {
  it("lists UTC first and keeps a saved alias the list does not name", () => {
    expect(timeZoneChoices("UTC")[0]).toBe("UTC");
    expect(timeZoneChoices("Etc/GMT+5").slice(0, 2)).toEqual(["UTC", "Etc/GMT+5"]);
    expect(timeZoneChoices("Europe/Berlin").filter((z) => z === "Europe/Berlin")).toHaveLength(1);
  });
});
