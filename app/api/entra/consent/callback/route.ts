import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";
import { completeConsent } from "@/lib/services/connections/complete-consent";

/**
 * Entra redirects the admin here twice: after signing in (Stint then sends them on to admin consent in their
 * tenant) and after the consent page (the answer lands on the customer's page).
 */
export const GET = route(operations.completeEntraConsent, async ({ ctx, query }) => {
  const outcome = await completeConsent(ctx, query);
  if (outcome.ok === "continue") return NextResponse.redirect(outcome.redirectUrl, 303);
  const target = new URL(outcome.customerId ? `/customers/${outcome.customerId}` : "/customers", env.APP_URL);
  if (outcome.ok) target.searchParams.set("connected", "1");
  else target.searchParams.set("consent_error", outcome.message);
  return NextResponse.redirect(target, 303);
});
