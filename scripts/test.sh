#!/usr/bin/env bash
# Runs the whole LiveBoard test suite on a fresh Debian machine with the .NET SDK:
# installs what the browser tests need (Debian's Chromium headless shell and CJK fonts), restores the local tools,
# runs every test project, and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

# The browser tests run Debian's headless shell (the same Chromium without the desktop browser's process work: the
# browser tests took 398 s alone with the full browser, 247 s with the shell), as do the quick bench runs. Only the
# bench's full runs (on demand, not part of this command) open their wall tabs in the full browser, Debian's chromium:
# not installed here, where it only cost a fresh machine its download (81 MB) and unpacking.
need=()
[ -x /usr/bin/chromium-headless-shell ] || need+=(chromium-headless-shell)
# grep reads all of fc-list's output: with -q it would stop at the first match, fc-list would die of SIGPIPE, and under
# pipefail the check failed in about half the runs on a machine that has the fonts (each then went to apt-get for them).
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
# The scale-out tier (issue 13): a private PostgreSQL cluster and Redis on 127.0.0.1, started once the build is done and
# stopped again however this script ends; nginx for the test of a display behind a proxy.
source scripts/scale-out-services.sh
mapfile -t -O ${#need[@]} need < <(scale_out_missing)
# A fresh machine installs all of it with one apt-get, beside the tool restore and the build, which need none of it
# (before, two apt-get runs came first and the build waited for them). The run's timing line says how long it took.
installing=""
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} (Debian packages) beside the build ..."
  mkdir -p artifacts
  ( began=$SECONDS
    scale_out_apt_install "${need[@]}" && echo "$(( SECONDS - began ))" >artifacts/install.seconds
  ) >artifacts/install.log 2>&1 &
  installing=$!
fi

dotnet tool restore >/dev/null
# Test processes live for minutes: the JIT's profile-guided tier (instrumented code, then compiled once more) costs them
# more than it pays back — about 15 % of a test run's CPU, measured on the web tests. LiveBoard itself runs without it
# too (LiveBoard.Web.csproj); this covers the test hosts and the tools they start.
export DOTNET_TieredPGO=0
results="$(pwd)/artifacts/test-results"
rm -rf "$results" artifacts/test-logs && mkdir -p "$results"

# How long each part took, printed before the summary: the suite has a ten-minute budget on two cores.
timings=(); since=$SECONDS
took() { timings+=("$1 $(( SECONDS - $2 )) s"); }
# Release, as LiveBoard ships: the app's own code (its components, the standings, the API) then runs optimised in every
# test host and app process the tests start, as in production; a Debug build's JIT leaves it unoptimised. Measured on
# the web tests: 140 -> 130 s, 239 -> 218 CPU-s. The compiler runs as one server for the whole build instead of a fresh
# compiler per project (124 -> 108 s from a clean checkout), stopped again when the build is done.
configuration=Release
built=0
dotnet build LiveBoard.sln -c $configuration -nologo -v quiet -p:UseSharedCompilation=true && built=1
dotnet build-server shutdown >/dev/null 2>&1
[ $built -eq 1 ] || { echo "0 passed, 1 failed, 0 skipped (the build failed)"; exit 1; }
took build "$since"
if [ -n "$installing" ]; then
  wait "$installing" || { tail -n 20 artifacts/install.log; echo "0 passed, 1 failed, 0 skipped (could not install ${need[*]})"; exit 1; }
  timings+=("install of ${need[*]} $(cat artifacts/install.seconds 2>/dev/null) s (beside the build)")
