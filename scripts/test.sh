#!/usr/bin/env bash
# Runs the whole LiveBoard test suite on a fresh Debian machine with the .NET SDK:
# installs what the browser tests need (Debian's chromium and CJK fonts), restores the local tools,
# runs every test project, and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} (Debian packages) ..."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null \
    || { echo "could not install ${need[*]}"; exit 1; }
fi

dotnet tool restore >/dev/null
results="$(pwd)/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

dotnet build LiveBoard.sln -nologo -v quiet || { echo "0 passed, 1 failed, 0 skipped (the build failed)"; exit 1; }
# The summary counts what the runner reported, and counts as failed what it could not: a project whose test host
# crashed or whose run was aborted, and a project that wrote no results at all. Only tests the runner itself marked
# as skipped (notExecuted) are "skipped".
status=0
passed=0; failed=0; skipped=0; problems=()
counter() { echo "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  trx="$results/$name.trx"
  dotnet test "$project" --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@"
  rc=$?
  [ "$rc" -eq 0 ] || status=$rc
  if [ ! -f "$trx" ]; then
    failed=$((failed + 1)); problems+=("$name wrote no results (exit code $rc)")
    [ "$status" -ne 0 ] || status=1
    continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  outcome=$(grep -o '<ResultSummary outcome="[A-Za-z]*"' "$trx" | head -n 1 | grep -o '"[A-Za-z]*"' | tr -d '"')
  p=$(counter "$counters" passed)
  f=$(( $(counter "$counters" failed) + $(counter "$counters" error) + $(counter "$counters" timeout) + $(counter "$counters" aborted) ))
  passed=$((passed + p)); failed=$((failed + f))
  skipped=$((skipped + $(counter "$counters" notExecuted)))
  # A crashed host or an aborted run can leave every counter at zero failures: the outcome or exit code still tells.
  if [ "$f" -eq 0 ] && { [ "$rc" -ne 0 ] || { [ -n "$outcome" ] && [ "$outcome" != "Completed" ] && [ "$outcome" != "Passed" ]; }; }; then
    failed=$((failed + 1)); problems+=("$name: run ${outcome:-without an outcome}, exit code $rc (test host crashed or run aborted)")
    [ "$status" -ne 0 ] || status=1
  fi
done
for problem in "${problems[@]}"; do echo "FAILED: $problem"; done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || [ "$status" -ne 0 ] || status=1
exit $status
