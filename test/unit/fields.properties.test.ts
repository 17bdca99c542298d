/**
 * The plain-predicate reading of the schemas (shared/fields.ts) against zod's. A document it
 * takes as it came must be one the strict zod schema accepts, with an output equal to the
 * document itself; and the documents senders usually send (our samples) must take that path,
 * or every delivery pays for zod again.
 */
import fc from 'fast-check';

import { iLinkDocumentSchema } from '../../nodes/ILink/ILinkSchema';
import { invoiCyDocumentSchema, invoiCyNoticeSchema } from '../../nodes/InvoiCy/InvoiCySchema';
import type { TolerantSchema } from '../../nodes/shared/fields';
import { sample } from '../helpers/fixtures';

const RUNS = { numRuns: 1000 };

const junk = fc.jsonValue({ maxDepth: 3 }).map((value) => value as unknown);

/** Values near a field's type boundaries, beside arbitrary JSON. */
const fieldValue = fc.oneof(
	junk,
	fc.constantFrom('', ' ', '1,5', '1e3', '0x1F', 'Infinity', null, 2 ** 60, -0, 1.5),
	fc.array(fc.oneof(junk, fc.constant(null)), { maxLength: 3 }),
	fc.dictionary(fc.constantFrom('code', 'alias', 'reason', 'name', 'number', 'x'), junk),
);

/**
 * A sample document with a few of its declared fields (or of their nested fields) replaced: most
 * stay as they were, so both answers of the predicate come up often.
 */
function variants(document: Record<string, unknown>, fieldNames: readonly string[]) {
	return (
		fc
			.array(
				fc.tuple(
					fc.constantFrom(...fieldNames),
					fc.option(fc.string({ maxLength: 12 })),
					fieldValue,
				),
				{
					maxLength: 3,
				},
			)
			.map((changes) => {
				const variant: Record<string, unknown> = structuredClone(document);
				for (const [field, nested, value] of changes) {
					const current = variant[field];
					if (
						nested !== null &&
						typeof current === 'object' &&
						current !== null &&
						!Array.isArray(current)
					)
						variant[field] = { ...current, [nested]: value };
					else variant[field] = value;
				}
				return variant;
			})
			// zod makes a "__proto__" key the prototype of its output; the predicate keeps it as the
			// plain key JSON.parse made. No field we read is named so: leave such keys out.
			.filter((variant) => !JSON.stringify(variant).includes('"__proto__"'))
	);
}

function expectSameAsZod(schema: TolerantSchema<unknown>, document: Record<string, unknown>) {
	let takenAsSent = 0;
	fc.assert(
		fc.property(variants(document, schema.fieldNames), (variant) => {
			if (!schema.acceptsAsSent(variant)) return;
			takenAsSent++;
			const zod = schema.strict.safeParse(variant);
			expect(zod.success).toBe(true);
			expect(zod.data).toEqual(variant);
			expect(schema.parse(variant, [])).toEqual({ success: true, data: variant, warnings: [] });
		}),
		RUNS,
	);
	// Not a vacuous property: a good share of the variants went down the predicate's path.
	expect(takenAsSent).toBeGreaterThan(RUNS.numRuns / 10);
}

const iLinkDocuments = {
	'new document': sample('ilink-new-document'),
	accepted: sample('ilink-status-change-accepted'),
	rejected: sample('ilink-status-change-rejected'),
	sent: sample('ilink-status-change-sent'),
};
const invoiCyDocuments = {
	authorized: sample('invoicy-nfse-authorized').documento,
	cancelled: sample('invoicy-nfse-cancelled').documento,
	rejected: sample('invoicy-nfse-rejected').documento,
};

describe('a document taken as it came is one zod accepts, unchanged', () => {
	test.each(Object.entries(iLinkDocuments))('iLink %s', (_, document) => {
		expectSameAsZod(iLinkDocumentSchema, document);
	});
	test.each(Object.entries(invoiCyDocuments))('InvoiCy %s', (_, document) => {
		expectSameAsZod(invoiCyDocumentSchema, document);
	});
	test('InvoiCy notice', () => {
		expectSameAsZod(invoiCyNoticeSchema, { TipoNotificacao: 14, CNPJ: '12345678000199' });
	});
});

describe('the samples take the plain path', () => {
	test.each(Object.entries(iLinkDocuments))('iLink %s', (_, document) => {
		expect(iLinkDocumentSchema.acceptsAsSent(document)).toBe(true);
	});
	test.each(Object.entries(invoiCyDocuments))('InvoiCy %s', (_, document) => {
		expect(invoiCyDocumentSchema.acceptsAsSent(document)).toBe(true);
	});
});

describe('what the predicate leaves to zod', () => {
	const document = iLinkDocuments['new document'];
	test.each([
		['one attachment sent as an object', { attachments: { type: 'pdf', file: 'https://x/a.pdf' } }],
		['reasons sent as ""', { reasons: '' }],
		['a number too large to be exact as the id', { id: 2 ** 60 }],
		['no id nor number', { id: null, number: undefined }],
		['a list as the document', null],
	])('%s', (_, change) => {
		const variant = change === null ? [document] : { ...document, ...change };
		expect(iLinkDocumentSchema.acceptsAsSent(variant)).toBe(false);
	});
	test('a list that had to be made from one value comes out as zod makes it', () => {
		const attachment = { type: 'pdf', file: 'https://x/a.pdf' };
		const parsed = iLinkDocumentSchema.parse({ ...document, attachments: attachment }, []);
		expect(parsed).toMatchObject({ success: true, data: { attachments: [attachment] } });
	});
});
