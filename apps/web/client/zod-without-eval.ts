import { config } from 'zod';

// The page is served with a Content-Security-Policy that forbids eval. zod compiles fast
// object parsers with `new Function` and probes for it as schemas are created; a blocked
// probe is caught but still reported as a policy violation. main.tsx imports this module
// first, so it runs before any schema exists.
config({ jitless: true });
