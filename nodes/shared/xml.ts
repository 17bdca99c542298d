/**
 * A small XML reader for the documents the senders attach (UBL 2.1 invoices, NFS-e), within n8n's
 * rules for verified community nodes: no runtime dependency, nothing imported.
 *
 * - Well-formed XML only: one root element, matching end tags, quoted attributes, no stray text or
 *   markup outside the root, names and references as XML 1.0 writes them. Anything else is an
 *   {@link XmlError} with a short message and the offset where reading stopped.
 * - No DTD: a document with `<!DOCTYPE` (and so with `<!ENTITY`) is refused. Nothing is ever
 *   fetched or expanded: the five predefined entities and numeric character references are the
 *   only references there are.
 * - Namespaces by local name: `cbc:ID` is `ID`, `xsi:type` is `type`; `xmlns` and `xmlns:*`
 *   declarations are dropped. Prefixes are not resolved (two prefixes for one name are one name).
 * - Bounded: input length, nesting depth and number of elements have limits ({@link XmlLimits});
 *   the reader is iterative (an explicit stack), so a deep document is a clean error, never a
 *   stack overflow.
 * - Comments and processing instructions are skipped; CDATA is text; a BOM is tolerated; line
 *   ends are normalised to `\n` and literal whitespace in attribute values to spaces, as XML 1.0
 *   says (§2.11, §3.3.3). The XML declaration is checked; characters themselves are not (a control
 *   character in text is kept), nor is `]]>` in text.
 *
 * One pass over the text with `indexOf` and `charCodeAt`: the next `<` and `&` are each searched
 * for once and remembered, so that the whole read stays linear in the document's length.
 */

/** An element: its local name, attributes by local name, child elements and direct text. */
export interface XmlElement {
	/** The local name, without prefix: `cbc:ID` → `ID`. */
	name: string;
	/** Attributes by local name, references decoded; namespace declarations are not listed. */
	attributes: Record<string, string>;
	/** Child elements, in document order. */
	children: XmlElement[];
	/**
	 * All character data directly inside the element (text and CDATA sections, in document order,
	 * references decoded), including whitespace between child elements. {@link text} trims it.
	 */
	text: string;
}

/** Limits on what the reader accepts. */
export interface XmlLimits {
	/** Longest input: bytes for a Buffer, UTF-16 code units for a string. Default 32 MiB. */
	maxLength?: number;
	/** Deepest nesting of elements (the root is depth 1). Default 256. */
	maxDepth?: number;
	/** Most elements in the document. Default 1,000,000. */
	maxElements?: number;
}

export const XML_LIMITS: Readonly<Required<XmlLimits>> = {
	maxLength: 32 * 1024 * 1024,
	maxDepth: 256,
	maxElements: 1_000_000,
};

/** Why a document was refused: a short message, and where (UTF-16 offset in the decoded text). */
export class XmlError extends Error {
	readonly offset: number;

	constructor(message: string, offset: number) {
		super(message);
		this.name = 'XmlError';
		this.offset = offset;
	}
}

/** The outcome of {@link readXml}: the root element, or why there is none. */
export type XmlReadResult = { ok: true; root: XmlElement } | { ok: false; error: XmlError };

// Character classes for names, ASCII only; every code unit from 0x80 up is accepted in names.
const NAME_START = 1;
const NAME_CHAR = 2;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
	const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
	if (letter || c === 95 || c === 58) CLASS[c] = NAME_START | NAME_CHAR;
	else if ((c >= 48 && c <= 57) || c === 45 || c === 46) CLASS[c] = NAME_CHAR;
}
const isNameStart = (c: number) => (c < 128 ? (CLASS[c] & NAME_START) !== 0 : c !== 0xfeff);
const isNameChar = (c: number) => (c < 128 ? (CLASS[c] & NAME_CHAR) !== 0 : c !== 0xfeff);
const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;

