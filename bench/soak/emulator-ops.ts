import type { EmulatorControl } from "@/emulator/control/control";
import type { EmulatorOptionsInput } from "@/emulator/control/schemas";
import type { TapPolicyInput } from "@/emulator/tap/policy";
import { emulatorOps, type RequestTap } from "../emulator-host";
import type { GraphWatch } from "./graph-watch";

/** The soak driver's handle on the emulator: the bench's operations plus the ones the fault scenarios need. */
export function soakOps(control: EmulatorControl, tap: RequestTap, watch: GraphWatch) {
  return {
    ...emulatorOps(control, tap),
    setTapPolicy: (tenantId: string, input: TapPolicyInput) => control.setTapPolicy(tenantId, input),
    configure: (input: EmulatorOptionsInput) => control.configure(input),
    watch: (tenantIds: string[]) => watch.watch(tenantIds),
    releaseTraces: (tenantIds: string[]) => watch.release(tenantIds),
  };
}
export type SoakOps = ReturnType<typeof soakOps>;
