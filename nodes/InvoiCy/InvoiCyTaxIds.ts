import { text } from '../shared/values';
import { TAX_ID_DIGITS } from './InvoiCyFacts';

/** Mod-11 check digit of `digits`, weights 2, 3 ... from the right, back to 2 after `maxWeight`. */
function checkDigit(digits: string, maxWeight: number): number {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		sum += Number(digits[digits.length - 1 - i]) * (2 + (i % (maxWeight - 1)));
	}
	const rest = sum % 11;
	return rest < 2 ? 0 : 11 - rest;
}

/** Whether the last two digits are the check digits: a CNPJ's weights go 2 to 9, a CPF's on up. */
function hasCheckDigits(digits: string, maxWeight: number): boolean {
	const first = checkDigit(digits.slice(0, -2), maxWeight);
	const second = checkDigit(digits.slice(0, -1), maxWeight);
	return digits.endsWith(`${first}${second}`);
}

const isCnpj = (digits: string) => hasCheckDigits(digits, 9);
const isCpf = (digits: string) => hasCheckDigits(digits, Infinity);

/**
 * A CNPJ or CPF as text. Sent as a JSON number it has lost its leading zeros: 12 to 14 digits
 * are a CNPJ, padded to 14; fewer are a CPF padded to 11, unless only the 14-digit form has a
 * CNPJ's check digits. Text is kept as sent.
 */
export function taxIdOf(value: unknown): string | null {
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return text(value);
	const digits = String(value);
	if (digits.length > TAX_ID_DIGITS.cnpj) return digits;
	const asCnpj = digits.padStart(TAX_ID_DIGITS.cnpj, '0');
	if (digits.length > TAX_ID_DIGITS.cpf) return asCnpj;
	const asCpf = digits.padStart(TAX_ID_DIGITS.cpf, '0');
	return !isCpf(asCpf) && isCnpj(asCnpj) ? asCnpj : asCpf;
}
