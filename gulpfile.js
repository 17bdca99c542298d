const path = require('path');
const { finished } = require('stream/promises');
const { task, src, dest } = require('gulp');

// tsc compiles the TypeScript; icons (SVG) and codex files (*.node.json) are copied as they are.
task('build:icons', async () => {
	await Promise.all([
		finished(
			src(path.resolve('nodes', '**', '*.{png,svg,node.json}'), { encoding: false }).pipe(
				dest(path.resolve('dist', 'nodes')),
			),
		),
		finished(
			src(path.resolve('icons', '*.{png,svg}'), { encoding: false }).pipe(
				dest(path.resolve('dist', 'icons')),
			),
		),
	]);
});
