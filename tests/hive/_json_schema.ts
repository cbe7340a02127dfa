/**
 * A small JSON Schema validator for the keywords tests/hive's schema uses:
 * type (incl. integer, null), enum, required, properties,
 * additionalProperties: false, minLength, minimum, pattern, oneOf and local
 * `$ref`s (`#/$defs/...`). Returns every violation with its JSON path; an
 * unknown keyword is an error, so the schema cannot silently say less than
 * it seems to.
 *
 * @module
 */

type Schema = Record<string, unknown>;

const KNOWN = new Set([
  "$schema",
  "$comment",
  "$defs",
  "$ref",
  "type",
  "enum",
  "required",
  "properties",
  "additionalProperties",
  "minLength",
  "minimum",
  "pattern",
  "oneOf",
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function typeMatches(value: unknown, type: string): boolean {
  if (type === "integer") return Number.isInteger(value);
  return typeOf(value) === type;
}

/** Validates `value` against `schema` (whose `$defs` resolve `$ref`s); returns the violations. */
export function validate(
  schema: Schema,
  value: unknown,
  root: Schema = schema,
  path = "$",
): string[] {
  for (const key of Object.keys(schema)) {
    if (!KNOWN.has(key)) return [`${path}: the schema uses unsupported keyword ${key}`];
  }
  if (typeof schema.$ref === "string") {
    const target = schema.$ref.replace(/^#\//, "").split("/")
      .reduce((s: unknown, k) => (s as Schema)?.[k], root) as Schema | undefined;
    if (!target) return [`${path}: unresolved $ref ${schema.$ref}`];
    return validate(target, value, root, path);
  }
  const errors: string[] = [];
  if (typeof schema.type === "string" && !typeMatches(value, schema.type)) {
    return [`${path}: expected ${schema.type}, got ${typeOf(value)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (Array.isArray(schema.oneOf)) {
    const matching = schema.oneOf.filter((s) =>
      validate(s as Schema, value, root, path).length === 0
    );
    if (matching.length !== 1) errors.push(`${path}: matches ${matching.length} of oneOf, not 1`);
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) {
      errors.push(`${path}: shorter than ${schema.minLength}`);
    }
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
      errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    }
  }
  if (typeof value === "number" && typeof schema.minimum === "number" && value < schema.minimum) {
    errors.push(`${path}: below ${schema.minimum}`);
  }
  if (typeOf(value) === "object") {
    errors.push(...validateObject(schema, value as Schema, root, path));
  }
  return errors;
}

function validateObject(schema: Schema, value: Schema, root: Schema, path: string): string[] {
  const errors: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value)) errors.push(`${path}: missing ${name}`);
  }
  for (const [name, v] of Object.entries(value)) {
    if (name in properties) errors.push(...validate(properties[name], v, root, `${path}.${name}`));
    else if (schema.additionalProperties === false) errors.push(`${path}: unexpected ${name}`);
  }
  return errors;
}
