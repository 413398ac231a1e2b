import { Badge } from "@/components/ui/badge";

/** Marks a customer backed by the emulator, so nobody mistakes it for a real Microsoft tenant. */
export function SandboxBadge() {
  return (
    <Badge variant="warning" data-testid="sandbox-badge">
      Sandbox — emulated tenant
    </Badge>
  );
}
