import { z } from 'zod/v4';

import {
	amountField,
	codeField,
	contentField,
	dateField,
	identifierField,
	record,
	textField,
	tolerantSchema,
	type FieldKit,
	type Identify,
	type MissingField,
} from '../shared/fields';
import { text } from '../shared/values';
import { saysStatus } from './InvoiCyStatus';

/**
 * What InvoiCy's webhook delivers: `{ "documento": { ... } }`, the document in the layout of
 * InvoiCy's query ("consulta") return; the emission-return spellings (`Documentos[]`,
 * `Situacao.SitCodigo`, `DocPDFBase64` ...) are accepted too. Required: a number or key, and a
 * status; every other field is optional and tolerant (see shared/fields.ts), unknown fields pass.
 */
function describeDocument({ optional, list }: FieldKit) {
	const summary = record({
		DocDataEmissao: optional(dateField),
		DocDhAut: optional(dateField),
		// The zone of the document's times ("-03:00"), for times sent without one.
		DocFusoHorario: optional(textField),
		DocNomeEmitente: optional(textField),
		DocCNPJEmitente: optional(identifierField),
		DocCNPJDestinatario: optional(identifierField),
		DocNomeDestinatario: optional(textField),
		DocVlrTotal: optional(amountField),
	});
	const event = record({
		DocEvenSeq: optional(codeField),
		DocEveTp: optional(codeField),
		cStat: optional(codeField),
		DocEveDescricao: optional(textField),
		DocEveProtocolo: optional(identifierField),
		DocEveDhReg: optional(dateField),
		DocEvePDF: optional(contentField),
		DocEveXML: optional(contentField),
		DocEvePDFLink: optional(textField),
		DocEveXMLLink: optional(textField),
	});
	const content = optional(contentField);

	return record({
		DocModelo: optional(textField),
		DocNumero: optional(identifierField),
		DocSerie: optional(identifierField),
		DocIDUnico: optional(identifierField),
		DocChaAcesso: optional(identifierField),
		DocProtocolo: optional(identifierField),
		DocStatus: optional(codeField),
		DocSitCodigo: optional(codeField),
		DocSitDescricao: optional(textField),
		Situacao: optional(
			record({ SitCodigo: optional(codeField), SitDescricao: optional(textField) }),
		),
		DocPDF: content,
		DocXML: content,
		DocPDFBase64: content,
		DocXMLBase64: content,
		DocPDFLink: optional(textField),
		DocXMLLink: optional(textField),
		DocPDFDownload: optional(textField),
		DocXMLDownload: optional(textField),
		DocImpPrefeitura: optional(textField),
		TipoNotificacaoWebHook: optional(codeField),
		DocIntegracao: optional(codeField),
		Resumo: optional(summary),
		Eventos: list(event),
		NFSe: optional(
			record({ NFSeNumero: optional(identifierField), NFSeCodVerificacao: optional(textField) }),
		),
	});
}

/**
 * Required: a number, unique id or access key, and a status (`DocStatus`, a situation code, a
 * notification type that is a status, or a situation description that names one).
 */
const identify: Identify<InvoiCyDocument> = (document) => {
	const missing: MissingField[] = [];
	if (
		[document.DocNumero, document.DocIDUnico, document.DocChaAcesso].every(
			(id) => text(id) === null,
		)
	) {
		missing.push({
			field: 'DocNumero',
			message: 'The document has no number, unique id (DocIDUnico) or access key (DocChaAcesso)',
		});
	}
	if (!saysStatus(document)) {
		missing.push({
			field: 'DocStatus',
			message: 'The document has no status (DocStatus or DocSitCodigo)',
		});
	}
	return missing;
};

/**
 * An account notification: `{ "Certificado": {...} }` (certificate expiry),
 * `{ "notificacao": {...} }` (issuing stopped, capture queue), or a document-shaped body whose
 * `TipoNotificacaoWebHook` is about the account. Nothing is required.
 */
function describeNotice({ optional }: FieldKit) {
	return record({
		TipoNotificacao: optional(codeField),
		TipoNotificacaoWebHook: optional(codeField),
		DescNotificacao: optional(textField),
		MsgPrefeitura: optional(textField),
		Mensagem: optional(textField),
		DocSitDescricao: optional(textField),
		CNPJ: optional(identifierField),
		RazaoSocial: optional(textField),
		Apelido: optional(textField),
		Vencimento: optional(dateField),
		CertDtaVencimento: optional(dateField),
		CertDiasValido: optional(codeField),
		Resumo: optional(
			record({ DocCNPJEmitente: optional(identifierField), DocNomeEmitente: optional(textField) }),
		),
	});
}

export const invoiCyDocumentSchema = tolerantSchema(describeDocument, identify);
export const invoiCyNoticeSchema = tolerantSchema(describeNotice);

export type InvoiCyDocument = z.output<ReturnType<typeof describeDocument>>;
export type InvoiCyNotice = z.output<ReturnType<typeof describeNotice>>;
