import postgres from "postgres";
import { and, desc, eq, sql } from "drizzle-orm";
import { auditEvents, members, msps, passkeys, sessions } from "@/db/schema";
import type { MemberRole } from "@/lib/vocabulary/member-roles";
import { systemTxBypassingRls } from "@/db/tx";
import { env, requireOwnerDatabaseUrl } from "@/lib/env";
import { newId, randomBase62 } from "@/lib/ids";
import type { RequestInfo, ServiceContext } from "@/lib/services/context";
import { completeSignIn, startSignIn } from "@/lib/services/auth/sign-in";
import { completeStepUp, startStepUp } from "@/lib/services/auth/step-up";
import { completeAcceptInvite, startAcceptInvite } from "@/lib/services/invites/accept";
import { createInvite } from "@/lib/services/invites/create";
import { completeAddPasskey, startAddPasskey } from "@/lib/services/passkeys/add";
import { insertPasskey } from "@/lib/services/passkeys/insert";
import { createSession } from "@/lib/services/sessions/create";
import { completeSetup } from "@/lib/services/setup/complete";
import { startSetup } from "@/lib/services/setup/start";
import { buildRegistrationOptions, verifyRegistration } from "@/lib/services/webauthn/registration";
import { AppError, type ErrorCode } from "@/lib/errors";
import { SoftAuthenticator, type SoftAuthenticatorOptions } from "./soft-authenticator";

/** Request metadata the factories act with (TEST-NET-3 address). */
export const testRequest: RequestInfo = { ip: "203.0.113.7", userAgent: "vitest soft authenticator" };

/** A fresh flow-cookie value, as the browser would hold for one ceremony. */
export function newFlowToken(): string {
  return randomBase62(32);
}

/** Unique per call, so test files never collide on the members_msp_email_uq index. */
export function uniqueEmail(label = "member"): string {
  return `${label}-${randomBase62(10).toLowerCase()}@example.test`;
}

export type Session = { token: string; sessionId: string; expiresAt: Date };

export type TestMember = {
  id: string;
  mspId: string;
  email: string;
  displayName: string;
  role: MemberRole;
  webauthnUserId: string;
  authenticator: SoftAuthenticator;
  /** The credential id of the passkey this member registered first. */
  passkeyId: string;
  /** The session opened when the member joined (or was seeded). */
  session: Session;
};

export type TestMsp = { mspId: string; mspName: string; owner: TestMember };

async function loadMember(mspId: string, email: string) {
  const [row] = await systemTxBypassingRls((tx) =>
    tx.select().from(members).where(and(eq(members.mspId, mspId), eq(members.email, email))).limit(1),
  );
  if (!row) throw new Error(`member ${email} not found in ${mspId}`);
  return row;
}

/**
 * First-run setup through the real services (startSetup + completeSetup). Setup closes for good
 * after the first success, so this works once per database: every other MSP comes from seedMspDirectly.
 */
export async function runSetup(
  args: { mspName?: string; ownerEmail?: string; ownerName?: string; authenticator?: SoftAuthenticator } = {},
): Promise<TestMsp> {
  const authenticator = args.authenticator ?? new SoftAuthenticator();
  const mspName = args.mspName ?? `Setup MSP ${randomBase62(6)}`;
  const ownerEmail = args.ownerEmail ?? uniqueEmail("owner");
  const ownerName = args.ownerName ?? "First Owner";
  const flow = newFlowToken();
  const options = await startSetup({ setupCode: env.SETUP_CODE ?? "", mspName, ownerName, ownerEmail }, flow);
  const response = authenticator.register(options);
  const session = await completeSetup(response, flow, testRequest);
  const sessionRow = await resolveSessionRow(session.sessionId);
  const member = await loadMember(sessionRow.mspId, ownerEmail);
  return {
    mspId: member.mspId,
    mspName,
    owner: { ...memberFields(member), authenticator, passkeyId: response.id, session },
  };
}

