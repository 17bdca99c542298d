import type { IDataObject } from 'n8n-workflow';

import { statusLookup } from '../shared/facts';
import type {
	BodyPath,
	DocumentFields,
	FileKind,
	FileSource,
	ParsedDocument,
	ParseResult,
	PayloadIssue,
} from '../shared/types';
import type { DocumentKeys } from '../shared/duplicates';
import { amount, code, date, isObject, normaliseLabel, present, text } from '../shared/values';
import { INVOICY_NOTICES, INVOICY_STATUSES, type InvoiCyStatus } from './InvoiCyFacts';
import {
	invoiCyDocumentSchema,
	invoiCyNoticeSchema,
	type InvoiCyDocument,
	type InvoiCyNotice,
} from './InvoiCySchema';

const byDocStatus = new Map<number, InvoiCyStatus>();
const bySituationCode = new Map<number, InvoiCyStatus>();
for (const status of INVOICY_STATUSES) {
	for (const docStatus of status.docStatus) byDocStatus.set(docStatus, status.value);
	for (const situation of status.situationCodes) bySituationCode.set(situation, status.value);
}
const statusOfLabel = statusLookup(INVOICY_STATUSES);

const noticeByType = new Map(
	INVOICY_NOTICES.flatMap((notice) => notice.notificationTypes.map((type) => [type, notice.event])),
);

/** A status code as a number, or a label ("Autorizado") read with the statuses' labels. */
function statusOfCode(
	sent: unknown,
	byCode: Map<number, InvoiCyStatus>,
): InvoiCyStatus | undefined {
	if (typeof sent === 'number') return byCode.get(sent);
	return typeof sent === 'string' ? statusOfLabel(sent) : undefined;
}

function normaliseStatus(docStatus: unknown, situationCode: unknown): InvoiCyStatus {
	return (
		statusOfCode(docStatus, byDocStatus) ?? statusOfCode(situationCode, bySituationCode) ?? 'other'
	);
}

interface Found {
	candidates: Array<{ value: unknown; path: BodyPath }>;
	/** Whether the candidates are account notifications rather than documents. */
	notices: boolean;
}

/** Each entry of a value that may be one object or a list of them (null entries dropped), with its path. */
function entries(value: unknown, path: BodyPath): Found['candidates'] {
	if (!Array.isArray(value)) return [{ value, path }];
	return value.flatMap((entry, index) =>
		entry === null ? [] : [{ value: entry, path: [...path, index] }],
	);
}

/**
 * What a body holds: documents under `documento` (the webhook), `Documento`, `Documentos` (the
 * emission return) or at the root, each as one object or a list; or an account notification
 * under `Certificado` or `notificacao`.
 */
function findCandidates(body: IDataObject): Found | null {
	for (const key of ['documento', 'Documento', 'Documentos']) {
		if (body[key] !== undefined && body[key] !== null) {
			return { candidates: entries(body[key], [key]), notices: false };
		}
	}
	for (const key of ['Certificado', 'certificado', 'notificacao', 'Notificacao']) {
		if (isObject(body[key]))
			return { candidates: [{ value: body[key], path: [key] }], notices: true };
	}
	if (Object.keys(body).some((key) => key.startsWith('Doc'))) {
		return { candidates: [{ value: body, path: [] }], notices: false };
	}
	return null;
}

/**
 * Whether a document-shaped body is an account notification: its type is about the account and
 * it does not identify a document. A body that identifies a document is always taken as one.
 */
function isDocumentShapedNotice(candidate: unknown): boolean {
	if (!isObject(candidate)) return false;
	const type = code(candidate.TipoNotificacaoWebHook);
	if (typeof type !== 'number' || !noticeByType.has(type)) return false;
	return !['DocNumero', 'DocIDUnico', 'DocChaAcesso'].some((key) => text(candidate[key]) !== null);
}

function fileSource(
	kind: FileKind,
	path: BodyPath,
	inline: Array<[string, string | null | undefined]>,
	links: unknown[],
	property?: string,
): FileSource[] {
	const [field, content] = inline.find(([, value]) => value) ?? [];
	const url = links.map(text).find((link) => link !== null) ?? undefined;
	if (!content && !url) return [];
	return [
		{
			kind,
			...(property ? { property } : {}),
			...(content ? { content, contentPath: [...path, field as string] } : {}),
			...(url ? { url } : {}),
		},
	];
}

