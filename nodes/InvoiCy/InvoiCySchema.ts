import { z } from 'zod';

/**
 * What InvoiCy's NFS-e webhook delivers: `{ "documento": { ... } }`, the document in the layout
 * of InvoiCy's query ("consulta") return. Tolerant as the spec asks: every field is optional
 * and unknown fields pass; numbers may arrive as strings and empty strings mean absent. The
 * emission-return spellings (`Documentos[]`, `Situacao.SitCodigo`, `DocPDFBase64`, ...) are
 * accepted too.
 */

/** '' and null mean "not sent". */
const absent = (value: unknown) => (value === '' || value === null ? undefined : value);

const stringish = z.preprocess(absent, z.union([z.string(), z.number()]).transform(String).optional());

/** A numeric code sent as a number or a numeric string; other strings are kept as sent. */
const code = z.preprocess(
	absent,
	z
		.union([z.number(), z.string()])
		.transform((value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value))
		.optional(),
);

const amountish = z.preprocess(absent, z.union([z.number(), z.string()]).optional());

/** Base64 content: kept as it is (the string is never copied or scanned here). */
const content = z.preprocess(absent, z.string().optional());

const summary = z
	.object({
		DocDataEmissao: stringish,
		DocDhAut: stringish,
		DocNomeEmitente: stringish,
		DocCNPJEmitente: stringish,
		DocCNPJDestinatario: stringish,
		DocNomeDestinatario: stringish,
		DocVlrTotal: amountish,
	})
	.passthrough();

const event = z
	.object({
		DocEvenSeq: code,
		DocEveTp: code,
		cStat: code,
		DocEveDescricao: stringish,
		DocEveProtocolo: stringish,
		DocEveDhReg: stringish,
	})
	.passthrough();

export const invoiCyDocumentSchema = z
	.object({
		DocModelo: stringish,
		DocNumero: stringish,
		DocSerie: stringish,
		DocIDUnico: stringish,
		DocChaAcesso: stringish,
		DocProtocolo: stringish,
		DocStatus: code,
		DocSitCodigo: code,
		DocSitDescricao: stringish,
		Situacao: z.preprocess(
			absent,
			z.object({ SitCodigo: code, SitDescricao: stringish }).passthrough().optional(),
		),
		DocPDF: content,
		DocXML: content,
		DocPDFBase64: content,
		DocXMLBase64: content,
		DocPDFLink: stringish,
		DocXMLLink: stringish,
		DocPDFDownload: stringish,
		DocXMLDownload: stringish,
		DocImpPrefeitura: stringish,
		TipoNotificacaoWebHook: code,
		Resumo: z.preprocess(absent, summary.optional()),
		Eventos: z.preprocess(absent, z.array(event).optional()),
		NFSe: z.preprocess(
			absent,
			z.object({ NFSeNumero: stringish, NFSeCodVerificacao: stringish }).passthrough().optional(),
		),
	})
	.passthrough()
	.superRefine((document, context) => {
		if (!document.DocNumero && !document.DocIDUnico && !document.DocChaAcesso) {
			context.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['DocNumero'],
				message: 'The document has no number, unique id (DocIDUnico) or access key (DocChaAcesso)',
			});
		}
		const sitCodigo = document.DocSitCodigo ?? document.Situacao?.SitCodigo;
		if (document.DocStatus === undefined && sitCodigo === undefined) {
			context.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['DocStatus'],
				message: 'The document has no status (DocStatus or DocSitCodigo)',
			});
		}
	});

export type InvoiCyDocument = z.infer<typeof invoiCyDocumentSchema>;
