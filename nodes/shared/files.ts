import type { IBinaryKeyData, IWebhookFunctions } from 'n8n-workflow';

import type { BodyPath, FileEntry, FileKind, FileSource } from './types';

type BinaryKind = Exclude<FileKind, 'other'>;

const MIME_TYPES: Record<BinaryKind, string> = {
	pdf: 'application/pdf',
	xml: 'application/xml',
};

/** What a file of each kind must look like within its first KiB, to catch a mislabelled file. */
const SIGNATURES: Record<BinaryKind, (head: string) => boolean> = {
	pdf: (head) => head.includes('%PDF-'),
	// An XML document, not an HTML or XHTML page (a login or "session expired" page served
	// instead of the file), which may well start with an XML declaration.
	xml: (head) =>
		/^(\uFEFF|\xEF\xBB\xBF)?\s*</.test(head) && !/<(!doctype\s+)?html[\s>]/i.test(head),
};

const DATA_URL_PREFIX = /^data:[^,]{0,200};base64,/i;
/** The base64 and base64url alphabets, with line breaks and optional padding. */
const BASE64_TEXT = /^[A-Za-z0-9+/_-\s]*={0,2}\s*$/;

export interface FileOptions {
	/** Download files that arrive as URLs. */
	download: boolean;
	downloadTimeoutMs: number;
}

/** A file name from the document type and number, e.g. `FT_2025-123.pdf` or `NFSe_1021.pdf`. */
export function fileNameFor(
	documentType: string | null | undefined,
	documentNumber: string | null | undefined,
	kind: FileKind,
	property: string = kind,
): string {
	const number = documentNumber ?? 'document';
	const base =
		documentType && !number.toUpperCase().startsWith(documentType.toUpperCase())
			? `${documentType}_${number}`
			: number;
	const suffix = property === kind ? '' : `_${property}`;
	const safe = `${base}${suffix}`
		.replace(/[/\\]/g, '-')
		.replace(/[^A-Za-z0-9._-]+/g, '_')
		.replace(/^[._]+/, '');
	return `${safe || 'document'}.${kind}`;
}

/**
 * Decodes base64 exactly once: standard or base64url, padded or not, with line breaks, with or
 * without a `data:...;base64,` prefix. Node's decoder takes all of these but silently skips
 * characters outside the alphabets, so unless the decoded length is exactly what the text
 * implies (the common case, checked without scanning), the text is checked character by character.
 */
export function decodeBase64(text: string): Buffer | null {
	const body = text.startsWith('data:') ? text.replace(DATA_URL_PREFIX, '') : text;
	const buffer = Buffer.from(body, 'base64');
	const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
	if (body.length % 4 === 0 && buffer.length === (body.length * 3) / 4 - padding) return buffer;
	return BASE64_TEXT.test(body) ? buffer : null;
}

/** Inline content: XML sent as text is the XML itself; anything else is base64. */
function decodeContent(kind: FileKind, content: string): Buffer | null {
	if (kind === 'xml' && /^(\uFEFF)?\s*</.test(content.slice(0, 64)))
		return Buffer.from(content, 'utf8');
	return decodeBase64(content);
}

function checkSignature(kind: BinaryKind, content: Buffer): string | undefined {
	const head = content.subarray(0, 1024).toString('latin1');
	return SIGNATURES[kind](head) ? undefined : `the content is not a ${kind.toUpperCase()} file`;
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

/** Inline content that became a binary property, so `raw` can hold a marker in its place. */
export interface DecodedContent {
	path: BodyPath;
	marker: string;
}

/** A document's files: item entries, n8n binary data, and what was decoded inline. */
export interface AttachedFiles {
	files: FileEntry[];
	binary: IBinaryKeyData;
	/** The bytes each binary property holds (e.g. `xml`), for the steps that read a file's content. */
	bytes: Partial<Record<string, Buffer>>;
	decoded: DecodedContent[];
}

/**
 * Turns a document's file sources into n8n binary data (property `pdf` / `xml`, or the source's
 * own) and the item's `files` entries. Inline content is decoded; a link is downloaded when no
 * inline content could be. A file that cannot be decoded or downloaded never fails the delivery:
 * its entry keeps the URL and says what went wrong. Other attachments are listed with their URL.
 */
export async function attachFiles(
	ctx: IWebhookFunctions,
	sources: FileSource[],
	names: { documentType?: string | null; documentNumber?: string | null },
	options: FileOptions,
): Promise<AttachedFiles> {
	const binary: IBinaryKeyData = {};
	const bytes: AttachedFiles['bytes'] = {};
	const files: FileEntry[] = [];
	const decoded: DecodedContent[] = [];
	for (const source of sources) {
		const entry: FileEntry = { kind: source.kind };
		if (source.url) entry.url = source.url;
		files.push(entry);
		const kind = source.kind;
		const property = source.property ?? kind;
		if (kind === 'other' || binary[property]) continue; // one binary per property: the first wins

		let content: Buffer | null = null;
		if (source.content !== undefined) {
			content = decodeContent(kind, source.content);
			if (!content) {
				entry.error =
					kind === 'xml'
						? 'the inline content is neither XML text nor valid base64'
						: 'the inline content is not valid base64';
			}
		}
		if (!content && source.url && options.download) {
			try {
				content = await download(ctx, source.url, options.downloadTimeoutMs);
				delete entry.error;
			} catch (error) {
				entry.error = `${entry.error ? `${entry.error}; ` : ''}download failed: ${describe(error)}`;
			}
		}
		if (!content) continue;

		const signatureError = checkSignature(kind, content);
		if (signatureError) {
			entry.error = signatureError;
			continue;
		}
		const fileName = fileNameFor(names.documentType, names.documentNumber, kind, property);
		binary[property] = await ctx.helpers.prepareBinaryData(content, fileName, MIME_TYPES[kind]);
		bytes[property] = content;
		entry.binaryProperty = property;
		entry.fileName = fileName;
		if (source.content !== undefined && source.contentPath) {
			decoded.push({
				path: source.contentPath,
				marker: `[binary ${kind}, ${content.length} bytes]`,
			});
		}
	}
	return { files, binary, bytes, decoded };
}

/**
 * The body with each decoded content replaced by its marker. Only the objects on the way to a
 * replaced value are copied: the rest of the body is shared, never cloned.
 */
export function withMarkers<T>(body: T, decoded: DecodedContent[]): T {
	let result = body;
	for (const { path, marker } of decoded) result = replaceAt(result, path, marker) as T;
	return result;
}

function replaceAt(container: unknown, path: BodyPath, value: unknown): unknown {
	if (path.length === 0) return value;
	if (typeof container !== 'object' || container === null) return container;
	const [key, ...rest] = path;
	const copy = (Array.isArray(container) ? [...container] : { ...container }) as Record<
		string | number,
		unknown
	>;
	copy[key] = replaceAt(copy[key], rest, value);
	return copy;
}
