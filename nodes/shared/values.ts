/**
 * Reading single values the way senders really write them: numbers as strings and strings as
 * numbers, amounts with either decimal separator, dates as Unix time. Each reader answers null
 * for what it cannot read without guessing; the zod field types in `fields.ts` build on them.
 * And one test every reader of raw JSON shares: what is an object.
 */
import type { IDataObject } from 'n8n-workflow';

/** A JSON object: not null, not a list. */
export const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A trimmed non-empty string from a string, number or boolean, or null: senders send '' and
 * absent fields interchangeably. An object or list is no text (and `String()` of one can throw:
 * `{"toString": 0}`).
 */
export function text(value: unknown): string | null {
	if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
		return null;
	const result = String(value).trim();
	return result === '' ? null : result;
}

/** Lower case, accents removed, runs of spaces, `_` and `-` as one space: "Não_Enviado" → "nao enviado". */
export function normaliseLabel(label: string): string {
	return label
		.normalize('NFD')
		.replace(/\p{M}+/gu, '')
		.toLowerCase()
		.replace(/[\s_-]+/g, ' ')
		.trim();
}

const CURRENCY_MARK = /^(?:R\$|€|\$|£|EUR|BRL|USD)\s*|\s*(?:R\$|€|\$|£|EUR|BRL|USD)$/i;
/** Any space a formatter puts between digit groups (space, no-break and narrow no-break space). */
const GROUP_SPACES = /[ \u00A0\u202F]+/g;
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;
const GROUPED = /^\d{1,3}(?:([ .,])\d{3})*$/;

/** Digits grouped in threes with one separator throughout, or plain digits; the separator. */
function groupedDigits(part: string, separator: string): boolean {
	if (/^\d+$/.test(part)) return true;
	return (
		GROUPED.test(part) &&
		part
			.replace(/\d/g, '')
			.split('')
			.every((c) => c === separator)
	);
}

/**
 * A finite number from a number or an amount written as text, else null. Accepted: an optional
 * sign, an optional currency mark (R$, €, $, £, EUR, BRL, USD), digits grouped in threes by
 * spaces, dots or commas, and a decimal point or comma: "123.00", "1,234.56", "1.234,56",
 * "R$ 1.234,56", "1 234,56". Where both a dot and a comma appear, the last one is the decimal
 * separator. A single dot or comma, alone, is always the decimal separator ("1.234" and "1,234"
 * are both 1.234); the same one repeated is grouping ("1.234.567" is 1234567). Never hexadecimal,
 * exponents, Infinity or NaN.
 */
export function amount(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string') return null;
	let written = value.trim();
	if (PLAIN_NUMBER.test(written)) return Number(written); // the common case, quickly
	let sign = '';
	if (/^[-+]/.test(written)) [sign, written] = [written[0], written.slice(1).trim()];
	written = written.replace(CURRENCY_MARK, '').trim();
	if (!sign && /^[-+]/.test(written)) [sign, written] = [written[0], written.slice(1).trim()];
	written = written.replace(GROUP_SPACES, ' ');
	if (!/^\d[\d ., ]*$/.test(written) || !/\d$/.test(written)) return null;

	const lastDot = written.lastIndexOf('.');
	const lastComma = written.lastIndexOf(',');
	let decimalAt = Math.max(lastDot, lastComma);
	if (lastDot < 0 || lastComma < 0) {
		// One kind of mark (or none): alone it is the decimal separator, repeated it is grouping.
		const mark = lastDot >= 0 ? '.' : ',';
		if (decimalAt >= 0 && written.indexOf(mark) !== decimalAt) decimalAt = -1;
	}
	const whole = decimalAt < 0 ? written : written.slice(0, decimalAt);
	const fraction = decimalAt < 0 ? '' : written.slice(decimalAt + 1);
	if (!/^\d+$/.test(fraction || '0')) return null;
	const groupSeparator = whole.replace(/\d/g, '')[0] ?? '';
	if (!groupedDigits(whole, groupSeparator)) return null;
	const parsed = Number(`${sign === '-' ? '-' : ''}${whole.replace(/\D/g, '')}.${fraction || '0'}`);
	return Number.isFinite(parsed) ? parsed : null;
}

/** Unix time below this many units is taken as seconds, above as milliseconds (year 5138). */
const SECONDS_LIMIT = 1e11;

/**
 * An ISO time from Unix seconds or milliseconds, given as a number or as a string of 10 or 13
 * digits; null for anything else.
 */
export function unixTime(value: unknown): string | null {
	let numeric: number;
	if (typeof value === 'number') numeric = value;
	else if (typeof value === 'string' && /^\s*(\d{10}|\d{13})\s*$/.test(value))
		numeric = Number(value);
	else return null;
	if (!Number.isFinite(numeric)) return null;
	const time = new Date(Math.abs(numeric) < SECONDS_LIMIT ? numeric * 1000 : numeric);
	return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** A code as a number when it is one ("2", 2), else as trimmed text; null when absent. */
export function code(value: unknown): number | string | null {
	if (typeof value === 'number') return value;
	const written = text(value);
	return written !== null && /^\d+$/.test(written) ? Number(written) : written;
}

/** A date or time as sent, or Unix seconds or milliseconds as an ISO time; null when absent. */
export function date(value: unknown): string | null {
	return unixTime(value) ?? (typeof value === 'string' ? text(value) : null);
}

/** The entries of a list the schema kept, without the nulls it left for entries that did not fit. */
export function present<T>(list: Array<T | null> | null | undefined): T[] {
	return (list ?? []).filter((entry): entry is T => entry !== null);
}
