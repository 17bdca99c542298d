import type { IDataObject } from 'n8n-workflow';

import type { DocumentKeys } from './duplicates';

/** A party to a document: the issuer or the recipient. */
export interface Party extends IDataObject {
	taxId: string | null;
	name: string | null;
}

/**
 * The kinds of file a document can carry. A PDF or XML becomes the binary property of the same
 * name; any other attachment is listed with its URL only.
 */
export type FileKind = 'pdf' | 'xml' | 'other';

/** A path into the delivery's body, as zod reports it: keys and list indexes. */
export type BodyPath = Array<string | number>;

/** Where a document's file comes from: inline content (base64, or XML text) or a URL to download. */
export interface FileSource {
	kind: FileKind;
	/** The binary property it becomes; default: the kind (`pdf`, `xml`). */
	property?: string;
	content?: string;
	/** Where the inline content sits in the body, so that `raw` can hold a marker in its place. */
	contentPath?: BodyPath;
	url?: string;
}

/** What the item's `files` array says about each file. */
export interface FileEntry extends IDataObject {
	kind: FileKind;
	url?: string;
	binaryProperty?: string;
	fileName?: string;
	error?: string;
}

/**
 * The contract's core item fields that a sender mapping fills in; `source`, `event`, `files`,
 * `raw`, `receivedAt` and `warnings` are added by the shared delivery pipeline.
 */
export interface DocumentFields extends IDataObject {
	documentId: string;
	documentNumber: string | null;
	documentType: string | null;
	status: string | null;
	statusCode: string | number | null;
	statusDescription: string | null;
	issuer: Party;
	recipient: Party;
	issueDate: string | null;
	totalAmount: number | null;
	currency: string | null;
}

/** One problem found in a payload: a schema issue (422 body, Invalid items) or a warning. */
export interface PayloadIssue extends IDataObject {
	path: string;
	message: string;
}

/** One document (or account notification) found in a delivery, ready to become an item. */
export interface ParsedDocument {
	/** The item's `event` when it is not the trigger's own (InvoiCy's account notifications). */
	event?: string;
	/** Core fields followed by the sender's own extra fields. */
	fields: IDataObject & { documentType?: string | null; documentNumber?: string | null };
	files: FileSource[];
	/** What makes this document event one event, for duplicate suppression and `deliveryKey`. */
	keys: DocumentKeys;
	/** Optional fields that could not be understood and were set to null. */
	warnings: PayloadIssue[];
}

/**
 * What a delivery holds: the documents that can be emitted, and the issues of those that cannot
 * (a document without what identifies it). A delivery of several documents is judged per document.
 */
export interface ParseResult {
	documents: ParsedDocument[];
	/** Per document that cannot be emitted, its issues. */
	invalid: PayloadIssue[][];
}
