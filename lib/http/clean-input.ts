import { AppError } from "@/lib/errors";

/**
 * Text that enters through HTTP (JSON bodies, query strings, path parameters) is well-formed Unicode in
 * NFC, or it is refused here, before anything stores or hashes it. A lone UTF-16 surrogate would be
 * stored by Postgres as U+FFFD while the audit hash was taken over the original, and NUL cannot be
 * stored at all; other C0 control characters (tab, line feed and carriage return aside) have no place
 * in any field and only serve to confuse logs and terminals. NFC makes "é" one string however it was typed.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function textProblem(text: string): string | null {
  if (!text.isWellFormed()) return "is not well-formed Unicode (a lone surrogate)";
  if (CONTROL.test(text)) return "contains a control character";
  return null;
}

function refuse(field: string, problem: string): AppError {
  return new AppError("validation_failed", `${field}: ${problem}.`, { field });
}

function cleanText(text: string, field: string): string {
  const problem = textProblem(text);
  if (problem) throw refuse(field, problem);
  return text.normalize("NFC");
}

/** A parsed JSON value with every string (and key) checked and in NFC; the field named is the dotted path. */
export function cleanJson(value: unknown, path: string[] = []): unknown {
  const field = () => path.join(".") || "body";
  if (typeof value === "string") return cleanText(value, field());
  if (Array.isArray(value)) return value.map((item, i) => cleanJson(item, [...path, String(i)]));
  if (value !== null && typeof value === "object") {
    // fromEntries defines own properties, so a "__proto__" key stays data and never sets a prototype.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        const cleanKey = cleanText(key, [...path, key].join("."));
        return [cleanKey, cleanJson(item, [...path, cleanKey])];
      }),
    );
  }
  return value;
}

/** Path parameters or a query string: each value checked and in NFC, refused naming its name. */
export function cleanFields(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [cleanText(name, name), cleanText(value, name)]));
}
