import { z } from 'zod/v4';

import type { PayloadIssue } from './types';
import { amount, text, unixTime } from './values';
import { toPayloadIssues } from './zodIssues';

/**
 * Tolerant payload schemas. Only what identifies a document is required; every other field is
 * coerced where its meaning is clear and otherwise becomes null with a warning, never a reason
 * to reject the document.
 *
 * Each sender writes its schema once, as a function of a `FieldKit`, and gets two schemas from
 * it: a tolerant one, where a field that does not fit falls back to null (an entry of a list is
 * dropped), and a strict one, the same without the fallbacks. Every delivery is parsed with the
 * tolerant schema; only when a fallback was taken is the strict one run as well, for its issues:
 * they are the warnings, with zod's paths and messages.
 */
export interface FieldKit {
	/** An optional field: absent, null and '' are null; a value that does not fit falls back to null. */
	optional<T extends z.ZodType>(schema: T): z.ZodType<z.output<T> | null>;
	/** An optional list: one value is a list of one, null entries are dropped, an entry that does not fit is dropped. */
	list<T extends z.ZodType>(item: T): z.ZodType<Array<z.output<T>> | null>;
}

/** Fallbacks taken during the current parse (parses are synchronous, so one counter serves). */
let fallbacks = 0;
const DROPPED = Symbol('dropped');

const absentToNull = (value: unknown) => (value === undefined || value === '' ? null : value);
const asList = (value: unknown) =>
	value === null || value === undefined || value === ''
		? null
		: (Array.isArray(value) ? value : [value]).filter((entry) => entry !== null);

const tolerantKit: FieldKit = {
	optional: (schema) =>
		z.preprocess(absentToNull, schema.nullable()).catch(() => {
			fallbacks++;
			return null;
		}),
	list: <T extends z.ZodType>(item: T) =>
		z.preprocess(
			asList,
			z
				.array(
					item.catch(() => {
						fallbacks++;
						return DROPPED as z.output<T>;
					}),
				)
				.transform((entries) => entries.filter((entry) => entry !== DROPPED))
				.nullable(),
		) as z.ZodType<Array<z.output<T>> | null>,
};

const strictKit: FieldKit = {
	optional: (schema) => z.preprocess(absentToNull, schema.nullable()),
	list: <T extends z.ZodType>(item: T) =>
		z.preprocess(asList, z.array(item).nullable()) as z.ZodType<Array<z.output<T>> | null>,
};

export type TolerantResult<T> =
	| { success: true; data: T; warnings: PayloadIssue[] }
	| { success: false; issues: PayloadIssue[] };

export interface TolerantSchema<T> {
	parse(value: unknown, path: Array<string | number>): TolerantResult<T>;
}

/** Builds the tolerant and strict schemas from one description. */
export function tolerantSchema<S extends z.ZodType>(
	describe: (kit: FieldKit) => S,
): TolerantSchema<z.output<S>> {
	const tolerant = describe(tolerantKit);
	const strict = describe(strictKit);
	return {
		parse(value, path) {
			fallbacks = 0;
			const result = tolerant.safeParse(value);
			if (!result.success) return { success: false, issues: toPayloadIssues(result.error, path) };
			if (fallbacks === 0) return { success: true, data: result.data, warnings: [] };
			const check = strict.safeParse(value);
			const warnings = check.success
				? []
				: toPayloadIssues(check.error, path).map((issue) => ({
						path: issue.path,
						message: `${issue.message}; ignored`,
					}));
			return { success: true, data: result.data, warnings };
		},
	};
}

/** Text from a string, number or boolean, trimmed; '' is null. */
export const textField = z.preprocess(
	(value) => (typeof value === 'number' || typeof value === 'boolean' ? text(value) : value),
	z
		.string()
		.transform((value) => text(value))
		.nullable(),
);

/**
 * An identifier or number that must stay exact: a string, or a number that is a safe integer.
 * A larger number has already lost digits in JSON parsing (a 44-digit access key becomes
 * 3.527e+43), so it is refused rather than turned into a wrong id.
 */
export const identifierField = z.unknown().transform((value, context) => {
	if (typeof value === 'string') return text(value);
	if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	context.addIssue({
		code: 'custom',
		message:
			typeof value === 'number'
				? `A number too large to be exact (${value}); identifiers must be sent as strings`
				: `Expected a string or a whole number, received ${Array.isArray(value) ? 'array' : typeof value}`,
	});
	return z.NEVER;
});

/** A numeric code sent as a number or a numeric string; any other string is kept as sent. */
export const codeField = z.preprocess(
	(value) =>
		typeof value !== 'string' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : text(value),
	z.union([z.number(), z.string()]),
);

/** An amount as a number or text in any of the forms `amount()` reads. */
export const amountField = z.union([z.number(), z.string()]).transform((value, context) => {
	const parsed = amount(value);
	if (parsed === null) {
		context.addIssue({ code: 'custom', message: `Not an amount: ${JSON.stringify(value)}` });
		return z.NEVER;
	}
	return parsed;
});

/** A date or time: text as sent, or Unix seconds or milliseconds as an ISO time. */
export const dateField = z.union([z.string(), z.number()]).transform((value, context) => {
	const fromUnix = unixTime(value);
	if (fromUnix) return fromUnix;
	if (typeof value === 'string') return text(value);
	context.addIssue({ code: 'custom', message: `Not a date: ${value}` });
	return z.NEVER;
});

/** An object whose fields the sender's schema lists; fields it does not list are kept. */
export const record = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape);
