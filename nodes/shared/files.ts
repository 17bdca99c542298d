import { hash } from 'node:crypto';
import type { IBinaryKeyData, IWebhookFunctions } from 'n8n-workflow';

import { privateTarget } from './privateAddresses';
import type { BodyPath, FileEntry, FileKind, FileSource } from './types';

type BinaryKind = Exclude<FileKind, 'other'>;

const MIME_TYPES: Record<BinaryKind, string> = {
	pdf: 'application/pdf',
	xml: 'application/xml',
};

/**
 * HTML's element names: an "XML" whose root element is one of them is a web page (a login or
 * "session expired" page) served in the file's place, with or without `<html>` or a doctype.
 */
const HTML_ELEMENTS = new Set(
	(
		'html head body title meta link script style noscript base div span p a br hr img pre ' +
		'table tbody thead tr td th form input button label select textarea iframe frameset ' +
		'frame center font b i u em strong small h1 h2 h3 h4 h5 h6 ul ol li section article ' +
		'main header footer nav aside'
	).split(' '),
);

/**
 * The name of an XML document's root element, past a byte-order mark, the XML declaration,
 * comments, processing instructions and a doctype. Null when the text is no XML at all;
 * undefined when `head` ends before the root element does.
 */
export function xmlRootName(head: string): string | null | undefined {
	let at = head.startsWith('\uFEFF') ? 1 : head.startsWith('\xEF\xBB\xBF') ? 3 : 0;
	for (;;) {
		while (at < head.length && /\s/.test(head[at])) at++;
		if (at >= head.length) return undefined;
		if (head[at] !== '<') return null;
		if (!head.startsWith('<?', at) && !head.startsWith('<!', at))
			return /^<([A-Za-z_][\w.:-]*)/.exec(head.slice(at, at + 256))?.[1] ?? null;
		const end = endOfPrologPart(head, at);
		if (end === undefined) return undefined; // the part runs on past `head`
		at = end;
	}
}

/**
 * Where the declaration, processing instruction, comment or doctype starting at `at` ends (a
 * doctype past its internal subset `[...]`), or undefined when it does not end within `head`.
 */
function endOfPrologPart(head: string, at: number): number | undefined {
	const close = head.startsWith('<?', at) ? '?>' : head.startsWith('<!--', at) ? '-->' : '>';
	const subset = head.indexOf('[', at);
	const from =
		close === '>' && subset !== -1 && subset < head.indexOf('>', at)
			? head.indexOf(']', subset)
			: at;
	const end = from === -1 ? -1 : head.indexOf(close, from);
	return end === -1 ? undefined : end + close.length;
}

/** How much of a file its signature check reads. */
const HEAD_BYTES = 4096;

/** What a file of each kind must look like at its start, to catch a mislabelled file. */
const SIGNATURES: Record<BinaryKind, (head: string) => boolean> = {
	pdf: (head) => head.slice(0, 1024).includes('%PDF-'),
	// XML, and not an (X)HTML page, whatever its declaration or doctype: judged by the root.
	xml: (head) => {
		const root = xmlRootName(head);
		if (root === null || /<!doctype\s+html[\s>]/i.test(head)) return false;
		return root === undefined || !HTML_ELEMENTS.has(root.replace(/^.*:/, '').toLowerCase());
	},
};

/** A `data:` URL's prefix, in any letter case. */
const DATA_URL_PREFIX = /^\s*data:[^,]{0,200};base64,/i;
/** The base64 and base64url alphabets, with line breaks and optional padding. */
const BASE64_TEXT = /^[A-Za-z0-9+/_-\s]*={0,2}\s*$/;

export interface FileOptions {
	/** Download files that arrive as URLs. */
	download: boolean;
	downloadTimeoutMs: number;
	/** Download links that point at loopback, link-local or private addresses too. */
	allowPrivateAddresses?: boolean;
}

/** The longest file name common file systems take, in bytes (the names built here are ASCII). */
const MAX_FILE_NAME_BYTES = 255;
/** Names Windows keeps for devices, whatever the extension. */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A file name from the document type and number, e.g. `FT_2025-123.pdf` or `NFSe_1021.pdf`:
 * letters, digits, `.`, `_` and `-` only, starting with neither (a dot hides a file, a dash reads
 * as an option), no Windows device name, at most 255
 * bytes; a longer name is cut and ends in a short hash of the whole, so that two long numbers
 * still give two names.
 */
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
	const safe =
		`${base}${suffix}`
			.replace(/[/\\]/g, '-')
			.replace(/[^A-Za-z0-9._-]+/g, '_')
			.replace(/^[._-]+/, '') || 'document';
	const extension = `.${kind}`;
	const room = MAX_FILE_NAME_BYTES - extension.length;
	const short =
		safe.length <= room
			? safe
			: `${safe.slice(0, room - 9)}~${hash('sha256', safe, 'hex').slice(0, 8)}`;
	return `${WINDOWS_DEVICE_NAME.test(short) ? `${short}_` : short}${extension}`;
}

/**
 * Decodes base64 exactly once: standard or base64url, padded or not, with line breaks, with or
 * without a `data:...;base64,` prefix. Node's decoder takes all of these but silently skips
 * characters outside the alphabets, so unless the decoded length is exactly what the text
 * implies (the common case, checked without scanning), the text is checked character by character.
 */
