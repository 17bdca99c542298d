/**
 * The *Document Details* reading: a document's XML (iLink's UBL 2.1 / CIUS-PT, InvoiCy's NFS-e)
 * to `details`, one shape for both senders (see `./types`). It never throws: XML that cannot be
 * read, or that is neither a UBL invoice nor an NFS-e, gives `details: null` and a warning, and
 * the delivery goes on as without the option.
 */
import type { XmlElement, XmlLimits } from '../xml';
import { readXml } from '../xml';
import { readAbrasfNfse, readNationalNfse } from './nfse';
import { DetailsReader } from './read';
import type { DetailsResult, DetailsWarning } from './types';
import { isUbl, readUbl } from './ubl';

export type * from './types';

/** How deep below the root an NFS-e may sit in its wrappers (SOAP envelope, answer, list). */
const NFSE_SEARCH_DEPTH = 10;
const NFSE_ELEMENTS = new Set(['infNFSe', 'infDPS', 'InfNfse']);

/**
 * `details` from a document's XML bytes or text; `options` bound the XML reader (size, depth,
 * element count: see `XmlLimits`). Never throws.
 */
export function readDocumentDetails(
	xml: Buffer | Uint8Array | string,
	options: XmlLimits = {},
): DetailsResult {
	try {
		const parsed = readXml(xml, options);
		if (!parsed.ok) return failed(`the XML could not be read: ${parsed.error.message}`);
		const root = parsed.root;
		const reader = new DetailsReader();
		if (isUbl(root)) return detach({ details: readUbl(root, reader), warnings: reader.warnings });
		const found = findNfse(root);
		if (!found.length)
			return failed(`not a UBL invoice or credit note, nor an NFS-e (root element <${root.name}>)`);
		const first = found[0];
		const details =
			first.name === 'InfNfse' ? readAbrasfNfse(first, reader) : readNationalNfse(first, reader);
		if (found.length > 1)
			reader.warn(
				'details',
				`the XML holds ${found.length} NFS-e; details are those of the first (${first.name})`,
			);
		return detach({ details, warnings: reader.warnings });
	} catch (error) {
		return failed(
			`the document's details could not be read: ${error instanceof Error ? error.message : String(error)}`,
		);
	}
}

/**
 * The result with its own copies of the strings: a value read from the document is a slice of the
 * whole decoded XML text, and would keep all of it alive for as long as the item lives.
 */
function detach<T>(value: T): T {
	if (typeof value === 'string') return (value.length < 13 ? value : (' ' + value).slice(1)) as T;
	if (Array.isArray(value)) return value.map(detach) as T;
	if (value !== null && typeof value === 'object') {
		const copy: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) copy[key] = detach(inner);
		return copy as T;
	}
	return value;
}

function failed(message: string): DetailsResult {
	const warning: DetailsWarning = { path: 'details', message };
	return { details: null, warnings: [warning] };
}

/**
 * The NFS-e in the document, breadth first from the root and no deeper than the wrappers go:
 * an element that is one is not searched further (an `infNFSe` holds its `infDPS`).
 */
function findNfse(root: XmlElement): XmlElement[] {
	const found: XmlElement[] = [];
	let level = [root];
	for (let depth = 0; depth <= NFSE_SEARCH_DEPTH && level.length; depth++) {
		const next: XmlElement[] = [];
		for (const element of level) {
			if (NFSE_ELEMENTS.has(element.name)) found.push(element);
			else for (const inner of element.children) next.push(inner);
		}
		if (found.length) return found;
		level = next;
	}
	return found;
}