async function resolveSessionRow(sessionId: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(sessions).where(eq(sessions.id, sessionId)).limit(1));
  if (!row) throw new Error(`session ${sessionId} not found`);
  return row;
}

function memberFields(m: typeof members.$inferSelect) {
  return { id: m.id, mspId: m.mspId, email: m.email, displayName: m.displayName, role: m.role, webauthnUserId: m.webauthnUserId };
}

/**
 * A second (third, …) MSP in the same database, for isolation tests: setup can run only once, so the
 * MSP and owner rows are inserted directly in a system transaction. The passkey is still real — made
 * by the soft authenticator and checked by verifyRegistration — and stored and opened with the
 * product's insertPasskey and createSession. No audit events are written for the seeding itself.
 */
export async function seedMspDirectly(
  args: { mspName?: string; ownerEmail?: string; ownerName?: string; authenticator?: SoftAuthenticator } = {},
): Promise<TestMsp> {
  const authenticator = args.authenticator ?? new SoftAuthenticator();
  const mspName = args.mspName ?? `Seeded MSP ${randomBase62(6)}`;
  const email = args.ownerEmail ?? uniqueEmail("owner");
  const displayName = args.ownerName ?? "Seeded Owner";
  const userHandle = randomBase62(32);
  const options = await buildRegistrationOptions({ userHandle, email, displayName, excludeCredentialIds: [] });
  const passkey = await verifyRegistration(authenticator.register(options), options.challenge);
  const mspId = newId("msp");
  const memberId = newId("member");
  const session = await systemTxBypassingRls(async (tx) => {
    await tx.insert(msps).values({ id: mspId, name: mspName });
    await tx.insert(members).values({ id: memberId, mspId, email, displayName, role: "owner", webauthnUserId: userHandle });
    await insertPasskey(tx, { mspId, memberId, name: "Seeded passkey", passkey });
    return createSession(tx, { mspId, memberId, passkeyId: passkey.id, request: testRequest });
  });
  return {
    mspId,
    mspName,
    owner: { id: memberId, mspId, email, displayName, role: "owner", webauthnUserId: userHandle, authenticator, passkeyId: passkey.id, session },
  };
}

export type StepUp = "fresh" | "stale" | "none" | Date;

/**
 * The context an entry wrapper would build for this member's session. `stepUp` sets steppedUpAt:
 * "fresh" = now, "stale" = 10 minutes ago (outside the 5-minute window), "none" = never.
 */
export function contextFor(member: TestMember, options: { stepUp?: StepUp; sessionId?: string | null; role?: MemberRole } = {}): ServiceContext {
  const stepUp = options.stepUp ?? "none";
  const steppedUpAt =
    stepUp === "fresh" ? new Date() : stepUp === "stale" ? new Date(Date.now() - 10 * 60_000) : stepUp === "none" ? null : stepUp;
  return {
    mspId: member.mspId,
    actor: {
      type: "member",
      memberId: member.id,
      role: options.role ?? member.role,
      label: member.email,
      sessionId: options.sessionId === undefined ? member.session.sessionId : options.sessionId,
    },
    request: testRequest,
    steppedUpAt,
  };
}

/**
 * The context of a member who has just completed a step-up: the session row as completeStepUp leaves it
 * (without rotating the token), for actions that use the step-up up (auth/spend-step-up.ts).
 */
export async function steppedUpContext(member: TestMember): Promise<ServiceContext> {
  const [row] = await systemTxBypassingRls((tx) =>
    tx
      .update(sessions)
      // Strictly after the sign-in's own stamp, even when the session was opened this millisecond.
      .set({ steppedUpAt: sql`greatest(now(), ${sessions.createdAt} + interval '1 millisecond')` })
      .where(eq(sessions.id, member.session.sessionId))
      .returning({ steppedUpAt: sessions.steppedUpAt }),
  );
  return contextFor(member, { stepUp: row!.steppedUpAt! });
}