const GT = 62;
const SLASH = 47;
const BANG = 33;
const QUESTION = 63;
const EQUALS = 61;
const QUOT = 34;
const APOS = 39;
const AMP = 38;
const COLON = 58;

/** Windows-1252's characters for bytes 0x80–0x9F (latin1 has C1 controls there). */
const CP1252_C1 =
	'\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
	'\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * The document as text. A string is taken as it is. Bytes are decoded by their byte order mark,
 * else by the XML declaration's `encoding` (UTF-8, UTF-16, ISO-8859-1, Windows-1252, US-ASCII),
 * else as UTF-8. Line ends become `\n` and a leading BOM is dropped.
 */
function decodeInput(input: string | Uint8Array): string {
	let text: string;
	if (typeof input === 'string') {
		text = input;
	} else {
		const bytes = Buffer.isBuffer(input)
			? input
			: Buffer.from(input.buffer, input.byteOffset, input.byteLength);
		text = decodeBytes(bytes);
	}
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (text.indexOf('\r') !== -1) text = text.replace(/\r\n?/g, '\n');
	return text;
}

function decodeBytes(bytes: Buffer): string {
	const [b0, b1, b2] = bytes;
	if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return bytes.toString('utf8', 3);
	if (b0 === 0xff && b1 === 0xfe) return bytes.toString('utf16le', 2);
	if (b0 === 0xfe && b1 === 0xff) return utf16be(bytes.subarray(2));
	if (b0 === 0x3c && b1 === 0x00) return bytes.toString('utf16le');
	if (b0 === 0x00 && b1 === 0x3c) return utf16be(bytes);
	const head = bytes.toString('latin1', 0, Math.min(bytes.length, 256));
	const declared = /^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
	const encoding = (declared ?? 'utf-8').toLowerCase();
	if (encoding === 'utf-8' || encoding === 'utf8') return bytes.toString('utf8');
	if (
		['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1', 'us-ascii', 'ascii'].includes(
			encoding,
		)
	)
		return bytes.toString('latin1');
	if (encoding === 'windows-1252' || encoding === 'cp1252')
		return bytes
			.toString('latin1')
			.replace(/[\x80-\x9f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]);
	if (encoding === 'utf-16' || encoding === 'utf-16le') return bytes.toString('utf16le');
	throw new XmlError(`unsupported encoding "${declared}"`, 0);
}

function utf16be(bytes: Buffer): string {
	const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
	return swapped.swap16().toString('utf16le');
}

/** The XML declaration (§2.8): version, then optionally encoding and standalone, in that order. */
const XML_DECLARATION =
	/^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>$/;

/** A valid XML 1.0 character (§2.2) for a numeric character reference. */
const isXmlChar = (cp: number) =>
	cp === 9 ||
	cp === 10 ||
	cp === 13 ||
	(cp >= 0x20 && cp <= 0xd7ff) ||
	(cp >= 0xe000 && cp <= 0xfffd) ||
	(cp >= 0x10000 && cp <= 0x10ffff);

/** Reads a document, or says why it cannot: never throws. */
export function readXml(input: string | Uint8Array, limits: XmlLimits = {}): XmlReadResult {
	try {
		return { ok: true, root: parseXml(input, limits) };
	} catch (error) {
		if (error instanceof XmlError) return { ok: false, error };
		// A string longer than the engine allows, or memory: the document is too large to read.
		const message = error instanceof RangeError ? 'document too large to read' : String(error);
		return { ok: false, error: new XmlError(message, 0) };
	}
}

/** Reads a document's root element; throws {@link XmlError} when it is not well-formed XML. */
export function parseXml(input: string | Uint8Array, limits: XmlLimits = {}): XmlElement {
	const maxLength = limits.maxLength ?? XML_LIMITS.maxLength;
	const maxDepth = limits.maxDepth ?? XML_LIMITS.maxDepth;
	const maxElements = limits.maxElements ?? XML_LIMITS.maxElements;
	const length = typeof input === 'string' ? input.length : input.byteLength;
	if (length > maxLength)
		throw new XmlError(`document too large (${length} > ${maxLength} bytes allowed)`, 0);
	return new Reader(decodeInput(input), maxDepth, maxElements).read();
}

