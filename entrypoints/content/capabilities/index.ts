import type { Capability } from '../../../utils/capabilities/registry';
import type { PageRun } from '../run';
import { summaryCapability } from './summary';
import { maskingCapability } from './masking';
import { screenshotSafeCapability } from './screenshot-safe';
import { targetingCapability } from './targeting';
import { highlightCapability } from './highlight';
import { reportControlsCapability } from './report-controls';

/** Every capability the content script starts, in order. Add new ones here (one line each). */
export const CAPABILITIES: Capability<PageRun>[] = [summaryCapability, reportControlsCapability, highlightCapability, targetingCapability, maskingCapability, screenshotSafeCapability];
