#!/usr/bin/env node
import { loadConfig } from './platform/config.ts';
import { runCli } from './cli/commands.ts';

runCli(process.argv.slice(2), loadConfig()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    // End here: a start that failed half-way (the port taken, say) leaves servers and timers that would keep the
    // process — and the data folder's lock — alive with nothing served. Exiting runs the hook that frees the lock.
    process.exit(1);
  },
);
