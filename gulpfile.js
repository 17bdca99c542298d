// The build's asset step (scripts/build.mjs runs `gulp build:assets` after tsc): copies into dist/
// the files used as they are: the icons, each node's codex file (*.node.json) and the senders'
// sample modules (*.mjs) for the send-sample command line; as n8n's classic starter's build:icons.
const { dest, parallel, src } = require('gulp');

/** Copies the files of `folder` whose names end in one of `endings` to the same place in dist/. */
const copy = (folder, endings) =>
	function copyAssets() {
		// encoding: false keeps the bytes (gulp 5 reads files as UTF-8 text by default).
		return src(`${folder}/**/*.{${endings}}`, { encoding: false }).pipe(dest(`dist/${folder}`));
	};

exports['build:assets'] = parallel(
	copy('icons', 'png,svg'),
	copy('nodes', 'png,svg,node.json,mjs'),
);
