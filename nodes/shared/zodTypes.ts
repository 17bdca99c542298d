import { z } from 'zod/v4';

/**
 * Tolerant building blocks for the sender schemas. They coerce with z.preprocess rather than
 * z.union: a union tries its branches in turn and builds an issue for every branch that does
 * not match, which costs more than the rest of a small delivery's validation.
 */

/** '' and null mean "not sent". */
export const absent = (value: unknown) => (value === '' || value === null ? undefined : value);

/** A string or a number, kept as a string. */
export const stringish = z.preprocess(
	(value) => (typeof value === 'number' ? String(value) : value),
	z.string(),
);

/** A numeric code sent as a number or a numeric string; any other string is kept as sent. */
export const numericCode = z.preprocess(
	(value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
	z.union([z.number(), z.string()]),
);

/** An amount as a number or a string ("123.00", "1.500,00"), read later by `amount()`. */
export const amountish = z.union([z.number(), z.string()]);
