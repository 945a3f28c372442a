#include <criterion/criterion.h>

#include "common/status.h"

Test(status, names_round_trip_and_match_grpc_numbers)
{
    cr_assert_str_eq(pw_status_name(PW_OK), "OK");
    cr_assert_str_eq(pw_status_name(3), "INVALID_ARGUMENT");
    cr_assert_str_eq(pw_status_name(16), "UNAUTHENTICATED");
    cr_assert_str_eq(pw_status_name(99), "UNKNOWN");
    for (int i = 0; i < PW_STATUS_COUNT; i++)
        cr_assert_eq(pw_status_from_name(pw_status_name(i)), i);
    cr_assert_eq(pw_status_from_name("NOPE"), -1);
}

Test(status, exit_codes_follow_the_spec)
{
    cr_assert_eq(pw_status_exit_code(PW_OK, 0), 0);
    cr_assert_eq(pw_status_exit_code(PW_PERMISSION_DENIED, 0), 1);
    cr_assert_eq(pw_status_exit_code(PW_UNAVAILABLE, 1), 3);
}
