"use client";

import Link from "next/link";
import { MessagePage } from "@/components/layout/message-page";
import { Button, buttonVariants } from "@/components/ui/button";

/**
 * A page that failed to render: what the member can do next, and the reference the server logged the
 * failure under (Next's digest), never the failure itself.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <MessagePage status="Something went wrong" title="This page could not be shown">
      <p className="mt-1 text-sm text-muted-foreground">Try again in a moment. If it keeps happening, give your administrator the reference below.</p>
      {error.digest ? (
        <p className="mt-3 text-sm">
          Reference: <code className="font-mono" data-testid="error-reference">{error.digest}</code>
        </p>
      ) : null}
      <div className="mt-6 flex flex-col gap-2 sm:flex-row">
        <Button className="sm:flex-1" onClick={reset}>
          Try again
        </Button>
        <Link href="/overview" className={buttonVariants({ variant: "outline", className: "sm:flex-1" })}>
          Back to the overview
        </Link>
      </div>
    </MessagePage>
  );
}
