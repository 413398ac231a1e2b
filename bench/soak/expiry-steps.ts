import type postgres from "postgres";

/** One run of an expiry action, as the grant's timeline recorded it. */
export type ExpiryStepRun = { grantId: string; step: string; status: string; startedAt: Date; finishedAt: Date | null };

/** Every expiry step Stint recorded in the scenario's database (the soak's database is its own). */
export async function readExpirySteps(sql: postgres.Sql): Promise<ExpiryStepRun[]> {
  return sql<ExpiryStepRun[]>`
    select grant_id as "grantId", step, status, started_at as "startedAt", finished_at as "finishedAt"
    from grant_steps where step like 'expiry:%' order by started_at`;
}
