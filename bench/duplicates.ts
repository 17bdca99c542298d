/**
 * The duplicate memory as n8n drives it: n8n re-reads the workflow's static data from its
 * database for every webhook call, so each delivery gets a copy of an earlier save, about as
 * many saves behind as there are deliveries in flight (20 here). Measured per delivery, by the
 * number of keys remembered: rememberDelivery() against the floor n8n itself pays for the same
 * data, JSON.parse of the stored static data.
 *
 * Run: node --import tsx bench/duplicates.ts
 */
import type { IDataObject } from 'n8n-workflow';

import { forgetProcessMemory, rememberDelivery } from '../nodes/shared/duplicates';

const IN_FLIGHT = 20;
const now = Date.now();

forgetProcessMemory();
const saves: string[] = [JSON.stringify({})];
let key = 0;
const rows: string[] = [];
for (const upTo of [1000, 2500, 5000, 7500]) {
	let memoryNs = 0;
	let floorNs = 0;
	const from = key;
	while (key < upTo) {
		const stored = saves[Math.max(0, saves.length - IN_FLIGHT)];
		let t0 = process.hrtime.bigint();
		const staticData = JSON.parse(stored) as IDataObject;
		floorNs += Number(process.hrtime.bigint() - t0);
		t0 = process.hrtime.bigint();
		rememberDelivery('bench', staticData, `delivery-${key++}`, now);
		memoryNs += Number(process.hrtime.bigint() - t0);
		saves.push(JSON.stringify(staticData)); // what n8n saves after the call
		if (saves.length > IN_FLIGHT) saves.shift();
	}
	const count = key - from;
	rows.push(
		`| ${from + 1}–${upTo} | ${(memoryNs / count / 1000).toFixed(1)} µs | ${(floorNs / count / 1000).toFixed(1)} µs | **${(memoryNs / floorNs).toFixed(2)}×** |`,
	);
}
process.stdout.write(
	[
		`| deliveries (keys remembered) | rememberDelivery() | floor: JSON.parse of the stored static data | ratio |`,
		'|---|---|---|---|',
		...rows,
	].join('\n') + '\n',
);
