import type { IDataObject } from 'n8n-workflow';

import { amount, text } from '../shared/helpers';
import type { FileKind, FileSource, ParsedDocument, ParseResult } from '../shared/types';
import { toPayloadIssues } from '../shared/zodIssues';
import { invoiCyDocumentSchema, type InvoiCyDocument } from './InvoiCySchema';

/** The normalised statuses, in the order the node's filter lists them. */
export const INVOICY_STATUSES = [
	'pending',
	'authorized',
	'rejected',
	'cancelled',
	'voided',
	'denied',
	'other',
] as const;
export type InvoiCyStatus = (typeof INVOICY_STATUSES)[number];

/** `DocStatus` (InvoiCy's query layout, sheet "Retorno"). Codes not listed fall through. */
const BY_DOC_STATUS: Record<number, InvoiCyStatus> = {
	1: 'pending',
	2: 'authorized',
	3: 'rejected',
	5: 'cancelled',
	6: 'voided',
	12: 'denied',
};

/** `DocSitCodigo` / `Situacao.SitCodigo`, used when `DocStatus` says nothing we know. */
const BY_SITUATION_CODE: Record<number, InvoiCyStatus> = {
	100: 'authorized',
	101: 'cancelled',
	102: 'voided',
	105: 'pending',
	108: 'pending',
	113: 'pending',
	112: 'rejected',
	999: 'rejected',
	110: 'denied',
	301: 'denied',
	302: 'denied',
	303: 'denied',
};

function normaliseStatus(docStatus: unknown, situationCode: unknown): InvoiCyStatus {
	return (
		(typeof docStatus === 'number' ? BY_DOC_STATUS[docStatus] : undefined) ??
		(typeof situationCode === 'number' ? BY_SITUATION_CODE[situationCode] : undefined) ??
		'other'
	);
}

/**
 * The documents in a body: `documento` (the webhook), `Documentos[]` (the emission return), or
 * a document at the root, with the path zod issues are reported under.
 */
function findDocuments(
	body: IDataObject,
): { documents: unknown[]; path: Array<string | number> } | null {
	if (body.documento !== undefined) return { documents: [body.documento], path: ['documento'] };
	if (body.Documento !== undefined) return { documents: [body.Documento], path: ['Documento'] };
	if (Array.isArray(body.Documentos)) return { documents: body.Documentos, path: ['Documentos'] };
	if (Object.keys(body).some((key) => key.startsWith('Doc')))
		return { documents: [body], path: [] };
	return null;
}

function fileSource(kind: FileKind, base64?: string, url?: string): FileSource[] {
	if (base64) return [{ kind, base64, ...(url ? { url } : {}) }];
	return url ? [{ kind, url }] : [];
}

function toParsedDocument(document: InvoiCyDocument): ParsedDocument {
	const summary = document.Resumo;
	const situationCode = document.DocSitCodigo ?? document.Situacao?.SitCodigo;
	const status = normaliseStatus(document.DocStatus, situationCode);
	const documentNumber = text(document.DocNumero);
	const series = text(document.DocSerie);
	const model = text(document.DocModelo);
	const documentId =
		text(document.DocIDUnico) ??
		text(document.DocChaAcesso) ??
		[model ?? '', series ?? '', documentNumber ?? ''].join(':');

	return {
		fields: {
			documentId,
			documentNumber,
			documentType: model,
			status,
			statusCode: situationCode ?? null,
			statusDescription: text(document.DocSitDescricao ?? document.Situacao?.SitDescricao),
			issuer: { taxId: text(summary?.DocCNPJEmitente), name: text(summary?.DocNomeEmitente) },
			recipient: {
				taxId: text(summary?.DocCNPJDestinatario),
				name: text(summary?.DocNomeDestinatario),
			},
			issueDate: text(summary?.DocDataEmissao),
			totalAmount: amount(summary?.DocVlrTotal),
			currency: 'BRL',
			// InvoiCy's own extras
			series,
			nfseNumber: text(document.NFSe?.NFSeNumero),
			verificationCode: text(document.NFSe?.NFSeCodVerificacao),
			protocol: text(document.DocProtocolo),
			accessKey: text(document.DocChaAcesso),
			authorizedAt: text(summary?.DocDhAut),
			docStatus: document.DocStatus ?? null,
			notificationType: document.TipoNotificacaoWebHook ?? null,
			cityHallUrl: text(document.DocImpPrefeitura),
			events: (document.Eventos ?? []).map((event) => ({
				sequence: event.DocEvenSeq ?? null,
				type: event.DocEveTp ?? null,
				code: event.cStat ?? null,
				description: text(event.DocEveDescricao),
				protocol: text(event.DocEveProtocolo),
				registeredAt: text(event.DocEveDhReg),
			})),
		},
		files: [
			...fileSource(
				'pdf',
				document.DocPDF ?? document.DocPDFBase64,
				document.DocPDFLink ?? document.DocPDFDownload,
			),
			...fileSource(
				'xml',
				document.DocXML ?? document.DocXMLBase64,
				document.DocXMLLink ?? document.DocXMLDownload,
			),
		],
		// The issuer's CNPJ is part of the key: one partner webhook can serve several companies,
		// whose series and numbers overlap.
		duplicateKey: [
			'invoicy',
			text(summary?.DocCNPJEmitente) ?? '',
			model ?? '',
			series ?? '',
			text(document.DocIDUnico) ?? documentNumber ?? text(document.DocChaAcesso) ?? '',
			document.DocStatus ?? '',
			situationCode ?? '',
			document.TipoNotificacaoWebHook ?? '',
		].join(':'),
	};
}

/** Validates an InvoiCy delivery and maps each document in it. */
export function parseInvoiCyDelivery(body: IDataObject): ParseResult {
	const found = findDocuments(body);
	if (!found) {
		return {
			valid: false,
			issues: [{ path: 'documento', message: 'Expected an NFS-e document under "documento"' }],
		};
	}
	const documents: ParsedDocument[] = [];
	for (const [index, candidate] of found.documents.entries()) {
		const result = invoiCyDocumentSchema.safeParse(candidate);
		if (!result.success) {
			const prefix = found.path[0] === 'Documentos' ? [...found.path, index] : found.path;
			return { valid: false, issues: toPayloadIssues(result.error, prefix) };
		}
		documents.push(toParsedDocument(result.data));
	}
	if (documents.length === 0) {
		return {
			valid: false,
			issues: [{ path: found.path.join('.'), message: 'No document in the delivery' }],
		};
	}
	return { valid: true, documents };
}
