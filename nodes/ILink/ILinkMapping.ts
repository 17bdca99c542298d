import type { IDataObject } from 'n8n-workflow';

import { statusLookup } from '../shared/facts';
import type {
	BodyPath,
	DocumentFields,
	FileKind,
	FileSource,
	ParsedDocument,
	ParseResult,
} from '../shared/types';
import { amount, date, isObject, normaliseLabel, present, text } from '../shared/values';
import {
	ILINK_DIRECTIONS,
	ILINK_DOCUMENT_TYPES,
	ILINK_STATES,
	type ILinkStatus,
} from './ILinkFacts';
import { iLinkDocumentSchema, type ILinkDocument, type ILinkLabel } from './ILinkSchema';

export type ILinkEvent = 'document.received' | 'document.status_changed';

const stateOf = statusLookup(ILINK_STATES);
const documentTypeOf = statusLookup(ILINK_DOCUMENT_TYPES);
const directionOf = statusLookup(ILINK_DIRECTIONS);

/**
 * A field of a label. A label sent as a plain string ("Enviado", "Fatura") stands for its main
 * fields (alias or type, and description) only: codes are not guessed from it.
 */
function labelField(
	value: ILinkLabel | null | undefined,
	field: string,
	{ fromPlainString = true } = {},
): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value !== 'object') return fromPlainString ? text(value) : null;
	return text((value as IDataObject)[field]);
}

/** The first of a label's fields that a lookup knows, else the first that is present, as sent. */
function canonicalLabel<T extends string>(
	value: ILinkLabel | null | undefined,
	fields: string[],
	lookup: (label: string) => T | undefined,
): { known: T | undefined; sent: string | null } {
	const written = fields.map((field) => labelField(value, field)).filter((label) => label !== null);
	for (const label of written) {
		const known = lookup(label);
		if (known) return { known, sent: written[0] };
	}
	return { known: undefined, sent: written[0] ?? null };
}

/**
 * The documents in a body: iLink's API envelope `{ success, response: { data } }` is unwrapped
 * (its `data` may hold one document or a list); any other body is the document itself.
 */
function unwrapEnvelope(body: IDataObject): { documents: unknown[]; path: BodyPath } {
	// `response` sent as a list of one is that response, as any object the node expects.
	const wrapped = Array.isArray(body.response) && body.response.length === 1;
	const response = wrapped ? (body.response as unknown[])[0] : body.response;
	if (isObject(response) && 'data' in response) {
		const data = response.data;
		const documents = (Array.isArray(data) ? data : [data]).filter((entry) => entry !== null);
		return { documents, path: wrapped ? ['response', 0, 'data'] : ['response', 'data'] };
	}
	return { documents: [body], path: [] };
}

const MIME_KINDS: Array<[RegExp, FileKind]> = [
	[/^application\/pdf\b/, 'pdf'],
	[/[/+]xml\b/, 'xml'],
];

type Attachment = NonNullable<NonNullable<ILinkDocument['attachments']>[number]>;

