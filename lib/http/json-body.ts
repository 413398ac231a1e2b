import { AppError } from "@/lib/errors";
import { cleanJson } from "./clean-input";

/** The largest request body any route reads. Nothing Stint accepts comes close. */
export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = (max: number) => new AppError("payload_too_large", `The request body is larger than ${max} bytes.`, { field: "body" });

/** application/json or application/<something>+json, in UTF-8 (the only charset JSON has). */
function isJson(contentType: string): boolean {
  const [type, ...params] = contentType.split(";").map((p) => p.trim().toLowerCase());
  if (!type || !/^application\/(?:[\w.+-]+\+)?json$/.test(type)) return false;
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "");
  return charset === undefined || charset === "utf-8" || charset === "utf8";
}

/** Reads at most `max` bytes: the declared length is refused before reading, the stream is cut past it. */
async function readCapped(req: Request, max: number): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > max) throw tooLarge(max);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * A request's JSON body: `raw` as sent (for idempotency hashes) and `value` parsed, with every string
 * well-formed and in NFC (clean-input.ts). No body at all is `undefined`, for the schema to judge.
 * 413 over the size limit, 415 for anything but JSON, 400 for bytes that are not UTF-8 or not JSON.
 */
export async function readJsonBody(req: Request, max = MAX_BODY_BYTES): Promise<{ raw: string; value: unknown }> {
  const contentType = req.headers.get("content-type");
  const unsupported = () => new AppError("unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).", { field: "body" });
  if (contentType !== null && !isJson(contentType)) throw unsupported();
  const bytes = await readCapped(req, max);
  if (bytes.byteLength === 0) return { raw: "", value: undefined };
  if (contentType === null) throw unsupported();
  let raw: string;
  try {
    raw = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("bad_request", "The request body is not valid UTF-8.", { field: "body" });
  }
  if (raw.trim() === "") return { raw, value: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AppError("bad_request", "The request body must be JSON.", { field: "body" });
  }
  return { raw, value: cleanJson(parsed) };
}
