import type { Capability } from '../../../utils/capabilities/registry';
import type { PageRun } from '../run';
import { summaryCapability } from './summary';
import { targetingCapability } from './targeting';
import { maskingCapability } from './masking';
import { screenshotSafeCapability } from './screenshot-safe';
import { highlightCapability } from './highlight';

/** Every capability the content script starts, in order. Add new ones here (one line each). */
export const CAPABILITIES: Capability<PageRun>[] = [summaryCapability, highlightCapability, targetingCapability, maskingCapability, screenshotSafeCapability];
