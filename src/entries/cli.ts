#!/usr/bin/env node
import {main} from '../cli/main.js';

// Output to files and pipes is synchronous on Linux, so nothing is lost by exiting at once;
// waiting for the event loop to drain could hang on a handle some library left open.
process.exit(await main(process.argv.slice(2)));
