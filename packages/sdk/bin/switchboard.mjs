#!/usr/bin/env node
// The installed `switchboard` CLI: the build in dist/ (scripts/build-sdk.mjs writes it at pack time).
import { main } from '../dist/cli/main.js';

await main(process.argv.slice(2));
