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

/**
 * A field of a label. A label sent as a plain string ("Enviado", "Fatura") stands for its
 * main fields (alias or type, and description) only: codes are not guessed from it.
 */
function labelField(
	value: ILinkLabel | null | undefined,
	field: string,
	{ fromPlainString = true } = {},
): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string') return fromPlainString ? text(value) : null;
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
		const kind =
			type === 'pdf' ? 'pdf' : type === 'xml' || attachment.ubl_type === 'ubl' ? 'xml' : null;
		if (url && kind) sources.push({ kind, url });
	}
	return sources;
}

function reasonsOf(document: ILinkDocument): IDataObject[] {
	const reasons = document.reasons;
	const list =
		reasons === null || reasons === undefined ? [] : Array.isArray(reasons) ? reasons : [reasons];
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
	// A document can be rejected, corrected and rejected again: the number of reasons and the
	// latest one tell two rejections apart, while a retry of one delivery carries the same.
	const latest = reasons[reasons.length - 1];
	const latestReason = latest
		? `${reasons.length}:${latest.createdAt ?? ''}:${latest.reason ?? ''}`
		: '';
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
			totalAmount:
				amount(document.amounts?.payable_amount) ?? amount(document.amounts?.total_amount),
			currency,
			// iLink's own extras
			documentTypeCode: labelField(document.type_document_fact, 'code', { fromPlainString: false }),
			direction: labelField(document.type_document, 'alias'),
			ediStatus:
				labelField(document.state_edi_document, 'alias_espap', { fromPlainString: false }) ??
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
		return {
			valid: false,
			issues: [{ path: path.join('.'), message: 'No document in the delivery' }],
		};
	}
	return { valid: true, documents: parsed };
}
