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
