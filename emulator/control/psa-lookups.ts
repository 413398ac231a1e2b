import { ControlError } from "./control-error";

/** A status of a PSA instance by name (case-insensitive), as seeds and status changes name them; 400 otherwise. */
export function statusNamed<S extends { name: string }>(statuses: Map<number, S>, name: string): S {
  const status = [...statuses.values()].find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (!status) throw new ControlError(400, `Unknown status "${name}"; the instance has ${[...statuses.values()].map((s) => s.name).join(", ")}.`);
  return status;
}
