#!/usr/bin/env node
// prepublishOnly: `npm publish` runs only in the release workflow (.github/workflows/publish.yml),
// which publishes with the provenance statement n8n's verification requires. Like the n8n node
// CLI's `n8n-node prerelease`, it needs RELEASE_MODE=true; it also refuses a release whose tag,
// package.json version and CHANGELOG.md heading disagree. See README, "Releasing".
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/**
 * The newest version heading of CHANGELOG.md: `## [1.2.3] - 2026-12-01` gives version and date.
 * An `## [Unreleased]` section above it (Keep a Changelog) is not a version.
 */
export function newestChangelogRelease(changelog) {
	const match = /^## \[(\d+\.\d+\.\d+[^\]]*)\](?: - (.+))?$/m.exec(changelog);
	return match ? { version: match[1], date: match[2]?.trim() ?? '' } : undefined;
}

/** Why this environment may not publish, or undefined when it may. */
export function refusal(env, version, changelog) {
	if (env.RELEASE_MODE !== 'true' || env.GITHUB_ACTIONS !== 'true')
		return 'npm publish runs only in the release workflow (.github/workflows/publish.yml), which publishes with provenance: push a v<version> tag (README, "Releasing")';
	if (env.GITHUB_REF_NAME !== `v${version}`)
		return `the tag ${env.GITHUB_REF_NAME} is not v${version}, the version in package.json`;
	const release = newestChangelogRelease(changelog);
	if (release?.version !== version)
		return `CHANGELOG.md's newest heading is ${release?.version ?? 'missing'}, not ${version}`;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(release.date))
		return `CHANGELOG.md's heading for ${version} has no release date (## [${version}] - YYYY-MM-DD)`;
	return undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	const reason = refusal(process.env, version, readFileSync(join(root, 'CHANGELOG.md'), 'utf8'));
	if (reason) {
		console.error(`prepublishOnly: refused: ${reason}`);
		process.exit(1);
	}
}