function filesOf(document: InvoiCyDocument, path: BodyPath): FileSource[] {
	const files = [
		...fileSource(
			'pdf',
			path,
			[
				['DocPDF', document.DocPDF],
				['DocPDFBase64', document.DocPDFBase64],
			],
			[document.DocPDFLink, document.DocPDFDownload],
		),
		...fileSource(
			'xml',
			path,
			[
				['DocXML', document.DocXML],
				['DocXMLBase64', document.DocXMLBase64],
			],
			[document.DocXMLLink, document.DocXMLDownload],
		),
	];
	// Event files (a cancellation's XML and PDF) get properties of their own: eventPdf1, eventXml1 ...
	(document.Eventos ?? []).forEach((event, index) => {
		if (event === null) return;
		const eventPath = [...path, 'Eventos', index];
		files.push(
			...fileSource(
				'pdf',
				eventPath,
				[['DocEvePDF', event.DocEvePDF]],
				[event.DocEvePDFLink],
				`eventPdf${index + 1}`,
			),
			...fileSource(
				'xml',
				eventPath,
				[['DocEveXML', event.DocEveXML]],
				[event.DocEveXMLLink],
				`eventXml${index + 1}`,
			),
		);
	});
	return files;
}

/**
 * What makes an NFS-e status notification one event. The issuer's CNPJ is part of it: one
 * partner webhook can serve several companies, whose series and numbers overlap. So are the
 * situation's description and the events: an RPS rejected, corrected and rejected again by the
 * city hall has the same number, status and code both times, but another reason.
 */
function documentKeys(
	document: InvoiCyDocument,
	read: {
		issuerTaxId: string | null;
		model: string | null;
		series: string | null;
		status: string;
		docStatus: number | string | null;
		situationCode: number | string | null;
	},
): DocumentKeys {
	const identity = [
		'invoicy',
		read.issuerTaxId ?? '',
		read.model ?? '',
		read.series ?? '',
		text(document.DocIDUnico) ?? text(document.DocNumero) ?? text(document.DocChaAcesso) ?? '',
		read.status,
		read.docStatus ?? '',
		read.situationCode ?? '',
		code(document.TipoNotificacaoWebHook) ?? '',
	].join(':');
	const situation = normaliseLabel(
		text(document.DocSitDescricao) ?? text(document.Situacao?.SitDescricao) ?? '',
	);
	const events = present(document.Eventos)
		.map((event) =>
			[
				code(event.DocEvenSeq),
				code(event.DocEveTp),
				code(event.cStat),
				text(event.DocEveProtocolo),
			].join(','),
		)
		.join(';');
	// 0.1.x keyed the event by its identity alone.
	return { key: `${identity}:${situation}:${events}`, legacyKeys: [identity] };
}

