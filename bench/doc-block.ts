/**
 * `text` with the block between the markers `begin` and `end` replaced by `block` (which carries the
 * markers itself), or, when the markers are missing, `block` appended under a new "## heading". The
 * prose around a generated block in the docs is written by hand and kept.
 */
export function replaceBlock(text: string, begin: string, end: string, block: string, heading: string): string {
  const b = text.indexOf(begin);
  const e = text.indexOf(end);
  return b !== -1 && e > b ? text.slice(0, b) + block + text.slice(e + end.length) : `${text.trimEnd()}\n\n## ${heading}\n\n${block}\n`;
}
