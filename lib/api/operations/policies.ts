import { op } from "@/lib/api/operation";
import * as s from "@/lib/api/v1/schemas";

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
  }),
};
