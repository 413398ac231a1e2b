"use client";

import { MessagePage } from "@/components/layout/message-page";
import { Button } from "@/components/ui/button";
import "./globals.css";

/** The root layout itself failed: the same page as any other error, in a document of its own. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <MessagePage status="Something went wrong" title="Stint could not be shown">
          <p className="mt-1 text-sm text-muted-foreground">Try again in a moment. If it keeps happening, give your administrator the reference below.</p>
          {error.digest ? <p className="mt-3 font-mono text-sm">Reference: {error.digest}</p> : null}
          <Button className="mt-6 w-full" onClick={reset}>
            Try again
          </Button>
        </MessagePage>
      </body>
    </html>
  );
}
