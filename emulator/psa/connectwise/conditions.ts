/**
 * The `conditions` query parameter of ConnectWise list endpoints, as far as the emulator needs it: comparisons
 * `field op value` joined by `and` / `or` (and binds tighter) with parentheses. Fields are JSON paths with `/`
 * (`company/id`), operators `= != < <= > >= like contains`, values "strings" (`%` and `_` wildcards for like),
 * numbers, true, false, null and [dates]. Strings compare case-insensitively, as on ConnectWise's SQL Server.
 */
export type Predicate = (record: Record<string, unknown>) => boolean;

export class ConditionsError extends Error {}

type Token = { kind: "word" | "op" | "string" | "date" | "paren"; text: string };

const tokenPattern = /\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|\[([^\]]*)\]|(!=|<=|>=|=|<|>)|([A-Za-z0-9_/.\-:+]+))/y;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < input.length) {
    if (/^\s*$/.test(input.slice(tokenPattern.lastIndex))) break;
    const start = tokenPattern.lastIndex;
    const m = tokenPattern.exec(input);
    if (!m) throw new ConditionsError(`Unexpected character at position ${start + 1} of the conditions.`);
    if (m[1] || m[2]) tokens.push({ kind: "paren", text: (m[1] ?? m[2]) as string });
    else if (m[3] !== undefined) tokens.push({ kind: "string", text: m[3].replace(/\\(.)/g, "$1") });
    else if (m[4] !== undefined) tokens.push({ kind: "date", text: m[4] });
    else if (m[5]) tokens.push({ kind: "op", text: m[5] });
    else tokens.push({ kind: "word", text: m[6] as string });
  }
  return tokens;
}

function lookup(record: Record<string, unknown>, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split("/")) {
    if (value === null || typeof value !== "object") return undefined;
    const key = Object.keys(value).find((k) => k.toLowerCase() === part.toLowerCase());
    value = key === undefined ? undefined : (value as Record<string, unknown>)[key];
  }
  return value;
}

type Literal = string | number | boolean | null | Date;

function compare(actual: unknown, op: string, expected: Literal): boolean {
  if (expected === null) return op === "=" ? actual == null : op === "!=" ? actual != null : false;
  if (actual == null) return op === "!=";
  if (op === "like" || op === "contains") {
    const text = String(actual).toLowerCase();
    const pattern = String(expected).toLowerCase();
    if (op === "contains") return text.includes(pattern);
    const regex = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".");
    return new RegExp(`^${regex}$`, "s").test(text);
  }
  const [a, b] =
    expected instanceof Date
      ? [Date.parse(String(actual)), expected.getTime()]
      : typeof expected === "string"
        ? [String(actual).toLowerCase(), expected.toLowerCase()]
        : [actual, expected];
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return (a as number) < (b as number);
    case "<=":
      return (a as number) <= (b as number);
    case ">":
      return (a as number) > (b as number);
    default:
      return (a as number) >= (b as number);
  }
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Predicate {
    const predicate = this.orExpression();
    if (this.position < this.tokens.length) throw new ConditionsError(`Unexpected "${this.tokens[this.position]?.text}" in the conditions.`);
    return predicate;
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === "word" && token.text.toLowerCase() === word;
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw new ConditionsError("The conditions end too early.");
    return token;
  }

  /** Operands joined by one connective word; `and` binds tighter because it is parsed below `or`. */
  private joined(word: "and" | "or", operand: () => Predicate): Predicate[] {
    const parts = [operand()];
    while (this.peekWord(word)) {
      this.position++;
      parts.push(operand());
    }
    return parts;
  }

  private orExpression(): Predicate {
    const parts = this.joined("or", () => this.andExpression());
    return (record) => parts.some((p) => p(record));
  }

  private andExpression(): Predicate {
    const parts = this.joined("and", () => this.comparison());
    return (record) => parts.every((p) => p(record));
  }

  private comparison(): Predicate {
    const first = this.next();
    if (first.kind === "paren" && first.text === "(") {
      const inner = this.orExpression();
      const close = this.next();
      if (close.text !== ")") throw new ConditionsError("A parenthesis of the conditions is not closed.");
      return inner;
    }
    if (first.kind !== "word") throw new ConditionsError(`Expected a field name, found "${first.text}".`);
    const opToken = this.next();
    const op = opToken.text.toLowerCase();
    if (!(opToken.kind === "op" || (opToken.kind === "word" && (op === "like" || op === "contains")))) {
      throw new ConditionsError(`Expected an operator after ${first.text}, found "${opToken.text}".`);
    }
    const value = this.literal();
    return (record) => compare(lookup(record, first.text), op, value);
  }

  private literal(): Literal {
    const token = this.next();
    if (token.kind === "string") return token.text;
    if (token.kind === "date") {
      const date = new Date(token.text);
      if (Number.isNaN(date.getTime())) throw new ConditionsError(`[${token.text}] is not a date.`);
      return date;
    }
    if (token.kind === "word") {
      const word = token.text.toLowerCase();
      if (word === "true" || word === "false") return word === "true";
      if (word === "null") return null;
      if (/^-?\d+(\.\d+)?$/.test(token.text)) return Number(token.text);
    }
    throw new ConditionsError(`Expected a value, found "${token.text}" (strings need double quotes).`);
  }
}

/** A predicate for the records the conditions select; everything when they are empty. */
export function parseConditions(conditions: string | null): Predicate {
  if (!conditions?.trim()) return () => true;
  return new Parser(tokenize(conditions)).parse();
}
