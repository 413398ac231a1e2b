import type { Metadata } from "next";
import Link from "next/link";
import { MessagePage } from "@/components/layout/message-page";
import { buttonVariants } from "@/components/ui/button";

export const metadata: Metadata = { title: "Not found" };

/** Unknown addresses, and pages the member's role may not see (answered the same, so they are not confirmed). */
export default function NotFound() {
  return (
    <MessagePage status="404" title="Page not found">
      <p className="mt-1 text-sm text-muted-foreground">There is nothing here, or nothing your role may see.</p>
      <Link href="/overview" className={buttonVariants({ className: "mt-6 w-full" })}>
        Back to the overview
      </Link>
    </MessagePage>
  );
}
