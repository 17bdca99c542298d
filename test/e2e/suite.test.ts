/**
 * The end-to-end tier of `npm test`: every trigger and credential, duplicates, a restart and the
 * example workflows in one real n8n per tested version (2.x on Node 24, 1.x on Node 20), the
 * packed package installed as n8n's community-package installer does. The specs in ./specs share
 * that n8n (see sharedN8n.ts); the load, fault and queue-mode files are `npm run test:long`.
 *
 *   npm run build
 *   npx jest --config jest.e2e.config.js --runInBand
 *
 * E2E_N8N_VERSIONS=2.40.7 (comma-separated) limits the versions; default: every tested one.
 * E2E_SPECS=details (comma-separated, matched against the specs' titles) runs only those specs,
 * in an n8n that holds only what they need: for working on one.
 */
import { e2eVersions } from '../helpers/n8nVersions';
import { N8nInstance, packPackage } from './harness';
import { type E2eSpec, SharedN8n } from './sharedN8n';
import { detailsSpec } from './specs/details';
import { driftSpec } from './specs/drift';
import { examplesSpec } from './specs/examples';
import { invoiCyAutomaticSpec } from './specs/invoicyAutomatic';
import { triggersSpec } from './specs/triggers';

const ALL_SPECS: E2eSpec[] = [
	triggersSpec,
	invoiCyAutomaticSpec,
	examplesSpec,
	detailsSpec,
	driftSpec,
];
const chosen = process.env.E2E_SPECS?.toLowerCase().split(',');
const SPECS = ALL_SPECS.filter(
	(spec) => !chosen || chosen.some((word) => spec.title.toLowerCase().includes(word.trim())),
);

describe.each(e2eVersions('E2E_N8N_VERSIONS'))('n8n %s', (version) => {
	const suite = new SharedN8n(version);
	const line = version.split('.')[0];

	beforeAll(
		() =>
			suite.start((needs) =>
				N8nInstance.start({ version, tarball: packPackage().tarball, ...needs }),
			),
		20 * 60_000, // the first run installs n8n into the cache
	);
	afterAll(() => suite.stop(), 120_000);

	for (const spec of SPECS)
		if (!spec.lines || spec.lines.includes(line)) describe(spec.title, () => spec.define(suite));
});
