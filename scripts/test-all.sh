#!/usr/bin/env bash
# Every check Kalkan has, in one command (`npm test`): typecheck, lint, production builds + Firefox lint,
# unit tests, the e2e build and end-to-end tests in Debian's Chromium against a local MediaWiki.
# Ends with one plain line "N passed, N failed" (each check step counts as one, plus every test).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
passed=0
failed=0
skipped=0
failures=()

step() {
  local name=$1; shift
  echo "::: ${name}"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("${name}"); fi
}

# Adds a vitest JSON report's counts; a missing report (the runner crashed) counts as one failure.
count_report() {
  local name=$1 file=$2
  if [ ! -s "$file" ]; then failed=$((failed + 1)); failures+=("${name}: no report"); return; fi
  read -r p f s < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const suiteErrors = r.testResults.filter((t) => t.status === "failed" && t.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + suiteErrors, r.numPendingTests + r.numTodoTests);' "$file")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  [ "$f" -gt 0 ] && failures+=("${name}: ${f} failed")
  return 0
}

# Known vulnerabilities (high or critical) in what ships (production dependencies) fail the run. When the audit
# cannot run (registry unreachable, or it refuses the audit endpoint), that is said and counted as skipped, not as
# a pass: `npm audit --json` then prints an error object without `metadata.vulnerabilities`.
audit_dependencies() {
  echo "::: npm audit (production dependencies, high and critical)"
  local verdict
  npm audit --omit=dev --audit-level=high --json 2>/dev/null | node -e '
    let text = "";
    process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
      let report;
      try { report = JSON.parse(text); } catch { report = null; }
      const counts = report?.metadata?.vulnerabilities;
      if (!counts) {
        console.log(`npm audit could not run (${report?.message ?? report?.error?.summary ?? "no answer from the registry"}); check the network, then run: npm audit --omit=dev`);
        process.exit(2);
      }
      const serious = (counts.high ?? 0) + (counts.critical ?? 0);
      const names = Object.values(report.vulnerabilities ?? {}).filter((v) => v.severity === "high" || v.severity === "critical").map((v) => `${v.name} (${v.severity})`);
      if (serious > 0) {
        console.log(`npm audit: ${serious} high/critical vulnerabilities in production dependencies: ${names.join(", ")}. Run "npm audit --omit=dev" for fixes.`);
        process.exit(1);
      }
      console.log(`npm audit: no high or critical vulnerabilities (${counts.total ?? 0} of lower severity).`);
    });'
  verdict=${PIPESTATUS[1]} # node's verdict; npm's own status mixes findings and failures
  case $verdict in
    0) passed=$((passed + 1)) ;;
    2) skipped=$((skipped + 1)) ;;
    *) failed=$((failed + 1)); failures+=("npm audit") ;;
  esac
}

audit_dependencies
step "typecheck" npx tsc --noEmit -p tsconfig.json
step "eslint" npx eslint . --max-warnings 0
step "build (chrome + firefox)" npx wxt build -b chrome
step "build firefox" npx wxt build -b firefox
step "web-ext lint (firefox, 0 errors)" npx web-ext lint --source-dir .output/firefox-mv3 --self-hosted --output text
step "report JSON Schema up to date" node --import tsx scripts/receiver/gen-json-schema.ts --check

rm -f .tmp/unit.json .tmp/e2e.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/unit.json
count_report "unit tests" .tmp/unit.json

step "e2e build (chrome)" env KALKAN_E2E=1 npx wxt build -b chrome
step "e2e build (firefox)" env KALKAN_E2E=1 npx wxt build -b firefox
npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=.tmp/e2e.json
count_report "e2e tests" .tmp/e2e.json

if [ ${#failures[@]} -gt 0 ]; then
  echo "Failed: ${failures[*]}"
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ]
