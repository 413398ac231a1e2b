"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** Shows a one-time link once, to be handed over; it cannot be shown again. */
export function OneTimeLink({ link, who }: { link: string; who: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert variant="success" className="grid gap-2">
      <div>
        Link for <strong>{who}</strong>. Hand it over now, whole: the part after # is its secret. It is shown only once, works
        once, and expires in 72 hours.
      </div>
      <div className="flex gap-2">
        <Input readOnly value={link} data-testid="one-time-link" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <Button
          variant="outline"
          onClick={async () => {
            await navigator.clipboard.writeText(link).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? <Check className="h-4 w-4" /> : <Copy className="h-4 w-4" />}
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </Alert>
  );
}
