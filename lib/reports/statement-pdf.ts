import path from "node:path";
import PDFDocument from "pdfkit";
import { formatMinutes } from "@/lib/format";
import type { MonthlyStatement, StatementGrant } from "@/lib/services/reports/monthly-statement";
import { formatMoment } from "@/lib/time/format-moment";
import { monthTitle } from "./zoned-month";

/**
 * A monthly statement as an A4 PDF, drawn with PDFKit in DejaVu Sans (embedded, subset; PDF's built-in
 * Helvetica cannot write names such as "Łukasz", and garbles the rest of the line when asked to):
 * the totals and any unproven removal first, then one table per grant, each page numbered and naming the
 * MSP, the customer and the month; the last lines give the audit chain head to check it against the log.
 */

const MARGIN = 50;
const FOOTER = 30;
const LABEL_WIDTH = 140;
const CELL_PAD = 4;
const MUTED = "#555555";
const ALERT = "#b42318";
const RULE = "#cccccc";

type Doc = InstanceType<typeof PDFDocument>;

const fontFile = (name: string) => path.join(process.cwd(), "node_modules", "dejavu-fonts-ttf", "ttf", name);
const REGULAR = "Regular";
const BOLD = "Bold";

function at(s: MonthlyStatement, d: Date): string {
  return formatMoment(d, s.customer.timeZone, "minute");
}

function ensureRoom(doc: Doc, height: number) {
  if (doc.y + height > doc.page.height - MARGIN - FOOTER) doc.addPage();
}

/**
 * Rows of cells with wrapped text in the given column widths, each row moved to a new page whole. "facts"
 * tables label each row in their first column; "header" tables name the columns in their first row.
 */
function table(doc: Doc, widths: number[], rows: string[][], kind: "facts" | "header") {
  const x0 = MARGIN;
  rows.forEach((cells, i) => {
    const font = (c: number) => ((kind === "facts" ? c === 0 : i === 0) ? BOLD : REGULAR);
    const heights = cells.map((text, c) => {
      doc.font(font(c)).fontSize(9);
      return doc.heightOfString(text || " ", { width: widths[c]! - 2 * CELL_PAD });
    });
    const height = Math.max(...heights) + 2 * CELL_PAD;
    ensureRoom(doc, height);
    const y = doc.y;
    let x = x0;
    cells.forEach((text, c) => {
      doc.font(font(c)).fontSize(9).fillColor("black");
      doc.text(text || " ", x + CELL_PAD, y + CELL_PAD, { width: widths[c]! - 2 * CELL_PAD });
      x += widths[c]!;
    });
    doc.moveTo(x0, y + height).lineTo(x0 + widths.reduce((a, b) => a + b, 0), y + height).strokeColor(RULE).lineWidth(0.5).stroke();
    doc.x = x0;
    doc.y = y + height;
  });
}

function usableText(s: MonthlyStatement, g: StatementGrant): string {
  if (!g.usableFrom) return "Never: the account could not act";
  return `${at(s, g.usableFrom)} to ${g.usableTo ? at(s, g.usableTo) : g.ongoing ? "still live" : "removal not verified"}`;
}

function exposureText(s: MonthlyStatement, g: StatementGrant): string {
  if (!g.exposure) return "None in this month";
  const end = g.ongoing && g.exposure.to.getTime() === s.generatedAt.getTime() ? "now (still live)" : at(s, g.exposure.to);
  return `${formatMinutes(g.exposure.minutes)}: ${at(s, g.exposure.from)} to ${end}`;
}

