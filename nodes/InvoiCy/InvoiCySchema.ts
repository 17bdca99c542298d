import { z } from 'zod/v4';

import { absent, amountish, numericCode, stringish } from '../shared/zodTypes';

/**
 * What InvoiCy's NFS-e webhook delivers: `{ "documento": { ... } }`, the document in the layout
 * of InvoiCy's query ("consulta") return. Tolerant as the spec asks: every field is optional
 * and unknown fields pass; numbers may arrive as strings and empty strings mean absent. The
 * emission-return spellings (`Documentos[]`, `Situacao.SitCodigo`, `DocPDFBase64`, ...) are
 * accepted too.
 */

/** Optional fields: absent, null and '' are all "not sent". */
const text = z.preprocess(absent, stringish.optional());
const code = z.preprocess(absent, numericCode.optional());
const total = z.preprocess(absent, amountish.optional());

/** Base64 content: kept as it is (the string is never copied or scanned here). */
const content = z.preprocess(absent, z.string().optional());

const summary = z
	.object({
		DocDataEmissao: text,
		DocDhAut: text,
		DocNomeEmitente: text,
		DocCNPJEmitente: text,
		DocCNPJDestinatario: text,
		DocNomeDestinatario: text,
		DocVlrTotal: total,
	})
	.passthrough();

const event = z
	.object({
		DocEvenSeq: code,
		DocEveTp: code,
		cStat: code,
		DocEveDescricao: text,
		DocEveProtocolo: text,
		DocEveDhReg: text,
	})
	.passthrough();

export const invoiCyDocumentSchema = z
	.object({
		DocModelo: text,
		DocNumero: text,
		DocSerie: text,
		DocIDUnico: text,
		DocChaAcesso: text,
		DocProtocolo: text,
		DocStatus: code,
		DocSitCodigo: code,
		DocSitDescricao: text,
		Situacao: z.preprocess(
			absent,
			z.object({ SitCodigo: code, SitDescricao: text }).passthrough().optional(),
		),
		DocPDF: content,
		DocXML: content,
		DocPDFBase64: content,
		DocXMLBase64: content,
		DocPDFLink: text,
		DocXMLLink: text,
		DocPDFDownload: text,
		DocXMLDownload: text,
		DocImpPrefeitura: text,
		TipoNotificacaoWebHook: code,
		Resumo: z.preprocess(absent, summary.optional()),
		Eventos: z.preprocess(absent, z.array(event).optional()),
		NFSe: z.preprocess(
			absent,
			z.object({ NFSeNumero: text, NFSeCodVerificacao: text }).passthrough().optional(),
		),
	})
	.passthrough()
	.superRefine((document, context) => {
		if (!document.DocNumero && !document.DocIDUnico && !document.DocChaAcesso) {
			context.addIssue({
				code: 'custom',
				path: ['DocNumero'],
				message: 'The document has no number, unique id (DocIDUnico) or access key (DocChaAcesso)',
			});
		}
		const sitCodigo = document.DocSitCodigo ?? document.Situacao?.SitCodigo;
		if (document.DocStatus === undefined && sitCodigo === undefined) {
			context.addIssue({
				code: 'custom',
				path: ['DocStatus'],
				message: 'The document has no status (DocStatus or DocSitCodigo)',
			});
		}
	});

export type InvoiCyDocument = z.infer<typeof invoiCyDocumentSchema>;
