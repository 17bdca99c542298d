/**
 * The Document Details spec (specs/details.ts) alone, in an n8n of its own per tested version:
 * the e2e tier runs it in its shared n8n (suite.test.ts); this file is for working on it.
 *
 *   npm run build
 *   npx jest --config jest.e2e.config.js --testMatch '**' test/e2e/details.test.ts --runInBand
 *
 * DETAILS_N8N_VERSIONS (default: E2E_N8N_VERSIONS, else every tested version) picks the n8n.
 */
import { e2eVersions } from '../helpers/n8nVersions';
import { N8nInstance, packPackage } from './harness';
import { SharedN8n } from './sharedN8n';
import { detailsSpec } from './specs/details';

describe.each(e2eVersions('DETAILS_N8N_VERSIONS', 'E2E_N8N_VERSIONS'))('n8n %s', (version) => {
	const suite = new SharedN8n(version);

	beforeAll(
		() =>
			suite.start((needs) =>
				N8nInstance.start({ version, tarball: packPackage().tarball, ...needs }),
			),
		20 * 60_000, // the first run installs n8n into the cache
	);
	afterAll(() => suite.stop(), 120_000);

	describe(detailsSpec.title, () => detailsSpec.define(suite));
});
