/**
 * Reading single values the way senders really write them: numbers as strings and strings as
 * numbers, amounts with either decimal separator, dates as Unix time or yyyymmdd, a list of one
 * where one value is expected. Each reader answers null for what it cannot read without
 * guessing; the zod field types in `fields.ts` build on them. And the tests every reader of raw
 * JSON shares: what is an object, which key a name is in any letter case, how to quote a value.
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

/**
 * The one value a list stands for where one value is expected: its first entry that is not null.
 * `others` counts the entries left unread (a list of one leaves none). Any other value is itself.
 */
export function firstOfList(value: unknown): { value: unknown; others: number } {
	if (!Array.isArray(value)) return { value, others: 0 };
	const present = value.filter((entry) => entry !== null && entry !== undefined);
	return { value: present[0], others: Math.max(present.length - 1, 0) };
}

/** The key of `object` that spells `name` in any letter case ("Documento" for "documento"), if any. */
export function keyInAnyCase(object: IDataObject, name: string): string | undefined {
	if (name in object) return name;
	const lower = name.toLowerCase();
	return Object.keys(object).find((key) => key.toLowerCase() === lower);
}

/** How much of a value a warning quotes: enough to recognise it, never a whole file. */
const EXCERPT_LENGTH = 40;

/**
 * A short quotation of any value for a warning: text and numbers as JSON, cut to a few dozen
 * characters; a list or object only by its kind. Never walks into the value, so a value nested
 * thousands of levels deep or a 200 KB string costs the same as a short one.
 */
export function excerpt(value: unknown): string {
	if (Array.isArray(value)) return `a list of ${value.length} entries`;
	if (value === null) return 'null';
	if (typeof value === 'object') return 'an object';
	if (typeof value !== 'string') return String(value);
	const cut = value.length > EXCERPT_LENGTH ? `${value.slice(0, EXCERPT_LENGTH)}…` : value;
	return JSON.stringify(cut);
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

/**
 * The words of a label, as `normaliseLabel` writes them, with punctuation read as a space:
 * "Aceite pelo cliente." → ["aceite", "pelo", "cliente"].
 */
export function labelWords(label: string): string[] {
	return normaliseLabel(label)
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim()
		.split(' ')
		.filter((word) => word !== '');
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

/** Digits that are a compact date, yyyymmdd, or time, yyyymmddhhmmss: never Unix time. */
const COMPACT_TIME = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?$/;

/**
 * An ISO date ("2025-06-02") or local time ("2025-06-02T13:45:00") from a number or string of 8
 * or 14 digits shaped like yyyymmdd[hhmmss]; null when those digits are no calendar date;
 * undefined when the value is not so shaped at all. Eight-digit Unix seconds would be 1970 to
 * 1973, a date no document carries, so an 8-digit number is read as a date.
 */
export function compactDate(value: unknown): string | null | undefined {
	const digits =
		typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : '') : text(value);
	const match = digits ? COMPACT_TIME.exec(digits) : null;
	if (!match) return undefined;
	const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
	const parts = [year, month, day, hour, minute, second].map(Number);
	const time = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]));
	const fields = [
		time.getUTCFullYear(),
		time.getUTCMonth() + 1,
		time.getUTCDate(),
		time.getUTCHours(),
		time.getUTCMinutes(),
		time.getUTCSeconds(),
	];
	// Date.UTC rolls 2025-02-30 over to March: a value that changed was no calendar date.
	if (parts[0] < 1000 || fields.some((field, index) => field !== parts[index])) return null;
	const date = `${year}-${month}-${day}`;
	return match[4] === undefined ? date : `${date}T${hour}:${minute}:${second}`;
}

/**
 * The year 0000 or 0001 ("0001-01-01T00:00:00", "0000-00-00"): the "no date" that .NET and
 * SQL back ends write into an empty date field.
 */
const EMPTY_DATE = /^000[01]-/;

/** A local time without a zone ("2025-06-02T13:00:00", "2025-06-02 13:00"), to which a zone can be added. */
const TIME_WITHOUT_ZONE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)$/;

/**
 * A UTC offset as ISO writes it ("-03:00") from the ways senders write one: "-03:00", "-0300",
 * "-3", "UTC-3", "GMT+01:00"; "Z" or "UTC" alone is "Z". Null for anything else.
 */
export function utcOffset(value: unknown): string | null {
	const written = text(value);
	if (written === null) return null;
	if (/^(?:z|utc|gmt)$/i.test(written)) return 'Z';
	const match = /^(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(written);
	if (!match || Number(match[2]) > 14 || Number(match[3] ?? 0) > 59) return null;
	return `${match[1]}${match[2].padStart(2, '0')}:${match[3] ?? '00'}`;
}

/**
 * A date or time as sent, or read into ISO: Unix seconds or milliseconds as an ISO time, digits
 * shaped like yyyymmdd[hhmmss] as an ISO date or time; a local time without a zone gets `zone`
 * (an offset from `utcOffset`) when the sender says which zone its times are in. The empty date
 * (year 0000 or 0001) and anything that is no date are null.
 */
export function date(value: unknown, zone: string | null = null): string | null {
	const compact = compactDate(value);
	const read = compact !== undefined ? compact : (unixTime(value) ?? textDate(value));
	if (read === null || zone === null) return read;
	const local = TIME_WITHOUT_ZONE.exec(read);
	return local ? `${local[1]}T${local[2]}${zone}` : read;
}

/** A date written as text, as sent; the empty date is null. */
function textDate(value: unknown): string | null {
	const written = typeof value === 'string' ? text(value) : null;
	return written === null || EMPTY_DATE.test(written) ? null : written;
}

/** A code as a number when it is one ("2", 2), else as trimmed text; null when absent. */
export function code(value: unknown): number | string | null {
	if (typeof value === 'number') return value;
	const written = text(value);
	return written !== null && /^\d+$/.test(written) ? Number(written) : written;
}

/** The entries of a list the schema kept, without the nulls it left for entries that did not fit. */
export function present<T>(list: Array<T | null> | null | undefined): T[] {
	return (list ?? []).filter((entry): entry is T => entry !== null);
}
