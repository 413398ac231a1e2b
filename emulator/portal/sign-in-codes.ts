import { randomBytes } from "node:crypto";

export interface PortalSignIn {
  tenantId: string;
  userPrincipalName: string;
}

const lifetimeMs = 5 * 60_000;

/** The one-time codes the login host hands the emulated portal after a sign-in: single use, five minutes. */
export class PortalSignInCodes {
  private readonly codes = new Map<string, PortalSignIn & { expiresAt: number }>();

  issue(signIn: PortalSignIn, now = Date.now()): string {
    for (const [code, entry] of this.codes) if (entry.expiresAt <= now) this.codes.delete(code);
    const code = randomBytes(24).toString("base64url");
    this.codes.set(code, { ...signIn, expiresAt: now + lifetimeMs });
    return code;
  }

  /** The sign-in behind a code, once; undefined for an unknown, used or expired code. */
  redeem(code: string, now = Date.now()): PortalSignIn | undefined {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    if (!entry || entry.expiresAt <= now) return undefined;
    return { tenantId: entry.tenantId, userPrincipalName: entry.userPrincipalName };
  }
}
