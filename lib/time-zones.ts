const listed = Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC");
const known = new Set(["UTC", ...listed]);

/**
 * The IANA zones to choose from: this runtime's canonical zones, UTC first (the list leaves it out) and the
 * saved zone kept when it is an alias the list does not name, so a form never shows a value it cannot hold.
 */
export function timeZoneChoices(current: string): string[] {
  return ["UTC", ...(current !== "UTC" && !listed.includes(current) ? [current] : []), ...listed];
}

/**
 * The listed name of a zone, or null when it is none of the known zones. Browsers name some zones by
 * another alias than this runtime's list ("Europe/Kyiv", "Etc/UTC"); those resolve to the listed one.
 */
export function knownTimeZone(zone: string): string | null {
  if (known.has(zone)) return zone;
  if (zone.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return null;
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    return known.has(resolved) ? resolved : null;
  } catch {
    return null;
  }
}
