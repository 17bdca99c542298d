/**
 * What `npm pack` gives users: no runtime dependencies, the registered triggers and the four
 * credentials in package.json's n8n section, and nothing of the sources or tests. Needs
 * `npm run build` first (the tarball holds dist/).
 */
import { execFileSync } from 'node:child_process';

import { packPackage } from '../e2e/harness';
import { PKG } from '../e2e/workflows';
import { nodeFile, TRIGGERS } from '../helpers/senders';

describe('npm pack', () => {
	it('has no runtime dependencies and registers exactly the registered triggers and four credentials', () => {
		const { tarball, files } = packPackage();
		const manifest = JSON.parse(
			execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
		);
		expect(manifest.name).toBe(PKG);
		expect(manifest.dependencies ?? {}).toEqual({});
		expect([...manifest.n8n.nodes].sort()).toEqual(
			TRIGGERS.map(({ sender, trigger }) => `dist/${nodeFile(sender, trigger)}.js`).sort(),
		);
		expect([...manifest.n8n.credentials].sort()).toEqual([
			'dist/credentials/ILinkAccessKeyApi.credentials.js',
			'dist/credentials/InvoiCyApi.credentials.js',
			'dist/credentials/InvoiCyBasicAuthApi.credentials.js',
			'dist/credentials/InvoiCyBearerTokenApi.credentials.js',
		]);
		for (const f of [...manifest.n8n.nodes, ...manifest.n8n.credentials])
			expect(files).toContain(f);
		// No sources, tests or maps of tests in what users install.
		expect(files.filter((f) => /^(test|nodes|credentials|scripts)\//.test(f))).toEqual([]);
	});
});
