#include "tests/support/services.h"

#include "planwatch/v1/account.pb-c.h"
#include "planwatch/v1/dispatch.pb-c.h"
#include "planwatch/v1/office.pb-c.h"
#include "planwatch/v1/report.pb-c.h"
#include "planwatch/v1/plan.pb-c.h"

const ProtobufCServiceDescriptor *const pw_test_services[] = {
    &planwatch__v1__auth_service__descriptor,     &planwatch__v1__admin_service__descriptor,
    &planwatch__v1__finding_service__descriptor,  &planwatch__v1__supervise_service__descriptor,
    &planwatch__v1__plan_service__descriptor,     &planwatch__v1__sheet_service__descriptor,
    &planwatch__v1__dispatch_service__descriptor, &planwatch__v1__score_service__descriptor,
    &planwatch__v1__publish_service__descriptor,  &planwatch__v1__report_service__descriptor,
    &planwatch__v1__period_service__descriptor,   &planwatch__v1__half_year_service__descriptor,
    &planwatch__v1__audit_service__descriptor,    NULL,
};
