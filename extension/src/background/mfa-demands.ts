/**
 * Customers whose tenant stopped a password-only sign-in at Microsoft's MFA prompt: a password cannot pass
 * it, so the popup offers no Sign in for their password grants and says why. Kept in chrome.storage.session
 * (memory, trusted contexts only) until the browser restarts, so a tenant that stops demanding MFA, or a
 * sign-in address that does not, gets another try then.
 */
const KEY = "mfaDemandingCustomers";

export async function mfaDemandingCustomers(): Promise<string[]> {
  const { [KEY]: ids } = (await chrome.storage.session.get(KEY)) as { [KEY]?: string[] };
  return ids ?? [];
}

export async function rememberMfaDemand(customerId: string): Promise<void> {
  const ids = await mfaDemandingCustomers();
  if (!ids.includes(customerId)) await chrome.storage.session.set({ [KEY]: [...ids, customerId] });
}
