#!/usr/bin/env bash
# Checks scripts/test.sh's summary against a stand-in `dotnet` whose four test projects pass with a skip (Core), crash
# with an aborted run and no failure counted (Bench), write no results (Browser) and report an error (Web), and whose
# PostgreSQL pass passes: the last three must show
# as failures, never as passed or skipped, the failed test must be named, and the command must fail. Run: bash scripts/check-test-summary.sh
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/repo/scripts"
for p in Core Bench Browser Web; do mkdir -p "$work/repo/tests/LiveBoard.$p.Tests"; touch "$work/repo/tests/LiveBoard.$p.Tests/LiveBoard.$p.Tests.csproj"; done
cp "$here/test.sh" "$work/repo/scripts/"
# The scale-out services are issue 13's: stood in for by no-ops.
printf 'scale_out_missing() { :; }\nscale_out_apt_install() { :; }\nscale_out_start() { :; }\nscale_out_stop() { :; }\n' > "$work/repo/scripts/scale-out-services.sh"
cat > "$work/bin/dotnet" <<'EOF'
#!/usr/bin/env bash
case "$1" in
  tool|build) exit 0;;
  test)
    dir=""; name=""
    for a in "$@"; do case "$a" in *LogFileName=*) name=${a#*LogFileName=};; esac; done
    while [ $# -gt 0 ]; do [ "$1" = "--results-directory" ] && dir=$2; shift; done
    case "$name" in
      LiveBoard.Core.Tests.trx) echo '<ResultSummary outcome="Completed"><Counters total="5" executed="4" passed="4" failed="0" error="0" timeout="0" aborted="0" notExecuted="1" /></ResultSummary>' > "$dir/$name"; exit 0;;
      LiveBoard.Bench.Tests.trx) echo '<ResultSummary outcome="Aborted"><Counters total="3" executed="3" passed="3" failed="0" error="0" timeout="0" aborted="0" notExecuted="0" /></ResultSummary>' > "$dir/$name"; exit 1;;
      LiveBoard.Browser.Tests.trx) exit 1;;
      LiveBoard.Web.Tests.PostgreSQL.trx) echo '<ResultSummary outcome="Completed"><Counters total="2" executed="2" passed="2" failed="0" error="0" timeout="0" aborted="0" notExecuted="0" /></ResultSummary>' > "$dir/$name"; exit 0;;
      LiveBoard.Web.Tests.trx) echo '<ResultSummary outcome="Failed"><Counters total="2" executed="2" passed="1" failed="0" error="1" timeout="0" aborted="0" notExecuted="0" /></ResultSummary><Results><UnitTestResult executionId="1" testName="LiveBoard.Web.Tests.SomeTests.A_figure_&quot;x&quot;" duration="00:00:01" outcome="Failed"></UnitTestResult></Results>' > "$dir/$name"; exit 1;;
    esac;;
esac
EOF
chmod +x "$work/bin/dotnet"
out=$(cd "$work/repo" && LIVEBOARD_SUMMARY_CHECK=1 PATH="$work/bin:$PATH" bash scripts/test.sh 2>&1); rc=$?
line=$(echo "$out" | tail -n 1)
named=$(echo "$out" | grep -c '^FAILED TEST (LiveBoard.Web.Tests): LiveBoard.Web.Tests.SomeTests.A_figure_"x"$')
if [ "$line" = "10 passed, 3 failed, 1 skipped" ] && [ "$rc" -ne 0 ] && [ "$named" -eq 1 ]; then echo "ok: $line (exit $rc)"; exit 0; fi
echo "wrong summary: '$line' (exit $rc)"; echo "$out"; exit 1
