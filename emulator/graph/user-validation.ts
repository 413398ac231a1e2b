import type { Tenant } from "../state";
import { badRequest, invalidPropertyValue } from "./errors";

const passwordSymbols = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<> ";
// A stand-in for Entra's global banned-password list: enough to show that list exists.
const bannedPasswordFragments = ["password", "p@ssw0rd", "qwerty", "letmein", "welcome1"];

/**
 * Entra's password policy (https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy): 8–256
 * characters from the allowed set, three of the four character classes.
 */
export function checkPasswordComplexity(password: unknown): void {
  const error = badRequest(
    "The specified password does not comply with password complexity requirements. Please provide a different password.",
  );
  if (typeof password !== "string" || password.length < 8 || password.length > 256) throw error;
  let classes = 0;
  if (/[a-z]/.test(password)) classes++;
  if (/[A-Z]/.test(password)) classes++;
  if (/[0-9]/.test(password)) classes++;
  if ([...password].some((c) => passwordSymbols.includes(c))) classes++;
  const allowed = [...password].every((c) => /[A-Za-z0-9]/.test(c) || passwordSymbols.includes(c));
  const lower = password.toLowerCase();
  if (classes < 3 || !allowed || bannedPasswordFragments.some((f) => lower.includes(f))) throw error;
}

/**
 * Entra's UPN rules (the same page as the password policy): allowed characters `A-Z a-z 0-9 ' . - _ ! # ^ ~`, no
 * `.` right before `@`, at most 113 characters, 64 before the `@` and 48 after it; the domain must be a verified
 * domain of the tenant.
 */
export function checkUserPrincipalName(upn: unknown, tenant: Tenant): string {
  if (typeof upn !== "string") throw invalidPropertyValue("userPrincipalName");
  const at = upn.lastIndexOf("@");
  const local = upn.slice(0, at);
  const domain = upn.slice(at + 1);
  const wellFormed =
    at > 0 &&
    upn.length <= 113 &&
    local.length <= 64 &&
    domain.length > 0 &&
    domain.length <= 48 &&
    /^[A-Za-z0-9'.\-_!#^~]+$/.test(local) &&
    !local.startsWith(".") &&
    !local.endsWith(".") &&
    /^[A-Za-z0-9.-]+$/.test(domain);
  if (!wellFormed) throw invalidPropertyValue("userPrincipalName");
  const verified = tenant.domains.some((d) => d.isVerified && d.id.toLowerCase() === domain.toLowerCase());
  if (!verified) {
    throw badRequest(
      "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.",
    );
  }
  return upn;
}

export function checkMailNickname(value: unknown): void {
  if (typeof value !== "string" || value.length === 0 || value.length > 64 || /[\s@()\\[\]";:<>,]/.test(value)) {
    throw invalidPropertyValue("mailNickname");
  }
}

/** A duplicate UPN is a 400 (not 409) with an ObjectConflict detail, as Graph answers it. */
export function checkUpnIsFree(tenant: Tenant, upn: string, exceptUserId?: string): void {
  const wanted = upn.toLowerCase();
  for (const user of tenant.users.values()) {
    if (user.id === exceptUserId) continue;
    if (String(user.properties.userPrincipalName).toLowerCase() !== wanted) continue;
    const message = "Another object with the same value for property userPrincipalName already exists.";
    throw badRequest(message, [
      { target: "userPrincipalName", code: "ObjectConflict", message },
      { target: `User_${user.id}`, code: "ConflictingObjects", message: `Conflicting object: User_${user.id}` },
    ]);
  }
}
