import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/layout/auth-shell";
import { isSetupOpen } from "@/lib/services/setup/status";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (!(await isSetupOpen())) redirect("/sign-in");
  return (
    <AuthShell title="Set up Stint" subtitle="Name your MSP and create its owner. You will sign in with a passkey on this device.">
      <SetupForm />
    </AuthShell>
  );
}