function toParsedDocument(
	document: InvoiCyDocument,
	path: BodyPath,
	warnings: PayloadIssue[],
): ParsedDocument {
	const summary = document.Resumo;
	const situationCode = code(document.DocSitCodigo) ?? code(document.Situacao?.SitCodigo);
	const docStatus = code(document.DocStatus);
	const status = normaliseStatus(docStatus, situationCode);
	const documentNumber = text(document.DocNumero);
	const series = text(document.DocSerie);
	const model = text(document.DocModelo);
	const uniqueId = text(document.DocIDUnico);
	const accessKey = text(document.DocChaAcesso);
	const issuerTaxId = text(summary?.DocCNPJEmitente);
	const notificationType = code(document.TipoNotificacaoWebHook);
	const documentId =
		uniqueId ?? accessKey ?? [model ?? '', series ?? '', documentNumber ?? ''].join(':');

	return {
		fields: {
			documentId,
			documentNumber,
			documentType: model,
			status,
			statusCode: situationCode,
			statusDescription: text(document.DocSitDescricao) ?? text(document.Situacao?.SitDescricao),
			issuer: { taxId: issuerTaxId, name: text(summary?.DocNomeEmitente) },
			recipient: {
				taxId: text(summary?.DocCNPJDestinatario),
				name: text(summary?.DocNomeDestinatario),
			},
			issueDate: date(summary?.DocDataEmissao),
			totalAmount: amount(summary?.DocVlrTotal),
			currency: 'BRL',
			// InvoiCy's own extras
			series,
			nfseNumber: text(document.NFSe?.NFSeNumero),
			verificationCode: text(document.NFSe?.NFSeCodVerificacao),
			protocol: text(document.DocProtocolo),
			accessKey,
			authorizedAt: date(summary?.DocDhAut),
			docStatus,
			notificationType,
			cityHallUrl: text(document.DocImpPrefeitura),
			events: present(document.Eventos).map((event) => ({
				sequence: code(event.DocEvenSeq),
				type: code(event.DocEveTp),
				code: code(event.cStat),
				description: text(event.DocEveDescricao),
				protocol: text(event.DocEveProtocolo),
				registeredAt: date(event.DocEveDhReg),
			})),
		} satisfies DocumentFields,
		files: filesOf(document, path),
		keys: documentKeys(document, { issuerTaxId, model, series, status, docStatus, situationCode }),
		warnings,
	};
}

function toParsedNotice(
	notice: InvoiCyNotice,
	event: string,
	warnings: PayloadIssue[],
): ParsedDocument {
	const notificationType = code(notice.TipoNotificacao) ?? code(notice.TipoNotificacaoWebHook);
	const message =
		text(notice.DescNotificacao) ?? text(notice.Mensagem) ?? text(notice.DocSitDescricao);
	const company = {
		taxId: text(notice.CNPJ) ?? text(notice.Resumo?.DocCNPJEmitente),
		name: text(notice.RazaoSocial) ?? text(notice.Resumo?.DocNomeEmitente),
		alias: text(notice.Apelido),
	};
	const certificateExpiresAt = date(notice.Vencimento) ?? date(notice.CertDtaVencimento);
	return {
		event,
		fields: {
			notificationType,
			message,
			cityHallMessage: text(notice.MsgPrefeitura),
			company,
			certificateExpiresAt,
			certificateDaysValid: code(notice.CertDiasValido),
		},
		files: [],
		// A retry repeats the notice word for word; a new notice says something new.
		keys: {
			key: [
				'invoicy:notice',
				event,
				company.taxId ?? '',
				notificationType ?? '',
				message ?? '',
				certificateExpiresAt ?? '',
			].join(':'),
		},
		warnings,
	};
}

function noticeEvent(notice: InvoiCyNotice, path: BodyPath): string {
	const type = code(notice.TipoNotificacao) ?? code(notice.TipoNotificacaoWebHook);
	const byType = typeof type === 'number' ? noticeByType.get(type) : undefined;
	if (byType) return byType;
	return /^certificado$/i.test(String(path[0])) ? 'certificate.expiring' : 'notification.other';
}

/** Validates an InvoiCy delivery and maps each document (or account notification) in it. */
export function parseInvoiCyDelivery(body: IDataObject): ParseResult {
	const found = findCandidates(body);
	if (!found) {
		return {
			documents: [],
			invalid: [[{ path: 'documento', message: 'Expected an NFS-e document under "documento"' }]],
		};
	}
	const result: ParseResult = { documents: [], invalid: [] };
	for (const { value, path } of found.candidates) {
		if (found.notices || isDocumentShapedNotice(value)) {
			const parsed = invoiCyNoticeSchema.parse(value, path);
			if (parsed.success) {
				result.documents.push(
					toParsedNotice(parsed.data, noticeEvent(parsed.data, path), parsed.warnings),
				);
			} else {
				result.invalid.push(parsed.issues);
			}
			continue;
		}
		const parsed = invoiCyDocumentSchema.parse(value, path);
		if (parsed.success) result.documents.push(toParsedDocument(parsed.data, path, parsed.warnings));
		else result.invalid.push(parsed.issues);
	}
	if (found.candidates.length === 0) {
		result.invalid.push([{ path: 'documento', message: 'No document in the delivery' }]);
	}
	return result;
}
