import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/layout/auth-shell";
import { currentSession } from "@/lib/http/current-session";
import { safeReturnTo } from "@/lib/http/return-to";
import { isSetupOpen } from "@/lib/services/setup/status";
import { SignInButton } from "./sign-in-button";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await isSetupOpen()) redirect("/setup");
  const next = safeReturnTo((await searchParams).next);
  if (await currentSession()) redirect(next ?? "/overview");
  return (
    <AuthShell title="Sign in" subtitle="Use the passkey on this device or your security key. No username needed.">
      <SignInButton next={next} />
    </AuthShell>
  );
}
