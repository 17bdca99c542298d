/**
 * Property: a delivery that carries what identifies a document, with arbitrary junk in every
 * optional field (and extra fields), comes out as one item on the main output: never Invalid,
 * never a 422, never a crash. Junk that cannot be read is null and listed in `warnings`.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { send, type NodeKind } from '../helpers/unit';
import { iLinkDocumentSchema } from '../../nodes/ILink/ILinkSchema';
import { invoiCyDocumentSchema } from '../../nodes/InvoiCy/InvoiCySchema';

const RUNS = { numRuns: 300 };

/** Anything JSON can carry, nested a little. */
const junk = fc.jsonValue({ maxDepth: 3 }).map((value) => value as unknown);

/** A value for each of the given fields, or the field left out. */
const junkFields = (fields: string[]) =>
	fc.record(Object.fromEntries(fields.map((field) => [field, junk])), { requiredKeys: [] });

/** Extra fields the schema does not know, at the document's level. */
const extraFields = fc.dictionary(
	fc
		.string({ minLength: 1, maxLength: 12 })
		.filter((key) => !/^(response|documento|Documento|Documentos)$/.test(key)),
	junk,
	{ maxKeys: 4 },
);

const identifier = fc.oneof(
	fc.string({ minLength: 1, maxLength: 40 }).filter((id) => id.trim() !== ''),
	fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
);

/** Every declared field but those that identify the document, which the property sets itself. */
const ILINK_OPTIONAL = iLinkDocumentSchema.fieldNames.filter((name) => name !== 'id');
const INVOICY_OPTIONAL = invoiCyDocumentSchema.fieldNames.filter(
	(name) => !['DocNumero', 'DocStatus', 'DocSitCodigo'].includes(name),
);

const status = fc.oneof(
	fc.integer({ min: 0, max: 9999 }),
	fc.integer({ min: 0, max: 999 }).map(String),
);

async function expectMainOutput(kind: NodeKind, body: IDataObject, documentId: string) {
	for (const invalidPayload of ['invalidOutput', 'reject']) {
		const result = await send(kind, body, { options: { invalidPayload } });
		expect(result.status).toBe(200);
		expect(result.started).toBe(true);
		expect(result.outputs[1]).toHaveLength(0);
		expect(result.outputs[0]).toHaveLength(1);
		const json = result.outputs[0][0].json;
		expect(json.documentId).toBe(documentId);
		for (const warning of (json.warnings as IDataObject[] | undefined) ?? []) {
			expect(typeof warning.path).toBe('string');
			expect(typeof warning.message).toBe('string');
		}
	}
}

describe('any junk in the optional fields never costs the document', () => {
	test.each(['iLinkNewDocument', 'iLinkStatusChange'] as const)('%s', async (kind) => {
		await fc.assert(
			fc.asyncProperty(
				identifier,
				junkFields(ILINK_OPTIONAL),
				extraFields,
				async (id, fields, extras) => {
					const body = { ...extras, ...fields, id };
					await expectMainOutput(kind, body, String(id).trim());
				},
			),
			RUNS,
		);
	});

	test('invoiCyNfse', async () => {
		await fc.assert(
			fc.asyncProperty(
				identifier,
				status,
				junkFields(INVOICY_OPTIONAL),
				extraFields,
				async (number, docStatus, fields, extras) => {
					const document = { ...extras, ...fields, DocNumero: number, DocStatus: docStatus };
					const parsed = await send('invoiCyNfse', { documento: document });
					expect(parsed.outputs[0]).toHaveLength(1);
					// Which id source wins depends on which junk was readable: take the item's word
					// for it, then check the same delivery under both Invalid-payload settings.
					const documentId = parsed.outputs[0][0].json.documentId as string;
					expect(typeof documentId).toBe('string');
					expect(documentId).not.toMatch(/e\+\d+$/);
					await expectMainOutput('invoiCyNfse', { documento: document }, documentId);
				},
			),
			RUNS,
		);
	});
});
