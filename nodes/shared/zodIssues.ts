import type { ZodError } from 'zod/v4';

import type { PayloadIssue } from './types';

/** zod's issues in the contract's `{ path, message }` form, path as `a.b.0.c`. */
export function toPayloadIssues(
	error: ZodError,
	pathPrefix: Array<string | number> = [],
): PayloadIssue[] {
	return error.issues.map((issue) => ({
		path: [...pathPrefix, ...issue.path].map(String).join('.'),
		message: issue.message,
	}));
}
