/**
 * The IANA zones to choose from: this runtime's canonical zones, UTC first (the list leaves it out) and the
 * saved zone kept when it is an alias the list does not name, so a form never shows a value it cannot hold.
 */
export function timeZoneChoices(current: string): string[] {
  const zones = Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC");
  return ["UTC", ...(current !== "UTC" && !zones.includes(current) ? [current] : []), ...zones];
}
