import { hash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/** How many delivery keys a node remembers, and for how long. */
export const DUPLICATE_MEMORY = {
	maxKeys: 5000,
	/** Longer than iLink's retry schedule (10 attempts over about 3 to 7 days). */
	maxAgeMs: 14 * 24 * 60 * 60 * 1000,
};

const STATIC_DATA_KEY = 'recentDeliveries';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What one node remembers. `seen` answers "was this key accepted, and when" in O(1); `buckets`
 * is the persisted form: per day, the key hashes accepted that day, space-separated, oldest
 * first. A delivery appends to today's string and assigns at most a few bucket references to
 * the static data, so its cost does not grow with the number of keys remembered.
 */
interface Memory {
	seen: Map<string, number>;
	buckets: Map<number, string>;
}

/**
 * Memory of each node in this n8n process. The workflow's static data is the copy that survives
 * restarts, but each webhook call works on its own copy of it and the last save wins, so
 * concurrent deliveries could erase each other's keys. This shared map sees every call in the
 * process, and each save writes all of it back.
 */
const processMemory = new Map<string, Memory>();

function shortHash(key: string): string {
	return hash('sha256', key, 'base64url').slice(0, 16);
}

function loadStored(staticData: IDataObject): Memory {
	const memory: Memory = { seen: new Map(), buckets: new Map() };
	const stored = staticData[STATIC_DATA_KEY];
	if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return memory;
	const days = Object.keys(stored)
		.map(Number)
		.filter((day) => Number.isInteger(day))
		.sort((a, b) => a - b);
	for (const day of days) {
		const hashes = (stored as IDataObject)[String(day)];
		if (typeof hashes !== 'string') continue;
		memory.buckets.set(day, hashes);
		for (const hash of hashes.split(' ')) if (hash) memory.seen.set(hash, day * DAY_MS);
	}
	return memory;
}

/** Forgets a hash of a given day's bucket, unless it was accepted again on a later day. */
function forgetHash(memory: Memory, hash: string, day: number): void {
	const seenAt = memory.seen.get(hash);
	if (seenAt !== undefined && Math.floor(seenAt / DAY_MS) === day) memory.seen.delete(hash);
}

function forgetBucket(memory: Memory, day: number): void {
	for (const hash of (memory.buckets.get(day) ?? '').split(' ')) if (hash) forgetHash(memory, hash, day);
	memory.buckets.delete(day);
}

/** Drops days older than the memory's age, then the oldest keys beyond its size. */
function evict(memory: Memory, now: number): void {
	for (const day of memory.buckets.keys()) {
		if ((day + 1) * DAY_MS > now - DUPLICATE_MEMORY.maxAgeMs) break; // days are in order
		forgetBucket(memory, day);
	}
	// Once full, forget the oldest tenth at once: trimming one key per delivery would copy the
	// oldest bucket's string every time. Every remembered hash stands in the bucket of the day it
	// was accepted, so the loop ends.
	if (memory.seen.size <= DUPLICATE_MEMORY.maxKeys) return;
	const target = Math.floor(DUPLICATE_MEMORY.maxKeys * 0.9);
	while (memory.seen.size > target) {
		const oldest = memory.buckets.entries().next();
		if (oldest.done) break;
		const [oldestDay, hashes] = oldest.value;
		const end = hashes.indexOf(' ');
		forgetHash(memory, hashes.slice(0, end), oldestDay);
		const rest = hashes.slice(end + 1);
		if (rest) memory.buckets.set(oldestDay, rest);
		else memory.buckets.delete(oldestDay);
	}
}

/**
 * Remembers a delivery key and says whether it had been seen (within the memory's age) before.
 * Check and record happen in one synchronous step, so two concurrent copies of one delivery in
 * the same process cannot both pass.
 *
 * @param scope identifies the node (workflow id and node id)
 * @param staticData the node's workflow static data, which n8n persists after the call
 */
export function rememberDelivery(
	scope: string,
	staticData: IDataObject,
	key: string,
	now: number,
): { duplicate: boolean } {
	let memory = processMemory.get(scope);
	if (!memory) {
		memory = loadStored(staticData);
		processMemory.set(scope, memory);
	}
	const hash = shortHash(key);
	const seenAt = memory.seen.get(hash);
	if (seenAt !== undefined && now - seenAt <= DUPLICATE_MEMORY.maxAgeMs) return { duplicate: true };

	const today = Math.floor(now / DAY_MS);
	memory.seen.delete(hash); // re-inserted last, keeping the map ordered oldest first
	memory.seen.set(hash, now);
	memory.buckets.set(today, `${memory.buckets.get(today) ?? ''}${hash} `);
	evict(memory, now);
	staticData[STATIC_DATA_KEY] = Object.fromEntries(memory.buckets);
	return { duplicate: false };
}

/** Forgets what this process remembers (tests use it to simulate an n8n restart). */
export function forgetProcessMemory(): void {
	processMemory.clear();
}
