#!/usr/bin/env node
// Lints the package the way n8n's community-package scanner (@n8n/scan-community-package) does:
// its rule set (@n8n/eslint-plugin-community-nodes "recommended", no-console, and the three
// eslint-plugin-n8n-nodes-base rulesets with the scanner's own exceptions), applied to
//   1. the source: package.json and {nodes,credentials}/**/*.{js,ts,json}
//   2. the packed tarball: its **/*.js and package.json (needs a build first).
// Usage: node scripts/lint.mjs [--source-only]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import fg from 'fast-glob';

const root = resolve(import.meta.dirname, '..');

async function scannerConfig() {
	const { n8nCommunityNodesPlugin } = await import('@n8n/eslint-plugin-community-nodes');
	const tsParser = (await import('@typescript-eslint/parser')).default;
	const nodesBase = (await import('eslint-plugin-n8n-nodes-base')).default;
	return [
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': nodesBase } },
		{ files: ['package.json'], rules: { ...nodesBase.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...nodesBase.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...nodesBase.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{ files: ['**/*.json'], languageOptions: { parser: tsParser } },
		{ files: ['**/*.ts'], languageOptions: { parser: tsParser } },
	];
}

async function lintDirectory(label, cwd, patterns) {
	const eslint = new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scannerConfig(),
	});
	const files = await fg(patterns, {
		cwd,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((sum, r) => sum + r.errorCount, 0);
	const warnings = results.reduce((sum, r) => sum + r.warningCount, 0);
	const output = await (await eslint.loadFormatter('stylish')).format(results);
	if (output.trim()) console.log(output);
	console.log(`lint ${label}: ${files.length} files, ${errors} errors, ${warnings} warnings`);
	return errors;
}

let errors = await lintDirectory('source', root, [
	'package.json',
	'{nodes,credentials}/**/*.{js,ts,json}',
]);

if (!process.argv.includes('--source-only')) {
	const work = mkdtempSync(join(tmpdir(), 'ilink-invoicy-lint-'));
	try {
		const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
		})
			.trim()
			.split('\n')
			.pop();
		const unpacked = join(work, 'package');
		execFileSync('tar', ['-xzf', join(work, packed), '-C', work]);
		if (!readdirSync(unpacked).includes('dist'))
			throw new Error('the tarball has no dist/: run npm run build first');
		errors += await lintDirectory('tarball', unpacked, ['**/*.js', 'package.json']);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

process.exitCode = errors ? 1 : 0;
