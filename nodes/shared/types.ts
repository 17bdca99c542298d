import type { IDataObject } from 'n8n-workflow';

/** A party to a document: the issuer or the recipient. */
export interface Party extends IDataObject {
	taxId: string | null;
	name: string | null;
}

/** The kinds of file a document can carry; each becomes the binary property of the same name. */
export type FileKind = 'pdf' | 'xml';

/** Where a document's file comes from: inline base64 (InvoiCy) or a URL to download (iLink). */
export interface FileSource {
	kind: FileKind;
	base64?: string;
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
 * `raw` and `receivedAt` are added by the shared delivery pipeline.
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

/** One document found in a valid delivery, ready to become an item. */
export interface ParsedDocument {
	/** Core fields followed by the sender's own extra fields. */
	fields: DocumentFields;
	files: FileSource[];
	/** Identifies this delivery for duplicate suppression (a retry has the same key). */
	duplicateKey: string;
}

/** One problem found by the schema, as the contract's 422 body and Invalid items show it. */
export interface PayloadIssue extends IDataObject {
	path: string;
	message: string;
}

export type ParseResult =
	| { valid: true; documents: ParsedDocument[] }
	| { valid: false; issues: PayloadIssue[] };
