import { AppError } from "@/lib/errors";

/**
 * Microsoft refused or failed a call. `message` is safe to show an admin (Entra's own words, e.g.
 * "AADSTS7000229: … missing service principal in the tenant"); `entraCode` is Graph's error code or the
 * AADSTS number, `status` the HTTP status when there was one, `retryAfterMs` Graph's Retry-After.
 */
export class EntraError extends AppError {
  constructor(
    message: string,
    readonly entraCode: string,
    readonly httpStatus?: number,
    cause?: unknown,
    readonly retryAfterMs: number | null = null,
  ) {
    super("upstream_failed", message, { cause });
  }
}

/** A Retry-After header (seconds, possibly fractional, or an HTTP date) in milliseconds from now. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The first line of an AADSTS description, without the trace and correlation ids that follow it. */
export function firstLine(description: string): string {
  return description.split(/\r?\n/)[0]!.replace(/\s*Trace ID:.*$/i, "").trim();
}

/** Entra's readable explanation for the AADSTS codes an admin is most likely to meet. */
export function explainAadsts(code: string | undefined): string | null {
  switch (code) {
    case "7000229":
    case "65001":
      return "Admin consent is missing or was revoked in this tenant. Reconnect the customer.";
    case "7000112":
      return "The customer disabled Stint's enterprise application in this tenant. A tenant admin must enable it again (Enterprise applications › Properties › Enabled for users to sign-in?).";
    case "7000215":
    case "7000222":
      return "Stint's client secret was rejected. Check ENTRA_CLIENT_SECRET (it may have expired).";
    case "700016":
      return "Stint's app registration was not found in this tenant's cloud. Check ENTRA_CLIENT_ID.";
    case "90002":
      return "The tenant was not found.";
    case "65004":
      return "The administrator declined to consent.";
    case "50020":
      return "The account used is not from the customer's tenant.";
    case "50057":
      return "The account used is disabled.";
    case "54005":
      return "This sign-in answer was already used. Start again from the customer's page.";
    case "70008":
      return "The sign-in answer expired. Start again from the customer's page.";
    case "700005":
      return "The administrator signed in to another tenant than the one this connection uses.";
    case "50148":
    case "501481":
      return "The sign-in answer does not belong to this connection attempt (PKCE check failed). Start again from the customer's page.";
    default:
      return null;
  }
}

/** The tenant's consent lacks application permissions Stint needs. */
export class MissingPermissionsError extends EntraError {
  constructor(
    readonly missing: string[],
    readonly granted: string[],
  ) {
    super(`Permissions missing: ${missing.join(", ")}. Reconnect to grant them.`, "missing_permissions");
  }
}
