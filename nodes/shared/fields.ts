import { z } from 'zod/v4';

import type { BodyPath, PayloadIssue } from './types';
import { amount, compactDate, date, excerpt, firstOfList, isObject } from './values';
import { toPayloadIssues } from './zodIssues';

/**
 * Tolerant payload schemas. Only what identifies a document is required; every other field is
 * checked for a type whose meaning is clear, and a field that does not fit becomes null with a
 * warning, never a reason to reject the document.
 *
 * Each sender writes its schema once, as a function of a `FieldKit`, plus what identifies a
 * document, and gets three readings of it:
 * - a plain predicate, true for a document the strict schema accepts exactly as it came (every
 *   field of the right type, lists already lists). Most deliveries are that, and taking them as
 *   they came costs about a twentieth of zod's parse (BENCHMARKS.md);
 * - the strict zod schema, run when the predicate says no (a list sent as one value, say);
 * - the tolerant schema, run only when the strict one fails: a field that does not fit falls
 *   back to null (an entry of a list, to null, which the mapping drops), and the strict issues
 *   are the warnings, with zod's paths and messages.
 * The schemas check types and keep the values as sent; the sender's mapping reads them with the
 * readers in `values.ts` and never changes them. Two shapes are read the same at any depth, for
 * every field: where one value is expected, a list stands for its first entry (a list of one
 * silently, a list of several with a warning that the first was read); where a list is expected,
 * one value is a list of one, and `{ "<Name>Item": [...] }` (the XML-to-JSON form of a list,
 * InvoiCy's `Uso/UsoItem`) is the list it wraps.
 */
export interface FieldKit {
	/**
	 * An optional field: absent, null or an empty list is null; a list is its first entry; a
	 * value that does not fit falls back to null.
	 */
	optional<T extends z.ZodType>(schema: T): z.ZodType<z.output<T> | null | undefined>;
	/**
	 * An optional list: one value is a list of one; an entry that does not fit falls back to
	 * null. Null entries are for the mapping to drop.
	 */
	list<T extends z.ZodType>(item: T): z.ZodType<Array<z.output<T> | null> | null | undefined>;
}

/** `{ "<Name>Item": [...] }`, an object with that one key: the XML-to-JSON form of a list. */
const ITEM_WRAPPER = /Item$/i;

function unwrapItems(value: unknown): unknown {
	if (!isObject(value)) return value;
	const keys = Object.keys(value);
	return keys.length === 1 && ITEM_WRAPPER.test(keys[0]) ? value[keys[0]] : value;
}

const oneAsList = (sent: unknown) => {
	const value = unwrapItems(sent);
	return value === ''
		? null
		: value === null || value === undefined || Array.isArray(value)
			? value
			: [value];
};

/** The issue param that marks a warning about a value that was read after all (not "ignored"). */
const READ_ANYWAY = 'readAnyway';

/**
 * A list of several where one value is expected, for the strict schema: an issue, unless its
 * first entry does not fit the field either (then the field's own issue says what arrived).
 */
function noteUnreadEntries(
	value: unknown,
	context: z.RefinementCtx,
	{ field, fits }: { field: string; fits: PlainCheck | undefined },
): void {
	const first = firstOfList(value);
	if (first.others === 0 || (fits && !fits(first.value))) return;
	context.addIssue({
		code: 'custom',
		path: [field],
		message: `A list of ${first.others + 1} values where one is expected; the first is read`,
		params: { [READ_ANYWAY]: true },
	});
}

/** The strict kit's single-value fields, with their plain checks, for the record that holds them. */
const singleValueFields = new WeakMap<z.ZodType, PlainCheck | undefined>();

/** The fields a record declares. */
const recordFields = new WeakMap<z.ZodType, string[]>();

const firstEntry = (value: unknown) => firstOfList(value).value;

/** True for a value its schema accepts exactly as it came. */
type PlainCheck = (value: unknown) => boolean;

/**
 * The plain predicate of each strict schema built here. A schema without one (built with zod
 * directly) has none, and neither has anything built from it: zod then checks every delivery.
 */
const plainChecks = new WeakMap<z.ZodType, PlainCheck>();

function withPlainCheck<T extends z.ZodType>(schema: T, check: PlainCheck | undefined): T {
	if (check) plainChecks.set(schema, check);
	return schema;
}

