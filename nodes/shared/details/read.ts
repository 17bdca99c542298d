/**
 * Reading single values out of a document's XML for `details`: decimals strictly as XML writes
 * them (a bad one is null with a warning), and the small pieces both mappers share.
 */
import type { XmlElement } from '../xml';
import { text } from '../xml';
import type { DetailAddress, DetailsWarning } from './types';

/** An `xs:decimal` as written: optional sign, digits, optional fraction; no exponent, no comma. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Collects the warnings of one document's reading. */
export class DetailsReader {
	readonly warnings: DetailsWarning[] = [];

	/**
	 * The number at `path` below `element` (local names), or null: absent or empty is null, text
	 * that is not a plain decimal is null with a warning naming the item field (`field`).
	 */
	decimal(element: XmlElement | null, field: string, ...path: string[]): number | null {
		return this.number(text(element, ...path), field, path.join('/'));
	}

	/** The number in `raw` (see {@link decimal}); `source` names the element in the warning. */
	number(raw: string | null, field: string, source: string): number | null {
		if (raw === null) return null;
		if (!DECIMAL.test(raw)) {
			this.warn(field, `${source} "${clip(raw)}" is not a decimal number`);
			return null;
		}
		const value = Number(raw);
		if (!Number.isFinite(value)) {
			this.warn(field, `${source} "${clip(raw)}" is out of range`);
			return null;
		}
		return value === 0 ? 0 : value;
	}

	warn(path: string, message: string): void {
		this.warnings.push({ path, message });
	}
}

const clip = (raw: string) => (raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);

/** Rounds away binary noise from a derived value (a division, a sum of rates): 6 decimals. */
export function tidy(value: number): number {
	const rounded = Math.round(value * 1e6) / 1e6;
	return rounded === 0 ? 0 : rounded;
}

/** The sum of the values that are present, or null when none is. */
export function sumPresent(...values: Array<number | null>): number | null {
	let total: number | null = null;
	for (const value of values) if (value !== null) total = (total ?? 0) + value;
	return total === null ? null : tidy(total);
}

/**
 * The text at `path` below `element` with runs of whitespace as one space (names and addresses
 * wrapped over several lines in the XML), or null when missing or empty.
 */
export function token(element: XmlElement | null, ...path: string[]): string | null {
	const value = text(element, ...path);
	return value === null ? null : value.replace(/\s+/g, ' ');
}

/** The non-empty parts joined by ", ", or null. */
export function joinParts(...parts: Array<string | null>): string | null {
	const present = parts.filter((part): part is string => part !== null && part !== '');
	return present.length ? present.join(', ') : null;
}

/** An address whose every field is null. */
export function emptyAddress(): DetailAddress {
	return { street: null, city: null, postalCode: null, region: null, country: null };
}
