/**
 * Document Details on a 200-line UBL invoice: our XML reader plus the UBL mapping
 * (`readDocumentDetails`, from the bytes to `details`) against `fast-xml-parser` parsing the same
 * bytes, measured in one run, alternating so that both see the same machine state.
 *
 * fast-xml-parser is timed twice: with the options that give what our reader gives (attributes,
 * namespace prefixes removed, values left as text: the comparison the target is about), and with
 * its defaults (attributes ignored, values converted), for reference. The heap row is what one
 * `details` object holds once the XML is gone.
 *
 * Run: node --expose-gc --import tsx bench/details.ts   (sources through tsx; no build needed)
 */
import { XMLParser } from 'fast-xml-parser';

import { readDocumentDetails } from '../nodes/shared/details';
import { parseXml } from '../nodes/shared/xml';
import { alternate, FXP_SAME_INFORMATION, gc } from './measure';
import { ublInvoice } from './ublInvoice';

const LINES = Number(process.env.BENCH_LINES ?? 200);

interface Contender {
	label: string;
	run: (bytes: Buffer) => unknown;
}

function heapPerDetails(bytes: Buffer, count: number): number {
	const kept: unknown[] = [];
	const settle = () => {
		for (let i = 0; i < 4; i++) gc();
		return process.memoryUsage().heapUsed;
	};
	const before = settle();
	// From a fresh string each time, as the delivery reads it, so that nothing is shared.
	for (let i = 0; i < count; i++) kept.push(readDocumentDetails(Buffer.from(bytes)).details);
	const after = settle();
	if (kept.length !== count) throw new Error('lost results');
	return (after - before) / count;
}

async function main() {
	const bytes = ublInvoice(LINES);
	const check = readDocumentDetails(bytes);
	if (check.details?.lines.length !== LINES || check.warnings.length)
		throw new Error(`the benchmark invoice did not map: ${JSON.stringify(check.warnings)}`);

	const equivalent = new XMLParser(FXP_SAME_INFORMATION);
	const defaults = new XMLParser();
	const contenders: Contender[] = [
		{ label: 'ours: readDocumentDetails (read + UBL mapping)', run: (b) => readDocumentDetails(b) },
		{ label: 'ours: XML reader alone (parseXml)', run: (b) => parseXml(b) },
		{
			label: 'fast-xml-parser, same information (attributes, no prefixes, text values)',
			run: (b) => equivalent.parse(b),
		},
		{ label: 'fast-xml-parser, default options', run: (b) => defaults.parse(b) },
	];
	const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
	const perRound = Number(process.env.BENCH_PER_ROUND ?? 40);
	const [ours, reader, fxp, fxpDefault] = await alternate(
		contenders.map(({ run }) => ({ inputs: (_from, count) => Array(count).fill(bytes), run })),
		{ rounds, perRound, warmUp: 5 },
	);
	const heap = heapPerDetails(bytes, 200);
	const kib = (bytes.length / 1024).toFixed(1);
	const rows = [
		[contenders[0].label, ours],
		[contenders[1].label, reader],
		[contenders[2].label, fxp],
		[contenders[3].label, fxpDefault],
	].map(
		([label, us]) =>
			`| ${label} | ${(us as number).toFixed(0)} µs | ${((us as number) / fxp).toFixed(2)}× |`,
	);
	process.stdout.write(
		[
			`Document Details, ${LINES}-line UBL invoice (${kib} KiB), median of ${rounds} rounds × ${perRound}`,
			'',
			'| from the same bytes | median per document | vs fast-xml-parser (same information) |',
			'|---|---|---|',
			...rows,
			'',
			`**Document Details / fast-xml-parser: ${(ours / fxp).toFixed(2)}×** (target ≤ 1.5×); ` +
				`against its default options ${(ours / fxpDefault).toFixed(2)}×. ` +
				`Heap held by one \`details\`: ${(heap / 1024).toFixed(1)} KiB.`,
			'',
		].join('\n'),
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});
