/**
 * EventBridge event-pattern matching for the local stack's bus, written from the EventBridge User Guide:
 * "Amazon EventBridge event patterns", "Comparison operators for use in event patterns" (formerly "Content
 * filtering in Amazon EventBridge event patterns"), "Matching null values and empty strings" and "Arrays in
 * Amazon EventBridge event patterns". The local bus runs this per event per rule, so a pattern is compiled
 * once (validated, operators turned into closures, wildcards split into literal segments) and the compiled
 * form is cached against the pattern object; matching itself allocates next to nothing.
 *
 * EventBridge matches against the event flattened into leaf paths (`detail.state`), which is where the
 * less obvious documented rules come from: a field whose value is an object or an empty array has no leaf
 * value, so `exists: false` matches it; a value inside an array counts as a value of the field itself.
 */
import type { EventPattern } from '#events/rules.js';

type Scalar = string | number | boolean | null;
type ValueTest = (value: Scalar) => boolean;
type JsonObject = { readonly [key: string]: unknown };

interface CompiledLeaf {
  /** Exact alternatives; a Set keeps `"5"` and `5` apart, as EventBridge does. */
  readonly exact: ReadonlySet<Scalar>;
  readonly tests: readonly ValueTest[];
  readonly existsTrue: boolean;
  readonly existsFalse: boolean;
}

type CompiledField =
  | { readonly kind: 'leaf'; readonly key: string; readonly leaf: CompiledLeaf }
  | { readonly kind: 'object'; readonly key: string; readonly node: CompiledNode };

interface CompiledNode {
  readonly fields: readonly CompiledField[];
  /** Each entry is one `$or`: at least one of its sub-patterns must match the same object. */
  readonly ors: readonly (readonly CompiledNode[])[];
}

const OR_KEY = '$or';

/** Compiled patterns by identity: rules are defined once and matched against every event. */
const compiledPatterns = new WeakMap<object, CompiledNode>();

/**
 * Does `event` match `pattern`? Every field of the pattern must match (AND), any value of a leaf array may
 * (OR). Throws when the pattern is invalid, as PutRule would refuse it; patterns are treated as immutable
 * once matched (the type is readonly), because the compiled form is cached.
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  let node = compiledPatterns.get(pattern);
  if (node === undefined) {
    const errors: string[] = [];
    node = compileNode(pattern, '$', errors);
    if (errors.length > 0) throw new Error(`Invalid event pattern: ${errors.join('; ')}`);
    compiledPatterns.set(pattern, node);
  }
  return matchNode(node, isObject(event) ? event : undefined);
}

/**
 * What is wrong with `pattern`, one message per problem, each starting with the JSON path of the offending
 * value (`$.detail.state[0]`); an empty list when EventBridge would accept it.
 */
export function validateEventPattern(pattern: unknown): string[] {
  const errors: string[] = [];
  compileNode(pattern, '$', errors);
  return errors;
}

// ---------------------------------------------------------------------------------------------------------
// Matching

