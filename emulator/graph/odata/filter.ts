import { GraphError } from "../errors";

type Literal = string | number | boolean | null;
type ComparisonOperator = "eq" | "ne" | "gt" | "ge" | "lt" | "le";

export type FilterExpression =
  | { kind: "and" | "or"; left: FilterExpression; right: FilterExpression }
  | { kind: "not"; operand: FilterExpression }
  | { kind: "compare"; operator: ComparisonOperator; property: string; value: Literal }
  | { kind: "in"; property: string; values: Literal[] }
  | { kind: "function"; name: "startswith" | "endswith"; property: string; value: string };

/** Which properties of a resource may be filtered, and which clauses need advanced query parameters. */
export interface FilterCapabilities {
  resource: string;
  /** The operators a property supports without `ConsistencyLevel: eventual` + `$count=true`, or undefined if not filterable. */
  basicOperators(property: string): ReadonlySet<string> | undefined;
  /** Properties (e.g. onPremisesExtensionAttributes) filterable only as an advanced query. */
  advancedOnly?(property: string): boolean;
}

type Token =
  | { type: "string"; value: string }
  | { type: "number"; value: number }
  | { type: "word"; value: string }
  | { type: "punct"; value: "(" | ")" | "," };

const comparisonOperators = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const advancedOperators = new Set(["ne", "not", "endswith"]);