/** The predicates of all the given schemas, or undefined if one of them has none. */
function plainChecksOf(schemas: readonly z.ZodType[]): PlainCheck[] | undefined {
	const checks = schemas.map((schema) => plainChecks.get(schema));
	return checks.every((check) => check !== undefined) ? (checks as PlainCheck[]) : undefined;
}

/** Field checks that accept absent and null themselves, so they need no optional/nullable wrappers. */
const acceptsAbsent = new WeakSet<z.ZodType>();
function nullish<T extends z.ZodType>(schema: T) {
	if (acceptsAbsent.has(schema)) return schema as z.ZodType<z.output<T> | null | undefined>;
	const check = plainChecks.get(schema);
	return withPlainCheck(
		schema.nullish(),
		check && ((value) => value === undefined || value === null || check(value)),
	) as z.ZodType<z.output<T> | null | undefined>;
}

const strictKit: FieldKit = {
	optional(schema) {
		const field = nullish(schema);
		const check = plainChecks.get(field);
		// A list never passes a field's plain check: zod takes its first entry; the record that
		// holds the field notes a list of several (a union in the field would drop the issue).
		const read = withPlainCheck(z.preprocess(firstEntry, field), check);
		singleValueFields.set(read, check);
		return read;
	},
	list(item) {
		const check = plainChecks.get(item);
		// A list as it came: absent, null or an array; one value or '' is zod's to turn into a list.
		const listCheck =
			check &&
			((value: unknown) =>
				value === undefined ||
				value === null ||
				(Array.isArray(value) && value.every((entry) => entry === null || check(entry))));
		return withPlainCheck(z.preprocess(oneAsList, z.array(item.nullable()).nullish()), listCheck);
	},
};

const tolerantKit: FieldKit = {
	optional: (schema) => z.preprocess(firstEntry, nullish(schema).catch(null)),
	list: (item) =>
		z.preprocess(oneAsList, z.array(item.nullable().catch(null)).nullish()).catch(null),
};

export type TolerantResult<T> =
	| { success: true; data: T; warnings: PayloadIssue[] }
	| { success: false; issues: PayloadIssue[] };

export interface TolerantSchema<T> {
	parse(value: unknown, path: BodyPath): TolerantResult<T>;
	/** The top-level fields the description declares. */
	readonly fieldNames: readonly string[];
	/** Whether a value is taken as it came, without zod (tests hold this to the strict schema). */
	acceptsAsSent(value: unknown): boolean;
	/** The strict zod schema. */
	readonly strict: z.ZodType;
}

/** A required field the document lacks: the field named in the issue, and why it matters. */
export interface MissingField {
	field: string;
	message: string;
}

/**
 * What identifies a document, checked on a value the schema accepted: the required fields it
 * lacks (none: the document can be emitted).
 */
export type Identify<T> = (document: T) => MissingField[];

/**
 * Builds the three readings (plain predicate, strict and tolerant schemas) from one description
 * and what identifies a document.
 */
export function tolerantSchema<S extends z.ZodType>(
	describe: (kit: FieldKit) => S,
	identify: Identify<z.output<S>> = () => [],
): TolerantSchema<z.output<S>> {
	type Document = z.output<S>;
	const identified = (schema: S) =>
		schema.superRefine((document, context) => {
			for (const { field, message } of identify(document))
				context.addIssue({ code: 'custom', path: [field], message });
		});
	const described = describe(strictKit);
	const check = plainChecks.get(described);
	const strict = identified(described);
	const tolerant = identified(describe(tolerantKit));
	const acceptsAsSent = (value: unknown) =>
		check !== undefined && check(value) && identify(value as Document).length === 0;
	return {
		fieldNames: recordFields.get(described) ?? [],
		acceptsAsSent,
		strict,
		parse(value, path) {
			if (acceptsAsSent(value)) return { success: true, data: value as Document, warnings: [] };
			const checked = strict.safeParse(value);
			if (checked.success) return { success: true, data: checked.data, warnings: [] };
			const result = tolerant.safeParse(value);
			if (!result.success) return { success: false, issues: toPayloadIssues(result.error, path) };
			const warnings = unfoldUnions(checked.error.issues).map((issue) => ({
				path: [...path, ...issue.path].map(String).join('.'),
				message: readAnyway(issue) ? issue.message : `${issue.message}; ignored`,
			}));
			return { success: true, data: result.data, warnings };
		},
	};
}

