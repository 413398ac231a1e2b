/**
 * A ticket number as technicians type it: digits with an optional leading `#` ("12345", "#12345", "#0012345"
 * as Halo pads it), spaces around ignored. Neither HaloPSA nor ConnectWise documents prefixed forms ("T-12345"),
 * so those are not tickets. null for anything else.
 */
export function parseTicketRef(ref: string): number | null {
  const match = /^#?\s*(\d{1,9})$/.exec(ref.trim());
  if (!match) return null;
  const id = Number(match[1]);
  return id > 0 ? id : null;
}
