import type { IDataObject } from 'n8n-workflow';

import { statusLookup } from '../shared/facts';
import type { BodyPath, FileKind, FileSource, ParsedDocument, ParseResult } from '../shared/types';
import { normaliseLabel, text } from '../shared/values';
import { ILINK_DIRECTIONS, ILINK_DOCUMENT_TYPES, ILINK_STATES, type ILinkStatus } from './ILinkFacts';
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
	if (typeof value === 'string') return fromPlainString ? value : null;
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
	const response = body.response as IDataObject | undefined;
	if (response && typeof response === 'object' && 'data' in response) {
		const data = response.data;
		const documents = (Array.isArray(data) ? data : [data]).filter((entry) => entry !== null);
		return { documents, path: ['response', 'data'] };
	}
	return { documents: [body], path: [] };
}

const MIME_KINDS: Array<[RegExp, FileKind]> = [
	[/^application\/pdf\b/, 'pdf'],
	[/[/+]xml\b/, 'xml'],
];

/** PDF, XML or other, from the attachment's type, MIME type, UBL marker or file extension. */
function attachmentKind(attachment: NonNullable<ILinkDocument['attachments']>[number]): FileKind {
	const type = (attachment.type ?? '').toLowerCase();
	if (type === 'pdf') return 'pdf';
	if (type === 'xml' || type === 'ubl' || type.startsWith('ubl ')) return 'xml';
	for (const mime of [type, attachment.mime_type, attachment.mimeType, attachment.content_type]) {
		const lower = (mime ?? '').toLowerCase();
		for (const [pattern, kind] of MIME_KINDS) if (pattern.test(lower)) return kind;
	}
	if ((attachment.ubl_type ?? '').toLowerCase() === 'ubl') return 'xml';
	const names = [attachment.filename, attachment.name, attachment.identifier, urlPath(attachment)];
	for (const name of names) {
		const extension = /\.(pdf|xml)$/i.exec(name ?? '')?.[1]?.toLowerCase();
		if (extension) return extension as FileKind;
	}
	return 'other';
}

function urlPath(attachment: { file?: string | null; url?: string | null }): string | null {
	const url = attachment.file ?? attachment.url;
	return url ? url.split(/[?#]/)[0] : null;
}

function fileSources(document: ILinkDocument): FileSource[] {
	const sources: FileSource[] = [];
	for (const attachment of document.attachments ?? []) {
		const url = attachment.file ?? attachment.url;
		if (url) sources.push({ kind: attachmentKind(attachment), url });
	}
	return sources;
}

function reasonsOf(document: ILinkDocument): IDataObject[] {
	return (document.reasons ?? []).map((entry) =>
		typeof entry === 'string' || entry === null
			? { reason: entry, createdAt: null }
			: { reason: entry.reason ?? null, createdAt: entry.created_at ?? null },
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
	// The short type iLink sends (FT, NC ...) as it is; else one read from a label ("Fatura").
	const sentType = labelField(document.type_document_fact, 'type', { fromPlainString: false });
	const type = canonicalLabel(document.type_document_fact, ['alias', 'description'], documentTypeOf);
	const direction = canonicalLabel(document.type_document, ['alias', 'description'], directionOf);
	const reasons = reasonsOf(document);
	const currency = typeof document.currency === 'string' ? document.currency : document.currency?.code;
	const documentId = document.id ?? (document.number as string);
	if (!document.id) {
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
	const duplicateKey =
		event === 'document.received'
			? `ilink:received:${documentId}`
			: `ilink:status:${documentId}:${stateKey}:${latestReason}`;

	return {
		fields: {
			documentId,
			documentNumber: document.number ?? null,
			documentType: sentType ?? type.known ?? type.sent,
			status,
			statusCode: state.sent,
			statusDescription: labelField(document.state_document, 'description'),
			issuer: { taxId: document.supplier?.number ?? null, name: document.supplier?.name ?? null },
			recipient: { taxId: document.customer?.number ?? null, name: document.customer?.name ?? null },
			issueDate: document.emission_date ?? null,
			totalAmount: document.amounts?.payable_amount ?? document.amounts?.total_amount ?? null,
			currency: currency ?? null,
			// iLink's own extras
			documentTypeCode: labelField(document.type_document_fact, 'code', { fromPlainString: false }),
			direction: direction.known ?? direction.sent,
			ediStatus:
				labelField(document.state_edi_document, 'alias_espap', { fromPlainString: false }) ??
				labelField(document.state_edi_document, 'alias'),
			atcud: document.atcud ?? null,
			dueDate: document.due_date ?? null,
			reasons,
		},
		files: fileSources(document),
		duplicateKey,
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
