import { describe, expect, it } from "vitest";
import { RETRY_AFTER_CAP_MS, budgetSpent, irrevocableRetryDelayMs, retryBudgets, retryDelayMs, type RetryBudget } from "./retry-budget";

const noJitter = () => 0.5;

describe("retry budgets", () => {
  it("double from the first delay up to the cap", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(retryBudgets.expiry, n, null, noJitter));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("jitter stays within ±20 %", () => {
    expect(retryDelayMs(retryBudgets.provision, 1, null, () => 0)).toBe(1_600);
    expect(retryDelayMs(retryBudgets.provision, 1, null, () => 1)).toBe(2_400);
  });

  it("never retry sooner than Microsoft's Retry-After, which is believed up to five minutes", () => {
    expect(retryDelayMs(retryBudgets.expiry, 1, 12_000, noJitter)).toBe(12_000);
    expect(retryDelayMs(retryBudgets.expiry, 8, 2_000, noJitter)).toBe(30_000);
    expect(retryDelayMs(retryBudgets.expiry, 1, 3_600_000, noJitter)).toBe(RETRY_AFTER_CAP_MS);
  });

  it("an irrevocable grant is retried after as long again as it has failed, 5 minutes to an hour: never a day", () => {
    const minutes = [0, 1, 10, 20, 40, 80, 24 * 60].map((failing) => irrevocableRetryDelayMs(failing * 60_000, noJitter) / 60_000);
    expect(minutes).toEqual([5, 5, 10, 20, 40, 60, 60]);
  });

  it("the stated budgets hold the attempts the documentation promises", () => {
    const attemptsWithin = (budget: RetryBudget) => {
      let elapsed = 0;
      let attempts = 1;
      while (elapsed + retryDelayMs(budget, attempts, null, noJitter) < budget.giveUpAfterMs) elapsed += retryDelayMs(budget, attempts++, null, noJitter);
      return attempts;
    };
    expect(attemptsWithin(retryBudgets.provision)).toBeGreaterThanOrEqual(33);
    expect(attemptsWithin(retryBudgets.expiry)).toBeGreaterThanOrEqual(22);
    expect(budgetSpent(retryBudgets.expiry, new Date(0), new Date(10 * 60_000))).toBe(true);
    expect(budgetSpent(retryBudgets.expiry, new Date(0), new Date(10 * 60_000 - 1))).toBe(false);
  });
});
