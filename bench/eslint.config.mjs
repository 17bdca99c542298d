// Same rules as the tests: see test/eslint.config.mjs. The peer workflow's Code node bodies
// (bench/peer/*.js) are n8n Code node scripts, not modules: a top-level `return` is how they end.
import testConfig from '../test/eslint.config.mjs';

export default [{ ignores: ['peer/*.js'] }, ...testConfig];
