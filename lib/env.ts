import { z } from "zod";
import { extensionOriginPattern } from "./extension/origins";
import { signInUrlTemplateProblem } from "./extension/sign-in-url";
import { parseTrustedProxies, type TrustedProxies } from "./http/client-address";

// The only reader of process.env. Every variable is documented in .env.example.
const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** Which program this is (set by the start script); names the log stream and the DB connection. */
  STINT_PROCESS: z.enum(["web", "worker", "cli"]).default("web"),
  APP_URL: z.url().default("http://localhost:3000"),
  /** The web app's and worker's connection: stint_app, or a login role that can become nothing else (db/runtime-role.ts). */
  DATABASE_URL: z.string().optional(),
  /** The schema owner's connection, for migrations only; unset, migrations use DATABASE_URL. */
  DATABASE_OWNER_URL: z.string().optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  QUEUE_PREFIX: z.string().default("stint"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  /** How long a stopping worker waits for its running jobs before it exits anyway (non-zero; the jobs resume elsewhere). */
  WORKER_SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  AUDIT_VERIFY_EVERY_MINUTES: z.coerce.number().int().min(1).default(60),
  /** How often each MSP's audit chain head is sealed: events younger than this are not yet under a checkpoint. */
  AUDIT_CHECKPOINT_EVERY_MINUTES: z.coerce.number().int().min(1).default(5),
  CLEANUP_EVERY_MINUTES: z.coerce.number().int().min(1).default(10),
  CONNECTION_CHECK_EVERY_MINUTES: z.coerce.number().int().min(1).default(15),
  /** How often the tickets of grants that end with their ticket are looked at in the PSA. */
  PSA_TICKET_WATCH_EVERY_SECONDS: z.coerce.number().int().min(10).default(120),
  /** Key ring for secrets at rest: "id:base64(32 bytes),…"; ENCRYPTION_ACTIVE_KEY encrypts (default: the last). */
  ENCRYPTION_KEYS: z.string().optional(),
  ENCRYPTION_ACTIVE_KEY: z.string().optional(),
  /**
   * Key of the HMAC-SHA256 digests stored for access tokens: base64 of 32 bytes. Unset, it is derived
   * from ENCRYPTION_KEYS (lib/tokens/digest.ts); set it in production so rotating the key ring never
   * invalidates tokens.
   */
  TOKEN_DIGEST_KEY: z
    .string()
    .optional()
    .refine((v) => v === undefined || (/^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, "base64").length === 32), "must be base64 of 32 bytes"),
  /** The sweeper's period: no grant outlives its end by more than this, even if Redis lost every timer. */
  SWEEP_EVERY_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** How long a worker's claim on a running job lasts; a crashed worker's job is taken over after this. */
  JOB_LOCK_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  ORPHAN_SCAN_EVERY_MINUTES: z.coerce.number().int().min(1).default(60),
  /** Stint's own pace for Graph writes per app and tenant (Graph allows 3,000 per 150 s; stay below it). */
  GRAPH_WRITES_PER_WINDOW: z.coerce.number().int().min(1).default(2_700),
  GRAPH_WRITE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(150),
  /** Stint's multi-tenant Entra app registration (customers consent to it). */
  ENTRA_CLIENT_ID: z.string().optional(),
  ENTRA_CLIENT_SECRET: z.string().optional(),
  ENTRA_AUTHORITY_HOST: z.url().default("https://login.microsoftonline.com"),
  GRAPH_BASE_URL: z.url().default("https://graph.microsoft.com"),
  /**
   * Where the browser extension opens a grant's sign-in: an https URL template with {tenantId} and
   * optionally {upn} (both URL-encoded when filled in). Checked here, at startup.
   */
  EXTENSION_SIGN_IN_URL: z
    .string()
    .default("https://portal.azure.com/{tenantId}")
    .superRefine((v, issue) => {
      const problem = signInUrlTemplateProblem(v);
      if (problem) issue.addIssue({ code: "custom", message: problem });
    }),
  /** Extension origins allowed to call /api/v1 cross-origin, comma-separated; unset = any chrome-extension:// or moz-extension:// origin. */
  EXTENSION_ORIGINS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map((o) => o.trim()).filter(Boolean) : null))
    .refine((list) => list === null || list.every((o) => extensionOriginPattern.test(o)), "must be chrome-extension://<id> or moz-extension://<id> origins, comma-separated"),
  /**
   * Proxies in front of the web server whose X-Forwarded-For is believed (lib/http/client-address.ts):
   * unset = none, the socket's peer is the client; a hop count; or comma-separated addresses/CIDR blocks.
   */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((v, issue): TrustedProxies => {
      const parsed = parseTrustedProxies(v);
      if (parsed && "problem" in parsed) {
        issue.addIssue({ code: "custom", message: parsed.problem });
        return z.NEVER;
      }
      return parsed;
    }),
  /**
   * The one-time code first-run setup asks for, so the first visitor of an exposed port cannot become
   * owner. `npm start` makes one, prints it and keeps it in .data/setup-code; set it yourself otherwise.
   */
  SETUP_CODE: z.string().trim().min(16, "must be at least 16 characters").optional(),
  /**
   * The SMTP server for notification e-mail when an MSP has not set its own: smtp://user:pass@host:587 (STARTTLS
   * when offered) or smtps://…:465. Unset, and no MSP setting, e-mail notifications wait until one is configured.
   */
  SMTP_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || /^smtps?:\/\/[^\s]+$/.test(v), "must be an smtp:// or smtps:// URL"),
  SMTP_FROM: z.string().default("Stint <stint@localhost>"),
  /** How long one notification send (HTTP request or SMTP conversation) may take before it counts as failed. */
  NOTIFY_SEND_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(15),
  /** Set by `npm start` when it runs the Entra emulator for the sandbox customer. */
  SANDBOX_EMULATOR_URL: z.url().optional(),
  /** The emulator's sign-in and consent pages over plain http on loopback, for people's browsers (npm start sets it). */
  SANDBOX_BROWSER_URL: z.url().optional(),
  SANDBOX_TENANT_ID: z.string().optional(),
  SANDBOX_CLIENT_ID: z.string().optional(),
  SANDBOX_CLIENT_SECRET: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

function parseEnv(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}\nSee .env.example.`);
  }
  return parsed.data;
}

export const env = parseEnv();

/** The relying-party identity for WebAuthn and the cookie policy both derive from APP_URL. */
export const appOrigin = new URL(env.APP_URL).origin;
export const rpId = new URL(env.APP_URL).hostname;
export const isHttps = new URL(env.APP_URL).protocol === "https:";

export function requireDatabaseUrl(): string {
  if (!env.DATABASE_URL) {
    throw new Error("DATABASE_URL is not set. Use `npm start` (embedded Postgres) or set DATABASE_URL.");
  }
  return env.DATABASE_URL;
}

/** Where migrations run: the schema owner, which the web app and worker must not be. */
export function requireOwnerDatabaseUrl(): string {
  return env.DATABASE_OWNER_URL ?? requireDatabaseUrl();
}
