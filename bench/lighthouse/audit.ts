import lighthouse, { desktopConfig, type Result } from "lighthouse";
import puppeteer from "puppeteer-core";

/** A page to audit; `session`: the token of the session it is seen in (the console's session cookie). */
export type AuditedPage = { name: string; path: string; session?: string };

export type PageScores = {
  name: string;
  path: string;
  performance: number;
  accessibility: number;
  bestPractices: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  /** JavaScript the page downloaded (bytes over the wire), from its network requests. */
  scriptTransferBytes: number;
  /** Per category, the audits that cost it points: "id (score)". */
  shortfalls: Record<"performance" | "accessibility" | "bestPractices", string[]>;
  /** Every run's performance score; the other numbers are the median run's. */
  runs: number[];
  report: Result;
};

const CATEGORIES = { performance: "performance", accessibility: "accessibility", bestPractices: "best-practices" } as const;

const score = (value: number | null | undefined) => Math.round((value ?? 0) * 100);

function numeric(lhr: Result, audit: string): number {
  return lhr.audits[audit]?.numericValue ?? Number.NaN;
}

/** The weighted audits of a category that did not score full marks (metrics below 0.9, as Lighthouse colours them). */
function shortfalls(lhr: Result, category: string): string[] {
  const refs = lhr.categories[category]?.auditRefs ?? [];
  const threshold = category === "performance" ? 0.9 : 1;
  return refs
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id]!)
    .filter((a) => a.score !== null && a.score < threshold)
    .map((a) => `${a.id} (${a.score!.toFixed(2)})`);
}

function scriptTransfer(lhr: Result): number {
  const items = (lhr.audits["network-requests"]?.details as { items?: { resourceType?: string; transferSize?: number }[] } | undefined)?.items ?? [];
  return items.filter((i) => i.resourceType === "Script").reduce((a, i) => a + (i.transferSize ?? 0), 0);
}

function scoresOf(page: AuditedPage, lhr: Result, runs: number[]): PageScores {
  return {
    name: page.name,
    path: page.path,
    performance: score(lhr.categories.performance?.score),
    accessibility: score(lhr.categories.accessibility?.score),
    bestPractices: score(lhr.categories["best-practices"]?.score),
    fcpMs: numeric(lhr, "first-contentful-paint"),
    lcpMs: numeric(lhr, "largest-contentful-paint"),
    tbtMs: numeric(lhr, "total-blocking-time"),
    cls: numeric(lhr, "cumulative-layout-shift"),
    scriptTransferBytes: scriptTransfer(lhr),
    shortfalls: {
      performance: shortfalls(lhr, CATEGORIES.performance),
      accessibility: shortfalls(lhr, CATEGORIES.accessibility),
      bestPractices: shortfalls(lhr, CATEGORIES.bestPractices),
    },
    runs,
    report: lhr,
  };
}

/**
 * Lighthouse's desktop preset (lighthouse/core/config/desktop-config.js: simulated fast connection, no
 * CPU slow-down) on each page, `runs` times, in Debian's Chromium (CHROMIUM_PATH), headless. A signed-in
 * page is loaded in a browser context that holds the session cookie, as a signed-in member's browser
 * does (given as Lighthouse's extra header instead, the cookie did not reach every request and the
 * overview ended on /sign-in). Each page's numbers are those of its median run by performance score, as
 * one run varies with what else the machine does.
 */
export async function auditPages(baseUrl: string, pages: AuditedPage[], runs: number): Promise<PageScores[]> {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const results: PageScores[] = [];
    for (const page of pages) {
      const reports: Result[] = [];
      for (let run = 0; run < runs; run++) {
        const context = await browser.createBrowserContext();
        if (page.session) await context.setCookie({ name: "stint_session", value: page.session, domain: new URL(baseUrl).hostname, path: "/", httpOnly: true, sameSite: "Lax" });
        const tab = await context.newPage();
        const result = await lighthouse(
          new URL(page.path, baseUrl).toString(),
          { output: "json", logLevel: "error", onlyCategories: Object.values(CATEGORIES) },
          desktopConfig,
          tab,
        );
        await context.close();
        if (!result) throw new Error(`Lighthouse gave no result for ${page.path}`);
        if (result.lhr.runtimeError) throw new Error(`Lighthouse on ${page.path}: ${result.lhr.runtimeError.message}`);
        const landed = new URL(result.lhr.finalDisplayedUrl).pathname;
        if (landed !== page.path) throw new Error(`${page.path} ended at ${landed}: is the session cookie accepted?`);
        reports.push(result.lhr);
      }
      const sorted = [...reports].sort((a, b) => (a.categories.performance?.score ?? 0) - (b.categories.performance?.score ?? 0));
      results.push(scoresOf(page, sorted[Math.floor(sorted.length / 2)]!, reports.map((r) => score(r.categories.performance?.score))));
    }
    return results;
  } finally {
    await browser.close();
  }
}
