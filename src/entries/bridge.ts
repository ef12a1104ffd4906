#!/usr/bin/env node
import {runBridge} from '../bridge/run.js';

await runBridge(process.argv[2]);
