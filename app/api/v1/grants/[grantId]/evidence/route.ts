import { grantDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { iso, isoRequired } from "@/lib/api/v1/schemas";
import { route } from "@/lib/http/route";
import { readGrantEvidence } from "@/lib/services/grants/read-evidence";

export const GET = route(operations.getGrantEvidence, async ({ ctx, params }) => {
  const { exportedAt, grant, timeline, audit } = await readGrantEvidence(ctx, params.grantId);
  return {
    exportedAt: isoRequired(exportedAt),
    grant: {
      ...grantDto(grant),
      expiryActions: grant.expiryActions,
      entraTenantId: grant.entraTenantId,
      entraUserId: grant.entraUserId,
      endRequestedBy: grant.endRequestedBy,
      expiryStartedAt: iso(grant.expiryStartedAt),
      expiryAttempts: grant.expiryAttempts,
    },
    timeline: timeline.map((st) => ({ ...st, startedAt: isoRequired(st.startedAt), finishedAt: iso(st.finishedAt) })),
    audit: {
      events: audit.events.map((e) => ({ ...e, occurredAt: isoRequired(e.occurredAt) })),
      chainHead: audit.chainHead,
      sealedBy: audit.sealedBy ? { ...audit.sealedBy, sealedAt: isoRequired(audit.sealedBy.sealedAt) } : null,
    },
  };
});
