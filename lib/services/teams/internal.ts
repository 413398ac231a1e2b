import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { members, teamMembers, teams, type Member, type Team } from "@/db/schema";
import { notFound } from "@/lib/errors";

export async function getTeamInMsp(tx: Tx, mspId: string, teamId: string): Promise<Team> {
  const [row] = await tx.select().from(teams).where(and(eq(teams.id, teamId), eq(teams.mspId, mspId))).limit(1);
  if (!row) throw notFound("Team");
  return row;
}

export async function getMemberInMsp(tx: Tx, mspId: string, memberId: string): Promise<Member> {
  const [row] = await tx.select().from(members).where(and(eq(members.id, memberId), eq(members.mspId, mspId))).limit(1);
  if (!row) throw notFound("Member");
  return row;
}

/** Who is in the team now: whose access a change to the team or its delegations may take away. */
export async function memberIdsOfTeam(tx: Tx, mspId: string, teamId: string): Promise<string[]> {
  const rows = await tx.select({ id: teamMembers.memberId }).from(teamMembers).where(and(eq(teamMembers.mspId, mspId), eq(teamMembers.teamId, teamId)));
  return rows.map((r) => r.id);
}
