# Sourced by the command-line tests under mpirun: kill_one_process LAUNCHER SECONDS ERR waits
# SECONDS, kills one dense process of the job mpirun (process LAUNCHER) started with kill -9, waits
# for the job and checks that it ended within 60 s, non-zero, with a message from process 0 in ERR.
kill_one_process() {
  local launcher=$1 err=$3
  sleep "$2"
  local victim
  victim=$(pgrep -P "$launcher" -x dense | tail -1)
  [[ -n "$victim" ]] || fail "no dense process under mpirun"
  kill -9 "$victim"
  local started=$SECONDS status=0
  wait "$launcher" || status=$?
  local elapsed=$((SECONDS - started))
  cat "$err"
  ((status != 0)) || fail "the job exited 0 after a process was killed"
  ((elapsed < 60)) || fail "the job took ${elapsed}s to end"
  grep -q "rank 0" "$err" || fail "no message from rank 0"
  echo "ended ${elapsed}s after the kill, exit status $status"
}
