import { z } from 'zod/v4';

import {
	amountField,
	dateField,
	identifierField,
	oneOf,
	record,
	textField,
	tolerantSchema,
	type FieldKit,
	type Identify,
} from '../shared/fields';
import { text } from '../shared/values';

/**
 * What an iLink webhook delivers. The exact schema lives only in iLink's Swagger, so this follows
 * the document object of `GET /apps/documents/{id}`. Only `id` is required (else the document
 * number); every other field is optional and tolerant (see shared/fields.ts), unknown fields
 * pass, and the labelled fields (`state_document`, `type_document_fact` ...) may be objects or
 * plain strings.
 */
function describeDocument({ optional, list }: FieldKit) {
	const label = oneOf(
		record({
			id: optional(textField),
			code: optional(textField),
			alias: optional(textField),
			alias_espap: optional(textField),
			type: optional(textField),
			description: optional(textField),
		}),
		textField, // a plain label: "Enviado", "Fatura"
	);
	const party = record({ number: optional(textField), name: optional(textField) });
	const attachment = record({
		type: optional(textField),
		mime_type: optional(textField),
		mimeType: optional(textField),
		content_type: optional(textField),
		ubl_type: optional(textField),
		file: optional(textField),
		url: optional(textField),
		identifier: optional(textField),
		name: optional(textField),
		filename: optional(textField),
	});
	const reason = oneOf(
		record({ reason: optional(textField), created_at: optional(dateField) }),
		textField,
	);

	return record({
		// A number too large to be exact, or an object, falls back to the document number.
		id: optional(identifierField),
		number: optional(identifierField),
		atcud: optional(textField),
		emission_date: optional(dateField),
		due_date: optional(dateField),
		type_document_fact: optional(label),
		type_document: optional(label),
		state_document: optional(label),
		state_edi_document: optional(label),
		currency: optional(oneOf(record({ code: optional(textField) }), textField)),
		supplier: optional(party),
		customer: optional(party),
		amounts: optional(
			record({ payable_amount: optional(amountField), total_amount: optional(amountField) }),
		),
		attachments: list(attachment),
		reasons: list(reason),
	});
}

/** Only the id is required, or else the document number. */
const identify: Identify<ILinkDocument> = (document) =>
	text(document.id) === null && text(document.number) === null
		? [{ field: 'id', message: 'The document has no id (nor a document number to fall back on)' }]
		: [];

export const iLinkDocumentSchema = tolerantSchema(describeDocument, identify);

export type ILinkDocument = z.output<ReturnType<typeof describeDocument>>;
export type ILinkLabel = NonNullable<ILinkDocument['state_document']>;
