import { decryptSecret, encryptSecret } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";

/** Envelope contexts bind each sealed value to its row and purpose: one cannot be swapped for another. */
const contexts = {
  hookSecret: (hookId: string) => `access-hook:${hookId}:secret`,
  cookie: (grantHookId: string) => `grant-hook:${grantHookId}:cookie`,
  sessionCookie: (grantId: string) => `grant:${grantId}:session-cookie`,
  conversation: (conversationId: string) => `hook-conversation:${conversationId}:state`,
};

type Json = Record<string, unknown>;
const sealJson = (value: unknown, context: string) => encryptSecret(keyRing(), JSON.stringify(value), context);
const openJson = <T>(envelope: string, context: string) => JSON.parse(decryptSecret(keyRing(), envelope, context)) as T;

export const sealHookSecret = (hookId: string, secret: string) => encryptSecret(keyRing(), secret, contexts.hookSecret(hookId));
export const openHookSecret = (hookId: string, envelope: string) => decryptSecret(keyRing(), envelope, contexts.hookSecret(hookId));
export const sealCookie = (grantHookId: string, cookie: Json) => sealJson(cookie, contexts.cookie(grantHookId));
export const openCookie = (grantHookId: string, envelope: string | null): Json => (envelope ? openJson<Json>(envelope, contexts.cookie(grantHookId)) : {});
export const sealSessionCookie = (grantId: string, cookie: Json) => sealJson(cookie, contexts.sessionCookie(grantId));
export const openSessionCookie = (grantId: string, envelope: string | null): Json => (envelope ? openJson<Json>(envelope, contexts.sessionCookie(grantId)) : {});
export const sealConversation = <T>(conversationId: string, state: T) => sealJson(state, contexts.conversation(conversationId));
export const openConversation = <T>(conversationId: string, envelope: string) => openJson<T>(envelope, contexts.conversation(conversationId));
