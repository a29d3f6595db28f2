#!/usr/bin/env node
// Runs the TypeScript entry point through tsx's loader, so the command works from a
// checkout without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/healthcare.main.ts');
