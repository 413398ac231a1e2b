import type { z } from "zod";
import { op } from "@/lib/api/operation";
import * as s from "@/lib/api/v1/schemas";
import { AppError, toErrorBody } from "@/lib/errors";

export const tokensOperations = {
  listTokens: op({ id: "listTokens", method: "GET", path: "/api/v1/tokens", tag: "Tokens", summary: "Your access tokens", auth: "session+token", scope: "tokens:manage", query: s.pageQuery, output: s.tokenPage, status: 200 }),
  createToken: op({
    id: "createToken",
    method: "POST",
    path: "/api/v1/tokens",
    tag: "Tokens",
    summary: "Create an access token (console session with a fresh passkey step-up only)",
    description:
      "A token can never create tokens (403). The answer carries the token, the only time it is shown: a retry with the same Idempotency-Key answers 409 with the token's id in error.details.tokenId, never the token again.",
    auth: "session+token",
    scope: "tokens:manage",
    body: s.createTokenBody,
    output: s.createdTokenOutput,
    status: 201,
    idempotent: true,
    replayAnswer: (created: z.output<typeof s.createdTokenOutput>) =>
      toErrorBody(
        new AppError("conflict", "This Idempotency-Key already created a token. Its secret is shown only once; revoke the token and create another if it was lost.", {
          details: { tokenId: created.id },
        }),
      ),
    errors: {
      409: "conflict: this Idempotency-Key already created a token (error.details.tokenId, no secret), or a request with the key is still running",
    },
  }),
  revokeCurrentToken: op({
    id: "revokeCurrentToken",
    method: "DELETE",
    path: "/api/v1/tokens/current",
    tag: "Tokens",
    summary: "Revoke the token making this call (sign out)",
    description: "Access tokens only, any scope: a token may always give up its own access. The browser extension's Disconnect uses it. Audited as token.revoked by its owner.",
    auth: "session+token",
    scope: null,
    output: null,
    status: 204,
  }),
  revokeToken: op({ id: "revokeToken", method: "DELETE", path: "/api/v1/tokens/{tokenId}", tag: "Tokens", summary: "Revoke one of your tokens", auth: "session+token", scope: "tokens:manage", params: s.tokenParams, output: null, status: 204 }),
  reportLeakedToken: op({
    id: "reportLeakedToken",
    method: "POST",
    path: "/api/v1/tokens/report",
    tag: "Tokens",
    summary: "Report a leaked token (no authentication)",
    description: "Revokes a live token at once. The answer is the same whatever was sent. Rate-limited per client address.",
    auth: "public",
    scope: null,
    body: s.reportTokenBody,
    output: s.reportTokenOutput,
    status: 200,
  }),
};