class Reader {
	private readonly s: string;
	private readonly n: number;
	/** Position of the next `<` at or after the reading position, -1 when there is none. */
	private nextLt: number;
	/** Position of the next `&` at or after the last text read, -1 when there is none. */
	private nextAmp: number;
	private readonly stack: XmlElement[] = [];
	/** Where each open element's qualified name starts, and its length (for its end tag). */
	private readonly openAt: number[] = [];
	private readonly openLength: number[] = [];
	private readonly attributeNames: string[] = [];
	/** The colon in the last name read by {@link name}, -1 when it has none. */
	private colon = -1;
	private root: XmlElement | null = null;
	private elements = 0;

	constructor(
		text: string,
		private readonly maxDepth: number,
		private readonly maxElements: number,
	) {
		this.s = text;
		this.n = text.length;
		this.nextLt = text.indexOf('<');
		this.nextAmp = text.indexOf('&');
	}

	read(): XmlElement {
		const { s, n, stack } = this;
		let i = 0;
		while (i < n) {
			let lt = this.nextLt;
			if (lt !== -1 && lt < i) lt = this.nextLt = s.indexOf('<', i);
			const textEnd = lt === -1 ? n : lt;
			if (textEnd > i) {
				const current = stack.length ? stack[stack.length - 1] : null;
				if (current) {
					const chunk = this.decode(i, textEnd);
					current.text = current.text === '' ? chunk : current.text + chunk;
				} else {
					this.onlySpace(i, textEnd, 'text outside the root element');
				}
			}
			if (lt === -1) break;
			this.nextLt = s.indexOf('<', lt + 1);
			const c = s.charCodeAt(lt + 1);
			if (c === SLASH) i = this.endTag(lt);
			else if (c === BANG) i = this.markup(lt);
			else if (c === QUESTION) i = this.instruction(lt);
			else i = this.startTag(lt);
		}
		if (stack.length)
			throw new XmlError(`unclosed element <${this.openName(stack.length - 1)}>`, n);
		if (!this.root) throw new XmlError('no root element', n);
		return this.root;
	}

	private onlySpace(from: number, to: number, message: string): void {
		const { s } = this;
		for (let p = from; p < to; p++) if (!isSpace(s.charCodeAt(p))) throw new XmlError(message, p);
	}

	/**
	 * A name from `p`: its end; throws when there is no name there, or when its colon is misplaced
	 * (a qualified name has at most one, between two non-empty parts). Sets {@link colon}.
	 */
	private name(p: number, what: string): number {
		const { s, n } = this;
		const from = p;
		if (p >= n || !isNameStart(s.charCodeAt(p))) throw new XmlError(`bad ${what}`, p);
		let colon = s.charCodeAt(p) === COLON ? p : -1;
		p++;
		for (; p < n; p++) {
			const c = s.charCodeAt(p);
			if (c < 128 ? (CLASS[c] & NAME_CHAR) === 0 : c === 0xfeff) break;
			if (c === COLON) {
				if (colon !== -1) colon = from;
				else colon = p;
			}
		}
		if (colon === from || colon === p - 1)
			throw new XmlError(`bad ${what} "${s.slice(from, p)}"`, from);
		this.colon = colon;
		return p;
	}

	/** The local part of the name `s[from, to)` just read by {@link name}. */
	private localName(from: number, to: number): string {
		return this.s.slice(this.colon === -1 ? from : this.colon + 1, to);
	}

	/** The qualified name of the open element at `depth` (for messages). */
	private openName(depth: number): string {
		return this.s.slice(this.openAt[depth], this.openAt[depth] + this.openLength[depth]);
	}

