import type { Browser, Page } from "@playwright/test";
import type { TestMember } from "@/test/factories";

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** A page signed in as `member`, in a context of its own at the viewport given (a touch phone at PHONE). */
export async function pageAs(browser: Browser, baseURL: string, member: TestMember, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}) });
  await context.addCookies([{ name: "stint_session", value: member.session.token, url: baseURL }]);
  return context.newPage();
}
