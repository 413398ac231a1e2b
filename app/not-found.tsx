import type { Metadata } from "next";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

export const metadata: Metadata = { title: "Not found" };

/** Unknown addresses, and pages the member's role may not see (answered the same, so they are not confirmed). */
export default function NotFound() {
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-16">
      <div className="w-full max-w-md rounded-lg border border-border bg-background p-6 shadow-sm">
        <p className="text-sm font-medium text-muted-foreground">404</p>
        <h1 className="mt-1 text-xl font-semibold">Page not found</h1>
        <p className="mt-1 text-sm text-muted-foreground">There is nothing here, or nothing your role may see.</p>
        <Link href="/overview" className={buttonVariants({ className: "mt-6 w-full" })}>
          Back to the overview
        </Link>
      </div>
    </main>
  );
}
