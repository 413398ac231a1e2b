import type { Page, Response } from "@playwright/test";

/**
 * Opens a Stint page and waits until React has hydrated it (the root layout marks `html[data-hydrated]`):
 * a control used before that shows but does not respond, and the choice or click is lost.
 */
export async function visit(page: Page, url: string): Promise<Response | null> {
  const response = await page.goto(url);
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  return response;
}