function grantSection(doc: Doc, s: MonthlyStatement, g: StatementGrant, width: number) {
  ensureRoom(doc, 120);
  doc.moveDown(0.8);
  doc.font(BOLD).fontSize(12).fillColor("black").text(`${g.technician.name} <${g.technician.email}>`, MARGIN);
  if (g.removalUnproven) doc.font(BOLD).fontSize(9).fillColor(ALERT).text(`Removal not proven: the grant is ${g.state}.`);
  doc.moveDown(0.3);
  table(doc, [LABEL_WIDTH, width - LABEL_WIDTH], [
    ["Grant", `${g.id} (${g.state})`],
    ["Account", g.upn],
    ["Justification", g.justification],
    ["Ticket", g.ticketRef ?? "None"],
    ["Access levels", g.accessLevels.join(", ") || "None"],
    ["Directory roles", g.roles.join(", ") || "None"],
    ["Requested", at(s, g.requestedAt)],
    ["Planned exposure", `${formatMinutes(g.plannedMinutes)} (asked for, with extensions)`],
    ["Usable", usableText(s, g)],
    ["Actual exposure in month", exposureText(s, g)],
    ...(g.failureReason ? [["Failure", g.failureReason]] : []),
  ], "facts");
  doc.moveDown(0.5);
  doc.font(BOLD).fontSize(10).fillColor("black").text("Proof of removal", MARGIN);
  doc.moveDown(0.2);
  if (g.removal.length === 0) {
    doc.font(REGULAR).fontSize(9).fillColor(MUTED).text(g.ongoing ? "Not removed yet: the grant is still live." : "No removal step was recorded.", MARGIN);
    return;
  }
  table(doc, [width * 0.45, width * 0.15, width * 0.4], [
    ["Step", "Status", "Time"],
    ...g.removal.map((r) => [r.label, r.status, at(s, r.at) + (r.status === "failed" && r.detail ? `\n${r.detail}` : "")]),
  ], "header");
}

export async function renderStatementPdf(s: MonthlyStatement): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: `Admin access statement: ${s.customer.name}, ${monthTitle(s.month.month)}`, Author: s.mspName, Creator: "Stint" },
  });
  doc.registerFont(REGULAR, fontFile("DejaVuSans.ttf"));
  doc.registerFont(BOLD, fontFile("DejaVuSans-Bold.ttf"));
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const zone = s.customer.timeZone;

  doc.font(BOLD).fontSize(18).text("Admin access statement");
  doc.font(REGULAR).fontSize(11).fillColor(MUTED).text(`${s.customer.name}, ${monthTitle(s.month.month)} (${zone}), by ${s.mspName}`);
  doc.fontSize(9).text(`Covers ${at(s, s.month.from)} to ${at(s, s.month.to)}. Generated ${s.generatedAt.toISOString()} (${at(s, s.generatedAt)}). Times below are ${zone}.`);
  doc.moveDown(0.8);

  table(doc, [LABEL_WIDTH, width - LABEL_WIDTH], [
    ["Grants", String(s.totals.grants)],
    ["Technicians", String(s.totals.technicians)],
    ["Hours of admin exposure", `${s.totals.exposureHours.toFixed(2)} h`],
    ["Removal not proven", String(s.totals.removalUnproven)],
  ], "facts");
  const unproven = s.grants.filter((g) => g.removalUnproven);
  if (unproven.length) {
    doc.moveDown(0.5);
    doc.font(BOLD).fontSize(10).fillColor(ALERT).text(`Stint could not prove the removal of ${unproven.length === 1 ? "this grant" : `these ${unproven.length} grants`}:`, MARGIN);
    for (const g of unproven) doc.font(REGULAR).fontSize(9).text(`${g.technician.name} (${g.upn}): ${g.state}${g.failureReason ? `, ${g.failureReason}` : ""}`, { indent: 10 });
    doc.fillColor("black");
  }
  if (s.grants.length === 0) {
    doc.moveDown(1);
    doc.font(REGULAR).fontSize(11).fillColor("black").text("Nobody had admin access to this customer's tenant through Stint in this month.", MARGIN);
  }
  for (const g of s.grants) grantSection(doc, s, g, width);

  doc.moveDown(1.2);
  ensureRoom(doc, 50);
  doc.font(REGULAR).fontSize(8).fillColor(MUTED).text(
    `Audit chain head when generated: seq ${s.chainHead.seq}, hash ${s.chainHead.hash}. This statement's own audit event (customer.statement_read) is that entry; check the chain with npm run audit:verify.`,
    MARGIN,
  );

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would start a new page: lift the margin while the footer is drawn.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(REGULAR).fontSize(8).fillColor(MUTED).text(
      `${s.mspName} | ${s.customer.name} | ${monthTitle(s.month.month)} | Page ${i + 1} of ${range.count}`,
      MARGIN, doc.page.height - MARGIN, { width, align: "center", lineBreak: false },
    );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
