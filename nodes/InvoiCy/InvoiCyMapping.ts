import type { IDataObject } from 'n8n-workflow';

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
import {
	amount,
	code,
	date,
	isObject,
	keyInAnyCase,
	normaliseLabel,
	present,
	text,
	utcOffset,
} from '../shared/values';
import { INVOICY_INTEGRATIONS, INVOICY_NOTICES, NATIONAL_NFSE_KEY } from './InvoiCyFacts';
import {
	invoiCyDocumentSchema,
	invoiCyNoticeSchema,
	type InvoiCyDocument,
	type InvoiCyNotice,
} from './InvoiCySchema';
import { statusOf, statusSent } from './InvoiCyStatus';
import { taxIdOf } from './InvoiCyTaxIds';

const noticeByType = new Map(
	INVOICY_NOTICES.flatMap((notice) => notice.notificationTypes.map((type) => [type, notice.event])),
);

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

/** Keys that hold documents (the webhook's `documento`, the emission return's `Documentos`), in any letter case. */
const DOCUMENT_WRAPPERS = ['documento', 'documentos'];
/** Keys that hold an account notification, in any letter case. */
const NOTICE_WRAPPERS = ['certificado', 'notificacao'];

/**
 * What a body holds: documents under `documento` (the webhook), `Documentos` (the emission
 * return) or at the root, each wrapper in any letter case and holding one object or a list; or
 * an account notification under `Certificado` or `notificacao`.
 */
function findCandidates(body: IDataObject, path: BodyPath): Found | null {
	for (const name of DOCUMENT_WRAPPERS) {
		const key = keyInAnyCase(body, name);
		if (key !== undefined && body[key] !== undefined && body[key] !== null) {
			return { candidates: entries(body[key], [...path, key]), notices: false };
		}
	}
	for (const name of NOTICE_WRAPPERS) {
		const key = keyInAnyCase(body, name);
		if (key === undefined) continue;
		const candidates = entries(body[key], [...path, key]).filter(({ value }) => isObject(value));
		if (candidates.length) return { candidates, notices: true };
	}
	if (Object.keys(body).some((key) => /^doc/i.test(key))) {
		return { candidates: [{ value: body, path }], notices: false };
	}
	return null;
}

/**
 * A body that is a JSON list (InvoiCy's returns are lists of `{ Codigo, Descricao, Documentos }`):
 * each entry is read as a body of its own.
 */