function invalidFilter(detail: string): GraphError {
  return new GraphError(400, "BadRequest", `Invalid filter clause: ${detail}`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ type: "punct", value: c });
      i++;
    } else if (c === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw invalidFilter("unterminated string literal.");
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ type: "string", value });
    } else {
      const match = /^[A-Za-z0-9_./@:-]+/.exec(text.slice(i));
      if (!match) throw invalidFilter(`syntax error at position ${i} in '${text}'.`);
      const word = match[0];
      const numeric = Number(word);
      tokens.push(/^-?\d+(\.\d+)?$/.test(word) && !Number.isNaN(numeric) ? { type: "number", value: numeric } : { type: "word", value: word });
      i += word.length;
    }
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterExpression {
    const expression = this.parseOr();
    if (this.position < this.tokens.length) throw invalidFilter("unexpected trailing input.");
    return expression;
  }

  private parseOr(): FilterExpression {
    let left = this.parseAnd();
    while (this.peekWord("or")) {
      this.position++;
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterExpression {
    let left = this.parseUnary();
    while (this.peekWord("and")) {
      this.position++;
      left = { kind: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterExpression {
    if (this.peekWord("not")) {
      this.position++;
      return { kind: "not", operand: this.parseUnary() };
    }
    if (this.peekPunct("(")) {
      this.position++;
      const inner = this.parseOr();
      this.expectPunct(")");
      return inner;
    }
    const word = this.expectWord();
    const lower = word.toLowerCase();
    if ((lower === "startswith" || lower === "endswith") && this.peekPunct("(")) {
      this.position++;
      const property = this.expectWord();
      this.expectPunct(",");
      const value = this.parseLiteral();
      this.expectPunct(")");
      if (typeof value !== "string") throw invalidFilter(`${lower} expects a string literal.`);
      return { kind: "function", name: lower, property, value };
    }
    const operator = this.expectWord().toLowerCase();
    if (operator === "in") {
      this.expectPunct("(");
      const values = [this.parseLiteral()];
      while (this.peekPunct(",")) {
        this.position++;
        values.push(this.parseLiteral());
      }
      this.expectPunct(")");
      return { kind: "in", property: word, values };
    }
    if (!comparisonOperators.has(operator)) throw invalidFilter(`unknown operator '${operator}'.`);
    return { kind: "compare", operator: operator as ComparisonOperator, property: word, value: this.parseLiteral() };
  }

  private parseLiteral(): Literal {
    const token = this.tokens[this.position++];
    if (!token) throw invalidFilter("expected a literal.");
    if (token.type === "string" || token.type === "number") return token.value;
    if (token.type === "word") {
      const lower = token.value.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      if (lower === "null") return null;
      // OData v4 GUID and DateTimeOffset literals are unquoted.
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token.value)) return token.value;
      if (/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(token.value)) return token.value;
    }
    throw invalidFilter(`unexpected '${String(token.value)}' where a literal was expected.`);
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.position];
    return token?.type === "word" && token.value.toLowerCase() === word;
  }

  private peekPunct(value: string): boolean {
    const token = this.tokens[this.position];
    return token?.type === "punct" && token.value === value;
  }

  private expectPunct(value: string): void {
    if (!this.peekPunct(value)) throw invalidFilter(`expected '${value}'.`);
    this.position++;
  }

  private expectWord(): string {
    const token = this.tokens[this.position++];
    if (token?.type !== "word") throw invalidFilter("expected a property name.");
    return token.value;
  }
}

export function parseFilter(text: string): FilterExpression {
  return new Parser(tokenize(text)).parse();
}

/**
 * Rejects clauses the real service rejects: unknown or unfilterable properties, and operators that need
 * `ConsistencyLevel: eventual` plus `$count=true` when those are absent.
 */
export function checkFilter(expression: FilterExpression, capabilities: FilterCapabilities, advanced: boolean): void {
  const unsupported = (property: string) =>
    new GraphError(
      400,
      "Request_UnsupportedQuery",
      `Unsupported or invalid query filter clause specified for property '${property}' of resource '${capabilities.resource}'.`,
    );
  const needsAdvanced = (operator: string) =>
    new GraphError(
      400,
      "Request_UnsupportedQuery",
      `Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
    );

  const visit = (node: FilterExpression): void => {
    switch (node.kind) {
      case "and":
      case "or":
        visit(node.left);
        visit(node.right);
        return;
      case "not":
        if (!advanced) throw needsAdvanced("not");
        visit(node.operand);
        return;
      default: {
        const operator = node.kind === "compare" ? node.operator : node.kind === "in" ? "in" : node.name;
        if (capabilities.advancedOnly?.(node.property)) {
          if (!advanced) throw unsupported(node.property);
          return;
        }
        const operators = capabilities.basicOperators(node.property);
        if (!operators) throw unsupported(node.property);
        const nullCheck = node.kind === "compare" && node.value === null;
        if (advancedOperators.has(operator) || nullCheck) {
          if (!advanced) throw needsAdvanced(nullCheck ? "eq null" : operator);
          return;
        }
        if (!operators.has(operator)) throw unsupported(node.property);
      }
    }
  };
  visit(expression);
}

export function propertyValue(entity: Record<string, unknown>, property: string): unknown {
  let current: unknown = entity;
  for (const part of property.split("/")) {
    if (current === null || typeof current !== "object") return undefined;
    const record = current as Record<string, unknown>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === part.toLowerCase());
    current = key === undefined ? undefined : record[key];
  }
  return current;
}

// Directory string comparisons ignore case.
function normalise(value: unknown): unknown {
  return typeof value === "string" ? value.toLowerCase() : value;
}

function compare(actual: unknown, operator: ComparisonOperator, expected: Literal): boolean {
  const a = normalise(actual ?? null);
  const b = normalise(expected);
  switch (operator) {
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
    default: {
      if (a === null || b === null) return false;
      const left = a as string | number | boolean;
      const right = b as string | number | boolean;
      if (operator === "gt") return left > right;
      if (operator === "ge") return left >= right;
      if (operator === "lt") return left < right;
      return left <= right;
    }
  }
}

export function evaluateFilter(expression: FilterExpression, entity: Record<string, unknown>): boolean {
  switch (expression.kind) {
    case "and":
      return evaluateFilter(expression.left, entity) && evaluateFilter(expression.right, entity);
    case "or":
      return evaluateFilter(expression.left, entity) || evaluateFilter(expression.right, entity);
    case "not":
      return !evaluateFilter(expression.operand, entity);
    case "compare":
      return compare(propertyValue(entity, expression.property), expression.operator, expression.value);
    case "in": {
      const actual = normalise(propertyValue(entity, expression.property) ?? null);
      return expression.values.some((v) => normalise(v) === actual);
    }
    case "function": {
      const actual = propertyValue(entity, expression.property);
      if (typeof actual !== "string") return false;
      const value = expression.value.toLowerCase();
      return expression.name === "startswith" ? actual.toLowerCase().startsWith(value) : actual.toLowerCase().endsWith(value);
    }
  }
}
