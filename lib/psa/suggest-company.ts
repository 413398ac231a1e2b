import type { PsaCompany } from "./types";

const noise = /\b(inc|incorporated|llc|ltd|limited|gmbh|ag|bv|plc|corp|corporation|co|company|sandbox)\b/g;

/** A company name without case, punctuation, legal form or a "(sandbox)" label: how people recognise it. */
export function normalCompanyName(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9 ]+/g, " ")
    .replace(noise, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The PSA company a customer most likely is, by name: the same name once normalised, else the one company whose
 * name contains the other's (or is contained in it). Nothing when that is not unique: an admin chooses.
 */
export function suggestCompany(customerName: string, companies: PsaCompany[]): PsaCompany | null {
  const wanted = normalCompanyName(customerName);
  if (!wanted) return null;
  const named = companies.map((c) => ({ company: c, name: normalCompanyName(c.name) }));
  const same = named.filter((c) => c.name === wanted);
  if (same.length === 1) return same[0]!.company;
  if (same.length > 1) return null;
  const close = named.filter((c) => c.name && (c.name.includes(wanted) || wanted.includes(c.name)));
  return close.length === 1 ? close[0]!.company : null;
}
