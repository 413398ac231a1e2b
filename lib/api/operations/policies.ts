import { op } from "@/lib/api/operation";
import { createdOutput } from "@/lib/api/schemas/common";
import { accessPolicyList, policyParams } from "@/lib/api/schemas/policies";
import * as s from "@/lib/api/v1/schemas";
import { accessPolicyInput } from "@/lib/services/policies/schemas";

export const policiesOperations = {
  evaluatePolicy: op({
    id: "evaluatePolicy",
    method: "POST",
    path: "/api/v1/policies/evaluate",
    tag: "Policies",
    summary: "May this subject do this action on this resource?",
    description:
      "Subject: the caller when omitted (any caller), or username + token (evaluated as that token would be; owners and admins only, through a token with the tokens:manage scope; every such evaluation is audited as policy.subject_evaluated). Answers allowed, every reason, and the effective permissions (token scopes ∩ the owner's role and delegations). An invalid subject token is simply not allowed (subject_invalid), never an error.",
    auth: "session+token",
    scope: null,
    body: s.evaluatePolicyBody,
    output: s.evaluatePolicyOutput,
    status: 200,
    errors: { 403: "forbidden: a subject was given, and the caller may not manage every token (tokens:manage_all, scope tokens:manage)" },
  }),  listAccessPolicies: op({
    id: "listAccessPolicies",
    method: "GET",
    path: "/api/access-policies",
    tag: "Access policies",
    summary: "The MSP's access policies",
    auth: "session",
    permission: "access_policies:manage",
    output: accessPolicyList,
    status: 200,
  }),
  createAccessPolicy: op({
    id: "createAccessPolicy",
    method: "POST",
    path: "/api/access-policies",
    tag: "Access policies",
    summary: "Define an access policy for a customer × access level (both empty: the MSP's default)",
    auth: "session",
    permission: "access_policies:manage",
    body: accessPolicyInput,
    output: createdOutput,
    status: 201,
    errors: { 409: "conflict: the name, or the customer × access level, has a policy already" },
  }),
  updateAccessPolicy: op({
    id: "updateAccessPolicy",
    method: "PUT",
    path: "/api/access-policies/{policyId}",
    tag: "Access policies",
    summary: "Change an access policy (requests from now on)",
    auth: "session",
    permission: "access_policies:manage",
    params: policyParams,
    body: accessPolicyInput,
    output: null,
    status: 204,
    errors: { 409: "conflict: the name, or the customer × access level, has a policy already" },
  }),
  removeAccessPolicy: op({
    id: "removeAccessPolicy",
    method: "DELETE",
    path: "/api/access-policies/{policyId}",
    tag: "Access policies",
    summary: "Remove an access policy; what it covered falls back to the next one",
    auth: "session",
    permission: "access_policies:manage",
    params: policyParams,
    output: null,
    status: 204,
  }),
};
