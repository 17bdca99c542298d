/** Small value helpers shared by the sender mappings. */

/** A trimmed non-empty string, or null: senders send '' and absent fields interchangeably. */
export function text(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	const result = String(value).trim();
	return result === '' ? null : result;
}

const DECIMAL_COMMA = /^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$/;

/**
 * A finite number from a number or a numeric string, else null. Accepts "123.00" and the
 * Brazilian/Portuguese "1.500,00" (thousands dot, decimal comma).
 */
export function amount(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string' || value.trim() === '') return null;
	let numeric = value.trim();
	if (DECIMAL_COMMA.test(numeric)) numeric = numeric.replace(/\./g, '').replace(',', '.');
	const parsed = Number(numeric);
	return Number.isFinite(parsed) ? parsed : null;
}
