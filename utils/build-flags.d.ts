/** True in the e2e test build (KALKAN_E2E=1): loopback hosts allowed, shadow roots open to the a11y checker. */
declare const __KALKAN_E2E__: boolean;
