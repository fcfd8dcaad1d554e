#!/usr/bin/env node
// The `cuntong` command. The sources are TypeScript, run through tsx's loader (a runtime
// dependency) so the CLI works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../apps/server/src/cli/main.ts');
await main(process.argv);
