import type { LaunchCredential } from "../shared/api-types";

/**
 * Which tab was opened for which grant. A content script gets a credential only in a tab that is bound
 * here, for the grant it was opened for, and only once: the launch ticket is spent at the first redemption,
 * and the credential is held in this service worker's memory only until the password has been submitted
 * (or the binding lapses). Nothing here is written to storage; if the browser stops the service worker,
 * the binding is gone and the technician clicks Sign in again.
 */
export type Binding = {
  grantId: string;
  /** The grant's customer: where Microsoft demands MFA of a password is remembered by customer. */
  customerId: string;
  upn: string;
  /** The grant's Entra tenant: only its sign-in pages are answered. */
  tenantId: string;
  ticket: string | null;
  stage: "credentials" | "kmsi";
  credential?: LaunchCredential;
  /** Kept after the secret is dropped, to explain what Microsoft asks next. */
  signInMethod?: LaunchCredential["signInMethod"];
  expiresAt: number;
};

/** Long enough for a slow sign-in page, short enough that a forgotten tab does not hold a password. */
export const BINDING_LIFETIME_MS = 3 * 60_000;

const bindings = new Map<number, Binding>();

export function bindTab(tabId: number, binding: Omit<Binding, "expiresAt" | "stage">, now = Date.now()): void {
  bindings.set(tabId, { ...binding, stage: "credentials", expiresAt: now + BINDING_LIFETIME_MS });
}

export function bindingOf(tabId: number | undefined, now = Date.now()): Binding | undefined {
  if (tabId === undefined) return undefined;
  const binding = bindings.get(tabId);
  if (binding && binding.expiresAt <= now) {
    bindings.delete(tabId);
    return undefined;
  }
  return binding;
}

export function unbindTab(tabId: number): void {
  bindings.delete(tabId);
}

/** Every tab of a grant, e.g. when the grant is gone. */
export function unbindGrant(grantId: string): void {
  for (const [tabId, binding] of bindings) if (binding.grantId === grantId) bindings.delete(tabId);
}
