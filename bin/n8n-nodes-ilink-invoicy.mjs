#!/usr/bin/env node
// The package's command line (`npx n8n-nodes-ilink-invoicy send-sample ...`). It is a tool for
// people trying the trigger nodes, never loaded by n8n; see bin/lib/cli.mjs.
import { main } from './lib/cli.mjs';

try {
	process.exitCode = await main(process.argv.slice(2));
} catch (error) {
	process.stderr.write(
		`n8n-nodes-ilink-invoicy: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exitCode = 70;
}
