/**
 * The marker on every JIT account Stint creates: employeeType says "Stint JIT", employeeId is the grant id
 * (Entra allows 16 characters there, which is why grant ids are "gr_" + 13 base62).
 */
export const STINT_EMPLOYEE_TYPE = "Stint JIT";

function slug(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 20);
}

/**
 * The JIT account's UPN from the customer's naming template, derived from the grant id so a retried
 * provisioning finds the account it already created. {technician} is the technician's email local part.
 */
export function jitUserPrincipalName(args: { template: string; grantId: string; technicianEmail: string; customerName: string; domain: string }): string {
  const local = args.template
    .replaceAll("{grant}", args.grantId.replace(/^gr_/, "").toLowerCase())
    .replaceAll("{technician}", slug(args.technicianEmail.split("@")[0] ?? "tech"))
    .replaceAll("{customer}", slug(args.customerName))
    .replace(/\.{2,}/g, ".")
    .replace(/^[.-]+|[.-]+$/g, "")
    .slice(0, 64);
  return `${local}@${args.domain}`;
}

export function jitDisplayName(technicianName: string): string {
  return `Stint JIT admin (${technicianName})`.slice(0, 256);
}

export function mailNicknameOf(upn: string): string {
  return upn.split("@")[0]!.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 64) || "stint";
}
