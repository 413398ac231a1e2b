import { Badge } from "@/components/ui/badge";

/** Marks a customer backed by the emulator, so nobody mistakes it for a real Microsoft tenant. */
export function SandboxBadge() {
  return (
    // In one piece: wrapped in a narrow column, the pill reads as a blob.
    <Badge variant="warning" className="whitespace-nowrap" data-testid="sandbox-badge">
      Sandbox — emulated tenant
    </Badge>
  );
}