	private startTag(lt: number): number {
		const { s, n, stack } = this;
		const nameEnd = this.name(lt + 1, 'tag name');
		const element: XmlElement = {
			name: this.localName(lt + 1, nameEnd),
			attributes: {},
			children: [],
			text: '',
		};
		if (stack.length >= this.maxDepth)
			throw new XmlError(`nesting deeper than ${this.maxDepth} elements`, lt);
		if (++this.elements > this.maxElements)
			throw new XmlError(`more than ${this.maxElements} elements`, lt);
		if (stack.length) stack[stack.length - 1].children.push(element);
		else if (this.root) throw new XmlError('more than one root element', lt);
		else this.root = element;

		const seen = this.attributeNames;
		let attributes = 0;
		let p = nameEnd;
		for (;;) {
			const spaced = p < n && isSpace(s.charCodeAt(p));
			while (p < n && isSpace(s.charCodeAt(p))) p++;
			if (p >= n) throw new XmlError(`unclosed tag <${s.slice(lt + 1, nameEnd)}`, lt);
			const c = s.charCodeAt(p);
			if (c === GT || c === SLASH) {
				if (c === SLASH && s.charCodeAt(p + 1) !== GT)
					throw new XmlError(`bad tag <${s.slice(lt + 1, nameEnd)}`, p);
				const end = c === GT ? p : p + 1;
				if (this.nextLt !== -1 && this.nextLt < end)
					throw new XmlError(`"<" inside tag <${s.slice(lt + 1, nameEnd)}`, this.nextLt);
				if (c === GT) {
					stack.push(element);
					this.openAt.push(lt + 1);
					this.openLength.push(nameEnd - lt - 1);
				}
				return end + 1;
			}
			if (!spaced) throw new XmlError(`bad tag <${s.slice(lt + 1, nameEnd)}`, p);
			const attrEnd = this.name(p, 'attribute name');
			const attrName = s.slice(p, attrEnd);
			for (let k = 0; k < attributes; k++)
				if (seen[k] === attrName) throw new XmlError(`duplicate attribute ${attrName}`, p);
			seen[attributes++] = attrName;
			const attrStart = p;
			p = attrEnd;
			while (p < n && isSpace(s.charCodeAt(p))) p++;
			if (s.charCodeAt(p) !== EQUALS) throw new XmlError(`attribute ${attrName} without value`, p);
			p++;
			while (p < n && isSpace(s.charCodeAt(p))) p++;
			const quote = s.charCodeAt(p);
			if (quote !== QUOT && quote !== APOS)
				throw new XmlError(`attribute ${attrName} without quotes`, p);
			const close = s.indexOf(quote === QUOT ? '"' : "'", p + 1);
			if (close === -1) throw new XmlError(`unclosed attribute ${attrName}`, p);
			const isDeclaration =
				attrName.length >= 5 &&
				attrName.startsWith('xmlns') &&
				(attrName.length === 5 || attrName.charCodeAt(5) === COLON);
			if (!isDeclaration) {
				const local = this.localName(attrStart, attrEnd);
				element.attributes[local] = this.attributeValue(p + 1, close);
			}
			p = close + 1;
		}
	}

	/** An attribute value: literal whitespace becomes a space, then references are decoded. */
	private attributeValue(from: number, to: number): string {
		const { s } = this;
		let plain = true;
		for (let p = from; p < to; p++) {
			const c = s.charCodeAt(p);
			if (c === 9 || c === 10 || c === AMP) {
				plain = false;
				break;
			}
		}
		if (plain) return s.slice(from, to);
		const spaced = s.slice(from, to).replace(/[\t\n]/g, ' ');
		return spaced.indexOf('&') === -1 ? spaced : decodeReferences(spaced, 0, spaced.length, from);
	}