/** `object` is undefined when the event has nothing at this path: only `exists: false` can match then. */
function matchNode(node: CompiledNode, object: JsonObject | undefined): boolean {
  for (const field of node.fields) {
    // Object.hasOwn: a field named "constructor" must not be found on Object.prototype.
    const value = object !== undefined && Object.hasOwn(object, field.key) ? object[field.key] : undefined;
    const matched = field.kind === 'leaf' ? matchLeaf(field.leaf, value) : matchNested(field.node, value);
    if (!matched) return false;
  }
  for (const alternatives of node.ors) {
    let any = false;
    for (const alternative of alternatives) {
      if (matchNode(alternative, object)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

function matchNested(node: CompiledNode, value: unknown): boolean {
  if (isObject(value)) return matchNode(node, value);
  if (Array.isArray(value)) {
    const inElements = matchInArrayElements(node, value);
    if (inElements !== undefined) return inElements;
  }
  // A scalar, a missing field or an array without objects has no fields under it.
  return matchNode(node, undefined);
}

/**
 * A nested pattern against an array of objects matches when one element matches the whole sub-pattern, so
 * two conditions are never satisfied by two different elements. Undefined when there is no object at all.
 */
function matchInArrayElements(node: CompiledNode, array: readonly unknown[]): boolean | undefined {
  let sawObject = false;
  for (const element of array) {
    if (isObject(element)) {
      sawObject = true;
      if (matchNode(node, element)) return true;
    } else if (Array.isArray(element)) {
      const inner = matchInArrayElements(node, element);
      if (inner === true) return true;
      if (inner === false) sawObject = true;
    }
  }
  return sawObject ? false : undefined;
}

const NO_VALUE = 0;
const UNMATCHED_VALUE = 1;
const MATCHED_VALUE = 2;
type Scan = typeof NO_VALUE | typeof UNMATCHED_VALUE | typeof MATCHED_VALUE;

function matchLeaf(leaf: CompiledLeaf, value: unknown): boolean {
  const scan = scanLeafValues(leaf, value);
  if (scan === MATCHED_VALUE) return true;
  return scan === NO_VALUE ? leaf.existsFalse : leaf.existsTrue;
}

/** Walks the field's leaf values (arrays flattened, objects skipped) without building a list of them. */
function scanLeafValues(leaf: CompiledLeaf, value: unknown): Scan {
  if (Array.isArray(value)) {
    let seen: Scan = NO_VALUE;
    for (const element of value) {
      const scan = scanLeafValues(leaf, element);
      if (scan === MATCHED_VALUE) return MATCHED_VALUE;
      if (scan === UNMATCHED_VALUE) seen = UNMATCHED_VALUE;
    }
    return seen;
  }
  if (!isScalar(value)) return NO_VALUE;
  if (leaf.exact.has(value)) return MATCHED_VALUE;
  for (const test of leaf.tests) if (test(value)) return MATCHED_VALUE;
  return UNMATCHED_VALUE;
}

// ---------------------------------------------------------------------------------------------------------
// Compiling (and validating: both walk the pattern the same way, so they cannot disagree)

function compileNode(pattern: unknown, path: string, errors: string[]): CompiledNode {
  const fields: CompiledField[] = [];
  const ors: CompiledNode[][] = [];
  if (!isObject(pattern)) {
    errors.push(`${path}: an event pattern must be a JSON object, found ${describe(pattern)}`);
    return { fields, ors };
  }
  const keys = Object.keys(pattern);
  if (keys.length === 0) errors.push(`${path}: empty objects are not allowed`);
  for (const key of keys) {
    const value = pattern[key];
    const fieldPath = childPath(path, key);
    if (key === OR_KEY) {
      const alternatives = compileOr(value, fieldPath, errors);
      if (alternatives !== undefined) ors.push(alternatives);
    } else if (Array.isArray(value)) {
      fields.push({ kind: 'leaf', key, leaf: compileLeaf(value, fieldPath, errors) });
    } else if (isObject(value)) {
      fields.push({ kind: 'object', key, node: compileNode(value, fieldPath, errors) });
    } else {
      errors.push(
        `${fieldPath}: must be an array of values to match or a nested pattern object, found ${describe(value)}`,
      );
    }
  }
  return { fields, ors };
}

function compileOr(value: unknown, path: string, errors: string[]): CompiledNode[] | undefined {
  // With fewer than two alternatives EventBridge does not read "$or" as OR at all, and would then reject it
  // as a field whose match values are objects with unknown keys.
  if (!Array.isArray(value) || value.length < 2) {
    errors.push(`${path}: $or must be an array of at least two pattern objects, found ${describe(value)}`);
    return undefined;
  }
  return value.map((alternative, index) => compileNode(alternative, `${path}[${index}]`, errors));
}

function compileLeaf(values: readonly unknown[], path: string, errors: string[]): CompiledLeaf {
  const exact = new Set<Scalar>();
  const tests: ValueTest[] = [];
  let existsTrue = false;
  let existsFalse = false;
  if (values.length === 0) errors.push(`${path}: must be a non-empty array of values to match`);
  values.forEach((value, index) => {
    const valuePath = `${path}[${index}]`;
    if (isScalar(value)) {
      exact.add(value);
    } else if (isObject(value)) {
      const operator = compileOperator(value, valuePath, errors);
      if (typeof operator === 'function') tests.push(operator);
      else if (operator === true) existsTrue = true;
      else if (operator === false) existsFalse = true;
    } else {
      errors.push(
        `${valuePath}: a match value must be a string, number, boolean, null or a match expression object, found ${describe(value)}`,
      );
    }
  });
  return { exact, tests, existsTrue, existsFalse };
}

/** A value test, or the boolean of an `exists` expression; undefined once an error is recorded. */
function compileOperator(
  expression: JsonObject,
  path: string,
  errors: string[],
): ValueTest | boolean | undefined {
  const keys = Object.keys(expression);
  const [name] = keys;
  if (name === undefined || keys.length !== 1) {
    errors.push(`${path}: a match expression must have exactly one key, found ${keys.length}`);
    return undefined;
  }
  const operand = expression[name];
  const operandPath = childPath(path, name);
  switch (name) {
    case 'prefix':
      return compileAffix(operand, operandPath, errors, 'prefix');
    case 'suffix':
      return compileAffix(operand, operandPath, errors, 'suffix');
    case 'equals-ignore-case':
      return compileEqualsIgnoreCase(operand, operandPath, errors);
    case 'anything-but':
      return compileAnythingBut(operand, operandPath, errors);
    case 'numeric':
      return compileNumeric(operand, operandPath, errors);
    case 'exists':
      if (typeof operand === 'boolean') return operand;
      errors.push(`${operandPath}: exists must be true or false, found ${describe(operand)}`);
      return undefined;
    case 'cidr':
      return compileCidr(operand, operandPath, errors);
    case 'wildcard':
      return compileWildcardTest(operand, operandPath, errors);
    default:
      errors.push(`${path}: unrecognized match type "${name}"`);
      return undefined;
  }
}

function compileAffix(
  operand: unknown,
  path: string,
  errors: string[],
  kind: 'prefix' | 'suffix',
): ValueTest | undefined {
  if (typeof operand === 'string') {
    return kind === 'prefix'
      ? (value) => typeof value === 'string' && value.startsWith(operand)
      : (value) => typeof value === 'string' && value.endsWith(operand);
  }
  const ignoringCase = isObject(operand) ? ignoreCaseOperand(operand) : undefined;
  if (ignoringCase === undefined) {
    errors.push(
      `${path}: ${kind} must be a string or {"equals-ignore-case": string}, found ${describe(operand)}`,
    );
    return undefined;
  }
  const lower = ignoringCase.toLowerCase();
  return kind === 'prefix'
    ? (value) => typeof value === 'string' && value.toLowerCase().startsWith(lower)
    : (value) => typeof value === 'string' && value.toLowerCase().endsWith(lower);
}

/** The string of `{"equals-ignore-case": string}`, the only object prefix and suffix accept. */
function ignoreCaseOperand(operand: JsonObject): string | undefined {
  const keys = Object.keys(operand);
  const inner = operand['equals-ignore-case'];
  return keys.length === 1 && typeof inner === 'string' ? inner : undefined;
}

function compileEqualsIgnoreCase(operand: unknown, path: string, errors: string[]): ValueTest | undefined {
  if (typeof operand !== 'string') {
    errors.push(`${path}: equals-ignore-case must be a string, found ${describe(operand)}`);
    return undefined;
  }
  const lower = operand.toLowerCase();
  return (value) => typeof value === 'string' && value.toLowerCase() === lower;
}

const ANYTHING_BUT_SHAPE =
  'anything-but must be a string, a number, a non-empty list of only strings or only numbers, or an object with one of prefix, suffix, equals-ignore-case, wildcard';

function compileAnythingBut(operand: unknown, path: string, errors: string[]): ValueTest | undefined {
  if (typeof operand === 'string' || typeof operand === 'number') return (value) => value !== operand;
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number');
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      errors.push(`${path}: ${ANYTHING_BUT_SHAPE}, found ${describe(operand)}`);
      return undefined;
    }
    const excluded = new Set<Scalar>(operand as readonly Scalar[]);
    return (value) => !excluded.has(value);
  }
  if (isObject(operand)) return compileAnythingButExpression(operand, path, errors);
  errors.push(`${path}: ${ANYTHING_BUT_SHAPE}, found ${describe(operand)}`);
  return undefined;
}

const ANYTHING_BUT_EXPRESSIONS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard']);

function compileAnythingButExpression(
  expression: JsonObject,
  path: string,
  errors: string[],
): ValueTest | undefined {
  const keys = Object.keys(expression);
  const [name] = keys;
  if (name === undefined || keys.length !== 1) {
    errors.push(`${path}: ${ANYTHING_BUT_SHAPE}, found an object with ${keys.length} keys`);
    return undefined;
  }
  if (!ANYTHING_BUT_EXPRESSIONS.has(name)) {
    errors.push(`${path}: unrecognized anything-but match type "${name}"`);
    return undefined;
  }
  const operandPath = childPath(path, name);
  const operand = expression[name];
  // The User Guide does not settle whether lists are allowed here (an older revision said a single prefix
  // only). Accepting them errs on the safe side: the local stack must never reject a rule that deploys.
  const strings = typeof operand === 'string' ? [operand] : Array.isArray(operand) ? operand : undefined;
  if (strings === undefined || strings.length === 0 || !strings.every((item) => typeof item === 'string')) {
    errors.push(
      `${operandPath}: must be a string or a non-empty list of strings, found ${describe(operand)}`,
    );
    return undefined;
  }
  const excludes = excluderFor(
    name,
    strings as readonly string[],
    typeof operand === 'string',
    operandPath,
    errors,
  );
  // Prefix, suffix, case and wildcard only describe strings: a number or null is "anything but" them.
  return (value) => typeof value !== 'string' || !excludes(value);
}

function excluderFor(
  name: string,
  strings: readonly string[],
  single: boolean,
  path: string,
  errors: string[],
): (text: string) => boolean {
  if (name === 'prefix') return (text) => strings.some((item) => text.startsWith(item));
  if (name === 'suffix') return (text) => strings.some((item) => text.endsWith(item));
  if (name === 'equals-ignore-case') {
    const lowered = new Set(strings.map((item) => item.toLowerCase()));
    return (text) => lowered.has(text.toLowerCase());
  }
  const globs: WildcardGlob[] = [];
  strings.forEach((item, index) => {
    const glob = compileWildcard(item, single ? path : `${path}[${index}]`, errors);
    if (glob !== undefined) globs.push(glob);
  });
  return (text) => globs.some((glob) => matchWildcard(glob, text));
}

const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);

function compileNumeric(operand: unknown, path: string, errors: string[]): ValueTest | undefined {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    errors.push(
      `${path}: numeric must be [operator, number] or [operator, number, operator, number], found ${describe(operand)}`,
    );
    return undefined;
  }
  let equals: number | undefined;
  let lower = Number.NEGATIVE_INFINITY;
  let lowerInclusive = false;
  let upper = Number.POSITIVE_INFINITY;
  let upperInclusive = false;
  let hasLower = false;
  let hasUpper = false;
  const errorCount = errors.length;
  for (let index = 0; index < operand.length; index += 2) {
    const operator: unknown = operand[index];
    const bound: unknown = operand[index + 1];
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      errors.push(`${path}[${index + 1}]: numeric bound must be a number, found ${describe(bound)}`);
      continue;
    }
    if (operator === '=') {
      if (operand.length !== 2)
        errors.push(`${path}[${index}]: "=" cannot be combined with another condition`);
      equals = bound;
    } else if (typeof operator === 'string' && LOWER_BOUNDS.has(operator)) {
      if (hasLower) errors.push(`${path}[${index}]: numeric has two lower bounds`);
      hasLower = true;
      lower = bound;
      lowerInclusive = operator === '>=';
    } else if (typeof operator === 'string' && UPPER_BOUNDS.has(operator)) {
      if (hasUpper) errors.push(`${path}[${index}]: numeric has two upper bounds`);
      hasUpper = true;
      upper = bound;
      upperInclusive = operator === '<=';
    } else {
      errors.push(`${path}[${index}]: unrecognized numeric operator ${describe(operator)}`);
    }
  }
  if (hasLower && hasUpper && !(lower < upper)) {
    errors.push(`${path}: the lower bound (${lower}) must be less than the upper bound (${upper})`);
  }
  if (errors.length > errorCount) return undefined;
  if (equals !== undefined) {
    const target = equals;
    return (value) => value === target;
  }
  return (value) =>
    typeof value === 'number' &&
    (lowerInclusive ? value >= lower : value > lower) &&
    (upperInclusive ? value <= upper : value < upper);
}

