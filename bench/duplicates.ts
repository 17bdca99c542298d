/**
 * The duplicate memory as n8n drives it: n8n re-reads the workflow's static data from its
 * database for every webhook call, so each delivery gets a copy of an earlier save, about as
 * many saves behind as there are deliveries in flight (20 here). Measured per delivery, by the
 * number of keys remembered: the memory's work (check, hold, hand over, n8n serialising it)
 * against the floor n8n itself pays for the same data, JSON.parse of the stored static data;
 * and the bytes n8n writes back per accepted delivery, beside what 0.1.x's form (16 characters
 * and a space per key) holds for the same keys.
 *
 * Run: node --import tsx bench/duplicates.ts
 */
import type { IDataObject } from 'n8n-workflow';

import { claimNow, forgetProcessMemory } from '../nodes/shared/duplicates';

const IN_FLIGHT = 20;
const now = Date.now();
const answered = { statusCode: 200, writableFinished: true, closed: true };

forgetProcessMemory();
const saves: string[] = [JSON.stringify({})];
let key = 0;
const rows: string[] = [];
for (const upTo of [1000, 2500, 5000, 7500]) {
	let memoryNs = 0;
	let floorNs = 0;
	const from = key;
	let saved = '';
	while (key < upTo) {
		const stored = saves[Math.max(0, saves.length - IN_FLIGHT)];
		let t0 = process.hrtime.bigint();
		const staticData = JSON.parse(stored) as IDataObject;
		floorNs += Number(process.hrtime.bigint() - t0);
		t0 = process.hrtime.bigint();
		const claim = claimNow({ scope: 'bench', staticData, maxAgeMs: 8 * 86_400_000, now }, [
			{ key: `delivery-${key++}` },
		]);
		if (!('repeats' in claim)) throw new Error('nothing is in flight here');
		const items = [[{ json: {} }]];
		claim.handOver(items, answered, () => undefined);
		JSON.stringify(items); // n8n writes the execution
		saved = JSON.stringify(staticData); // then saves the static data
		memoryNs += Number(process.hrtime.bigint() - t0);
		saves.push(saved);
		if (saves.length > IN_FLIGHT) saves.shift();
	}
	const count = key - from;
	const keysHeld =
		Object.values(
			(JSON.parse(saved) as { deliveryMemory: Record<string, string> }).deliveryMemory,
		).join('').length / 8;
	const legacy = JSON.stringify({ recentDeliveries: { 20000: 'x'.repeat(17 * keysHeld) } });
	rows.push(
		`| ${from + 1}–${upTo} | ${(memoryNs / count / 1000).toFixed(1)} µs | ${(floorNs / count / 1000).toFixed(1)} µs | **${(memoryNs / floorNs).toFixed(2)}×** | ${keysHeld} | ${(Buffer.byteLength(saved) / 1024).toFixed(1)} KB | ${(legacy.length / 1024).toFixed(1)} KB |`,
	);
}
process.stdout.write(
	[
		`| deliveries | the memory's work | floor: JSON.parse of the stored static data | ratio | keys held | static data n8n writes per accepted delivery | the same keys in 0.1.x's form |`,
		'|---|---|---|---|---|---|---|',
		...rows,
	].join('\n') + '\n',
);