	/** Character data `s[from, to)` with its references decoded. */
	private decode(from: number, to: number): string {
		let amp = this.nextAmp;
		if (amp !== -1 && amp < from) amp = this.nextAmp = this.s.indexOf('&', from);
		if (amp === -1 || amp >= to) return this.s.slice(from, to);
		const decoded = decodeReferences(this.s, from, to, 0);
		this.nextAmp = this.s.indexOf('&', to);
		return decoded;
	}

	private endTag(lt: number): number {
		const { s, n, stack } = this;
		const depth = stack.length - 1;
		if (depth < 0) throw new XmlError('end tag without a start tag', lt);
		const openAt = this.openAt[depth];
		const length = this.openLength[depth];
		const from = lt + 2;
		let p = from + length;
		let same = p <= n && !(p < n && isNameChar(s.charCodeAt(p)));
		for (let k = 0; same && k < length; k++)
			same = s.charCodeAt(from + k) === s.charCodeAt(openAt + k);
		if (!same) {
			const end = from < n && isNameStart(s.charCodeAt(from)) ? this.name(from, 'tag name') : from;
			throw new XmlError(
				`mismatched end tag </${s.slice(from, end)}>, expected </${this.openName(depth)}>`,
				lt,
			);
		}
		while (p < n && isSpace(s.charCodeAt(p))) p++;
		if (s.charCodeAt(p) !== GT) throw new XmlError(`bad end tag </${this.openName(depth)}`, p);
		stack.pop();
		this.openAt.pop();
		this.openLength.pop();
		return p + 1;
	}

	/** `<!`: a comment, a CDATA section, or a DTD (refused). */
	private markup(lt: number): number {
		const { s } = this;
		if (s.startsWith('<!--', lt)) {
			const end = s.indexOf('-->', lt + 4);
			if (end === -1) throw new XmlError('unclosed comment', lt);
			if (s.indexOf('--', lt + 4) !== end) throw new XmlError('"--" inside a comment', lt);
			return end + 3;
		}
		if (s.startsWith('<![CDATA[', lt)) {
			const current = this.stack[this.stack.length - 1];
			if (!current) throw new XmlError('CDATA outside the root element', lt);
			const end = s.indexOf(']]>', lt + 9);
			if (end === -1) throw new XmlError('unclosed CDATA section', lt);
			const chunk = s.slice(lt + 9, end);
			current.text = current.text === '' ? chunk : current.text + chunk;
			return end + 3;
		}
		if (s.startsWith('<!DOCTYPE', lt)) throw new XmlError('DTDs are not accepted (<!DOCTYPE>)', lt);
		if (s.startsWith('<!ENTITY', lt))
			throw new XmlError('entity declarations are not accepted (<!ENTITY>)', lt);
		throw new XmlError('bad markup "<!"', lt);
	}

	/** `<?target ...?>`: skipped; `<?xml` only as the document's first characters. */
	private instruction(lt: number): number {
		const { s } = this;
		const targetEnd = this.name(lt + 2, 'processing instruction');
		const end = s.indexOf('?>', targetEnd);
		if (end === -1) throw new XmlError('unclosed processing instruction', lt);
		if (targetEnd < end && !isSpace(s.charCodeAt(targetEnd)))
			throw new XmlError('bad processing instruction', targetEnd);
		if (targetEnd - lt - 2 === 3 && s.slice(lt + 2, targetEnd).toLowerCase() === 'xml') {
			if (lt !== 0) throw new XmlError('XML declaration not at the start of the document', lt);
			if (!XML_DECLARATION.test(s.slice(0, end + 2))) throw new XmlError('bad XML declaration', 0);
		}
		return end + 2;
	}
}

/** The five entities XML predefines (§4.6); there are no others without a DTD. */
function predefined(name: string): string | null {
	switch (name) {
		case 'lt':
			return '<';
		case 'gt':
			return '>';
		case 'amp':
			return '&';
		case 'quot':
			return '"';
		case 'apos':
			return "'";
		default:
			return null;
	}
}

