/** Single values as senders write them: amounts, Unix times, labels. */
import { amount, normaliseLabel, unixTime } from '../../nodes/shared/values';

describe('amount()', () => {
	test.each([
		[123.45, 123.45],
		[0, 0],
		['123.00', 123],
		['123', 123],
		['-12,50', -12.5],
		['+7', 7],
		['1,234.56', 1234.56],
		['1.234,56', 1234.56],
		['1.234.567,89', 1234567.89],
		['1,234,567.89', 1234567.89],
		['R$ 1.234,56', 1234.56],
		['R$1.234,56', 1234.56],
		['-R$ 10,00', -10],
		['R$ -10,00', -10],
		['€ 99.90', 99.9],
		['99,90 €', 99.9],
		['1 234,56', 1234.56],
		['1\u00a0234,56', 1234.56],
		['1\u202f234.56', 1234.56],
		['EUR 1 234 567', 1234567],
		['  42.10  ', 42.1],
		// The written rule for the ambiguous form: one separator alone is the decimal separator.
		['1.234', 1.234],
		['1,234', 1.234],
		// The same separator repeated is grouping.
		['1.234.567', 1234567],
		['1,234,567', 1234567],
	])('%j is %p', (written, expected) => {
		expect(amount(written)).toBe(expected);
	});

	test.each([
		'0x1F',
		'1e3',
		'1E-2',
		'Infinity',
		'-Infinity',
		'NaN',
		'',
		'   ',
		'abc',
		'12 34',
		'1.2.3,4,5',
		'1,23,456.00',
		'1.234,567.8',
		'1 234.567,89',
		'--5',
		'5-',
		'1.',
		',5',
		'R$',
		Number.POSITIVE_INFINITY,
		Number.NaN,
		null,
		undefined,
		{},
		[1],
		true,
	])('%p is not an amount', (written) => {
		expect(amount(written)).toBeNull();
	});
});

describe('unixTime()', () => {
	test('seconds and milliseconds, as numbers or 10/13-digit strings, become the same ISO time', () => {
		const iso = '2025-06-02T13:15:07.000Z';
		const seconds = Date.parse(iso) / 1000;
		expect(unixTime(seconds)).toBe(iso);
		expect(unixTime(seconds * 1000)).toBe(iso);
		expect(unixTime(String(seconds))).toBe(iso);
		expect(unixTime(String(seconds * 1000))).toBe(iso);
	});

	test.each([
		'2025-06-02',
		'20250602',
		'12345',
		'x',
		Number.NaN,
		Number.POSITIVE_INFINITY,
		null,
		{},
	])('%p is not Unix time', (value) => {
		expect(unixTime(value)).toBeNull();
	});
});

describe('normaliseLabel()', () => {
	test.each([
		['Não enviado', 'nao enviado'],
		['  POR_ENVIAR ', 'por enviar'],
		['Crédito', 'credito'],
		['to-send', 'to send'],
	])('%j → %j', (label, expected) => {
		expect(normaliseLabel(label)).toBe(expected);
	});
});
