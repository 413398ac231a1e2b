"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

const CLEAR_CLIPBOARD_AFTER_MS = 30_000;

/**
 * Empties the clipboard later if it still holds the secret. Browsers may refuse to let a page read
 * the clipboard; then it is emptied anyway. Not tied to the component: the secret may be hidden first.
 */
function clearClipboardLater(secret: string) {
  setTimeout(async () => {
    try {
      if ((await navigator.clipboard.readText()) !== secret) return;
    } catch {
      // Reading was refused: overwrite without knowing.
    }
    await navigator.clipboard.writeText("").catch(() => undefined);
  }, CLEAR_CLIPBOARD_AFTER_MS);
}

export function CopyButton({ value, label, secret = false }: { value: string; label: string; secret?: boolean }) {
  const [outcome, setOutcome] = useState<"copied" | "refused" | null>(null);
  return (
    <Button
      variant="outline"
      size="sm"
      aria-label={`Copy ${label}`}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          if (secret) clearClipboardLater(value);
          setOutcome("copied");
        } catch {
          setOutcome("refused");
        }
        setTimeout(() => setOutcome(null), 2000);
      }}
    >
      {outcome === "copied" ? <Check className="h-3.5 w-3.5 text-green-600 dark:text-green-400" /> : <Copy className="h-3.5 w-3.5" />}
      {outcome === "copied" ? "Copied" : outcome === "refused" ? "Select and copy" : "Copy"}
    </Button>
  );
}
