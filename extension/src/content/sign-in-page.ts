/**
 * Microsoft's sign-in page as the content script sees it: one form `#i0281` whose username view
 * (`loginfmt`), password view (`passwd`) and Temporary Access Pass view (`accesspass`, "Enter Temporary
 * Access Pass", shown instead of the password to an account holding a usable pass) swap in place, the
 * password field present but off screen on the username view, `#idSIButton9` for Next / Sign in / Yes,
 * `#idBtn_Back` for Back / No, the "Stay signed in?" interrupt with `#KmsiCheckboxField`, and the
 * "More information required" stop page Microsoft shows where it demands MFA the account cannot give.
 */
export type View = "username" | "password" | "tap" | "kmsi" | "mfa" | "other";

export const selectors = {
  username: 'input[name="loginfmt"]',
  password: 'input[name="passwd"]',
  accessPass: 'input[name="accesspass"]',
  primary: "#idSIButton9",
  secondary: "#idBtn_Back",
  kmsi: "#KmsiCheckboxField",
  displayName: "#displayName",
  passwordError: "#passwordError",
  accessPassError: "#accessPassError",
  proofUp: "#idSubmit_ProofUp_Redirect",
  usernameError: "#usernameError",
} as const;

/** Shown to a person: not hidden, not moved off screen, not aria-hidden (the password manager bait on step 1 is all three). */
export function isShown(el: HTMLElement | null): el is HTMLElement {
  if (!el || !el.isConnected) return false;
  if (el.closest("[hidden]") || el.closest('[aria-hidden="true"]') || el.classList.contains("moveOffScreen")) return false;
  const style = el.ownerDocument.defaultView?.getComputedStyle(el);
  return !style || (style.display !== "none" && style.visibility !== "hidden");
}

/** Headings of the pages where Microsoft stops a sign-in for MFA or for registering security info. */
const mfaHeadings = /^(more information required|let's keep your account secure|verify your identity|approve sign in request|enter code)$/i;

function isMfaPrompt(doc: Document): boolean {
  if (doc.querySelector(selectors.proofUp)) return true;
  return [...doc.querySelectorAll<HTMLElement>('[role="heading"], h1, h2')].some((h) => isShown(h) && mfaHeadings.test(h.textContent?.trim().replace(/[’]/g, "'") ?? ""));
}

export function viewOf(doc: Document): View {
  if (doc.querySelector(selectors.kmsi)) return "kmsi";
  if (isMfaPrompt(doc)) return "mfa";
  if (isShown(doc.querySelector<HTMLInputElement>(selectors.accessPass))) return "tap";
  if (isShown(doc.querySelector<HTMLInputElement>(selectors.password))) return "password";
  if (isShown(doc.querySelector<HTMLInputElement>(selectors.username))) return "username";
  return "other";
}

/** The account the password or pass view is for: its shown identity banner, else the username field's value. */
export function accountShown(doc: Document): string {
  const banner = [...doc.querySelectorAll<HTMLElement>(selectors.displayName)].find(isShown)?.textContent?.trim();
  return (banner || doc.querySelector<HTMLInputElement>(selectors.username)?.value || "").trim().toLowerCase();
}

/**
 * Types a value the way a person would as far as the page can tell: the native value setter (so
 * frameworks that wrap `value` notice) followed by input and change events.
 */
export function typeInto(input: HTMLInputElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
  setter.call(input, value);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

export function click(doc: Document, selector: string): boolean {
  const button = doc.querySelector<HTMLElement>(selector);
  if (!isShown(button)) return false;
  button.click();
  return true;
}

/** Resolves when `check` holds (checked on every DOM change), or with false after `timeoutMs`. */
export function waitFor(doc: Document, check: () => boolean, timeoutMs: number): Promise<boolean> {
  if (check()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (check()) finish(true);
    });
    const timer = setTimeout(() => finish(check()), timeoutMs);
    function finish(result: boolean) {
      observer.disconnect();
      clearTimeout(timer);
      resolve(result);
    }
    observer.observe(doc.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}
