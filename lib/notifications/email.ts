import type { Message } from "./message";

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c]!);

/** Subject, plain text and HTML of an e-mail; the HTML is inline-styled, as mail clients ignore style sheets. */
export function renderEmail(m: Message): { subject: string; text: string; html: string } {
  const subject = `${m.urgent ? "[Action needed] " : ""}${m.title}`;
  const text = [m.summary, "", ...m.facts.map(([k, v]) => `${k}: ${v}`), "", `${m.action.label}: ${m.action.url}`, "", "— Stint"].join("\n");
  const accent = m.urgent ? "#b91c1c" : "#1d4ed8";
  const rows = m.facts
    .map(
      ([k, v]) =>
        `<tr><td style="padding:6px 12px 6px 0;color:#64748b;vertical-align:top;white-space:nowrap">${esc(k)}</td><td style="padding:6px 0;color:#0f172a;word-break:break-word">${esc(v)}</td></tr>`,
    )
    .join("");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(subject)}</title></head>
<body style="margin:0;padding:24px 12px;background:#f1f5f9;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;border-top:4px solid ${accent}">
<tr><td style="padding:24px">
<p style="margin:0 0 4px;font-size:13px;color:#64748b">Stint</p>
<h1 style="margin:0 0 12px;font-size:20px;color:#0f172a">${esc(m.title)}</h1>
<p style="margin:0 0 16px;color:#0f172a">${esc(m.summary)}</p>
<table role="presentation" cellspacing="0" cellpadding="0" style="width:100%;border-collapse:collapse;font-size:14px">${rows}</table>
<p style="margin:24px 0 0"><a href="${esc(m.action.url)}" style="display:inline-block;background:${accent};color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600">${esc(m.action.label)}</a></p>
</td></tr></table>
<p style="max-width:560px;margin:12px auto 0;font-size:12px;color:#64748b;text-align:center">You get this because of your notification settings in Stint.</p>
</body></html>`;
  return { subject, text, html };
}
