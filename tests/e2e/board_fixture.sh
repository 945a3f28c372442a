# A small world for the board's tests (sourced after lib.sh, not a test):
# the mini plan of tests/e2e/data with its units (alpha..echo, dept_fin,
# dept_hou); alpha, bravo and dept_fin report; users office/office111, r_alpha/pw-alpha-1, r_bravo/pw-bravo-1,
# r_fin/pw-fin-1, viewer v1/viewer111; reports of 2018-01..03 (bravo misses
# March); 2018-02's dispatch summary and 2018-Q1's scores published, 2018-03
# not.  Leaves the clock at 2018-04-10.
# board_start: a new server with the fixture, restarted with the board on
# (board_up); the clock at 2018-04-10.
board_start() {
  e2e_start 2018-01-02T09:00:00+08:00
  board_fixture
  server_down
  board_up
}
board_fixture() {
  local D=$SRC/tests/e2e/data
  for u in alpha bravo charlie delta echo; do pwadmin unit add $u --name "县$u" --category county >/dev/null; done
  pwadmin unit add dept_fin --name 州财政局 --category department >/dev/null
  pwadmin unit add dept_hou --name 州住建局 --category department >/dev/null
  echo office111 | pwadmin user add office --role office --password-file - >/dev/null
  echo pw-alpha-1 | pwadmin user add r_alpha --role reporter --unit alpha --password-file - >/dev/null
  echo pw-bravo-1 | pwadmin user add r_bravo --role reporter --unit bravo --password-file - >/dev/null
  echo pw-fin-1 | pwadmin user add r_fin --role reporter --unit dept_fin --password-file - >/dev/null
  echo viewer111 | pwadmin user add v1 --role viewer --password-file - >/dev/null
  as office office111 plan import --plan mini --name 迷你计划 --indicators "$D/mini_indicators.csv" \
      --targets "$D/mini_targets.csv" >/dev/null
  as office office111 sheet import "$D/mini_sheet_county.csv" --category county >/dev/null
  as office office111 sheet import "$D/mini_sheet_department.csv" --category department >/dev/null
  local f=$E2E_DIR/fixture.csv m
  fixture_submit() { # USER PASSWORD PERIOD "I01=v ..."
    echo "indicator_id,indicator,unit_of_measure,target,value,note" > "$f"
    for kv in $4; do echo "${kv%%=*},,,,${kv#*=}," >> "$f"; done
    as "$1" "$2" report submit --period "$3" "$f" --progress "按计划推进" >/dev/null
  }
  for m in 01 02 03; do
    set_clock "$(printf '2018-%02d-03T10:00:00+08:00' $((10#$m + 1)))"
    fixture_submit r_alpha pw-alpha-1 2018-$m "I01=$((10#$m * 10)) I02=$((10#$m * 8))"
    fixture_submit r_fin pw-fin-1 2018-$m "I09=$((10#$m * 10))"
    [ "$m" = 03 ] || fixture_submit r_bravo pw-bravo-1 2018-$m "I01=$((10#$m * 5)) I02=$((10#$m * 6)) I03=0"
  done
  set_clock 2018-04-10T10:00:00+08:00
  as office office111 publish dispatch --period 2018-02 >/dev/null
  as office office111 publish scores --period 2018-Q1 >/dev/null
}

# login_token USER PASSWORD: a session token from Login (through the CLI's cache)
login_token() {
  local cfg=$E2E_DIR/tok-$1
  XDG_CONFIG_HOME=$cfg PLANWATCH_PASSWORD=$2 "$BIN/planwatch" login --user "$1" >/dev/null
  cat "$cfg"/planwatch/session-* | sed -n 's/^token[ =:]*//p' | sed -n 1p
}
