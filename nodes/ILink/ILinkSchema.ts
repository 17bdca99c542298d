import { z } from 'zod/v4';

import { stringish } from '../shared/zodTypes';

/**
 * What an iLink webhook delivers. The exact schema lives only in iLink's Swagger, so this follows
 * the document object of `GET /apps/documents/{id}` and is deliberately tolerant: unknown
 * fields pass, numbers may arrive as strings, and the labelled fields (`state_document`,
 * `type_document_fact`, ...) may be objects or plain strings.
 */

/** A label as an object (`{ alias, type, code, description }`) or as a plain string. */
const label = z.union([
	z
		.object({
			id: stringish.nullish(),
			code: stringish.nullish(),
			alias: stringish.nullish(),
			alias_espap: stringish.nullish(),
			type: stringish.nullish(),
			description: z.string().nullish(),
		})
		.passthrough(),
	z.string(), // objects are the documented form, so they are tried first
]);

const party = z
	.object({
		number: stringish.nullish(),
		name: z.string().nullish(),
	})
	.passthrough();

const attachment = z
	.object({
		type: z.string().nullish(),
		file: z.string().nullish(),
		ubl_type: z.string().nullish(),
	})
	.passthrough();

const reason = z.union([
	z.object({ reason: z.string().nullish(), created_at: z.string().nullish() }).passthrough(),
	z.string(),
]);

export const iLinkDocumentSchema = z
	.object({
		id: stringish.refine((id) => id.trim() !== '', 'Document id must not be empty'),
		number: stringish.nullish(),
		atcud: z.string().nullish(),
		emission_date: z.string().nullish(),
		due_date: z.string().nullish(),
		type_document_fact: label.nullish(),
		type_document: label.nullish(),
		state_document: label.nullish(),
		state_edi_document: label.nullish(),
		currency: z
			.union([z.object({ code: z.string().nullish() }).passthrough(), z.string()])
			.nullish(),
		supplier: party.nullish(),
		customer: party.nullish(),
		amounts: z
			.object({ payable_amount: stringish.nullish(), total_amount: stringish.nullish() })
			.passthrough()
			.nullish(),
		attachments: z.array(attachment).nullish(),
		reasons: z.preprocess(
			(value) => (Array.isArray(value) || value == null ? value : [value]),
			z.array(reason).nullish(),
		),
	})
	.passthrough();

const nonEmpty = (value: string) => value.trim() !== '';

/** A status change must say which state the document is in now: an alias, or a state name. */
const currentState = z.union([
	z
		.object({ alias: stringish.refine(nonEmpty, 'The state alias must not be empty') })
		.passthrough(),
	z.string().refine(nonEmpty, 'The state must not be empty'),
]);

export const iLinkStatusChangeSchema = iLinkDocumentSchema.extend({ state_document: currentState });

export type ILinkDocument = z.infer<typeof iLinkDocumentSchema>;
export type ILinkLabel = z.infer<typeof label>;
