// Checks workflow nodes of n8n-nodes-base against an installed n8n, with that n8n's own
// n8n-workflow: the node type and typeVersion exist, the credential types are the node's, and
// every parameter set is one n8n keeps (NodeHelpers.getNodeParameters drops unknown and hidden
// ones) including the keys of "options" collections. Prints a JSON report.
//
// Usage: node test/cli/n8n-node-check.cjs <n8n install dir> <workflow.json>...
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const [n8nDir, ...files] = process.argv.slice(2);
const modules = join(n8nDir, 'node_modules');
const { NodeHelpers } = require(join(modules, 'n8n-workflow'));
const nodesBase = join(modules, 'n8n-nodes-base');
const packageJson = JSON.parse(readFileSync(join(nodesBase, 'package.json'), 'utf8'));

/** n8n-nodes-base's own list of node files: type name → description. */
function loadNodeType(typeName) {
	const name = typeName.replace(/^n8n-nodes-base\./, '');
	for (const file of packageJson.n8n.nodes) {
		const base = file
			.split('/')
			.pop()
			.replace(/\.node\.js$/, '');
		if (base.toLowerCase() !== name.toLowerCase()) continue;
		const exported = require(join(nodesBase, file));
		const NodeClass = exported[base] ?? Object.values(exported)[0];
		const instance = new NodeClass();
		if (instance.description?.name === name) return instance;
	}
	return null;
}

function sameValue(a, b) {
	return JSON.stringify(a) === JSON.stringify(b);
}

const report = [];
for (const file of files) {
	const workflow = JSON.parse(readFileSync(file, 'utf8'));
	for (const node of workflow.nodes) {
		if (!node.type.startsWith('n8n-nodes-base.')) continue;
		const entry = { file, node: node.name, type: node.type, problems: [] };
		report.push(entry);
		const instance = loadNodeType(node.type);
		if (!instance) {
			entry.problems.push(`node type ${node.type} not found`);
			continue;
		}
		let description;
		if (instance.nodeVersions) {
			const versions = Object.keys(instance.nodeVersions).map(Number);
			entry.versions = versions;
			if (!versions.includes(node.typeVersion)) {
				entry.problems.push(`typeVersion ${node.typeVersion} not in ${versions.join(', ')}`);
				continue;
			}
			description = instance.getNodeType(node.typeVersion).description;
		} else {
			description = instance.description;
			const versions = [].concat(description.version);
			entry.versions = versions;
			if (!versions.includes(node.typeVersion))
				entry.problems.push(`typeVersion ${node.typeVersion} not in ${versions.join(', ')}`);
		}
		if (Array.isArray(description.version) && !description.version.includes(node.typeVersion)) {
			entry.problems.push(
				`typeVersion ${node.typeVersion} not in ${description.version.join(', ')}`,
			);
		}

		const credentialNames = (description.credentials ?? []).map((c) => c.name);
		for (const credential of Object.keys(node.credentials ?? {})) {
			if (!credentialNames.includes(credential))
				entry.problems.push(`credential ${credential} is not one of ${credentialNames.join(', ')}`);
		}

		const kept =
			NodeHelpers.getNodeParameters(
				description.properties,
				node.parameters,
				true,
				false,
				node,
				description,
			) ?? {};
		for (const [name, value] of Object.entries(node.parameters)) {
			if (!(name in kept)) entry.problems.push(`parameter ${name} is unknown or hidden`);
			else if (typeof value !== 'object' && !sameValue(kept[name], value))
				entry.problems.push(`parameter ${name} became ${JSON.stringify(kept[name])}`);
		}
		// Keys inside collections must be options the collection offers (for this version).
		for (const property of description.properties) {
			const value = node.parameters[property.name];
			if (property.type !== 'collection' || !value || typeof value !== 'object') continue;
			if (!NodeHelpers.displayParameter(kept, property, node, description)) continue;
			const offered = (property.options ?? []).map((option) => option.name);
			for (const key of Object.keys(value)) {
				if (!offered.includes(key))
					entry.problems.push(`${property.name}.${key} is not an option (${offered.join(', ')})`);
			}
		}
		entry.parameters = Object.keys(kept);
	}
}
process.stdout.write(JSON.stringify(report));
