import { z } from "zod";

const loopback = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * An address Stint sends to (webhooks, hooks, a PSA): https, or http to this machine only (a local relay, a test
 * receiver), since what is sent carries access details or credentials.
 */
export const outboundUrl = z
  .url({ message: "Enter a full URL." })
  .max(2000)
  .refine((v) => {
    const u = new URL(v);
    return u.protocol === "https:" || (u.protocol === "http:" && loopback.has(u.hostname));
  }, "Use an https:// URL.");
