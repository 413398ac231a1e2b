"use client";

import { api, ApiError, type InputOf, type OutputOf } from "@/components/api/client";

export type RefusalReason = { code: string; message: string; field?: string };

/** A refused request with every reason the policy gave, and the live grant to extend instead (409). */
export class GrantRequestRefused extends ApiError {
  constructor(
    err: ApiError,
    readonly reasons: RefusalReason[],
    readonly existingGrantId?: string,
  ) {
    super(err.code, err.message, err.field, err.details);
  }
}

/** Requests access; a denied request lists all its reasons, each for its own field. */
export async function submitGrantRequest(body: InputOf<"requestGrant">["body"]): Promise<OutputOf<"requestGrant">> {
  try {
    return await api("requestGrant", { body });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const details = err.details as { reasons?: RefusalReason[]; existingGrantId?: string } | undefined;
    throw new GrantRequestRefused(err, details?.reasons ?? [], details?.existingGrantId);
  }
}
