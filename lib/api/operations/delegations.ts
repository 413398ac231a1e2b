import { op } from "@/lib/api/operation";
import { paramsOf } from "@/lib/api/schemas/common";
import { delegationCreatedOutput } from "@/lib/api/schemas/delegations";
import { delegationInput } from "@/lib/services/delegations/schemas";

export const delegationsOperations = {
  createDelegation: op({
    id: "createDelegation",
    method: "POST",
    path: "/api/delegations",
    tag: "Delegations",
    summary: "Delegate access levels on one customer (or all) to a member or a team",
    description: "A delegation that covers the caller (to themselves, or to a team they are in) needs a fresh passkey step-up (403 step_up_required).",
    auth: "session",
    permission: "delegations:manage",
    body: delegationInput,
    output: delegationCreatedOutput,
    status: 201,
  }),
  removeDelegation: op({
    id: "removeDelegation",
    method: "DELETE",
    path: "/api/delegations/{delegationId}",
    tag: "Delegations",
    summary: "Remove a delegation; grants that rested on it alone end",
    auth: "session",
    permission: "delegations:manage",
    params: paramsOf("delegationId", "Delegation id."),
    output: null,
    status: 204,
  }),
};