function findAllCandidates(body: IDataObject | unknown[]): Found[] {
	if (!Array.isArray(body)) {
		const found = findCandidates(body, []);
		return found ? [found] : [];
	}
	return body.flatMap((entry, index) => {
		const found = isObject(entry) ? findCandidates(entry, [index]) : null;
		return found ? [found] : [];
	});
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

/** Where one file of a document can be: inline content in one of some fields, or a link. */
interface FileFields {
	kind: FileKind;
	path: BodyPath;
	inline: Array<[string, string | null | undefined]>;
	links: unknown[];
	/** The binary property, when not the kind's own (event files). */
	property?: string;
}

function fileSource({ kind, path, inline, links, property }: FileFields): FileSource[] {
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
		...fileSource({
			kind: 'pdf',
			path,
			inline: [
				['DocPDF', document.DocPDF],
				['DocPDFBase64', document.DocPDFBase64],
			],
			links: [document.DocPDFLink, document.DocPDFDownload],
		}),
		...fileSource({
			kind: 'xml',
			path,
			inline: [
				['DocXML', document.DocXML],
				['DocXMLBase64', document.DocXMLBase64],
			],
			links: [document.DocXMLLink, document.DocXMLDownload],
		}),
	];
	// Event files (a cancellation's XML and PDF) get properties of their own: eventPdf1, eventXml1 ...
	(document.Eventos ?? []).forEach((event, index) => {
		if (event === null) return;
		const eventPath = [...path, 'Eventos', index];
		files.push(
			...fileSource({
				kind: 'pdf',
				path: eventPath,
				inline: [['DocEvePDF', event.DocEvePDF]],
				links: [event.DocEvePDFLink],
				property: `eventPdf${index + 1}`,
			}),
			...fileSource({
				kind: 'xml',
				path: eventPath,
				inline: [['DocEveXML', event.DocEveXML]],
				links: [event.DocEveXMLLink],
				property: `eventXml${index + 1}`,
			}),
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
		notificationType: number | string | null;
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
		read.notificationType ?? '',
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
	const sent = statusSent(document);
	const status = statusOf(sent);
	const documentNumber = text(document.DocNumero);
	const series = text(document.DocSerie);
	const model = text(document.DocModelo);
	const uniqueId = text(document.DocIDUnico);
	const accessKey = text(document.DocChaAcesso);
	const verificationCode = text(document.NFSe?.NFSeCodVerificacao);
	const issuerTaxId = taxIdOf(summary?.DocCNPJEmitente);
	const integration = code(document.DocIntegracao);
	const documentId =
		uniqueId ?? accessKey ?? [model ?? '', series ?? '', documentNumber ?? ''].join(':');
	// InvoiCy's times without a zone are in the document's own (Resumo.DocFusoHorario).
	const zone = utcOffset(summary?.DocFusoHorario);

	return {
		fields: {
			documentId,
			documentNumber,
			documentType: model,
			status,
			statusCode: sent.situationCode,
			statusDescription: sent.description,
			issuer: { taxId: issuerTaxId, name: text(summary?.DocNomeEmitente) },
			recipient: {
				taxId: taxIdOf(summary?.DocCNPJDestinatario),
				name: text(summary?.DocNomeDestinatario),
			},
			issueDate: date(summary?.DocDataEmissao, zone),
			totalAmount: amount(summary?.DocVlrTotal),
			currency: 'BRL',
			// InvoiCy's own extras
			series,
			nfseNumber: text(document.NFSe?.NFSeNumero),
			verificationCode,
			protocol: text(document.DocProtocolo),
			accessKey,
			nationalKey: nationalKeyIn([accessKey, verificationCode]),
			authorizedAt: date(summary?.DocDhAut, zone),
			docStatus: sent.docStatus,
			notificationType: sent.notificationType,
			docIntegration: integration,
			integrationSource:
				typeof integration === 'number' ? (INVOICY_INTEGRATIONS.get(integration) ?? null) : null,
			cityHallUrl: text(document.DocImpPrefeitura),
			events: present(document.Eventos).map((event) => ({
				sequence: code(event.DocEvenSeq),
				type: code(event.DocEveTp),
				code: code(event.cStat),
				description: text(event.DocEveDescricao),
				protocol: text(event.DocEveProtocolo),
				registeredAt: date(event.DocEveDhReg, zone),
			})),
		} satisfies DocumentFields,
		files: filesOf(document, path),
		keys: documentKeys(document, { issuerTaxId, model, series, status, ...sent }),
		warnings,
	};
}

/** The 50-digit key of an NFS-e Nacional, wherever InvoiCy put it, or null. */
function nationalKeyIn(candidates: Array<string | null>): string | null {
	for (const candidate of candidates) {
		const match = candidate === null ? null : NATIONAL_NFSE_KEY.exec(candidate);
		if (match) return match[1];
	}
	return null;
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
		taxId: taxIdOf(notice.CNPJ) ?? taxIdOf(notice.Resumo?.DocCNPJEmitente),
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
	const underCertificate = path.some((segment) => /^certificado$/i.test(String(segment)));
	return underCertificate ? 'certificate.expiring' : 'notification.other';
}

/**
 * Validates an InvoiCy delivery and maps each document (or account notification) in it. The
 * body is a JSON object, or a list of them (InvoiCy's own returns are lists).
 */
export function parseInvoiCyDelivery(body: IDataObject | unknown[]): ParseResult {
	const found = findAllCandidates(body);
	if (found.length === 0) {
		return {
			documents: [],
			invalid: [[{ path: 'documento', message: 'Expected an NFS-e document under "documento"' }]],
		};
	}
	const result: ParseResult = { documents: [], invalid: [] };
	for (const { candidates, notices } of found) {
		for (const { value, path } of candidates) readCandidate(result, value, { path, notices });
	}
	if (result.documents.length === 0 && result.invalid.length === 0) {
		result.invalid.push([{ path: 'documento', message: 'No document in the delivery' }]);
	}
	return result;
}

/** One candidate: a document, an account notification, or the issues that keep it from being one. */
function readCandidate(
	result: ParseResult,
	value: unknown,
	{ path, notices }: { path: BodyPath; notices: boolean },
): void {
	if (notices || isDocumentShapedNotice(value)) {
		const parsed = invoiCyNoticeSchema.parse(value, path);
		if (parsed.success) {
			result.documents.push(
				toParsedNotice(parsed.data, noticeEvent(parsed.data, path), parsed.warnings),
			);
		} else {
			result.invalid.push(parsed.issues);
		}
		return;
	}
	const parsed = invoiCyDocumentSchema.parse(value, path);
	if (parsed.success) result.documents.push(toParsedDocument(parsed.data, path, parsed.warnings));
	else result.invalid.push(parsed.issues);
}