export function decodeBase64(text: string): Buffer | null {
	const body = DATA_URL_PREFIX.test(text.slice(0, 256)) ? text.replace(DATA_URL_PREFIX, '') : text;
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
	const head = content.subarray(0, HEAD_BYTES).toString('latin1');
	return SIGNATURES[kind](head) ? undefined : `the content is not a ${kind.toUpperCase()} file`;
}

/** How many redirects a download follows; each target is checked as the link itself is. */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * n8n's egress filter (`helpers.getSecureEgressFilter`, n8n 2.x): it checks a link with n8n's
 * SSRF rules, resolving its host name. Older n8n has none.
 */
interface EgressHelpers {
	getSecureEgressFilter?(policy?: 'safe' | 'enforced' | 'unsafe'): {
		validateUrl(url: string): Promise<{ ok: boolean; error?: unknown }>;
	};
}

/**
 * Why a link must not be fetched, or undefined. Only http and https are fetched. Unless private
 * addresses are allowed, a link that itself names a private target is refused, and where n8n
 * has an egress filter its verdict, names resolved, counts too ('enforced': n8n's block list
 * even where the instance has not switched its SSRF protection on; the instance's allow-lists
 * still apply). A name n8n could not resolve is left to the download, which then fails.
 */
async function refusal(
	ctx: IWebhookFunctions,
	link: string,
	options: FileOptions,
): Promise<string | undefined> {
	let url: URL;
	try {
		url = new URL(link);
	} catch {
		return 'the link is not a URL';
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		return `only http and https links are downloaded, not ${url.protocol.slice(0, 20)}`;
	if (options.allowPrivateAddresses) return undefined;
	const unlessAllowed = '; not downloaded (the option Allow Private Addresses allows it)';
	const target = privateTarget(url);
	if (target) return `${target}${unlessAllowed}`;
	const filter = (ctx.helpers as EgressHelpers).getSecureEgressFilter?.('enforced');
	try {
		const verdict = await filter?.validateUrl(url.href);
		if (verdict && !verdict.ok)
			return `n8n's egress rules refuse the link (${describe(verdict.error)})${unlessAllowed}`;
	} catch {
		// No verdict (the name did not resolve here): the download says what happens.
	}
	return undefined;
}

/** One GET, redirects not followed, whatever the status: n8n's full response. */
async function get(
	ctx: IWebhookFunctions,
	url: string,
	timeoutMs: number,
): Promise<{ statusCode: number; headers: Record<string, unknown>; body: ArrayBuffer | Buffer }> {
	return (await ctx.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'arraybuffer',
		timeout: timeoutMs,
		json: false,
		disableFollowRedirect: true,
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
	})) as { statusCode: number; headers: Record<string, unknown>; body: ArrayBuffer | Buffer };
}

/**
 * Downloads a link, following redirects itself so that every target is checked: the content,
 * or why there is none. Network errors throw.
 */
async function download(
	ctx: IWebhookFunctions,
	link: string,
	options: FileOptions,
): Promise<{ content: Buffer } | { error: string }> {
	let target = link;
	for (let redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
		const refused = await refusal(ctx, target, options);
		if (refused) return { error: redirects ? `a redirect to ${refused}` : refused };
		const response = await get(ctx, target, options.downloadTimeoutMs);
		const location = response.headers?.location;
		if (REDIRECT_STATUSES.has(response.statusCode) && typeof location === 'string') {
			target = new URL(location, target).href;
			continue;
		}
		if (response.statusCode < 200 || response.statusCode > 299)
			return { error: `download failed: the server answered ${response.statusCode}` };
		const body = response.body;
		return { content: Buffer.isBuffer(body) ? body : Buffer.from(body) };
	}
	return { error: `download failed: more than ${MAX_REDIRECTS} redirects` };
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

		const found = await fileContent(ctx, source, kind, options);
		if (found.error) entry.error = found.error;
		const content = found.content;
		if (!content) continue;
		const fileName = fileNameFor(names.documentType, names.documentNumber, kind, property);
		binary[property] = await ctx.helpers.prepareBinaryData(content, fileName, MIME_TYPES[kind]);
		bytes[property] = content;
		entry.binaryProperty = property;
		entry.fileName = fileName;
		if (found.inline && source.contentPath) {
			decoded.push({
				path: source.contentPath,
				marker: `[binary ${kind}, ${content.length} bytes]`,
			});
		}
	}
	return { files, binary, bytes, decoded };
}

/**
 * A file's bytes: the inline content when it decodes to the right kind of file, else the link's
 * (downloaded when downloads are on), else none; `error` says what went wrong on the way.
 */
async function fileContent(
	ctx: IWebhookFunctions,
	source: FileSource,
	kind: BinaryKind,
	options: FileOptions,
): Promise<{ content?: Buffer; inline?: boolean; error?: string }> {
	let inlineError: string | undefined;
	if (source.content !== undefined) {
		const content = decodeContent(kind, source.content);
		inlineError = content
			? checkSignature(kind, content)
			: kind === 'xml'
				? 'the inline content is neither XML text nor valid base64'
				: 'the inline content is not valid base64';
		if (content && !inlineError) return { content, inline: true };
	}
	if (!source.url || !options.download) return { error: inlineError };
	// An inline file that is not one falls back to the link.
	const prefix = inlineError ? `${inlineError}; ` : '';
	try {
		const fetched = await download(ctx, source.url, options);
		if ('error' in fetched) return { error: `${prefix}${fetched.error}` };
		const signatureError = checkSignature(kind, fetched.content);
		return signatureError ? { error: signatureError } : { content: fetched.content };
	} catch (error) {
		return { error: `${prefix}download failed: ${describe(error)}` };
	}
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