fi
# A throwaway cluster that the tests never crash (they kill app instances, not PostgreSQL): no flush to disk per commit.
# The bench and docs/deploy.md run PostgreSQL durable, as production must.
export LIVEBOARD_PG_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
scale_out_start || { echo "0 passed, 1 failed, 0 skipped (PostgreSQL and Redis for the scale-out tests did not start)"; exit 1; }
trap scale_out_stop EXIT
# The summary counts what the runner reported, and counts as failed what it could not: a run whose test host crashed
# or was aborted, and a run that wrote no results at all. Only tests the runner itself marked as skipped (notExecuted)
# are "skipped".
status=0
passed=0; failed=0; skipped=0; problems=()
counter() { echo "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
# count_run NAME TRX EXIT_CODE: adds one test run's results to the summary.
count_run() {
  local name=$1 trx=$2 rc=$3
  [ "$rc" -eq 0 ] || status=$rc
  if [ ! -f "$trx" ]; then
    failed=$((failed + 1)); problems+=("$name wrote no results (exit code $rc)")
    [ "$status" -ne 0 ] || status=1
    return
  fi
  local counters outcome p f
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
}
run_project() {
  local project=$1 name
  name=$(basename "$project" .csproj)
  local start=$SECONDS rc
  dotnet test "$project" --no-build -c $configuration --logger "trx;LogFileName=$name.trx" --results-directory "$results" "${extra[@]}"
  rc=$?
  took "$name" "$start"
  count_run "$name" "$results/$name.trx" $rc
}
extra=("$@")
# A second pass of the integration classes (the real app over HTTP, the hub, the services) on PostgreSQL, so the two
# providers cannot drift. bUnit-only classes and the SQLite-specific ones (file, WAL, write lock) run once, in the first.
# Who may do what (AuthorisationMatrixTests) is decided before any query, the same on both engines: it runs once; so
# are the sign-in throttles per address (kept in memory), while sign-in, sign-out and the account lock-out (stored on the
# account) run on both. So are the account rules decided before anything is stored (the password policy, where a login
# may redirect to) and the demo-mode start-up variants: each starts hosts of its own, 48 s of the PostgreSQL pass for
# code that reads and writes the accounts exactly as the sign-ins that do run on both.
postgres_classes=(CampaignDayTests FigureServiceTests InspectionApiTests LiveHubTests PublishedRankingTests RunningAppTests ScreenFleetTests
  SiteAdminApiTests AccountTests AuditTests BadInputTests ImportTests ReportingApiTests ReportingStatusTests UserAdminTests SharedStateTests)
filter=$(printf '|FullyQualifiedName~.%s.' "${postgres_classes[@]}"); filter="(${filter#|})"
filter="$filter&FullyQualifiedName!~Sign_in_attempts_are_rate_limited_per_address&FullyQualifiedName!~One_address_failing_again_and_again"
for once in Password_policy_needs_eight_characters Demo_password_comes_from_LIVEBOARD_DEMO_PASSWORD Without_demo_mode_the_first_organiser \
  Demo_mode_creates_every_demo_account Login_never_redirects_off_the_site; do filter="$filter&FullyQualifiedName!~$once"; done
pg_name="LiveBoard.Web.Tests.PostgreSQL"

# This summary's own rules, against a stand-in dotnet (a check of a few seconds; counted as one test). Not when this
# script is itself the one under check.
if [ -z "${LIVEBOARD_SUMMARY_CHECK:-}" ]; then
  if LIVEBOARD_SUMMARY_CHECK=1 bash scripts/check-test-summary.sh; then passed=$((passed + 1))
  else failed=$((failed + 1)); problems+=("scripts/check-test-summary.sh: the summary miscounts"); fi
fi
run_project tests/LiveBoard.Core.Tests/LiveBoard.Core.Tests.csproj
# The PostgreSQL pass runs beside the quick bench runs, which spend much of their time on fixed-rate scenarios and
# server starts (measured alone: bench 95 s at 87 % of two cores, the pass 82 s at 73 %); its output is shown when it is
# done. Beside the browser tests it cost more than it saved once they ran on the headless shell (359 s together, 329 s
# one after the other): they keep both cores busy.
( LIVEBOARD_TEST_DATABASE=PostgreSQL dotnet test tests/LiveBoard.Web.Tests --no-build -c $configuration --filter "$filter" \
    --logger "trx;LogFileName=$pg_name.trx" --results-directory "$results" "$@" >"$results/$pg_name.log" 2>&1
  echo $? >"$results/$pg_name.rc" ) &
pg_pass=$!; pg_start=$SECONDS
run_project tests/LiveBoard.Bench.Tests/LiveBoard.Bench.Tests.csproj
wait "$pg_pass"; took "$pg_name (beside the bench tests)" "$pg_start"
echo "PostgreSQL pass:"; cat "$results/$pg_name.log"
count_run "LiveBoard.Web.Tests (PostgreSQL)" "$results/$pg_name.trx" "$(cat "$results/$pg_name.rc" 2>/dev/null || echo 1)"
run_project tests/LiveBoard.Browser.Tests/LiveBoard.Browser.Tests.csproj
run_project tests/LiveBoard.Web.Tests/LiveBoard.Web.Tests.csproj
# A test project nobody added above would silently not run.
for project in tests/*/*.csproj; do
  case "$(basename "$project" .csproj)" in
    LiveBoard.Core.Tests|LiveBoard.Bench.Tests|LiveBoard.Browser.Tests|LiveBoard.Web.Tests) ;;
    *) failed=$((failed + 1)); problems+=("$project is not run by scripts/test.sh") ;;
  esac
done

for problem in "${problems[@]}"; do echo "FAILED: $problem"; done
# What the test servers logged as errors (tests/Shared/ErrorLog.cs): the cause behind a failed test's 500.
if [ "$failed" -gt 0 ] && [ -s artifacts/test-logs/errors.log ]; then
  echo "Errors logged by the test servers (last 150 lines of artifacts/test-logs/errors.log):"
  tail -n 150 artifacts/test-logs/errors.log
fi
# Which tests failed, last, so that the end of a long log names them (the errors above can run to many lines).
if [ "$failed" -gt 0 ]; then
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | grep -o ' testName="[^"]*"' | sed 's/^ testName="//; s/"$//' \
      | sed 's/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' | while read -r t; do echo "FAILED TEST ($(basename "$trx" .trx)): $t"; done
  done
fi
took "whole run" 0
echo "Time: $(IFS=','; echo "${timings[*]}" | sed 's/,/, /g')"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || [ "$status" -ne 0 ] || status=1
exit $status
