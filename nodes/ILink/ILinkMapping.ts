import type { IDataObject } from 'n8n-workflow';
import type { ZodType } from 'zod/v4';

import { amount, text } from '../shared/helpers';
import type { FileSource, ParsedDocument, ParseResult } from '../shared/types';
import { toPayloadIssues } from '../shared/zodIssues';
import type { ILinkDocument, ILinkLabel } from './ILinkSchema';

/** Published source addresses of iLink's webhooks (iLink docs, "Webhooks > Security"). */
export const ILINK_IP_PRESETS: Record<string, string[]> = {
	ilinkTest: ['62.28.56.162'],
	ilinkProduction: ['193.43.40.153', '194.38.136.153'],
};

export const ILINK_IP_PRESET_OPTIONS = [
	{ name: 'iLink Production (193.43.40.153, 194.38.136.153)', value: 'ilinkProduction' },
	{ name: 'iLink Test (62.28.56.162)', value: 'ilinkTest' },
];

/** A field of a label: the object's own field, or the whole label when it is a plain string. */
function labelField(value: ILinkLabel | null | undefined, field: string): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string') return text(value);
	return text((value as IDataObject)[field]);
}

/**
 * The documents in a body: iLink's API envelope `{ success, response: { data } }` is unwrapped
 * (its `data` may hold one document or a list); any other body is the document itself.
 */
function unwrapEnvelope(body: IDataObject): { documents: unknown[]; path: Array<string | number> } {
	const response = body.response as IDataObject | undefined;
	if (response && typeof response === 'object' && 'data' in response) {
		const data = response.data;
		return Array.isArray(data)
			? { documents: data, path: ['response', 'data'] }
			: { documents: [data], path: ['response', 'data'] };
	}
	return { documents: [body], path: [] };
}

function fileSources(document: ILinkDocument): FileSource[] {
	const sources: FileSource[] = [];
	for (const attachment of document.attachments ?? []) {
		const url = text(attachment.file);
		const type = (text(attachment.type) ?? '').toLowerCase();
		const kind = type === 'pdf' ? 'pdf' : type === 'xml' || attachment.ubl_type === 'ubl' ? 'xml' : null;
		if (url && kind) sources.push({ kind, url });
	}
	return sources;
}

function reasonsOf(document: ILinkDocument): IDataObject[] {
	const reasons = document.reasons;
	const list = reasons === null || reasons === undefined ? [] : Array.isArray(reasons) ? reasons : [reasons];
	return list.map((entry) =>
		typeof entry === 'string'
			? { reason: entry, createdAt: null }
			: { reason: text(entry.reason), createdAt: text(entry.created_at) },
	);
}

function toParsedDocument(document: ILinkDocument, event: ILinkEvent): ParsedDocument {
	const stateAlias = labelField(document.state_document, 'alias');
	const reasons = reasonsOf(document);
	const currency =
		typeof document.currency === 'string' ? text(document.currency) : text(document.currency?.code);
	// A document can be rejected, corrected and rejected again: the latest reason tells two
	// rejections apart, while a retry of one delivery carries the same one.
	const latestReason = reasons.length ? String(reasons[reasons.length - 1].createdAt ?? '') : '';
	const duplicateKey =
		event === 'document.received'
			? `ilink:received:${document.id}`
			: `ilink:status:${document.id}:${stateAlias ?? ''}:${latestReason}`;

	return {
		fields: {
			documentId: document.id,
			documentNumber: text(document.number),
			documentType: labelField(document.type_document_fact, 'type'),
			status: stateAlias === null ? null : stateAlias.toLowerCase(),
			statusCode: stateAlias,
			statusDescription: labelField(document.state_document, 'description'),
			issuer: { taxId: text(document.supplier?.number), name: text(document.supplier?.name) },
			recipient: { taxId: text(document.customer?.number), name: text(document.customer?.name) },
			issueDate: text(document.emission_date),
			totalAmount: amount(document.amounts?.payable_amount ?? document.amounts?.total_amount),
			currency,
			// iLink's own extras
			documentTypeCode: labelField(document.type_document_fact, 'code'),
			direction: labelField(document.type_document, 'alias'),
			ediStatus:
				labelField(document.state_edi_document, 'alias_espap') ??
				labelField(document.state_edi_document, 'alias'),
			atcud: text(document.atcud),
			dueDate: text(document.due_date),
			reasons,
		},
		files: fileSources(document),
		duplicateKey,
	};
}

export type ILinkEvent = 'document.received' | 'document.status_changed';

/** Validates an iLink delivery with the given schema and maps each document in it. */
export function parseILinkDelivery(
	body: IDataObject,
	schema: ZodType<ILinkDocument, unknown>,
	event: ILinkEvent,
): ParseResult {
	const { documents, path } = unwrapEnvelope(body);
	const parsed: ParsedDocument[] = [];
	for (const [index, candidate] of documents.entries()) {
		const result = schema.safeParse(candidate);
		if (!result.success) {
			const prefix = documents.length > 1 ? [...path, index] : path;
			return { valid: false, issues: toPayloadIssues(result.error, prefix) };
		}
		parsed.push(toParsedDocument(result.data, event));
	}
	if (parsed.length === 0) {
		return { valid: false, issues: [{ path: path.join('.'), message: 'No document in the delivery' }] };
	}
	return { valid: true, documents: parsed };
}