/** PDF, XML or other, from the attachment's type, MIME type, UBL marker or file extension. */
function attachmentKind(attachment: Attachment, url: string): FileKind {
	const type = (text(attachment.type) ?? '').toLowerCase();
	if (type === 'pdf') return 'pdf';
	if (type === 'xml' || type === 'ubl' || type.startsWith('ubl ')) return 'xml';
	for (const mime of [type, attachment.mime_type, attachment.mimeType, attachment.content_type]) {
		const lower = (text(mime) ?? '').toLowerCase();
		for (const [pattern, kind] of MIME_KINDS) if (pattern.test(lower)) return kind;
	}
	if ((text(attachment.ubl_type) ?? '').toLowerCase() === 'ubl') return 'xml';
	const urlPath = url.split(/[?#]/)[0];
	for (const name of [attachment.filename, attachment.name, attachment.identifier, urlPath]) {
		const extension = /\.(pdf|xml)$/i.exec(text(name) ?? '')?.[1]?.toLowerCase();
		if (extension) return extension as FileKind;
	}
	return 'other';
}

function fileSources(document: ILinkDocument): FileSource[] {
	const sources: FileSource[] = [];
	for (const attachment of present(document.attachments)) {
		const url = text(attachment.file) ?? text(attachment.url);
		if (url) sources.push({ kind: attachmentKind(attachment, url), url });
	}
	return sources;
}

function reasonsOf(document: ILinkDocument): IDataObject[] {
	return present(document.reasons).map((entry) =>
		typeof entry === 'object'
			? { reason: text(entry.reason), createdAt: date(entry.created_at) }
			: { reason: text(entry), createdAt: null },
	);
}

function toParsedDocument(
	document: ILinkDocument,
	event: ILinkEvent,
	warnings: ParsedDocument['warnings'],
	path: BodyPath,
): ParsedDocument {
	const state = canonicalLabel(document.state_document, ['alias', 'description'], stateOf);
	// A new document may come without a state; a status change without one is still emitted
	// (only the id is required) as "other", with a warning.
	let status: ILinkStatus | null = state.known ?? (state.sent === null ? null : 'other');
	if (event === 'document.status_changed' && status === null) {
		status = 'other';
		warnings.push({
			path: [...path, 'state_document'].join('.'),
			message: 'The status change does not say the new state; status is "other"',
		});
	}
	// The short type iLink sends (FT, NC ...), or the code of a label written in its place
	// ("Nota de Crédito" is NC); a type nobody listed stays as sent.
	const type = canonicalLabel(
		document.type_document_fact,
		['type', 'alias', 'description'],
		documentTypeOf,
	);
	const direction = canonicalLabel(document.type_document, ['alias', 'description'], directionOf);
	const reasons = reasonsOf(document);
	const currency = text(
		typeof document.currency === 'object' ? document.currency?.code : document.currency,
	);
	const id = text(document.id);
	const documentNumber = text(document.number);
	// The schema makes sure there is one or the other.
	const documentId = (id ?? documentNumber) as string;
	if (id === null) {
		// Replaces the schema's own warning on the id, if any: this one says what was done instead.
		const idPath = [...path, 'id'].join('.');
		const unusable = warnings.findIndex((warning) => warning.path === idPath);
		const message = 'No usable id; documentId is the document number';
		if (unusable >= 0) warnings.splice(unusable, 1, { path: idPath, message });
		else warnings.push({ path: idPath, message });
	}

	// A document can be rejected, corrected and rejected again: the number of reasons and the
	// latest one tell two rejections apart, while a retry of one delivery carries the same.
	// Keys use normalised values, so "Aceite" and "accepted", or " 123" and "123", are one event.
	const latest = reasons[reasons.length - 1];
	const latestReason = latest
		? `${reasons.length}:${latest.createdAt ?? ''}:${normaliseLabel(String(latest.reason ?? ''))}`
		: '';
	const stateKey = status === 'other' ? `other:${normaliseLabel(state.sent ?? '')}` : status;
	const issuerTaxId = text(document.supplier?.number);
	// An id is iLink's own and unique; a number alone is unique only per issuer ("FT 2025/1" of
	// two suppliers are two documents).
	const identity = id ?? `${issuerTaxId ?? ''}:${documentNumber}`;
	const keyOf = (documentIdentity: string) =>
		event === 'document.received'
			? `ilink:received:${documentIdentity}`
			: `ilink:status:${documentIdentity}:${stateKey}:${latestReason}`;
	// 0.1.x keyed a document without id by its number alone.
	const keys = { key: keyOf(identity), legacyKeys: id === null ? [keyOf(documentId)] : [] };

	return {
		fields: {
			documentId,
			documentNumber,
			documentType: type.known ?? type.sent,
			status,
			statusCode: state.sent,
			statusDescription: labelField(document.state_document, 'description'),
			issuer: { taxId: issuerTaxId, name: text(document.supplier?.name) },
			recipient: { taxId: text(document.customer?.number), name: text(document.customer?.name) },
			issueDate: date(document.emission_date),
			totalAmount:
				amount(document.amounts?.payable_amount) ?? amount(document.amounts?.total_amount),
			currency,
			// iLink's own extras
			documentTypeCode: labelField(document.type_document_fact, 'code', { fromPlainString: false }),
			direction: direction.known ?? direction.sent,
			ediStatus:
				labelField(document.state_edi_document, 'alias_espap', { fromPlainString: false }) ??
				labelField(document.state_edi_document, 'alias'),
			atcud: text(document.atcud),
			dueDate: date(document.due_date),
			reasons,
		} satisfies DocumentFields,
		files: fileSources(document),
		keys,
		warnings,
	};
}

/** Validates an iLink delivery and maps each document in it, one by one. */
export function parseILinkDelivery(body: IDataObject, event: ILinkEvent): ParseResult {
	const { documents, path } = unwrapEnvelope(body);
	const result: ParseResult = { documents: [], invalid: [] };
	for (const [index, candidate] of documents.entries()) {
		const documentPath = documents.length > 1 ? [...path, index] : path;
		const parsed = iLinkDocumentSchema.parse(candidate, documentPath);
		if (parsed.success) {
			result.documents.push(toParsedDocument(parsed.data, event, parsed.warnings, documentPath));
		} else {
			result.invalid.push(parsed.issues);
		}
	}
	if (documents.length === 0) {
		result.invalid.push([{ path: path.join('.'), message: 'No document in the delivery' }]);
	}
	return result;
}
