import { stringify } from "csv-stringify/sync";

/** A CSV file with a header row; cells starting with = + - @ are quoted with ' so a spreadsheet shows them instead of running them as formulas. */
export function spreadsheetCsv(columns: string[], rows: unknown[][]): string {
  return stringify(rows, { header: true, columns, cast: { string: (v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v) } });
}
