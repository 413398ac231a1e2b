import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/layout/auth-shell";
import { buttonVariants } from "@/components/ui/button";

export const metadata: Metadata = { title: "Not found" };

/** Unknown addresses, and pages the member's role may not see (answered the same, so they are not confirmed). */
export default function NotFound() {
  return (
    <AuthShell title="Page not found" subtitle="There is nothing here, or nothing your role may see.">
      <Link href="/overview" className={buttonVariants({ className: "w-full" })}>
        Back to the overview
      </Link>
    </AuthShell>
  );
}
