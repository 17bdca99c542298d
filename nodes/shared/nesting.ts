import type { BodyPath, PayloadIssue } from './types';
import { withMarkers } from './files';

/**
 * How deep a body may nest and still be kept whole in `raw`: far deeper than any e-invoice
 * (iLink's documents nest 3 levels, InvoiCy's 4), far shallower than what overflows a recursive
 * reader (JSON.stringify, and n8n's copies of an item, fail at a few thousand levels).
 */
export const MAX_NESTING = 64;

const MARKER = `[nested more than ${MAX_NESTING} levels deep; not kept]`;

/** What a warning quotes of a path: its first segments, each cut short. */
const PATH_SEGMENTS_QUOTED = 6;
const SEGMENT_LENGTH = 40;

/** A path for a warning, short whatever the keys and the depth: `a.b.c.0.d.e…`. */
export function quotePath(path: BodyPath): string {
	const quoted = path
		.slice(0, PATH_SEGMENTS_QUOTED)
		.map((segment) => String(segment).slice(0, SEGMENT_LENGTH));
	return `${quoted.join('.')}${path.length > PATH_SEGMENTS_QUOTED ? '…' : ''}`;
}

/** Whether any value in the body is nested deeper than MAX_NESTING: the cheap walk every delivery takes. */
function nestsTooDeep(body: unknown): boolean {
	const values: unknown[] = [body];
	const depths: number[] = [0];
	while (values.length) {
		const value = values.pop() as object;
		const depth = depths.pop() as number;
		if (depth >= MAX_NESTING) return true;
		for (const entry of Array.isArray(value) ? value : Object.values(value)) {
			if (typeof entry !== 'object' || entry === null) continue;
			values.push(entry);
			depths.push(depth + 1);
		}
	}
	return false;
}

/** The paths of the values nested deeper than MAX_NESTING (walked only when there are some). */
function tooDeepPaths(body: unknown): BodyPath[] {
	const found: BodyPath[] = [];
	const stack: Array<{ value: unknown; path: BodyPath }> = [{ value: body, path: [] }];
	while (stack.length) {
		const { value, path } = stack.pop()!;
		if (typeof value !== 'object' || value === null) continue;
		if (path.length >= MAX_NESTING) {
			found.push(path);
			continue;
		}
		const entries: Array<[string | number, unknown]> = Array.isArray(value)
			? value.map((entry, index) => [index, entry])
			: Object.entries(value);
		for (const [key, entry] of entries) stack.push({ value: entry, path: [...path, key] });
	}
	return found;
}

/**
 * The body with every value nested deeper than MAX_NESTING replaced by a marker, and a warning
 * per value replaced. The body is walked without recursion; only the objects on the way to a
 * replaced value are copied (none for an ordinary body, which comes back as it was).
 */
export function capNesting<T>(body: T): { body: T; warnings: PayloadIssue[] } {
	if (typeof body !== 'object' || body === null || !nestsTooDeep(body))
		return { body, warnings: [] };
	const tooDeep = tooDeepPaths(body);
	return {
		body: withMarkers(
			body,
			tooDeep.map((path) => ({ path, marker: MARKER })),
		),
		warnings: tooDeep.map((path) => ({
			path: quotePath(path),
			message: `Nested more than ${MAX_NESTING} levels deep; replaced in raw by a marker`,
		})),
	};
}
