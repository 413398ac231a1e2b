import { accountShown, click, isShown, selectors, typeInto, viewOf, waitFor, type View } from "./sign-in-page";

/** One grant's account and the secret it signs in with: its Temporary Access Pass, or its password. */
export type Credential = { userPrincipalName: string; signInMethod: "tap" | "password"; secret: string };
export type FillOutcome = "submitted" | "wrong_account" | "rejected" | "unexpected_page" | "password_asked" | "tap_asked";

const STEP_TIMEOUT_MS = 15_000;

/** The view each method's secret belongs in, and the field it is typed into there. */
const secretView = { tap: { view: "tap", field: selectors.accessPass }, password: { view: "password", field: selectors.password } } as const;

function secretStep(doc: Document): boolean {
  const view = viewOf(doc);
  return view === "password" || view === "tap" || view === "mfa";
}

/**
 * Fills Microsoft's form with one grant's account: the username, Next, then — once the view for its
 * secret is shown for that same account — the pass ("Enter Temporary Access Pass") or the password, and
 * Sign in. It never fills the off-screen password field of the username view, never types a secret under
 * another account's name, and never types a pass where a password is asked (or the reverse).
 */
export async function fillSignIn(doc: Document, credential: Credential, beforeSubmit: () => Promise<unknown>): Promise<FillOutcome> {
  const upn = credential.userPrincipalName.toLowerCase();
  let view: View = viewOf(doc);
  if (view === "username") {
    const username = doc.querySelector<HTMLInputElement>(selectors.username)!;
    const typed = username.value.trim().toLowerCase();
    if (typed && typed !== upn) return "wrong_account";
    typeInto(username, credential.userPrincipalName);
    if (!click(doc, selectors.primary)) return "unexpected_page";
    const moved = await waitFor(doc, () => secretStep(doc) || isShown(doc.querySelector(selectors.usernameError)), STEP_TIMEOUT_MS);
    if (!moved || !secretStep(doc)) return "rejected";
    view = viewOf(doc);
  }
  const wanted = secretView[credential.signInMethod];
  if (view !== wanted.view) {
    if (view === "password") return "password_asked";
    if (view === "tap") return "tap_asked";
    return "unexpected_page";
  }
  if (accountShown(doc) !== upn) return "wrong_account";
  typeInto(doc.querySelector<HTMLInputElement>(wanted.field)!, credential.secret);
  // Told before the click: the click posts the form, and this document may be gone right after.
  await beforeSubmit();
  return click(doc, selectors.primary) ? "submitted" : "unexpected_page";
}

/** Answers "Stay signed in?" as the technician chose (No unless they said otherwise). */
export function answerStaySignedIn(doc: Document, staySignedIn: boolean): boolean {
  return click(doc, staySignedIn ? selectors.primary : selectors.secondary);
}
