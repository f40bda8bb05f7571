#!/usr/bin/env node
// `npx peakline`: the ops CLI is TypeScript like the rest of peakline, and tsx compiles it as it loads,
// resolving the package's `#core/*`-style imports the same way the tests and the local stack do.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
