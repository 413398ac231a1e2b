import { z } from "zod";
import { op } from "@/lib/api/operation";
import { paramsOf } from "@/lib/api/schemas/common";
import { policyParams } from "@/lib/api/schemas/policies";
import { hookChange, hookInput } from "@/lib/services/hooks/schemas";
import { psaLinkInput, psaConnectionInput } from "@/lib/services/psa/schemas";
import { hookEvents, hookFailurePolicies, hookKinds } from "@/lib/vocabulary/hooks";
import { psaKinds } from "@/lib/psa/types";

const hookParams = paramsOf("hookId", "The hook's id.");
const psaParams = paramsOf("connectionId", "The PSA connection's id.");
const psaLinkParams = psaParams.extend({ customerId: z.string().min(1).max(40).meta({ description: "The customer's id." }) });
const iso = z.string().meta({ description: "ISO 8601 time" });
const stepUp = "Needs a fresh passkey step-up (403 step_up_required): hooks decide who gets admin access.";

const hook = z.object({
  id: z.string(),
  policyId: z.string(),
  position: z.number().int().meta({ description: "1-based: the order the policy's hooks run in." }),
  name: z.string(),
  kind: z.enum(hookKinds),
  events: z.array(z.enum(hookEvents)),
  url: z.string().nullable(),
  psaConnectionId: z.string().nullable(),
  psaOptions: z.object({ requireAssignee: z.boolean(), notes: z.boolean(), timeEntry: z.boolean(), endOnTicketClose: z.boolean() }).nullable(),
  timeoutMs: z.number().int(),
  onFailure: z.enum(hookFailurePolicies),
  enabled: z.boolean(),
  createdAt: iso,
});

const psaConnection = z.object({
  id: z.string(),
  kind: z.enum(psaKinds),
  name: z.string(),
  baseUrl: z.string().meta({ description: "The PSA's address; its credentials are never returned." }),
  settings: z.record(z.string(), z.string()).meta({ description: "The settings other than the secret (client secret, private key), to show and change." }),
  checkedAt: iso.nullable(),
  checkError: z.string().nullable(),
});

const company = z.object({ id: z.string(), name: z.string() });

export const hooksOperations = {
  listAccessHooks: op({
    id: "listAccessHooks",
    method: "GET",
    path: "/api/access-policies/{policyId}/hooks",
    tag: "Access policies",
    summary: "A policy's hooks, in the order they run",
    auth: "session",
    permission: "access_policies:manage",
    params: policyParams,
    output: z.object({ items: z.array(hook) }),
    status: 200,
  }),
  createAccessHook: op({
    id: "createAccessHook",
    method: "POST",
    path: "/api/access-policies/{policyId}/hooks",
    tag: "Access policies",
    summary: "Add a hook (a signed webhook or a PSA ticket check) at the end of a policy's hooks",
    description: `${stepUp} A webhook's signing secret is in the answer, once.`,
    auth: "session",
    permission: "access_policies:manage",
    params: policyParams,
    body: hookInput,
    output: z.object({ hook, secret: z.string().optional().meta({ description: "A webhook's `whsec_` secret, shown this once." }) }),
    status: 201,
  }),
  updateAccessHook: op({
    id: "updateAccessHook",
    method: "PATCH",
    path: "/api/access-hooks/{hookId}",
    tag: "Access policies",
    summary: "Change a hook, turn it off, or move it",
    description: stepUp,
    auth: "session",
    permission: "access_policies:manage",
    params: hookParams,
    body: hookChange,
    output: hook,
    status: 200,
  }),
  removeAccessHook: op({
    id: "removeAccessHook",
    method: "DELETE",
    path: "/api/access-hooks/{hookId}",
    tag: "Access policies",
    summary: "Remove a hook from its policy",
    description: stepUp,
    auth: "session",
    permission: "access_policies:manage",
    params: hookParams,
    output: null,
    status: 204,
  }),
  listPsaConnections: op({
    id: "listPsaConnections",
    method: "GET",
    path: "/api/psa-connections",
    tag: "PSA",
    summary: "The MSP's PSA connections",
    auth: "session",
    permission: "access_policies:manage",
    output: z.object({ items: z.array(psaConnection) }),
    status: 200,
  }),
  savePsaConnection: op({
    id: "savePsaConnection",
    method: "PUT",
    path: "/api/psa-connections",
    tag: "PSA",
    summary: "Set the connection to HaloPSA or ConnectWise PSA (one per kind); an empty secret keeps the stored one",
    description: "Needs a fresh passkey step-up (403 step_up_required).",
    auth: "session",
    permission: "access_policies:manage",
    body: psaConnectionInput,
    output: psaConnection,
    status: 200,
  }),
  checkPsaConnection: op({
    id: "checkPsaConnection",
    method: "POST",
    path: "/api/psa-connections/{connectionId}/check",
    tag: "PSA",
    summary: "Sign in to the PSA and read from it; the answer says whether it worked and why not",
    auth: "session",
    permission: "access_policies:manage",
    params: psaParams,
    output: psaConnection,
    status: 200,
  }),
  removePsaConnection: op({
    id: "removePsaConnection",
    method: "DELETE",
    path: "/api/psa-connections/{connectionId}",
    tag: "PSA",
    summary: "Remove a PSA connection and its company mappings",
    description: "Needs a fresh passkey step-up (403 step_up_required). 409 while a policy's ticket check uses it.",
    auth: "session",
    permission: "access_policies:manage",
    params: psaParams,
    output: null,
    status: 204,
  }),
  listPsaCompanies: op({
    id: "listPsaCompanies",
    method: "GET",
    path: "/api/psa-connections/{connectionId}/companies",
    tag: "PSA",
    summary: "The PSA's companies, and each customer's confirmed or suggested company",
    auth: "session",
    permission: "access_policies:manage",
    params: psaParams,
    output: z.object({
      companies: z.array(company),
      customers: z.array(z.object({ customerId: z.string(), customerName: z.string(), linked: z.object({ companyId: z.string(), companyName: z.string() }).nullable(), suggested: company.nullable() })),
    }),
    description: "502 upstream_failed when the PSA refuses or does not answer; the message says why.",
    status: 200,
  }),
  linkPsaCompany: op({
    id: "linkPsaCompany",
    method: "PUT",
    path: "/api/psa-connections/{connectionId}/companies",
    tag: "PSA",
    summary: "Confirm which PSA company a customer is",
    auth: "session",
    permission: "access_policies:manage",
    params: psaParams,
    body: psaLinkInput,
    output: null,
    status: 204,
  }),
  unlinkPsaCompany: op({
    id: "unlinkPsaCompany",
    method: "DELETE",
    path: "/api/psa-connections/{connectionId}/customers/{customerId}",
    tag: "PSA",
    summary: "Forget which PSA company a customer is",
    auth: "session",
    permission: "access_policies:manage",
    params: psaLinkParams,
    output: null,
    status: 204,
  }),
};
