import { z } from 'zod/v4';

import type { BodyPath, PayloadIssue } from './types';
import { amount, unixTime } from './values';
import { toPayloadIssues } from './zodIssues';

/**
 * Tolerant payload schemas. Only what identifies a document is required; every other field is
 * checked for a type whose meaning is clear, and a field that does not fit becomes null with a
 * warning, never a reason to reject the document.
 *
 * Each sender writes its schema once, as a function of a `FieldKit`, and gets two schemas from
 * it: a strict one, and a tolerant one where a field that does not fit falls back to null (an
 * entry of a list, to null, which the mapping drops). Every delivery is parsed with the strict
 * schema, the fast path; only when it fails is the tolerant one run, and the strict issues are
 * then the warnings, with zod's paths and messages. The schemas check types and keep the values
 * as sent; the sender's mapping reads them with the readers in `values.ts`.
 */
export interface FieldKit {
	/** An optional field: absent or null is null; a value that does not fit falls back to null. */
	optional<T extends z.ZodType>(schema: T): z.ZodType<z.output<T> | null | undefined>;
	/**
	 * An optional list: one value is a list of one; an entry that does not fit falls back to
	 * null. Null entries are for the mapping to drop.
	 */
	list<T extends z.ZodType>(item: T): z.ZodType<Array<z.output<T> | null> | null | undefined>;
}

const oneAsList = (value: unknown) =>
	value === ''
		? null
		: value === null || value === undefined || Array.isArray(value)
			? value
			: [value];

/** Field checks that accept absent and null themselves, so they need no optional/nullable wrappers. */
const acceptsAbsent = new WeakSet<z.ZodType>();
const nullish = <T extends z.ZodType>(schema: T) =>
	(acceptsAbsent.has(schema) ? schema : schema.nullish()) as z.ZodType<
		z.output<T> | null | undefined
	>;

const strictKit: FieldKit = {
	optional: nullish,
	list: (item) => z.preprocess(oneAsList, z.array(item.nullable()).nullish()),
};

const tolerantKit: FieldKit = {
	optional: (schema) => nullish(schema).catch(null),
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
}

/** Builds the strict and tolerant schemas from one description. */
export function tolerantSchema<S extends z.ZodType>(
	describe: (kit: FieldKit) => S,
): TolerantSchema<z.output<S>> {
	const strict = describe(strictKit);
	const tolerant = describe(tolerantKit);
	return {
		fieldNames: strict instanceof z.ZodObject ? Object.keys(strict.shape) : [],
		parse(value, path) {
			const checked = strict.safeParse(value);
			if (checked.success) return { success: true, data: checked.data, warnings: [] };
			const result = tolerant.safeParse(value);
			if (!result.success) return { success: false, issues: toPayloadIssues(result.error, path) };
			const warnings = toPayloadIssues(checked.error, path).map((issue) => ({
				path: issue.path,
				message: `${issue.message}; ignored`,
			}));
			return { success: true, data: result.data, warnings };
		},
	};
}

const describeType = (value: unknown) =>
	value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;

/**
 * A field checked by a plain predicate, absent and null included: the cheapest check zod has,
 * which matters with dozens of fields per document.
 */
function checked<T>(accepts: (value: unknown) => boolean, complaint: (value: unknown) => string) {
	const schema = z.custom<T>((value) => value === undefined || value === null || accepts(value), {
		error: (issue) => complaint(issue.input),
	});
	acceptsAbsent.add(schema);
	return schema;
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
	(value) => `Not an amount: ${JSON.stringify(value)}`,
);

/** A date or time: text as sent, or Unix seconds or milliseconds (read with `date()`). */
export const dateField = checked<string | number>(
	(value) => typeof value === 'string' || unixTime(value) !== null,
	(value) => `Not a date: ${JSON.stringify(value)}`,
);

/** Inline file content (base64, or XML text), kept as it came: never copied or scanned here. */
export const contentField = checked<string>(
	(value) => typeof value === 'string',
	(value) => `Expected file content as text, received ${describeType(value)}`,
);

/** An object whose fields the sender's schema lists; fields it does not list are kept. */
export const record = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape);
