import { scanTextSync, type ScanOptionsInput } from './scan.ts';

/**
 * Regex compilation is paid on first use, twice (V8 first interprets a regex, then compiles it to machine code on
 * the next use), and the address, postcode and handle patterns are large: together 60–250 ms the first time a
 * user types a street word — a visible stall in the middle of typing. The editor integration runs these samples
 * at idle time before the user types, one per task, so that cost is spread over short tasks nobody notices.
 * Each sample wakes the patterns of one detector; each runs twice for both compilation tiers.
 */
export const WARM_UP_SAMPLES: readonly string[] = [
  'ул. Ленина, д. 5, кв. 12', '12 rue de la Paix', '221B Baker Street Apt. 3', 'Чүй көчөсү 123', 'Hauptstraße 5',
  'zip code 76400, индекс 720001', 'born 3 May 1990, родился 1990-05-03', 'telegram: ivan_p @ivan_p t.me/ivan_p',
  'mail x@y.org or +996 555 123 456, IP 10.0.0.1 and 2001:db8::1', 'my name is Ann Lee', '42.87, 74.59',
];

/** Runs the warm-up, pausing between samples; stops when `signal` aborts. */
export async function warmUpScanner(input: ScanOptionsInput, pause: () => Promise<void>, signal: AbortSignal): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const sample of WARM_UP_SAMPLES) {
      await pause();
      if (signal.aborted) return;
      scanTextSync(sample, input);
    }
  }
}