/**
 * A union's issue, when one of its options failed only on lists it read anyway, is that
 * option's issues: the value was read, and the warning says where and how.
 */
function unfoldUnions(issues: z.core.$ZodIssue[]): z.core.$ZodIssue[] {
	return issues.flatMap((issue) => {
		if (issue.code !== 'invalid_union') return [issue];
		const readOption = issue.errors.find((option) => option.length && option.every(readAnyway));
		return readOption
			? readOption.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }))
			: [issue];
	});
}

/** Whether an issue is about a value that was read after all (a list of several, its first). */
function readAnyway(issue: z.core.$ZodIssue): boolean {
	return issue.code === 'custom' && issue.params?.[READ_ANYWAY] === true;
}

const describeType = (value: unknown) =>
	value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;

/**
 * A field checked by a plain predicate, absent and null included: the cheapest check zod has,
 * which matters with dozens of fields per document.
 */
function checked<T>(accepts: (value: unknown) => boolean, complaint: (value: unknown) => string) {
	const check = (value: unknown) => value === undefined || value === null || accepts(value);
	const schema = z.custom<T>(check, { error: (issue) => complaint(issue.input) });
	acceptsAbsent.add(schema);
	return withPlainCheck(schema, check);
}

/** Text: a string, a number or a boolean (read with `text()`). */
export const textField = checked<string | number | boolean>(
	(value) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
	(value) => `Expected text, received ${describeType(value)}`,
);

/**
 * An identifier or number that must stay exact: a string, or a number that is a safe integer.
 * A larger number has already lost digits in JSON parsing (a 44-digit access key becomes
 * 3.527e+43), so it is refused rather than turned into a wrong id.
 */
export const identifierField = checked<string | number>(
	(value) => typeof value === 'string' || Number.isSafeInteger(value),
	(value) =>
		typeof value === 'number'
			? `A number too large to be exact (${value}); identifiers must be sent as strings`
			: `Expected a string or a whole number, received ${describeType(value)}`,
);

/** A numeric code sent as a number or a string (read with `code()`). */
export const codeField = checked<string | number>(
	(value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)),
	(value) => `Expected a code, received ${describeType(value)}`,
);

/** An amount as a number or text in any of the forms `amount()` reads ('' is absent). */
export const amountField = checked<string | number>(
	(value) => (typeof value === 'string' && value.trim() === '') || amount(value) !== null,
	(value) => `Not an amount: ${excerpt(value)}`,
);

/**
 * A date or time: text as sent, or a number that `date()` reads (Unix seconds or milliseconds,
 * yyyymmdd). Digits shaped like yyyymmdd that are no calendar date do not fit.
 */
export const dateField = checked<string | number>(
	(value) => (typeof value === 'string' && compactDate(value) !== null) || date(value) !== null,
	(value) => `Not a date: ${excerpt(value)}`,
);

/** Inline file content (base64, or XML text), kept as it came: never copied or scanned here. */
export const contentField = checked<string>(
	(value) => typeof value === 'string',
	(value) => `Expected file content as text, received ${describeType(value)}`,
);

/**
 * An object whose fields the sender's schema lists; fields it does not list are kept. A list of
 * several sent for one of its single-value fields is an issue here, at the field's path.
 */
export function record<T extends z.core.$ZodLooseShape>(shape: T) {
	const names = Object.keys(shape);
	const checks = plainChecksOf(Object.values(shape));
	const singles = names.flatMap((field) =>
		singleValueFields.has(shape[field])
			? [{ field, fits: singleValueFields.get(shape[field]) }]
			: [],
	);
	const object = z.looseObject(shape);
	const noted = singles.length
		? z.preprocess((value, context) => {
				if (isObject(value))
					for (const single of singles) noteUnreadEntries(value[single.field], context, single);
				return value;
			}, object)
		: object;
	recordFields.set(noted, names);
	return withPlainCheck(
		noted,
		checks &&
			((value) => {
				if (!isObject(value)) return false;
				for (let i = 0; i < names.length; i++) if (!checks[i](value[names[i]])) return false;
				return true;
			}),
	);
}

/** A value that fits one of the given schemas (tried in order). */
export function oneOf<const T extends readonly [z.ZodType, ...z.ZodType[]]>(...options: T) {
	const checks = plainChecksOf(options);
	return withPlainCheck(
		z.union(options),
		checks && ((value) => checks.some((check) => check(value))),
	);
}