/** `s[from, to)` with `&lt;`-style and numeric references decoded; `base` offsets errors. */
function decodeReferences(s: string, from: number, to: number, base: number): string {
	let out = '';
	let last = from;
	let amp = s.indexOf('&', from);
	while (amp !== -1 && amp < to) {
		const semi = s.indexOf(';', amp + 1);
		if (semi === -1 || semi >= to || semi - amp > 12)
			throw new XmlError('"&" that is not a reference (write &amp;)', base + amp);
		out += s.slice(last, amp);
		if (s.charCodeAt(amp + 1) === 35 /* # */) {
			const hex = s.charCodeAt(amp + 2) === 120; /* x */
			const digits = s.slice(amp + (hex ? 3 : 2), semi);
			if (!(hex ? /^[0-9A-Fa-f]{1,6}$/ : /^[0-9]{1,7}$/).test(digits))
				throw new XmlError(`bad character reference &${s.slice(amp + 1, semi)};`, base + amp);
			const cp = parseInt(digits, hex ? 16 : 10);
			if (!isXmlChar(cp))
				throw new XmlError(
					`character reference to a non-XML character &${s.slice(amp + 1, semi)};`,
					base + amp,
				);
			out += String.fromCodePoint(cp);
		} else {
			const replacement = predefined(s.slice(amp + 1, semi));
			if (replacement === null)
				throw new XmlError(`unknown entity &${s.slice(amp + 1, semi)}; (no DTD)`, base + amp);
			out += replacement;
		}
		last = semi + 1;
		amp = s.indexOf('&', last);
	}
	return out + s.slice(last, to);
}

// Navigation by local name. None of these throws: a missing step gives null or [].

/** The first child element named `name`, or null. */
function firstChild(element: XmlElement, name: string): XmlElement | null {
	const list = element.children;
	for (let k = 0; k < list.length; k++) if (list[k].name === name) return list[k];
	return null;
}

/** The element at a path of local names, each step the first child of that name: `child(invoice, 'AccountingSupplierParty', 'Party')`. */
export function child(
	element: XmlElement | null | undefined,
	...path: string[]
): XmlElement | null {
	let current = element ?? null;
	for (let k = 0; current && k < path.length; k++) current = firstChild(current, path[k]);
	return current;
}

/** All children named by the last step, under the element the earlier steps lead to: `children(invoice, 'InvoiceLine')`. */
export function children(element: XmlElement | null | undefined, ...path: string[]): XmlElement[] {
	if (!path.length) return element ? element.children : [];
	const parent = child(element, ...path.slice(0, -1));
	if (!parent) return [];
	const name = path[path.length - 1];
	return parent.children.filter((candidate) => candidate.name === name);
}

/** The trimmed text at a path (see {@link child}), or null when the element is missing or empty. */
export function text(element: XmlElement | null | undefined, ...path: string[]): string | null {
	const target = child(element, ...path);
	if (!target) return null;
	const value = target.text.trim();
	return value === '' ? null : value;
}

/** An attribute of the element at a path, or null. */
export function attribute(
	element: XmlElement | null | undefined,
	name: string,
	...path: string[]
): string | null {
	const target = child(element, ...path);
	const value = target?.attributes[name];
	return value === undefined ? null : value;
}

/**
 * The first element named `name` at or below `element`, breadth first, looking no deeper than
 * `maxDepth` levels below it; iterative.
 */
export function findFirst(
	element: XmlElement | null | undefined,
	name: string,
	maxDepth = 8,
): XmlElement | null {
	if (!element) return null;
	let level: XmlElement[] = [element];
	for (let depth = 0; depth <= maxDepth && level.length; depth++) {
		const next: XmlElement[] = [];
		for (const candidate of level) {
			if (candidate.name === name) return candidate;
			for (const inner of candidate.children) next.push(inner);
		}
		level = next;
	}
	return null;
}
