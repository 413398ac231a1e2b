import { expect, type Browser, type Page } from "@playwright/test";
import { createInvite } from "@/lib/services/invites/create";
import type { MemberRole } from "@/lib/vocabulary/member-roles";
import { contextFor, type TestMsp } from "@/test/factories";
import { addVirtualAuthenticator } from "./virtual-authenticator";
import { visit } from "./visit";

/**
 * A member who joins through an invite with a passkey of a virtual authenticator, in a browser of their own: their
 * step-ups are real ceremonies. Answers their page, on the console's overview.
 */
export async function joinWithPasskey(
  browser: Browser,
  msp: TestMsp,
  member: { email: string; displayName: string; role: MemberRole },
  viewport = { width: 1280, height: 800 },
): Promise<Page> {
  const { link } = await createInvite(contextFor(msp.owner, { stepUp: "fresh" }), member);
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await addVirtualAuthenticator(context, page);
  await visit(page, link);
  await page.getByRole("button", { name: /register passkey and join/i }).click();
  await expect(page).toHaveURL(/\/overview$/);
  return page;
}