/** Creates an invite (as `inviter`) and accepts it with a new soft authenticator. */
export async function inviteMember(
  inviter: TestMember,
  role: MemberRole,
  args: { email?: string; displayName?: string; authenticator?: SoftAuthenticator; authenticatorOptions?: SoftAuthenticatorOptions } = {},
): Promise<TestMember> {
  const email = args.email ?? uniqueEmail(role);
  const displayName = args.displayName ?? `Test ${role}`;
  const { link } = await createInvite(contextFor(inviter, { stepUp: "fresh" }), { email, displayName, role });
  const authenticator = args.authenticator ?? new SoftAuthenticator(args.authenticatorOptions);
  const { session, passkeyId } = await acceptInviteLink(link, authenticator);
  const member = await loadMember(inviter.mspId, email);
  return { ...memberFields(member), authenticator, passkeyId, session };
}

/** The secret of a one-time link: its fragment (/invite#<secret>). */
export function inviteTokenOf(link: string): string {
  const token = new URL(link).hash.slice(1);
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

/** Accepts an invite (or recovery) link with the given authenticator, through both service steps. */
export async function acceptInviteLink(link: string, authenticator: SoftAuthenticator, tamper?: Parameters<SoftAuthenticator["register"]>[1]) {
  const token = inviteTokenOf(link);
  const flow = newFlowToken();
  const options = await startAcceptInvite(token, flow);
  const response = authenticator.register(options, tamper);
  const session = await completeAcceptInvite(token, response, flow, testRequest);
  return { session, passkeyId: response.id, response };
}

/** Username-less sign-in with the member's authenticator through startSignIn + completeSignIn. */
export async function signIn(authenticator: SoftAuthenticator, tamper?: Parameters<SoftAuthenticator["authenticate"]>[1]) {
  const flow = newFlowToken();
  const options = await startSignIn(flow);
  return completeSignIn(authenticator.authenticate(options, tamper), flow, testRequest);
}

/** Step-up in the member's current session; returns the rotated session token. */
export async function stepUp(member: TestMember, ctx = contextFor(member)) {
  const flow = newFlowToken();
  const options = await startStepUp(ctx, flow);
  return completeStepUp(ctx, member.authenticator.authenticate(options), flow);
}

/** Adds a passkey (a credential of `authenticator`, by default a new one of the member's) via the services. */
export async function addPasskey(member: TestMember, authenticator = member.authenticator, name = "Second passkey") {
  const ctx = contextFor(member, { stepUp: "fresh" });
  const flow = newFlowToken();
  const options = await startAddPasskey(ctx, flow, { name });
  const response = authenticator.register(options);
  await completeAddPasskey(ctx, response, flow);
  return response.id;
}

export async function passkeysOf(memberId: string) {
  return systemTxBypassingRls((tx) => tx.select().from(passkeys).where(eq(passkeys.memberId, memberId)));
}

/**
 * A superuser connection to the test database, outside the app role and RLS: for tampering with rows
 * as an attacker with database access would, and for reading what the app role cannot.
 */
export function superuserSql(): postgres.Sql {
  return postgres(requireOwnerDatabaseUrl(), { max: 2, onnotice: () => {} });
}

/** Awaits a promise that must reject with an AppError of `code`; returns the error for more checks. */
export async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const outcome = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected AppError "${code}", but it resolved`);
  if (!(outcome.error instanceof AppError)) {
    throw new Error(`expected AppError "${code}", got: ${String(outcome.error)}`, { cause: outcome.error });
  }
  if (outcome.error.code !== code) {
    throw new Error(`expected AppError "${code}", got "${outcome.error.code}": ${outcome.error.message}`, { cause: outcome.error });
  }
  return outcome.error;
}

/** The newest audit event with this action on this target, or undefined. */
export async function lastAudit(action: string, targetId: string) {
  const [event] = await systemTxBypassingRls((tx) =>
    tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)))
      .orderBy(desc(auditEvents.seq))
      .limit(1),
  );
  return event;
}