// ---------------------------------------------------------------------------------------------------------
// Wildcards: `*` is any run of characters, `\*` a literal star, `\\` a literal backslash. Only `*` is special,
// so a pattern is literal segments between stars, matched with startsWith/indexOf/endsWith: no regular
// expression, hence no backtracking blow-up on a hostile event value.

interface WildcardGlob {
  /** The literal text between unescaped stars; one segment means no star at all. */
  readonly segments: readonly string[];
}

/** Parsed wildcards by their text: the same wildcard in many rules is parsed once. */
const wildcardCache = new Map<string, WildcardGlob>();

function compileWildcardTest(operand: unknown, path: string, errors: string[]): ValueTest | undefined {
  if (typeof operand !== 'string') {
    errors.push(`${path}: wildcard must be a string, found ${describe(operand)}`);
    return undefined;
  }
  const glob = compileWildcard(operand, path, errors);
  return glob === undefined ? undefined : (value) => typeof value === 'string' && matchWildcard(glob, value);
}

function compileWildcard(text: string, path: string, errors: string[]): WildcardGlob | undefined {
  const cached = wildcardCache.get(text);
  if (cached !== undefined) return cached;
  const segments: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (char === '\\') {
      const next = text.charAt(index + 1);
      if (next !== '*' && next !== '\\') {
        errors.push(`${path}: invalid escape at index ${index}: a backslash may only escape * or \\`);
        return undefined;
      }
      current += next;
      index += 1;
    } else if (char === '*') {
      if (text.charAt(index + 1) === '*') {
        errors.push(`${path}: consecutive wildcard characters at index ${index}`);
        return undefined;
      }
      segments.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  segments.push(current);
  const glob: WildcardGlob = { segments };
  wildcardCache.set(text, glob);
  return glob;
}

function matchWildcard({ segments }: WildcardGlob, value: string): boolean {
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? '';
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  // Leftmost placement of each middle segment leaves the most room for the rest: greedy is exact here.
  const end = value.length - last.length;
  let position = first.length;
  for (let index = 1; index < segments.length - 1; index += 1) {
    const segment = segments[index] ?? '';
    const found = value.indexOf(segment, position);
    if (found === -1 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// CIDR, IPv4 and IPv6. An IPv4 address never matches an IPv6 block, nor the other way round.

type IpAddress =
  { readonly version: 4; readonly value: number } | { readonly version: 6; readonly groups: number[] };

function compileCidr(operand: unknown, path: string, errors: string[]): ValueTest | undefined {
  const block = typeof operand === 'string' ? parseCidr(operand) : undefined;
  if (block === undefined) {
    errors.push(
      `${path}: cidr must be an IPv4 or IPv6 block such as "10.0.0.0/24", found ${describe(operand)}`,
    );
    return undefined;
  }
  const { network, bits } = block;
  if (network.version === 4) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const masked = (network.value & mask) >>> 0;
    return (value) => {
      if (typeof value !== 'string') return false;
      const address = parseIpv4(value);
      return address !== undefined && (address & mask) >>> 0 === masked;
    };
  }
  const networkGroups = network.groups;
  return (value) => {
    if (typeof value !== 'string' || !value.includes(':')) return false;
    const groups = parseIpv6(value);
    return groups !== undefined && sameIpv6Prefix(groups, networkGroups, bits);
  };
}

function parseCidr(text: string): { network: IpAddress; bits: number } | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) return undefined;
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  const address = text.slice(0, slash);
  const ipv4 = parseIpv4(address);
  if (ipv4 !== undefined) return bits <= 32 ? { network: { version: 4, value: ipv4 }, bits } : undefined;
  const ipv6 = parseIpv6(address);
  if (ipv6 !== undefined) return bits <= 128 ? { network: { version: 6, groups: ipv6 }, bits } : undefined;
  return undefined;
}

/** Dotted quad to an unsigned 32-bit number, by hand so that matching an event allocates nothing. */
function parseIpv4(text: string): number | undefined {
  let result = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 46 /* . */) {
      if (digits === 0 || dots === 3) return undefined;
      result = result * 256 + octet;
      octet = 0;
      digits = 0;
      dots += 1;
    } else if (code >= 48 && code <= 57) {
      octet = octet * 10 + (code - 48);
      digits += 1;
      if (digits > 3 || octet > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return result * 256 + octet;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Eight 16-bit groups; accepts `::` compression and a trailing dotted IPv4 (`::ffff:10.0.0.1`). */
function parseIpv6(text: string): number[] | undefined {
  const compression = text.indexOf('::');
  if (compression !== -1 && text.indexOf('::', compression + 1) !== -1) return undefined;
  if (compression === -1) {
    const groups = parseIpv6Groups(text, true);
    return groups !== undefined && groups.length === 8 ? groups : undefined;
  }
  const head = text.slice(0, compression);
  const tail = text.slice(compression + 2);
  const headGroups = head === '' ? [] : parseIpv6Groups(head, false);
  const tailGroups = tail === '' ? [] : parseIpv6Groups(tail, true);
  if (headGroups === undefined || tailGroups === undefined) return undefined;
  const missing = 8 - headGroups.length - tailGroups.length;
  if (missing < 1) return undefined;
  return [...headGroups, ...new Array<number>(missing).fill(0), ...tailGroups];
}

function parseIpv6Groups(text: string, allowTrailingIpv4: boolean): number[] | undefined {
  const parts = text.split(':');
  const groups: number[] = [];
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index] ?? '';
    if (HEX_GROUP.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else if (allowTrailingIpv4 && index === parts.length - 1 && part.includes('.')) {
      const ipv4 = parseIpv4(part);
      if (ipv4 === undefined) return undefined;
      groups.push(Math.floor(ipv4 / 0x10000), ipv4 % 0x10000);
    } else {
      return undefined;
    }
  }
  return groups;
}

function sameIpv6Prefix(address: readonly number[], network: readonly number[], bits: number): boolean {
  for (let group = 0; group < 8; group += 1) {
    const groupBits = Math.min(16, Math.max(0, bits - group * 16));
    if (groupBits === 0) return true;
    const mask = (0xffff << (16 - groupBits)) & 0xffff;
    if (((address[group] ?? 0) & mask) !== ((network[group] ?? 0) & mask)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  );
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `$.detail.state`, or `$.detail["a.b"]` when the key would be ambiguous in dotted form. */
function childPath(path: string, key: string): string {
  return PLAIN_KEY.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}
