import { accountShown, click, isShown, selectors, typeInto, viewOf, waitFor } from "./sign-in-page";

export type Credential = { userPrincipalName: string; password: string };
export type FillOutcome = "submitted" | "wrong_account" | "rejected" | "unexpected_page";

const STEP_TIMEOUT_MS = 15_000;

/**
 * Fills Microsoft's two-step form with one grant's account: the username, Next, then — once the password
 * view is shown for that same account — the password and Sign in. It never fills the off-screen password
 * field of the username view, and never types a password under another account's name.
 */
export async function fillSignIn(doc: Document, credential: Credential, beforeSubmit: () => Promise<unknown>): Promise<FillOutcome> {
  const upn = credential.userPrincipalName.toLowerCase();
  let view = viewOf(doc);
  if (view === "username") {
    const username = doc.querySelector<HTMLInputElement>(selectors.username)!;
    const typed = username.value.trim().toLowerCase();
    if (typed && typed !== upn) return "wrong_account";
    typeInto(username, credential.userPrincipalName);
    if (!click(doc, selectors.primary)) return "unexpected_page";
    const moved = await waitFor(doc, () => viewOf(doc) === "password" || isShown(doc.querySelector(selectors.usernameError)), STEP_TIMEOUT_MS);
    if (!moved || viewOf(doc) !== "password") return "rejected";
    view = "password";
  }
  if (view !== "password") return "unexpected_page";
  if (accountShown(doc) !== upn) return "wrong_account";
  typeInto(doc.querySelector<HTMLInputElement>(selectors.password)!, credential.password);
  // Told before the click: the click posts the form, and this document may be gone right after.
  await beforeSubmit();
  return click(doc, selectors.primary) ? "submitted" : "unexpected_page";
}

/** Answers "Stay signed in?" as the technician chose (No unless they said otherwise). */
export function answerStaySignedIn(doc: Document, staySignedIn: boolean): boolean {
  return click(doc, staySignedIn ? selectors.primary : selectors.secondary);
}
