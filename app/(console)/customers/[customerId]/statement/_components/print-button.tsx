"use client";

import { Printer } from "lucide-react";
import { Button } from "@/components/ui/button";

/** Opens the browser's print dialog: the print styles leave the statement alone on A4 pages. */
export function PrintButton() {
  return (
    <Button variant="outline" size="sm" onClick={() => window.print()} data-testid="statement-print">
      <Printer className="size-4" aria-hidden="true" />
      Print
    </Button>
  );
}
