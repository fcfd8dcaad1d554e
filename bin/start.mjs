#!/usr/bin/env node
// `npm start`: builds the console if it is missing or older than its sources, migrates the
// database (embedded PGlite in DATA_DIR, or DATABASE_URL), loads the demo network on first start,
// and serves API and console on PORT (default 8080).
import { register } from 'tsx/esm/api';

register();
const { runFromCommandLine } = await import('../apps/server/src/start.ts');
await runFromCommandLine();
