import { sweepDueGrants } from "@/lib/services/grants/sweep";

export function handleGrantSweep() {
  return sweepDueGrants();
}
