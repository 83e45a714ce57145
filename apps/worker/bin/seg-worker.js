#!/usr/bin/env node
// Launches `seg-worker` (its sources in a workspace checkout unless every build is fresh, else dist/): see
// @neurocipher/seg-runtime/launch.
import { launch } from '@neurocipher/seg-runtime/launch';

await launch(import.meta.url, 'seg-worker');
