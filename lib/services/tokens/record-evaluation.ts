import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import type { ServiceContext } from "@/lib/services/context";

/**
 * Audits a policy evaluation of someone's token (POST /api/v1/policies/evaluate with a subject): asking
 * "may user:token do this?" proves a token valid, so who asked about which token, and the answer, are
 * kept. The token itself never is.
 */
export async function recordSubjectEvaluation(
  ctx: ServiceContext,
  evaluation: { subject: { memberId: string; tokenId: string } | null; action: string; allowed: boolean; reasons: string[] },
) {
  await withMspTx(ctx.mspId, (tx) =>
    recordAudit(tx, ctx, {
      action: "policy.subject_evaluated",
      target: evaluation.subject ? { type: "token", id: evaluation.subject.tokenId } : undefined,
      metadata: {
        subjectValid: evaluation.subject !== null,
        subjectMemberId: evaluation.subject?.memberId ?? null,
        action: evaluation.action,
        allowed: evaluation.allowed,
        reasons: evaluation.reasons,
      },
    }),
  );
}
