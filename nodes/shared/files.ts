import type { IBinaryKeyData, IWebhookFunctions } from 'n8n-workflow';

import type { FileEntry, FileKind, FileSource } from './types';

const MIME_TYPES: Record<FileKind, string> = {
	pdf: 'application/pdf',
	xml: 'application/xml',
};

/** What a file of each kind must start with (within its first KiB), to catch a mislabelled file. */
const SIGNATURES: Record<FileKind, RegExp> = {
	pdf: /%PDF-/,
	// An XML document, not an HTML page (a login or error page served instead of the file).
	xml: /^(\uFEFF|\xEF\xBB\xBF)?\s*<(?!!doctype html|html[\s>])/i,
};

const BASE64_BODY = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

export interface FileOptions {
	/** Download files that arrive as URLs (iLink). */
	download: boolean;
	downloadTimeoutMs: number;
}

/** A file name from the document type and number, e.g. `FT_2025-123.pdf` or `NFSe_1021.pdf`. */
export function fileNameFor(
	documentType: string | null,
	documentNumber: string | null,
	kind: FileKind,
): string {
	const number = documentNumber ?? 'document';
	const base =
		documentType && !number.toUpperCase().startsWith(documentType.toUpperCase())
			? `${documentType}_${number}`
			: number;
	const safe = base
		.replace(/[/\\]/g, '-')
		.replace(/[^A-Za-z0-9._-]+/g, '_')
		.replace(/^[._]+/, '');
	return `${safe || 'document'}.${kind}`;
}

/**
 * Decodes base64 exactly once. Node's decoder skips characters outside the alphabet, so the
 * decoded length is compared with the length the text implies; only when they differ (line
 * breaks, or garbage) is the text checked character by character.
 */
export function decodeBase64(text: string): Buffer | null {
	const buffer = Buffer.from(text, 'base64');
	const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
	const expected = Math.floor((text.length * 3) / 4) - padding;
	if (buffer.length === expected && text.length % 4 === 0) return buffer;
	return BASE64_BODY.test(text) ? buffer : null;
}

function checkSignature(kind: FileKind, content: Buffer): string | undefined {
	const head = content.subarray(0, 1024).toString('latin1');
	return SIGNATURES[kind].test(head)
		? undefined
		: `the content is not a ${kind.toUpperCase()} file`;
}

async function download(ctx: IWebhookFunctions, url: string, timeoutMs: number): Promise<Buffer> {
	const response = (await ctx.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'arraybuffer',
		timeout: timeoutMs,
		json: false,
	})) as ArrayBuffer | Buffer;
	return Buffer.isBuffer(response) ? response : Buffer.from(response);
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Turns a document's file sources into n8n binary data (property `pdf` / `xml`) and the item's
 * `files` entries. A file that cannot be decoded or downloaded never fails the delivery: its
 * entry keeps the URL and says what went wrong.
 */
export async function attachFiles(
	ctx: IWebhookFunctions,
	sources: FileSource[],
	names: { documentType: string | null; documentNumber: string | null },
	options: FileOptions,
): Promise<{ files: FileEntry[]; binary: IBinaryKeyData }> {
	const binary: IBinaryKeyData = {};
	const files: FileEntry[] = [];
	for (const source of sources) {
		const entry: FileEntry = { kind: source.kind };
		if (source.url) entry.url = source.url;
		files.push(entry);
		if (binary[source.kind]) continue; // one binary per kind: the first source wins

		let content: Buffer | null = null;
		if (source.base64 !== undefined) {
			content = decodeBase64(source.base64);
			if (!content) entry.error = 'the base64 content could not be decoded';
		} else if (source.url && options.download) {
			try {
				content = await download(ctx, source.url, options.downloadTimeoutMs);
			} catch (error) {
				entry.error = `download failed: ${describe(error)}`;
			}
		}
		if (!content) continue;

		const signatureError = checkSignature(source.kind, content);
		if (signatureError) {
			entry.error = signatureError;
			continue;
		}
		const fileName = fileNameFor(names.documentType, names.documentNumber, source.kind);
		binary[source.kind] = await ctx.helpers.prepareBinaryData(
			content,
			fileName,
			MIME_TYPES[source.kind],
		);
		entry.binaryProperty = source.kind;
		entry.fileName = fileName;
	}
	return { files, binary };
}
