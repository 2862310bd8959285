#!/usr/bin/env node
import { loadConfig } from './platform/config.ts';
import { runCli } from './cli/commands.ts';

runCli(process.argv.slice(2), loadConfig()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
